import { describe, expect, it } from "vitest";
import { stepClock } from "../../../src/sandbox/clock-steps.js";

const at = (iso: string, step: Parameters<typeof stepClock>[1], tz = "Europe/London") =>
  stepClock(new Date(iso), step, tz).toISOString();

describe("the sandbox page's clock buttons", () => {
  it("moves by an hour, a day and a week", () => {
    expect(at("2026-11-23T09:00:00Z", "hour")).toBe("2026-11-23T10:00:00.000Z");
    expect(at("2026-11-23T09:00:00Z", "day")).toBe("2026-11-24T09:00:00.000Z");
    expect(at("2026-11-23T09:00:00Z", "week")).toBe("2026-11-30T09:00:00.000Z");
  });

  it("goes to the next Monday 09:00 in the zone's wall time, across both DST changes", () => {
    // London leaves BST on Sunday 25 Oct 2026: Monday 26 Oct 09:00 is GMT.
    expect(at("2026-10-23T12:00:00Z", "monday")).toBe("2026-10-26T09:00:00.000Z");
    // London enters BST on Sunday 29 Mar 2026: Monday 30 Mar 09:00 is 08:00 UTC.
    expect(at("2026-03-27T10:00:00Z", "monday")).toBe("2026-03-30T08:00:00.000Z");
  });

  it("takes this Monday before 09:00, and the next one from 09:00 on", () => {
    expect(at("2026-11-23T08:59:00Z", "monday")).toBe("2026-11-23T09:00:00.000Z");
    expect(at("2026-11-23T09:00:00Z", "monday")).toBe("2026-11-30T09:00:00.000Z");
    // Auckland's Monday 09:00 is Sunday evening in UTC.
    expect(at("2026-11-20T00:00:00Z", "monday", "Pacific/Auckland")).toBe("2026-11-22T20:00:00.000Z");
  });
});
