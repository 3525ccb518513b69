import type { GuardrailSpec } from "./mechanism.js";
import { isPlaceholder } from "./placeholder.js";

/**
 * A guardrail as the one-pager states it ("Error rate ≤ 0.1% on signup"): the seeds mean a number someone
 * watches and a line that, crossed, stops the test (issue 11: "guardrails are signals, not prose").
 * Until guardrails are stored as signals, the text is read for that line, and a guardrail with none is
 * flagged: prose nobody can see being crossed.
 */
export type GuardrailReading =
  | { name: string; comparison: "<=" | "<" | ">=" | ">"; threshold: number; unit: string; rest: string }
  | { name: string; comparison: null };

const COMPARISONS: [RegExp, "<=" | "<" | ">=" | ">"][] = [
  [/^(?:≤|<=|=<|⩽|at most|no more than|max(?:imum)?|under|below)$/i, "<="],
  [/^(?:<|less than|fewer than)$/i, "<"],
  [/^(?:≥|>=|=>|⩾|at least|min(?:imum)?)$/i, ">="],
  [/^(?:>|more than|above|over)$/i, ">"],
];

// name, then a comparison, a number and what follows it ("% on signup", "email per user/7 days").
const LINE =
  /^(.*?)\s*(≤|<=|=<|⩽|≥|>=|=>|⩾|<|>|\b(?:at most|no more than|maximum|max|under|below|less than|fewer than|at least|minimum|min|more than|above|over)\b)\s*([+-]?\d+(?:[.,]\d+)?)\s*(%|[^\s\d.,;]+)?\s*(.*)$/i;

/** Reads a guardrail's threshold out of its text; `comparison: null` when it states none. */
export function readGuardrail(text: string): GuardrailReading {
  const trimmed = text.trim();
  const m = LINE.exec(trimmed);
  const name = (m?.[1] ?? "").replace(/[\s:—–-]+$/u, "").trim();
  if (!m || isPlaceholder(trimmed) || name === "") return { name: trimmed, comparison: null };
  const word = (m[2] ?? "").trim();
  const comparison = COMPARISONS.find(([re]) => re.test(word))?.[1];
  const threshold = Number((m[3] ?? "").replace(",", "."));
  if (!comparison || !Number.isFinite(threshold)) return { name: trimmed, comparison: null };
  return { name, comparison, threshold, unit: m[4] ?? "", rest: (m[5] ?? "").trim() };
}

/**
 * The one guardrail the mechanism modal's text and stop owner describe, as stored: its name is the text
 * around the line ("Error rate on signup"), or all of it when it states none.
 */
export function guardrailFromText(text: string, stopOwnerId: string | null): GuardrailSpec[] {
  if (text.trim() === "") return [];
  const read = readGuardrail(text);
  if (read.comparison === null) {
    return [{ name: read.name, comparison: null, threshold: null, unit: "", stopOwnerId }];
  }
  const name = [read.name, read.rest].filter(Boolean).join(" ");
  return [{ name, comparison: read.comparison, threshold: read.threshold, unit: read.unit, stopOwnerId }];
}

/** Whether a reading crossed the guardrail's line; null when it draws none. */
export function isBreached(g: GuardrailSpec, value: number): boolean | null {
  if (g.comparison === null || g.threshold === null) return null;
  switch (g.comparison) {
    case "<=":
      return value > g.threshold;
    case "<":
      return value >= g.threshold;
    case ">=":
      return value < g.threshold;
    case ">":
      return value <= g.threshold;
  }
}

/** A review's guardrail readings as stored: each guardrail with a line and a reading, and whether it crossed. */
export function guardrailReadings(
  guardrails: readonly (GuardrailSpec & { id: string })[],
  values: Partial<Record<string, number>>,
): { guardrailId: string; value: number; breached: boolean }[] {
  return guardrails.flatMap((g) => {
    const value = values[g.id];
    const breached = value === undefined ? null : isBreached(g, value);
    return value === undefined || breached === null ? [] : [{ guardrailId: g.id, value, breached }];
  });
}

/** How many guardrails the mechanism modal offers. */
export const MAX_GUARDRAILS = 3;

/**
 * What is wrong with a guardrail's line, when it tries to draw one (a comparison sign) that can't be
 * read; null when it reads, or is prose (which the one-pager flags instead).
 */
export function guardrailTextProblem(text: string): string | null {
  if (!/[≤≥⩽⩾<>]/.test(text) || readGuardrail(text).comparison !== null) return null;
  return "Write the line as a name, a comparison and a number, e.g. “error rate ≤ 0.1%”.";
}
