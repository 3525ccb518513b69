import { describe, expect, it } from "vitest";
import { clipWords } from "../../../src/shared/text.js";

describe("clipWords", () => {
  it("keeps text that fits", () => {
    expect(clipWords("Pool size is static", 40)).toBe("Pool size is static");
  });

  it("cuts between words, never inside one, and stays within n", () => {
    const out = clipWords("Alarm threshold too high for the night shift", 30);
    expect(out).toBe("Alarm threshold too high for…");
    expect(out.length).toBeLessThanOrEqual(30);
  });

  it("cuts inside a word only when no space is near the end (one long word)", () => {
    const out = clipWords(`a ${"x".repeat(50)}`, 20);
    expect(out.length).toBe(20);
    expect(out.endsWith("…")).toBe(true);
  });
});
