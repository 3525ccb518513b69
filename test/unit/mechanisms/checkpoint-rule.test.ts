import { describe, expect, it } from "vitest";
import type { CheckpointRule, RuleSignal } from "../../../src/mechanisms/checkpoint-rule.js";
import {
  describeRule,
  evaluateCheckpoint,
  parseCheckpointRule,
  readCheckpointRule,
  resolveSignal,
} from "../../../src/mechanisms/checkpoint-rule.js";

function parsed(text: string, signals: readonly RuleSignal[] = []): CheckpointRule {
  const r = parseCheckpointRule(text, signals);
  if (!r.ok) throw new Error(`expected "${text}" to parse, got: ${r.error}`);
  return r.rule;
}

function parseError(text: string): string {
  const r = parseCheckpointRule(text);
  if (r.ok) throw new Error(`expected "${text}" to be rejected, got: ${describeRule(r.rule)}`);
  return r.error;
}

describe("parseCheckpointRule", () => {
  // [what the team typed, the canonical rule it means]
  const valid: [string, string][] = [
    ["continue if proxy >= 80 and outcome change >= 3", "continue if proxy ≥ 80 and outcome change ≥ +3"],
    [
      "Continue if: proxy ≥ 80% AND outcome change ≥ 3 pts.",
      "continue if proxy ≥ 80% and outcome change ≥ +3 pts",
    ],
    ["CONTINUE IF proxy > 80", "continue if proxy > 80"],
    ["proxy < 80", "continue if proxy < 80"],
    ["outcome = 35", "continue if outcome = 35"],
    ["outcome == 35", "continue if outcome = 35"],
    ["proxy=>80", "continue if proxy ≥ 80"],
    ["proxy >= .5", "continue if proxy ≥ 0.5"],
    ["leading ≤ 200ms", "continue if leading ≤ 200 ms"],
    ["outcome reaches target", "continue if outcome reaches target"],
    ["leading hits target!", "continue if leading reaches target"],
    ["outcome reached its target", "continue if outcome reaches target"],
    ["leading delta <= -25", "continue if leading change ≤ -25"],
    ["outcome change >= +2.5", "continue if outcome change ≥ +2.5"],
    ["proxy change% >= 10", "continue if proxy change ≥ +10%"],
    ["proxy change >= 10%", "continue if proxy change ≥ +10%"],
    ["proxy change >= 10 percent", "continue if proxy change ≥ +10%"],
    ["outcome change +3", "continue if outcome change ≥ +3"],
    ["proxy >= 80 or outcome reaches target", "continue if proxy ≥ 80 or outcome reaches target"],
    [
      "proxy >= 80 && outcome > 30 || leading <= 120",
      "continue if proxy ≥ 80 and outcome > 30 or leading ≤ 120",
    ],
    ["We will continue if outcome change > 0.", "continue if outcome change > 0"],
    // The seeds' rules with the signals named by role: signed shorthand, unicode minus, an "else" tail.
    [
      "Continue if proxy +10% AND outcome +3 pts; else change/stop (15-minute review)",
      "continue if proxy change ≥ +10% and outcome change ≥ +3 pts",
    ],
    [
      "Continue if proxy −25% AND leading −50%; else change/stop (15‑minute review).",
      "continue if proxy change ≤ -25% and leading change ≤ -50%",
    ],
    // Framing written every which way: spacing, "we'll", "when", an "else" without a separator.
    ["We'll  continue when proxy >= 80", "continue if proxy ≥ 80"],
    ["We  will   continue if proxy > 1", "continue if proxy > 1"],
    ["proxy >= 80 else stop", "continue if proxy ≥ 80"],
    ["proxy >= 80;else stop", "continue if proxy ≥ 80"],
    ["outcome reaches target!!", "continue if outcome reaches target"],
    ["leading hits the target", "continue if leading reaches target"],
    ["proxy reaches targets", "continue if proxy reaches target"],
    ["proxy change% >= 10%", "continue if proxy change ≥ +10%"],
  ];

  it.each(valid)("parses %j as %j", (text, canonical) => {
    expect(describeRule(parsed(text))).toBe(canonical);
  });

  it.each(valid)("parses the canonical rendering of %j back to the same rule", (text) => {
    const rule = parsed(text);
    expect(parsed(describeRule(rule))).toEqual(rule);
  });

  it("builds the tree the evaluator reads, with and grouped under or", () => {
    expect(parsed("proxy >= 80 or outcome change >= 3 pts and leading change% <= -25")).toEqual({
      alternatives: [
        [{ type: "reading", signal: "proxy", op: ">=", value: 80, unit: "" }],
        [
          { type: "change", signal: "outcome", op: ">=", value: 3, unit: "pts" },
          { type: "change-percent", signal: "leading", op: "<=", value: -25 },
        ],
      ],
    });
  });

  // [what the team typed, a phrase the error must contain]
  const invalid: [string, string][] = [
    ["", "Write a rule"],
    ["continue if", "Write a rule"],
    ["stop if proxy < 50", "Write when to continue"],
    ["proxy", "“proxy” needs a comparison"],
    ["proxy 80", "“proxy 80” needs a comparison"],
    ["proxy >=", "“proxy >=” needs a number"],
    ["proxy >= high", "“proxy >=” needs a number"],
    ["outcome change", "“outcome change” needs a comparison and a number"],
    ["outcome reaches 35", "“outcome reaches target”"],
    ["proxy change% >= 10 pts", "“pts” doesn't fit"],
    ["proxy >= 80 and", "missing after “and”"],
    ["proxy >= 80 or", "missing after “or”"],
    ["proxy >= 80 outcome >= 3", "put “and” or “or” before “outcome”"],
    ["proxy >= 80, outcome >= 3", "instead of a comma"],
    ["(proxy >= 80 or outcome >= 3) and leading >= 1", "Parentheses aren't needed"],
    ["proxy != 80", "didn't understand “!”"],
    ["and proxy >= 80", "“and” isn't a signal"],
    ["proxy >= 80)", "Parentheses aren't needed"],
    ["outcome reaches", "Write “outcome reaches target”"],
    ["stop  if proxy < 50", "Write when to continue"],
  ];

  it.each(invalid)("rejects %j saying %j", (text, phrase) => {
    expect(parseError(text)).toContain(phrase);
  });

  it.each(invalid)("keeps the error for %j short enough for a modal", (text) => {
    expect(parseError(text).length).toBeLessThanOrEqual(150);
  });

  it.each([
    ["proxy >= high", "“proxy >=” needs a number after it, e.g. “proxy >= 80”."],
    ["outcome change > lots", "“outcome change >” needs a number after it, e.g. “outcome change > 3”."],
  ])("shows the clause to write when %j lacks its number", (text, error) => {
    expect(parseError(text)).toBe(error);
  });

  it("shows a rule that works when a clause has no signal", () => {
    expect(parseError("change >= 3")).toContain("“continue if proxy >= 80 and outcome change >= 3”");
  });

  // [the long word, rule]
  it.for<[string, string]>([
    ["a 200-character word after the unit", `proxy >= 3 pts ${"y".repeat(200)}`],
    ["a 200-character word after a change% comparison", `outcome change% >= 3 ${"z".repeat(200)}`],
  ])("shortens %s it quotes so the message still fits", ([, text]) => {
    const error = parseError(text);
    expect(error).toContain("…”");
    expect(error.length).toBeLessThanOrEqual(150);
  });
});

// Readings are keyed by signal id; these signals' ids are their roles, so `{ proxy: 82 }` reads well.
const signals: RuleSignal[] = [
  { id: "proxy", kind: "proxy", name: "% doing Action X in 24h", baseline: 40, target: 80, unit: "" },
  { id: "outcome", kind: "outcome", name: "14-day activation", baseline: 27, target: 35, unit: "" },
  {
    id: "leading",
    kind: "leading",
    name: "median time-to-first-action",
    baseline: 200,
    target: 150,
    unit: "",
  },
];

/** The SRE scene: two outcome-type signals the rule must name. */
const sre: RuleSignal[] = [
  { id: "p95", kind: "outcome", name: "p95", baseline: 450, target: 250, unit: "ms" },
  { id: "timeouts", kind: "outcome", name: "Timeouts", baseline: 1.8, target: 0.6, unit: "%" },
  { id: "hit", kind: "proxy", name: "cache hit rate", baseline: 10, target: 60, unit: "%" },
];

describe("readCheckpointRule: the signals a rule names", () => {
  function readError(text: string, specs: readonly RuleSignal[]): string {
    const r = readCheckpointRule(text, specs);
    if (r.ok) throw new Error(`expected "${text}" to be refused, got: ${describeRule(r.rule)}`);
    return r.error;
  }

  // [rule as the seeds or a team write it, the signals, the canonical rule]
  it.each<[string, readonly RuleSignal[], string]>([
    [
      "Continue if p95 −25% AND timeouts −50%; else change/stop (15‑minute review).",
      sre,
      "continue if p95 change ≤ -25% and timeouts change ≤ -50%",
    ],
    ["continue if activation >= 30", signals, "continue if activation ≥ 30"],
    [
      "Continue if proxy +10% AND activation +3 pts; else change/stop (15-minute review)",
      signals,
      "continue if proxy change ≥ +10% and activation change ≥ +3 pts",
    ],
    [
      "14-day activation ≥ 30 and cache hit rate ≥ 40",
      [...signals, ...sre],
      "continue if 14-day activation ≥ 30 and cache hit rate ≥ 40",
    ],
    [
      "cache hit rate change >= 20 or proxy reaches target",
      sre,
      "continue if cache hit rate change ≥ +20 or proxy reaches target",
    ],
  ])("reads %j", (text, specs, canonical) => {
    const r = readCheckpointRule(text, specs);
    if (!r.ok) throw new Error(r.error);
    expect(describeRule(r.rule)).toBe(canonical);
  });

  // [rule, signals, a phrase the error must contain]
  it.each<[string, readonly RuleSignal[], string]>([
    ["P95 <= 300 timeouts <= 1", sre, "put “and” or “or” before “timeouts”"],
    ["outcome <= 300", sre, "There are 2 outcome signals: name the one you mean (“p95”, “Timeouts”)"],
    [
      "leading <= 3",
      sre,
      "The rule mentions leading, but there is no leading signal: add it or change the rule.",
    ],
    ["discovery ≥80% AND conversion +3 pts", signals, "“discovery” isn't one of this mechanism's signals"],
    [
      "rate >= 3",
      [...signals, ...sre, { ...sre[0], id: "r", name: "reply rate" } as RuleSignal],
      "“rate” could be “cache hit rate”, “reply rate”",
    ],
    [`${"x".repeat(200)} >= 3`, signals, "“xxxxxxxxxxxxxxxxxxxxxxx…”"],
  ])("refuses %j", (text, specs, phrase) => {
    const error = readError(text, specs);
    expect(error).toContain(phrase);
    expect(error.length).toBeLessThanOrEqual(150);
  });

  it("prefers an exact name to a role, and a role to a word of a name", () => {
    const named = [...sre, { ...sre[2], id: "named-proxy", kind: "leading", name: "proxy" } as RuleSignal];
    expect(resolveSignal("proxy", named)).toMatchObject({ ok: true, signal: { id: "named-proxy" } });
    const withWord = [
      ...signals,
      { ...signals[0], id: "x", kind: "leading", name: "outcome latency" } as RuleSignal,
    ];
    expect(
      resolveSignal(
        "outcome",
        withWord.filter((s) => s.id !== "leading"),
      ),
    ).toMatchObject({
      ok: true,
      signal: { id: "outcome" },
    });
  });
});

describe("evaluateCheckpoint", () => {
  const evaluate = (text: string, readings: Partial<Record<string, number>>, specs = signals) =>
    evaluateCheckpoint(parsed(text, specs), specs, readings as Record<string, number>);

  it("evaluates the SRE scene's rule on its two outcome signals by name", () => {
    const { result, lines } = evaluate("continue if p95 −25% AND timeouts −50%", {}, sre);
    expect(result).toBe("unknown");
    expect(lines).toEqual(["? p95: no reading", "? timeouts: no reading"]);
    const run = (p95: number, timeouts: number) =>
      evaluateCheckpoint(parsed("p95 −25% AND timeouts −50%", sre), sre, { p95, timeouts });
    expect(run(330, 0.9)).toEqual({
      result: "pass",
      lines: [
        "✓ p95 change -26.67% ≤ -25% (baseline 450 ms → 330 ms)",
        "✓ timeouts change -50% ≤ -50% (baseline 1.8% → 0.9%)",
      ],
    });
    expect(run(330, 1).result).toBe("fail");
  });

  it("cannot decide a clause whose role has several signals, and says to name one", () => {
    const { result, lines } = evaluate("outcome <= 300", { p95: 200 }, sre);
    expect(result).toBe("unknown");
    expect(lines[0]).toContain("there are 2 outcome signals");
  });

  const AND = "proxy >= 80 and outcome change >= 3";
  const OR = "proxy >= 80 or outcome change >= 3";
  const MIXED = "proxy >= 80 or outcome >= 35 and leading <= 150";

  // [rule, readings, result]
  const table: [string, Partial<Record<string, number>>, string][] = [
    [AND, { proxy: 82, outcome: 30 }, "pass"],
    [AND, { proxy: 82, outcome: 28.5 }, "fail"],
    [AND, { proxy: 82 }, "unknown"],
    [AND, { proxy: 70 }, "fail"],
    [AND, {}, "unknown"],
    [OR, { proxy: 82 }, "pass"],
    [OR, { outcome: 31 }, "pass"],
    [OR, { proxy: 70 }, "unknown"],
    [OR, { proxy: 70, outcome: 28 }, "fail"],
    // "and" binds tighter: a strong proxy passes on its own even when the other pair fails.
    [MIXED, { proxy: 82, outcome: 20, leading: 300 }, "pass"],
    [MIXED, { proxy: 70, outcome: 36, leading: 140 }, "pass"],
    [MIXED, { proxy: 70, outcome: 36, leading: 160 }, "fail"],
    [MIXED, { proxy: 70, leading: 160 }, "fail"],
    [MIXED, { proxy: 70, leading: 140 }, "unknown"],
    ["outcome reaches target", { outcome: 35 }, "pass"],
    ["outcome reaches target", { outcome: 34.9 }, "fail"],
    // Leading's target (150) is below its baseline (200): lower is better.
    ["leading reaches target", { leading: 140 }, "pass"],
    ["leading reaches target", { leading: 150 }, "pass"],
    ["leading reaches target", { leading: 160 }, "fail"],
    ["proxy change% >= 10", { proxy: 44 }, "pass"],
    ["proxy change% >= 10", { proxy: 43.9 }, "fail"],
    ["leading change <= -25%", { leading: 150 }, "pass"],
    ["leading change <= -25%", { leading: 151 }, "fail"],
    ["leading delta < -25", { leading: 175 }, "fail"],
    ["outcome change = 0", { outcome: 27 }, "pass"],
    ["proxy >= 80", { proxy: Number.NaN }, "unknown"],
    // Strict comparisons: equal (or equal but for float noise) is not enough, and the wrong side fails.
    ["proxy > 80", { proxy: 81 }, "pass"],
    ["proxy > 80", { proxy: 80 }, "fail"],
    ["proxy > 80", { proxy: 80.00000000001 }, "fail"],
    ["proxy > 80", { proxy: 70 }, "fail"],
    ["proxy < 80", { proxy: 79 }, "pass"],
    ["proxy < 80", { proxy: 80 }, "fail"],
    ["proxy < 80", { proxy: 79.99999999999 }, "fail"],
    ["proxy < 80", { proxy: 90 }, "fail"],
    ["proxy >= 80", { proxy: 79.99999999999 }, "pass"],
    ["proxy <= 80", { proxy: 80.00000000001 }, "pass"],
    // "Close" scales with the numbers: a big reading typed with float dust still equals.
    ["proxy = 1000000", { proxy: 1000000.0001 }, "pass"],
  ];

  it.each(table)("evaluates %j with %j as %s", (text, readings, result) => {
    expect(evaluate(text, readings).result).toBe(result);
  });

  it("explains a passing reading and a failing change with their numbers", () => {
    expect(evaluate(AND, { proxy: 82, outcome: 28.5 }).lines).toEqual([
      "✓ proxy 82 ≥ 80",
      "✗ outcome change +1.5 < 3 (baseline 27 → 28.5)",
    ]);
  });

  it("writes a change of nothing as 0, without a sign", () => {
    expect(evaluate("outcome change = 0", { outcome: 27 }).lines).toEqual([
      "✓ outcome change 0 = 0 (baseline 27 → 27)",
    ]);
  });

  it("compares a reading in the rule's own unit when it writes one", () => {
    const { result, lines } = evaluate("leading >= 3 s", { leading: 5 });
    expect(result).toBe("pass");
    expect(lines).toEqual(["✓ leading 5 s ≥ 3 s"]);
  });

  it("cannot compare a reading for a signal the mechanism does not have", () => {
    const noLeading = signals.filter((s) => s.kind !== "leading");
    const { result, lines } = evaluate("leading >= 3", { leading: 5 }, noLeading);
    expect(result).toBe("unknown");
    expect(lines[0]).toContain("there is no leading signal");
  });

  it("says which reading is missing", () => {
    expect(evaluate(AND, { proxy: 82 }).lines).toEqual(["✓ proxy 82 ≥ 80", "? outcome: no reading"]);
  });

  it("separates the alternatives of an or", () => {
    expect(evaluate(OR, { proxy: 70 }).lines).toEqual(["✗ proxy 70 < 80", "— or —", "? outcome: no reading"]);
  });

  it("says when a lower-is-better target was reached", () => {
    expect(evaluate("leading reaches target", { leading: 140 }).lines).toEqual([
      "✓ leading reached target 150 (lower is better; baseline 200 → 140)",
    ]);
    expect(evaluate("outcome hits target", { outcome: 30 }).lines).toEqual([
      "✗ outcome short of target 35 (baseline 27 → 30)",
    ]);
  });

  it("shows a percent change against the baseline", () => {
    expect(evaluate("leading change% <= -25", { leading: 140 }).lines).toEqual([
      "✓ leading change -30% ≤ -25% (baseline 200 → 140)",
    ]);
  });

  it("cannot decide a percent change from a baseline of 0, and says why instead of dividing by zero", () => {
    const zero = signals.map((s) => (s.kind === "proxy" ? { ...s, baseline: 0 } : s));
    const { result, lines } = evaluate("proxy change% >= 10", { proxy: 5 }, zero);
    expect(result).toBe("unknown");
    expect(lines[0]).toMatch(/^\? proxy change: the baseline is 0/);
  });

  it("still passes an or when the undecidable clause is not needed", () => {
    const zero = signals.map((s) => (s.kind === "proxy" ? { ...s, baseline: 0 } : s));
    expect(evaluate("proxy change% >= 10 or outcome >= 30", { proxy: 5, outcome: 31 }, zero).result).toBe(
      "pass",
    );
  });

  it("measures a percent change against the size of a negative baseline, so a rise is positive", () => {
    const negative = signals.map((s) => (s.kind === "outcome" ? { ...s, baseline: -10 } : s));
    expect(evaluate("outcome change% >= 50", { outcome: -5 }, negative).result).toBe("pass");
  });

  it("treats float noise in a change as equal", () => {
    const small = signals.map((s) => (s.kind === "outcome" ? { ...s, baseline: 0.1 } : s));
    // 0.3 − 0.1 is 0.19999999999999998 in floating point.
    expect(evaluate("outcome change >= 0.2", { outcome: 0.3 }, small).result).toBe("pass");
    expect(evaluate("outcome change > 0.2", { outcome: 0.3 }, small).result).toBe("fail");
  });

  it("shows a small reading at its size, not rounded to 0", () => {
    const rates = signals.map((s) => (s.kind === "proxy" ? { ...s, baseline: 0.012, target: 0.005 } : s));
    expect(evaluate("proxy <= 0.005", { proxy: 0.004 }, rates).lines).toEqual(["✓ proxy 0.004 ≤ 0.005"]);
  });

  it("cannot compare a change for a signal the mechanism does not have", () => {
    const noLeading = signals.filter((s) => s.kind !== "leading");
    const { result, lines } = evaluate("leading change <= -25", { leading: 100 }, noLeading);
    expect(result).toBe("unknown");
    expect(lines[0]).toContain("there is no leading signal");
  });

  it("cannot reach a target that equals the baseline", () => {
    const flat = signals.map((s) => (s.kind === "outcome" ? { ...s, target: 27 } : s));
    expect(evaluate("outcome reaches target", { outcome: 40 }, flat)).toEqual({
      result: "unknown",
      lines: ["? outcome: its target equals its baseline, so there is no direction to reach"],
    });
  });

  it("writes units the way people read them, with a change in a percentage in points", () => {
    const pct = signals.map((s) => ({ ...s, unit: s.kind === "leading" ? "ms" : "%" }));
    expect(
      evaluate(
        "proxy >= 80 and outcome change >= 3 and leading < 180",
        { proxy: 82, outcome: 28.5, leading: 170 },
        pct,
      ).lines,
    ).toEqual([
      "✓ proxy 82% ≥ 80%",
      "✗ outcome change +1.5 pts < 3 pts (baseline 27% → 28.5%)",
      "✓ leading 170 ms < 180 ms",
    ]);
  });

  it("rounds long decimals in its lines", () => {
    expect(evaluate("proxy change% >= 10", { proxy: 41 }).lines[0]).toBe(
      "✗ proxy change +2.5% < 10% (baseline 40 → 41)",
    );
    const thirds = signals.map((s) => (s.kind === "proxy" ? { ...s, baseline: 30 } : s));
    expect(evaluate("proxy change% >= 10", { proxy: 40 }, thirds).lines[0]).toBe(
      "✓ proxy change +33.33% ≥ 10% (baseline 30 → 40)",
    );
  });
});
