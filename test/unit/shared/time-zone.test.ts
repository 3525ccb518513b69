import { describe, expect, it } from "vitest";
import { isValidTimeZone } from "../../../src/shared/time-zone.js";

describe("isValidTimeZone", () => {
  it.each([
    ["America/New_York", true],
    ["Asia/Kolkata", true], // absent from Intl.supportedValuesOf on Node 20, which lists Asia/Calcutta
    ["UTC", true],
    ["Etc/UTC", true],
    ["Pacific/Auckland", true],
    ["", false],
    ["Mars/Olympus_Mons", false],
    ["+05:30", false],
    ["-08:00", false],
    ["New York", false],
  ])("isValidTimeZone(%j) is %s", (tz, expected) => {
    expect(isValidTimeZone(tz)).toBe(expected);
  });
});
