import { describe, expect, it } from "vitest";
import { within } from "../../../src/shared/within.js";

describe("within", () => {
  it("answers with the value when it comes in time", async () => {
    expect(await within(Promise.resolve("Europe/London"), 100, null)).toBe("Europe/London");
  });
  it("answers with the fallback when it is too slow or fails", async () => {
    const slow = new Promise<string>((r) => setTimeout(() => r("late"), 200));
    expect(await within(slow, 20, "UTC")).toBe("UTC");
    expect(await within(Promise.reject(new Error("ratelimited")), 100, "UTC")).toBe("UTC");
  });
});
