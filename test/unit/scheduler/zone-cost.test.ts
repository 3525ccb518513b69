import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { instantToLocalParts, localDateTimeToInstant } from "../../../src/scheduler/schedule.js";
import { isValidTimeZone } from "../../../src/shared/time-zone.js";

// Issue 10: a tick asked Intl for a new formatter per team (isValidTimeZone, 38% of a tick) and
// took every wall time apart with formatToParts (22%). Same answers, fewer objects.
describe("time-zone maths cost", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("checks a zone with a new formatter only the first time", () => {
    const zone = "Pacific/Chatham";
    isValidTimeZone(zone);
    const made = vi.spyOn(Intl, "DateTimeFormat");
    for (let i = 0; i < 50; i++) expect(isValidTimeZone(zone)).toBe(true);
    expect(made).not.toHaveBeenCalled();
    // Refused names are still refused every time.
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });

  it("reads wall clocks without formatToParts for ordinary dates", () => {
    const parts = vi.spyOn(Intl.DateTimeFormat.prototype, "formatToParts");
    expect(instantToLocalParts(new Date("2026-03-29T01:30:00Z"), "Europe/London")).toEqual({
      date: "2026-03-29",
      time: "02:30",
      weekday: 7,
    });
    expect(localDateTimeToInstant("2026-11-01", "01:30", "America/New_York").toISOString()).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    expect(parts).not.toHaveBeenCalled();
  });

  it("agrees with formatToParts at any instant from year 1 to 9999", () => {
    const zones = [
      "UTC",
      "Europe/London",
      "America/New_York",
      "Asia/Kolkata",
      "Pacific/Chatham",
      "Australia/Lord_Howe",
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }),
        fc.constantFrom(...zones),
        (ms, tz) => {
          const f = new Intl.DateTimeFormat("en-US", {
            timeZone: tz,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
            weekday: "short",
          });
          const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
          const got = instantToLocalParts(new Date(ms), tz);
          expect(got.date).toBe(`${String(p.year).padStart(4, "0")}-${p.month}-${p.day}`);
          expect(got.time).toBe(`${p.hour}:${p.minute}`);
        },
      ),
      { numRuns: 500 },
    );
  });
});
