import { describe, expect, it } from "vitest";
import { quarterTrend } from "../../../src/incidents/metrics.js";
import { previousQuarter, quarterOf } from "../../../src/incidents/quarters.js";
import { makeIncident } from "./fixtures.js";

const utc = (iso: string) => new Date(iso);
const iso = (q: { label: string; start: Date; end: Date }) => ({
  label: q.label,
  start: q.start.toISOString(),
  end: q.end.toISOString(),
});

describe("quarterOf: calendar quarters on the team's wall clock", () => {
  it("turns at local midnight on 1 October, not at UTC midnight (New York, daylight time)", () => {
    // 2026-10-01 00:00 EDT is 04:00 UTC.
    expect(quarterOf(utc("2026-10-01T03:59:59.999Z"), "America/New_York").label).toBe("2026 Q3");
    expect(iso(quarterOf(utc("2026-10-01T04:00:00Z"), "America/New_York"))).toEqual({
      label: "2026 Q4",
      start: "2026-10-01T04:00:00.000Z",
      // 1 January is in standard time: midnight EST is 05:00 UTC.
      end: "2027-01-01T05:00:00.000Z",
    });
  });

  it("crosses the year: New Year's Eve in New York is still Q4 after UTC's new year", () => {
    expect(quarterOf(utc("2027-01-01T04:59:59Z"), "America/New_York").label).toBe("2026 Q4");
    expect(quarterOf(utc("2027-01-01T05:00:00Z"), "America/New_York").label).toBe("2027 Q1");
  });

  it("crosses the year ahead of UTC: Auckland's new year starts at 11:00 UTC on 31 December", () => {
    const q = quarterOf(utc("2026-12-31T11:00:00Z"), "Pacific/Auckland");
    expect(iso(q)).toEqual({
      label: "2027 Q1",
      start: "2026-12-31T11:00:00.000Z",
      // NZ daylight time ends on 5 April 2027, after 1 April: still +13.
      end: "2027-03-31T11:00:00.000Z",
    });
    expect(quarterOf(utc("2026-12-31T10:59:59Z"), "Pacific/Auckland").label).toBe("2026 Q4");
  });

  it("keeps a quarter that spans a DST change an hour short or long, not a whole day off", () => {
    // London Q1 2026: GMT on 1 Jan, BST (+1) on 1 Apr: 90 days less one hour.
    const q1 = quarterOf(utc("2026-02-15T12:00:00Z"), "Europe/London");
    expect(iso(q1)).toEqual({
      label: "2026 Q1",
      start: "2026-01-01T00:00:00.000Z",
      end: "2026-03-31T23:00:00.000Z",
    });
    expect((q1.end.getTime() - q1.start.getTime()) / 3_600_000).toBe(90 * 24 - 1);
  });

  it("gives the quarter before, across the year", () => {
    const q1 = quarterOf(utc("2027-02-01T00:00:00Z"), "Pacific/Chatham");
    const q4 = previousQuarter(q1, "Pacific/Chatham");
    expect(q4.label).toBe("2026 Q4");
    expect(q4.end.getTime()).toBe(q1.start.getTime());
    expect(previousQuarter(q4, "Pacific/Chatham").label).toBe("2026 Q3");
  });
});

describe("quarterTrend: this quarter so far against the whole of last quarter", () => {
  const tz = "America/New_York";
  const created = (id: string, at: string) => makeIncident({ id, startedAt: utc(at) });

  it("puts each COE in the quarter it was created in, on the team's clock, and nothing after now", () => {
    const now = utc("2027-01-10T12:00:00Z");
    const trend = quarterTrend(
      [
        created("last-of-q3", "2026-10-01T03:59:00Z"), // 23:59 on 30 Sep in New York: Q3, too old
        created("first-of-q4", "2026-10-01T04:00:00Z"),
        created("nye-local", "2027-01-01T04:30:00Z"), // 23:30 on 31 Dec in New York: Q4
        created("q1", "2027-01-01T05:00:00Z"),
        created("future", "2027-01-10T12:00:01Z"),
      ],
      now,
      tz,
    );
    expect(trend.current.label).toBe("2027 Q1");
    expect(trend.previous.label).toBe("2026 Q4");
    expect(trend.current.metrics.incidentCount).toBe(1);
    expect(trend.previous.metrics.incidentCount).toBe(2);
  });

  it("measures both quarters the same way: repeats look back across the quarter boundary", () => {
    const now = utc("2026-11-01T12:00:00Z");
    const earlier = makeIncident({ id: "a", startedAt: utc("2026-09-01T12:00:00Z"), tags: ["config", "db"] });
    const again = makeIncident({ id: "b", startedAt: utc("2026-10-15T12:00:00Z"), tags: ["config", "db"] });
    const trend = quarterTrend([earlier, again], now, tz);
    expect(trend.current.metrics).toMatchObject({ incidentCount: 1, repeatCount: 1, repeatRate: 1 });
    expect(trend.previous.metrics).toMatchObject({ incidentCount: 1, repeatCount: 0, repeatRate: 0 });
  });

  it("has nothing to measure, not zero, in a quiet quarter", () => {
    const trend = quarterTrend([], utc("2026-11-01T12:00:00Z"), tz);
    expect(trend.previous.metrics.repeatRate).toBeNull();
    expect(trend.previous.metrics.knownRootCause.rate).toBeNull();
  });
});
