import { describe, expect, it } from "vitest";
import { isPlaceholder } from "../../../src/mechanisms/placeholder.js";
import { FILLERS } from "../../support/fillers.js";

describe("isPlaceholder", () => {
  it.each(FILLERS)("treats %j as not written", (text) => {
    expect(isPlaceholder(text)).toBe(true);
  });

  it("treats a missing value as not written", () => {
    expect(isPlaceholder(null)).toBe(true);
    expect(isPlaceholder(undefined)).toBe(true);
  });

  it.each([
    "Flag off",
    "Revert the deploy",
    "No rollback needed: read-only copy change",
    "TBD by Friday: Ana",
    "0",
    "Later cohort only",
  ])("keeps %j, which says something", (text) => {
    expect(isPlaceholder(text)).toBe(false);
  });
});
