import { describe, expect, it } from "vitest";
import { formatNumber } from "../../../src/shared/number-format.js";

describe("formatNumber", () => {
  it.each([
    [42, "42"],
    [2.345, "2.35"],
    [1234.5678, "1234.57"],
    // float dust never shows
    [0.3 - 0.1, "0.2"],
    [80.00000000001, "80"],
    // a small reading keeps its size: two significant digits below 1, not two decimals
    [0.004, "0.004"],
    [0.0123, "0.012"],
    [0.999, "1"],
  ])("writes %s as %s", (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });

  it("rounds the magnitude, so a negative number differs from its positive only by the sign it is given", () => {
    expect(formatNumber(-2.345)).toBe("-2.35");
    expect(formatNumber(-0.0123, "−")).toBe("−0.012");
  });

  it("writes zero, negative zero and float dust around zero as a bare 0", () => {
    expect([0, -0, 1e-9, -1e-9].map((x) => formatNumber(x))).toEqual(["0", "0", "0", "0"]);
  });
});
