import { describe, expect, it } from "vitest";
import {
  addDays,
  dueNudge,
  nudgeHorizon,
  nudgeKey,
  nudgeSlots,
} from "../../../src/action-items/nudge-plan.js";

const at = (iso: string) => new Date(iso);
const open = (dueDate: string, dueSetAt = "2026-11-01T00:00:00Z") => ({
  status: "open",
  dueDate,
  dueSetAt: at(dueSetAt),
});

describe("addDays", () => {
  it.each([
    ["2026-12-04", -3, "2026-12-01"],
    ["2026-12-01", -3, "2026-11-28"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2028-03-01", -1, "2028-02-29"],
    ["2026-03-01", -1, "2026-02-28"],
  ])("%s %+d days is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe("dueNudge: an owner in Asia/Kolkata (+05:30), item due 2026-12-04", () => {
  const tz = "Asia/Kolkata";
  it("puts the nudges at 09:00 IST three days before and the day after", () => {
    const slots = nudgeSlots("2026-12-04", tz);
    expect(slots.pre.toISOString()).toBe("2026-12-01T03:30:00.000Z");
    expect(slots.overdue.toISOString()).toBe("2026-12-05T03:30:00.000Z");
  });

  it.each([
    ["2026-11-30T12:00:00Z", null, "days before the pre-due slot"],
    ["2026-12-01T03:29:00Z", null, "08:59 IST on the pre-due day"],
    ["2026-12-01T03:30:00Z", "pre", "09:00 IST on the pre-due day"],
    ["2026-12-03T10:00:00Z", "pre", "catch-up: missed pre-due, not overdue yet"],
    ["2026-12-04T18:29:00Z", "pre", "23:59 IST on the due date: still not overdue"],
    ["2026-12-04T18:30:00Z", null, "00:00 IST the day after: overdue, but before 09:00"],
    ["2026-12-05T03:29:00Z", null, "08:59 IST the day after"],
    ["2026-12-05T03:30:00Z", "overdue", "09:00 IST the day after"],
    ["2027-01-10T00:00:00Z", "overdue", "catch-up: weeks later, overdue once, late"],
  ])("at %s → %s (%s)", (now, expected, _why) => {
    expect(dueNudge(open("2026-12-04"), tz, at(now))).toBe(expected);
  });

  it("never nudges a closed item", () => {
    for (const status of ["done", "not_doing"]) {
      expect(dueNudge({ ...open("2026-12-04"), status }, tz, at("2026-12-05T03:30:00Z"))).toBeNull();
    }
  });

  it("skips the pre-due nudge when the date was set after its slot, but still sends the overdue one", () => {
    const late = open("2026-12-04", "2026-12-02T05:00:00Z");
    expect(dueNudge(late, tz, at("2026-12-02T06:00:00Z"))).toBeNull();
    expect(dueNudge(late, tz, at("2026-12-05T03:30:00Z"))).toBe("overdue");
  });
});

describe("dueNudge across the end of DST in America/New_York (2026-11-01 02:00 EDT → 01:00 EST)", () => {
  const tz = "America/New_York";
  it.each([
    // due 11-03: pre-due is Sat 31 Oct 09:00 EDT (UTC−4), overdue is Wed 4 Nov 09:00 EST (UTC−5)
    ["2026-11-03", "pre", "2026-10-31T13:00:00.000Z"],
    ["2026-11-03", "overdue", "2026-11-04T14:00:00.000Z"],
    // due 11-04: pre-due falls on the change day itself, after the change: 09:00 EST
    ["2026-11-04", "pre", "2026-11-01T14:00:00.000Z"],
    // due 10-31: overdue on the change day at 09:00 EST
    ["2026-10-31", "overdue", "2026-11-01T14:00:00.000Z"],
  ] as const)("due %s: the %s nudge is at %s", (due, kind, instant) => {
    expect(nudgeSlots(due, tz)[kind].toISOString()).toBe(instant);
    const slot = at(instant);
    expect(dueNudge(open(due, "2026-10-01T00:00:00Z"), tz, new Date(slot.getTime() - 60_000))).not.toBe(kind);
    expect(dueNudge(open(due, "2026-10-01T00:00:00Z"), tz, slot)).toBe(kind);
  });

  it("does not send the overdue nudge at 09:00 EDT wall-time that is now only 08:00 EST", () => {
    expect(dueNudge(open("2026-10-31", "2026-10-01T00:00:00Z"), tz, at("2026-11-01T13:00:00Z"))).toBeNull();
  });
});

describe("keys and horizon", () => {
  it("gives each due date its own keys, so an extension re-arms both nudges", () => {
    expect(nudgeKey("a1", "pre", "2026-12-04")).toBe("nudge:a1:pre:2026-12-04");
    expect(nudgeKey("a1", "pre", "2026-12-10")).not.toBe(nudgeKey("a1", "pre", "2026-12-04"));
  });

  it("loads items due up to three days after today in the most-ahead zone (UTC+14)", () => {
    // 2026-11-30 10:00Z is already Dec 1 00:00 in Kiritimati.
    expect(nudgeHorizon(at("2026-11-30T10:00:00Z"))).toBe("2026-12-04");
    expect(nudgeHorizon(at("2026-11-30T09:59:00Z"))).toBe("2026-12-03");
  });
});
