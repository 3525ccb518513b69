import { describe, expect, it } from "vitest";
import { addDays, dayNumber, isAwayAt, nextOpenSlot, type QuietDay } from "../../../src/people/quiet-days.js";

const quiet = (fromDate: string, toDate: string, timezone = "America/New_York"): QuietDay => ({
  id: "q",
  slackTeamId: "T1",
  teamId: "t1",
  userId: null,
  fromDate,
  toDate,
  timezone,
  note: "",
  createdBy: "U1",
  createdAt: new Date("2026-01-01T00:00:00Z"),
});

describe("quiet days", () => {
  it("reads only real dates and moves local dates by calendar days", () => {
    expect(dayNumber("2027-02-29")).toBeNull();
    expect(dayNumber("2028-02-29")).not.toBeNull();
    expect(addDays("2027-03-13", 1)).toBe("2027-03-14");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("moves a review off a holiday to the next open day at the same local time, across spring forward", () => {
    // Sat 13 Mar 2027 is quiet; Sun 14 Mar is the DST change in New York: 10:00 EDT is 14:00Z.
    const at = nextOpenSlot({
      fromDate: "2027-03-13",
      time: "10:00",
      tz: "America/New_York",
      quiet: [quiet("2027-03-13", "2027-03-13")],
      before: new Date("2027-03-20T14:00:00Z"),
    });
    expect(at?.toISOString()).toBe("2027-03-14T14:00:00.000Z");
  });

  it("merges into the next regular occurrence when the quiet days reach it", () => {
    const at = nextOpenSlot({
      fromDate: "2026-11-25",
      time: "10:00",
      tz: "Europe/London",
      quiet: [quiet("2026-11-25", "2026-12-05")],
      before: new Date("2026-12-01T10:00:00Z"),
    });
    expect(at).toBeNull();
  });

  it("reads time away in its own zone", () => {
    const away = [quiet("2026-11-24", "2026-11-24", "Pacific/Auckland")];
    // 2026-11-23T12:00Z is already the 24th in Auckland (UTC+13), still the 23rd in London.
    expect(isAwayAt(new Date("2026-11-23T12:00:00Z"), away)).toBe(true);
    expect(isAwayAt(new Date("2026-11-24T12:00:00Z"), away)).toBe(false);
  });
});
