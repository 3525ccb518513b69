import { describe, expect, it } from "vitest";
import { weeksBefore } from "../../../src/scheduler/schedule.js";

describe("weeksBefore", () => {
  it("keeps the local wall time across a DST change (London, spring forward on 28 Mar 2027)", () => {
    // Tue 6 Apr 2027 10:00 BST = 09:00Z; two weeks earlier is Tue 23 Mar 10:00 GMT = 10:00Z.
    expect(weeksBefore(new Date("2027-04-06T09:00:00Z"), 2, "Europe/London").toISOString()).toBe(
      "2027-03-23T10:00:00.000Z",
    );
  });
  it("moves forward for negative weeks and across a year end", () => {
    expect(weeksBefore(new Date("2026-12-29T15:00:00Z"), -1, "UTC").toISOString()).toBe(
      "2027-01-05T15:00:00.000Z",
    );
  });
});
