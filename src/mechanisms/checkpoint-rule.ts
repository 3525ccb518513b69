import { formatNumber } from "../shared/number-format.js";
import { clipText, firstChar, withUnit } from "../shared/text.js";
/**
 * The checkpoint rule a team writes on its one-pager ("continue if proxy >= 80 and outcome change >= 3"),
 * parsed into a small tree and evaluated against the readings taken at a 15-minute review.
 *
 * The language is deliberately tiny and forgiving: people type it into a Slack modal, so the parser
 * accepts common spellings (≥, =>, &&, "delta", "+3 pts", "; else stop", the seeds' "p95 −25%") and
 * every error says what was wrong and shows a rule that works. A clause names its signal by role
 * (proxy, outcome, leading: when the mechanism has one signal in that role) or by the signal's name
 * ("activation >= 30"; a whole word of a longer name is enough when only one name has it).
 */

export const SIGNAL_KINDS = ["proxy", "outcome", "leading"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** One of a mechanism's feedback signals, as saved. */
export type SignalSpec = { kind: SignalKind; name: string; baseline: number; target: number; unit: string };
/** What a clause's signal is looked up by. */
type NamedSignal = { kind: SignalKind; name: string };
/** A saved signal the evaluator reads readings of (readings are keyed by signal id). */
export type RuleSignal = SignalSpec & { id: string };

type Comparison = ">=" | ">" | "<=" | "<" | "=";

/** `signal` is the signal as the rule names it, lower-cased: a role ("outcome") or a name ("p95"). */
type CheckpointClause =
  /** the reading itself, e.g. proxy >= 80 */
  | { type: "reading"; signal: string; op: Comparison; value: number; unit: string }
  /** reading − baseline, e.g. outcome change >= 3 */
  | { type: "change"; signal: string; op: Comparison; value: number; unit: string }
  /** (reading − baseline) / |baseline| in percent, e.g. proxy change >= 10% */
  | { type: "change-percent"; signal: string; op: Comparison; value: number }
  /** moved from baseline to at least the target, in the target's direction */
  | { type: "target"; signal: string };

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
  /** one of the mechanism's signal names, matched whole ("14-day activation", "p95/p99") */
  | { kind: "name"; text: string; lower: string }
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

const isRole = (word: string): word is SignalKind => (SIGNAL_KINDS as readonly string[]).includes(word);

/** Keeps a user's text short enough that the whole message fits a modal's inline error. */
const quote = (text: string) => `“${clipText(text, 24)}”`;

class RuleError extends Error {}

/** Unicode comparison signs and minus signs arrive from phones and from pasted docs (the seeds use them). */
function normalize(text: string): string {
  return text
    .replace(/[≥⩾]/g, ">=")
    .replace(/[≤⩽]/g, "<=")
    .replace(/[−–‑‒]/g, "-")
    .trim();
}

/** A signal name as the rule compares it: normalized like the rule, lower-cased, single spaces. */
const nameKey = (name: string) => normalize(name).toLowerCase().replace(/\s+/g, " ");

/** Drops the framing people write around the rule: "We will continue if:", "; else change/stop", a final ".". */
function stripFrame(text: string): string {
  return normalize(text)
    .replace(/^(?:we\s+will\s+|we'll\s+)?continue\s+(?:if|when)\b\s*:?/i, "")
    .replace(/[;,]?\s*\b(?:else|otherwise)\b[\s\S]*$/i, "")
    .replace(/[\s.!?;:,]+$/u, "")
    .trim();
}

/** The longest of `names` written at `at` (case aside) and not running on into a longer word. */
function nameAt(text: string, at: number, names: readonly string[]): string | undefined {
  const rest = text.slice(at).toLowerCase();
  return names.find((n) => rest.startsWith(n) && !/^[a-z0-9_]/i.test(rest.slice(n.length)));
}

function tokenize(text: string, names: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    at += (/^\s*/.exec(text.slice(at))?.[0] ?? "").length;
    const name = nameAt(text, at, names);
    if (name !== undefined) {
      const written = text.slice(at, at + name.length);
      tokens.push({ kind: "name", text: written, lower: name });
      at += name.length;
      continue;
    }
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
  const parseShorthand = (signal: string, value: number): CheckpointClause => {
    const op: Comparison = value < 0 ? "<=" : ">=";
    const unit = parseUnit();
    return unit === "%"
      ? { type: "change-percent", signal, op, value }
      : { type: "change", signal, op, value, unit };
  };

  // The signal a clause is about: a known name, or the words up to the comparison ("reply rate").
  const parseSubject = (): string => {
    const first = peek();
    if (first === undefined)
      throw new RuleError(`Something is missing at the end of the rule. Try ${EXAMPLE}`);
    if (first.kind === "name") {
      i++;
      return first.lower;
    }
    if (first.kind !== "word" || CHANGE_WORDS.has(first.lower) || REACH_WORDS.has(first.lower)) {
      throw new RuleError(
        `${quote(first.text)} isn't a signal: name one, or its role (proxy, outcome, leading), e.g. ${EXAMPLE}`,
      );
    }
    const words: string[] = [];
    for (let t = peek(); t?.kind === "word"; t = peek()) {
      if (CHANGE_WORDS.has(t.lower) || REACH_WORDS.has(t.lower)) break;
      // A role word starts the next clause ("proxy >= 80 outcome >= 3"), it doesn't end this one's name.
      if (words.length > 0 && isRole(t.lower)) break;
      words.push(t.lower);
      i++;
      if (isRole(t.lower)) break;
    }
    return words.join(" ");
  };

  const parseClause = (): CheckpointClause => {
    const signal = parseSubject();
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

/**
 * Parses a checkpoint rule; errors are written for someone typing in a Slack modal. `signals` are the
 * mechanism's: their names are recognised whole, even with spaces or signs in them ("14-day activation").
 * Whether each clause's signal exists is `readCheckpointRule`'s question.
 */
export function parseCheckpointRule(text: string, signals: readonly NamedSignal[] = []): ParseResult {
  const body = stripFrame(text);
  if (body === "") return { ok: false, error: `Write a rule the review can check, e.g. ${EXAMPLE}` };
  if (/^(?:stop|kill|change)\s+(?:if|when)\b/i.test(body)) {
    return {
      ok: false,
      error: `Write when to continue (anything else means change or stop), e.g. ${EXAMPLE}`,
    };
  }
  const names = [...new Set(signals.map((s) => nameKey(s.name)).filter((n) => n !== ""))].sort(
    (a, b) => b.length - a.length,
  );
  try {
    return { ok: true, rule: parseTokens(tokenize(body, names)) };
  } catch (e) {
    if (e instanceof RuleError) return { ok: false, error: e.message };
    throw e;
  }
}

type Resolved<S> = { ok: true; signal: S } | { ok: false; error: string };

const listed = (signals: readonly NamedSignal[]) =>
  clipText(signals.map((s) => `“${s.name}”`).join(", "), 60);

/**
 * The signal a clause means: its exact name; else its role when the mechanism has one signal in that
 * role; else the one signal whose name has these whole words ("activation" → "14-day activation").
 */
export function resolveSignal<S extends NamedSignal>(ref: string, signals: readonly S[]): Resolved<S> {
  const key = nameKey(ref);
  const exact = signals.find((s) => nameKey(s.name) === key);
  if (exact) return { ok: true, signal: exact };
  if (isRole(key)) {
    const inRole = signals.filter((s) => s.kind === key);
    const [only] = inRole;
    if (inRole.length === 1 && only) return { ok: true, signal: only };
    if (inRole.length === 0) {
      return { ok: false, error: `the rule mentions ${key}, but there is no ${key} signal` };
    }
    return {
      ok: false,
      error: `there are ${inRole.length} ${key} signals: name the one you mean (${listed(inRole)})`,
    };
  }
  const words = new RegExp(`(?:^|[^a-z0-9_])${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:$|[^a-z0-9_])`);
  const partial = signals.filter((s) => words.test(nameKey(s.name)));
  const [one] = partial;
  if (partial.length === 1 && one) return { ok: true, signal: one };
  if (partial.length > 1) {
    return { ok: false, error: `${quote(ref)} could be ${listed(partial)}: write the whole name` };
  }
  const choices = signals.length > 0 ? `${listed(signals)} or ` : "";
  return {
    ok: false,
    error: `${quote(ref)} isn't one of this mechanism's signals: use ${choices}a role (proxy, outcome, leading)`,
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Parses a rule and checks every signal it names is one of `signals`, unambiguously: what the
 * mechanism modal accepts. Errors fit a modal's inline error.
 */
export function readCheckpointRule(text: string, signals: readonly NamedSignal[]): ParseResult {
  const parsed = parseCheckpointRule(text, signals);
  if (!parsed.ok) return parsed;
  for (const clause of parsed.rule.alternatives.flat()) {
    const found = resolveSignal(clause.signal, signals);
    if (!found.ok) {
      const hint = /^the rule mentions \w+, but there is no/.test(found.error)
        ? ": add it or change the rule."
        : ".";
      return { ok: false, error: clipText(`${capitalized(found.error)}${hint}`, 150) };
    }
  }
  return parsed;
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
  signals: readonly RuleSignal[],
  readings: Readonly<Partial<Record<string, number>>>,
): ClauseOutcome {
  const s = c.signal;
  const found = resolveSignal(s, signals);
  if (!found.ok) return { truth: "unknown", line: `? ${s}: ${found.error}` };
  const spec = found.signal;
  const reading = readings[spec.id];
  if (reading === undefined || !Number.isFinite(reading))
    return { truth: "unknown", line: `? ${s}: no reading` };
  if (c.type === "reading") {
    const unit = c.unit || spec.unit;
    const ok = holds(reading, c.op, c.value);
    const line = `${mark(ok)} ${s} ${withUnit(num(reading), unit)} ${compared(ok, c.op)} ${withUnit(num(c.value), unit)}`;
    return { truth: ok ? "pass" : "fail", line };
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
 * Evaluates a rule against one review's readings (keyed by signal id). `unknown` means a reading (or a
 * baseline, or the signal itself) needed to decide is missing; `lines` explain every clause, with
 * "— or —" between alternatives.
 */
export function evaluateCheckpoint(
  rule: CheckpointRule,
  signals: readonly RuleSignal[],
  readings: Readonly<Partial<Record<string, number>>>,
): CheckpointEvaluation {
  const lines: string[] = [];
  const groupTruths = rule.alternatives.map((group, index) => {
    if (index > 0) lines.push("— or —");
    const outcomes = group.map((c) => evaluateClause(c, signals, readings));
    lines.push(...outcomes.map((o) => o.line));
    return allOf(outcomes.map((o) => o.truth));
  });
  return { result: anyOf(groupTruths), lines };
}
