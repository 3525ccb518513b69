import { formatNumber } from "../shared/number-format.js";
import { clipText, firstChar, withUnit } from "../shared/text.js";
/**
 * The checkpoint rule a team writes on its one-pager ("continue if proxy >= 80 and outcome change >= 3"),
 * parsed into a small tree and evaluated against the readings taken at a 15-minute review.
 *
 * The language is deliberately tiny and forgiving: people type it into a Slack modal, so the parser
 * accepts common spellings (≥, =>, &&, "delta", "+3 pts", "; else stop") and every error says what was
 * wrong and shows a rule that works.
 */

export const SIGNAL_KINDS = ["proxy", "outcome", "leading"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One of a mechanism's feedback signals, as saved. */
export type SignalSpec = { kind: SignalKind; name: string; baseline: number; target: number; unit: string };

type Comparison = ">=" | ">" | "<=" | "<" | "=";

type CheckpointClause =
  /** the reading itself, e.g. proxy >= 80 */
  | { type: "reading"; signal: SignalKind; op: Comparison; value: number; unit: string }
  /** reading − baseline, e.g. outcome change >= 3 */
  | { type: "change"; signal: SignalKind; op: Comparison; value: number; unit: string }
  /** (reading − baseline) / |baseline| in percent, e.g. proxy change >= 10% */
  | { type: "change-percent"; signal: SignalKind; op: Comparison; value: number }
  /** moved from baseline to at least the target, in the target's direction */
  | { type: "target"; signal: SignalKind };

/**
 * Either-or of all-of groups. `and` binds tighter than `or` and there are no parentheses,
 * so every rule is exactly this shape; it is plain JSON and safe to store.
 */
export type CheckpointRule = { alternatives: CheckpointClause[][] };

export type ParseResult = { ok: true; rule: CheckpointRule } | { ok: false; error: string };

type CheckpointResult = "pass" | "fail" | "unknown";
export type CheckpointEvaluation = { result: CheckpointResult; lines: string[] };

const EXAMPLE = "“continue if proxy >= 80 and outcome change >= 3”";

// ───────────────────────────── parsing ─────────────────────────────

type Token =
  | { kind: "word"; text: string; lower: string }
  | { kind: "number"; value: number; text: string; signed: boolean }
  | { kind: "op"; op: Comparison; text: string }
  | { kind: "percent"; text: string }
  | { kind: "join"; join: "and" | "or"; text: string };

const OPS: Record<string, Comparison> = {
  ">=": ">=",
  "=>": ">=",
  "<=": "<=",
  "=<": "<=",
  "==": "=",
  "=": "=",
  ">": ">",
  "<": "<",
};

// Alternation order matters: two-character operators before their one-character prefixes.
const TOKEN =
  /\s*(?:(>=|=>|<=|=<|==|>|<|=)|(&&|\|\|)|([+-]?(?:\d+(?:\.\d*)?|\.\d+))|(%)|([a-z][a-z0-9_]*))/iy;

const CHANGE_WORDS = new Set(["change", "changes", "changed", "delta"]);
const REACH_WORDS = new Set(["reach", "reaches", "reached", "hit", "hits"]);
const PERCENT_WORDS = new Set(["percent", "pct"]);
const NOT_A_UNIT = new Set<string>([...SIGNAL_KINDS, ...CHANGE_WORDS, "and", "or"]);

const isSignal = (word: string): word is SignalKind => (SIGNAL_KINDS as readonly string[]).includes(word);

/** Keeps a user's text short enough that the whole message fits a modal's inline error. */
const quote = (text: string) => `“${clipText(text, 24)}”`;

class RuleError extends Error {}

/** Unicode comparison signs and minus signs arrive from phones and from pasted docs (the seeds use them). */
function normalize(text: string): string {
  return text.replace(/[≥⩾]/g, ">=").replace(/[≤⩽]/g, "<=").replace(/[−–]/g, "-").trim();
}

/** Drops the framing people write around the rule: "We will continue if:", "; else change/stop", a final ".". */
function stripFrame(text: string): string {
  return normalize(text)
    .replace(/^(?:we\s+will\s+|we'll\s+)?continue\s+(?:if|when)\b\s*:?/i, "")
    .replace(/[;,]?\s*\b(?:else|otherwise)\b[\s\S]*$/i, "")
    .replace(/[\s.!?;:,]+$/u, "")
    .trim();
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) {
      const bad = firstChar(text.slice(at).trimStart());
      if (bad === "(" || bad === ")") {
        throw new RuleError(`Parentheses aren't needed: “and” binds tighter than “or”. Try ${EXAMPLE}`);
      }
      if (bad === ",")
        throw new RuleError(`Join clauses with “and” or “or” instead of a comma, e.g. ${EXAMPLE}`);
      throw new RuleError(`I didn't understand ${quote(bad)} in the rule. Try ${EXAMPLE}`);
    }
    at = TOKEN.lastIndex;
    const [, op, join, num, percent, word] = m;
    if (op !== undefined) tokens.push({ kind: "op", op: OPS[op] ?? "=", text: op });
    else if (join !== undefined)
      tokens.push({ kind: "join", join: join === "&&" ? "and" : "or", text: join });
    else if (num !== undefined) {
      tokens.push({ kind: "number", value: Number(num), text: num, signed: /^[+-]/.test(num) });
    } else if (percent !== undefined) tokens.push({ kind: "percent", text: percent });
    else if (word !== undefined) {
      const lower = word.toLowerCase();
      if (lower === "and" || lower === "or") tokens.push({ kind: "join", join: lower, text: word });
      else tokens.push({ kind: "word", text: word, lower });
    }
  }
  return tokens;
}

function parseTokens(tokens: Token[]): CheckpointRule {
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const peekWord = (): string | undefined => {
    const t = tokens[i];
    return t?.kind === "word" ? t.lower : undefined;
  };

  const parseUnit = (): string => {
    const t = peek();
    if (t?.kind === "percent") {
      i++;
      return "%";
    }
    if (t?.kind === "word" && !NOT_A_UNIT.has(t.lower)) {
      i++;
      return PERCENT_WORDS.has(t.lower) ? "%" : t.text;
    }
    return "";
  };

  const expectNumber = (before: string, example: string): number => {
    const t = peek();
    if (t?.kind !== "number" || !Number.isFinite(t.value)) {
      throw new RuleError(`${quote(before)} needs a number after it, e.g. “${example}”.`);
    }
    i++;
    return t.value;
  };

  // "outcome +3 pts" / "p95 -25%": a signed number alone means "moved at least this far this way".
  const parseShorthand = (signal: SignalKind, value: number): CheckpointClause => {
    const op: Comparison = value < 0 ? "<=" : ">=";
    const unit = parseUnit();
    return unit === "%"
      ? { type: "change-percent", signal, op, value }
      : { type: "change", signal, op, value, unit };
  };

  const parseClause = (): CheckpointClause => {
    const first = peek();
    if (first === undefined)
      throw new RuleError(`Something is missing at the end of the rule. Try ${EXAMPLE}`);
    if (first.kind !== "word" || !isSignal(first.lower)) {
      throw new RuleError(
        `${quote(first.text)} isn't a signal: call it by its role (proxy, outcome or leading), e.g. ${EXAMPLE}`,
      );
    }
    i++;
    const signal = first.lower;
    const next = peek();

    if (next?.kind === "op") {
      i++;
      const value = expectNumber(`${signal} ${next.text}`, `${signal} ${next.text} 80`);
      return { type: "reading", signal, op: next.op, value, unit: parseUnit() };
    }

    if (next?.kind === "word" && CHANGE_WORDS.has(next.lower)) {
      i++;
      let percent = false;
      if (peek()?.kind === "percent") {
        i++;
        percent = true;
      }
      const opToken = peek();
      if (opToken?.kind === "number" && opToken.signed) {
        i++;
        return parseShorthand(signal, opToken.value);
      }
      if (opToken?.kind !== "op") {
        throw new RuleError(
          `${quote(`${signal} ${next.text}`)} needs a comparison and a number, e.g. “${signal} change >= 3”.`,
        );
      }
      i++;
      const value = expectNumber(`${signal} change ${opToken.text}`, `${signal} change ${opToken.text} 3`);
      const unit = parseUnit();
      if (percent && unit !== "" && unit !== "%") {
        throw new RuleError(
          `“change%” is a percent change, so ${quote(unit)} doesn't fit: try “${signal} change% >= 10”.`,
        );
      }
      return percent || unit === "%"
        ? { type: "change-percent", signal, op: opToken.op, value }
        : { type: "change", signal, op: opToken.op, value, unit };
    }

    if (next?.kind === "word" && REACH_WORDS.has(next.lower)) {
      i++;
      if (peekWord() === "the" || peekWord() === "its") i++;
      const target = peekWord();
      if (target !== "target" && target !== "targets") {
        throw new RuleError(
          `Write ${quote(`${signal} reaches target`)}: the target number comes from the signal itself.`,
        );
      }
      i++;
      return { type: "target", signal };
    }

    if (next?.kind === "number" && next.signed) {
      i++;
      return parseShorthand(signal, next.value);
    }

    const shown = next?.kind === "number" ? `${signal} ${next.text}` : signal;
    throw new RuleError(
      `${quote(shown)} needs a comparison, e.g. “${signal} >= 80”, “${signal} change >= 3” or “${signal} reaches target”.`,
    );
  };

  const alternatives: CheckpointClause[][] = [[]];
  for (;;) {
    const clause = parseClause();
    alternatives[alternatives.length - 1]?.push(clause);
    const next = peek();
    if (next === undefined) break;
    if (next.kind !== "join") {
      throw new RuleError(
        `After ${quote(describeClause(clause))} put “and” or “or” before ${quote(next.text)}, e.g. ${EXAMPLE}`,
      );
    }
    i++;
    if (peek() === undefined)
      throw new RuleError(`Something is missing after “${next.join}”. Try ${EXAMPLE}`);
    if (next.join === "or") alternatives.push([]);
  }
  return { alternatives };
}

/** Parses a checkpoint rule; errors are written for someone typing in a Slack modal. */
export function parseCheckpointRule(text: string): ParseResult {
  const body = stripFrame(text);
  if (body === "") return { ok: false, error: `Write a rule the review can check, e.g. ${EXAMPLE}` };
  if (/^(?:stop|kill|change)\s+(?:if|when)\b/i.test(body)) {
    return {
      ok: false,
      error: `Write when to continue (anything else means change or stop), e.g. ${EXAMPLE}`,
    };
  }
  try {
    return { ok: true, rule: parseTokens(tokenize(body)) };
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, error: e.message };
    throw e;
  }
}

/** The signals a rule mentions, in the one-pager's order. */
export function signalsInRule(rule: CheckpointRule): SignalKind[] {
  const mentioned = new Set(rule.alternatives.flat().map((c) => c.signal));
  return SIGNAL_KINDS.filter((k) => mentioned.has(k));
}

// ───────────────────────────── rendering ─────────────────────────────

const PRETTY: Record<Comparison, string> = { ">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=" };
const NEGATED: Record<Comparison, string> = { ">=": "<", ">": "≤", "<=": ">", "<": "≥", "=": "≠" };

const exact = (n: number) => (n > 0 ? `+${n}` : String(n));

function describeClause(c: CheckpointClause): string {
  switch (c.type) {
    case "reading":
      return `${c.signal} ${PRETTY[c.op]} ${withUnit(String(c.value), c.unit)}`;
    case "change":
      return `${c.signal} change ${PRETTY[c.op]} ${withUnit(exact(c.value), c.unit)}`;
    case "change-percent":
      return `${c.signal} change ${PRETTY[c.op]} ${exact(c.value)}%`;
    case "target":
      return `${c.signal} reaches target`;
  }
}

/** The canonical rendering; it parses back to the same rule. */
export function describeRule(rule: CheckpointRule): string {
  return `continue if ${rule.alternatives.map((group) => group.map(describeClause).join(" and ")).join(" or ")}`;
}

// ───────────────────────────── evaluation ─────────────────────────────

// Readings are typed by hand and deltas are float subtractions (0.3 − 0.1 ≠ 0.2), so "equal" means close.
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function holds(a: number, op: Comparison, b: number): boolean {
  switch (op) {
    case ">=":
      return a > b || close(a, b);
    case ">":
      return a > b && !close(a, b);
    case "<=":
      return a < b || close(a, b);
    case "<":
      return a < b && !close(a, b);
    case "=":
      return close(a, b);
  }
}

/** Review lines write the minus as the rule was typed ("≤ -25"). */
const num = (n: number) => formatNumber(n);
const signed = (n: number) => {
  const text = num(n);
  return text !== "0" && !text.startsWith("-") ? `+${text}` : text;
};

type ClauseOutcome = { truth: CheckpointResult; line: string };

const mark = (ok: boolean) => (ok ? "✓" : "✗");
const compared = (ok: boolean, op: Comparison) => (ok ? PRETTY[op] : NEGATED[op]);

function evaluateClause(
  c: CheckpointClause,
  spec: SignalSpec | undefined,
  reading: number | undefined,
): ClauseOutcome {
  const s = c.signal;
  if (reading === undefined || !Number.isFinite(reading))
    return { truth: "unknown", line: `? ${s}: no reading` };
  if (c.type === "reading") {
    const unit = c.unit || spec?.unit || "";
    const ok = holds(reading, c.op, c.value);
    const line = `${mark(ok)} ${s} ${withUnit(num(reading), unit)} ${compared(ok, c.op)} ${withUnit(num(c.value), unit)}`;
    return { truth: ok ? "pass" : "fail", line };
  }
  if (spec === undefined) {
    return {
      truth: "unknown",
      line: `? ${s}: there is no ${s} signal, so no baseline or target to compare with`,
    };
  }
  const from = `(baseline ${withUnit(num(spec.baseline), spec.unit)} → ${withUnit(num(reading), spec.unit)})`;
  switch (c.type) {
    case "change": {
      // A change in a percentage is in points; writing "+3%" there would read as a relative change.
      const unit = c.unit || (spec.unit === "%" ? "pts" : spec.unit);
      const delta = reading - spec.baseline;
      const ok = holds(delta, c.op, c.value);
      const line = `${mark(ok)} ${s} change ${withUnit(signed(delta), unit)} ${compared(ok, c.op)} ${withUnit(num(c.value), unit)} ${from}`;
      return { truth: ok ? "pass" : "fail", line };
    }
    case "change-percent": {
      if (spec.baseline === 0) {
        return {
          truth: "unknown",
          line: `? ${s} change: the baseline is 0, so a percent change can't be computed; compare the change itself`,
        };
      }
      // Divide by |baseline| so a rise reads as positive even for negative baselines.
      const pct = ((reading - spec.baseline) / Math.abs(spec.baseline)) * 100;
      const ok = holds(pct, c.op, c.value);
      const line = `${mark(ok)} ${s} change ${signed(pct)}% ${compared(ok, c.op)} ${num(c.value)}% ${from}`;
      return { truth: ok ? "pass" : "fail", line };
    }
    case "target": {
      if (close(spec.target, spec.baseline)) {
        return {
          truth: "unknown",
          line: `? ${s}: its target equals its baseline, so there is no direction to reach`,
        };
      }
      const lowerIsBetter = spec.target < spec.baseline;
      const ok = holds(reading, lowerIsBetter ? "<=" : ">=", spec.target);
      const how = lowerIsBetter ? `(lower is better; ${from.slice(1)}` : from;
      const line = `${mark(ok)} ${s} ${ok ? "reached" : "short of"} target ${withUnit(num(spec.target), spec.unit)} ${how}`;
      return { truth: ok ? "pass" : "fail", line };
    }
  }
}

/** Three-valued: a false clause sinks its group even when others are unknown. */
function allOf(truths: CheckpointResult[]): CheckpointResult {
  if (truths.includes("fail")) return "fail";
  return truths.includes("unknown") ? "unknown" : "pass";
}

/** Three-valued: one passing group is enough even when others are unknown. */
function anyOf(truths: CheckpointResult[]): CheckpointResult {
  if (truths.includes("pass")) return "pass";
  return truths.includes("unknown") ? "unknown" : "fail";
}

/**
 * Evaluates a rule against one review's readings. `unknown` means a reading (or a baseline) needed to
 * decide is missing; `lines` explain every clause, with "— or —" between alternatives.
 */
export function evaluateCheckpoint(
  rule: CheckpointRule,
  signals: readonly SignalSpec[],
  readings: Partial<Record<SignalKind, number>>,
): CheckpointEvaluation {
  const lines: string[] = [];
  const groupTruths = rule.alternatives.map((group, index) => {
    if (index > 0) lines.push("— or —");
    const outcomes = group.map((c) =>
      evaluateClause(
        c,
        signals.find((s) => s.kind === c.signal),
        readings[c.signal],
      ),
    );
    lines.push(...outcomes.map((o) => o.line));
    return allOf(outcomes.map((o) => o.truth));
  });
  return { result: anyOf(groupTruths), lines };
}
