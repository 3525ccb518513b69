import { describe, expect, it } from "vitest";
import {
  guardrailFromText,
  guardrailReadings,
  guardrailTextProblem,
  isBreached,
  readGuardrail,
} from "../../../src/mechanisms/guardrail.js";

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

describe("isBreached and guardrailReadings: a reading across the line is a breach", () => {
  const line = (comparison: "<=" | "<" | ">=" | ">", threshold: number) => ({
    name: "x",
    comparison,
    threshold,
    unit: "",
    stopOwnerId: null,
  });
  it.each([
    ["<=", 0.1, 0.1, false],
    ["<=", 0.1, 0.11, true],
    ["<", 0.1, 0.1, true],
    [">=", 97, 97, false],
    [">=", 97, 96.9, true],
    [">", 97, 97, true],
  ] as const)("%s %s with a reading of %s: breached %s", (comparison, threshold, value, breached) => {
    expect(isBreached(line(comparison, threshold), value)).toBe(breached);
  });

  it("has nothing to say of a guardrail with no line, so no reading of it is stored", () => {
    const prose = {
      id: "g2",
      name: "Rollback",
      comparison: null,
      threshold: null,
      unit: "",
      stopOwnerId: null,
    };
    expect(isBreached(prose, 5)).toBeNull();
    expect(guardrailReadings([{ ...line("<=", 0.1), id: "g1" }, prose], { g1: 0.3, g2: 5 })).toEqual([
      { guardrailId: "g1", value: 0.3, breached: true },
    ]);
  });
});

describe("guardrailTextProblem: a line that tries to be drawn must be readable", () => {
  it.each(["Error rate ≤ lots", "≤ 0.1%", "latency < fast"])("refuses %j", (text) => {
    expect(guardrailTextProblem(text)).toContain("a name, a comparison and a number");
  });
  it.each(["Error rate ≤ 0.1%", "Documented rollback plan", "Do-not-contact honored"])(
    "accepts %j",
    (text) => {
      expect(guardrailTextProblem(text)).toBeNull();
    },
  );
});
