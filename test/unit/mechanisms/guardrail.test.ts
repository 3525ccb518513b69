import { describe, expect, it } from "vitest";
import { guardrailFromText, readGuardrail } from "../../../src/mechanisms/guardrail.js";

describe("readGuardrail: the line a guardrail draws, read from its text", () => {
  it.each([
    [
      "Error rate ≤ 0.1% on signup",
      { name: "Error rate", comparison: "<=", threshold: 0.1, unit: "%", rest: "on signup" },
    ],
    ["SLI — Error ≤0.1%", { name: "SLI — Error", comparison: "<=", threshold: 0.1, unit: "%", rest: "" }],
    [
      "Outreach cap ≤1 email per user/7 days",
      { name: "Outreach cap", comparison: "<=", threshold: 1, unit: "email", rest: "per user/7 days" },
    ],
    [
      "Checkout error rate < 0.5%",
      { name: "Checkout error rate", comparison: "<", threshold: 0.5, unit: "%", rest: "" },
    ],
    [
      "Task success rate >= 97.5 %",
      { name: "Task success rate", comparison: ">=", threshold: 97.5, unit: "%", rest: "" },
    ],
    [
      "p95 latency under 300ms",
      { name: "p95 latency", comparison: "<=", threshold: 300, unit: "ms", rest: "" },
    ],
    [
      "Rollout: at most 10% behind a feature flag",
      { name: "Rollout", comparison: "<=", threshold: 10, unit: "%", rest: "behind a feature flag" },
    ],
  ])("reads %j", (text, expected) => {
    expect(readGuardrail(text)).toEqual(expected);
  });

  it.each(["Documented rollback plan before launch", "Do-not-contact honored", "TBD", "≤ 0.1%", ""])(
    "finds no threshold in %j",
    (text) => {
      expect(readGuardrail(text)).toEqual({ name: text.trim(), comparison: null });
    },
  );
});

describe("guardrailFromText: the modal's guardrail as a stored guardrail", () => {
  it("keeps the words around the line in its name, and the stop owner", () => {
    expect(guardrailFromText("Error rate ≤ 0.1% on signup", "U0SRE")).toEqual([
      { name: "Error rate on signup", comparison: "<=", threshold: 0.1, unit: "%", stopOwnerId: "U0SRE" },
    ]);
  });

  it("stores prose as a guardrail with no threshold, and nothing for an empty text", () => {
    expect(guardrailFromText("Documented rollback plan", null)).toEqual([
      { name: "Documented rollback plan", comparison: null, threshold: null, unit: "", stopOwnerId: null },
    ]);
    expect(guardrailFromText("   ", "U0SRE")).toEqual([]);
  });
});
