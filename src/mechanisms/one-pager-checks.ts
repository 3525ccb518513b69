/**
 * Quality checks for a mechanism's one-pager (Appendix D of the playbook): the inline errors shown on
 * the modal before saving, and the Definition of Done checklist shown on a saved mechanism.
 */

import type { SignalKind, SignalSpec } from "./checkpoint-rule.js";
import { readCheckpointRule, SIGNAL_KINDS } from "./checkpoint-rule.js";
import { isPlaceholder } from "./placeholder.js";
import { sameName } from "./signal-plan.js";

export type SignalDraft = { name: string; baseline: number | null; target: number | null; unit: string };

/** What the mechanism modal holds before it is saved; numbers are null until typed. */
export type MechanismDraft = {
  title: string;
  aim: string;
  aimForWhom: string;
  aimFrom: number | null;
  aimTo: number | null;
  /** yyyy-MM-dd, the team's local date */
  aimBy: string | null;
  statement: string;
  /** each role's slots in the modal, in order; an untouched slot is undefined */
  signals: Partial<Record<SignalKind, readonly (SignalDraft | undefined)[]>>;
  checkpointRule: string;
  guardrail: string;
  stopOwnerId: string | null;
  rollbackPath: string;
  ownerId: string | null;
  cadenceWeeks: 1 | 2;
};

export type SignalPart = "name" | "baseline" | "target";

/**
 * Stable keys for the fields a check can complain about. Plain fields use the draft's property name;
 * signal fields are `<kind>.<part>` for a role's first slot and `<kind>.<slot>.<part>` for the others.
 * The Slack layer maps each key to its block_id.
 */
export const FIELD = {
  aimFrom: "aimFrom",
  aimTo: "aimTo",
  aimBy: "aimBy",
  statement: "statement",
  checkpointRule: "checkpointRule",
  stopOwner: "stopOwner",
  proxyName: "proxy.name",
  proxyBaseline: "proxy.baseline",
  proxyTarget: "proxy.target",
  outcomeName: "outcome.name",
  outcomeBaseline: "outcome.baseline",
  outcomeTarget: "outcome.target",
  leadingName: "leading.name",
  leadingBaseline: "leading.baseline",
  leadingTarget: "leading.target",
} as const;
type FieldKey = (typeof FIELD)[keyof typeof FIELD] | `${SignalKind}.${number}.${SignalPart}`;

export const signalField = (kind: SignalKind, part: SignalPart, slot = 0): FieldKey =>
  slot === 0 ? `${kind}.${part}` : `${kind}.${slot}.${part}`;

export const MECHANISM_NOT_TASK = "Mechanism ≠ task: write the cause — 'We believe X will move Y because Z'";

/** True when the statement names a cause: "because" followed by at least one word that isn't filler. */
export function hasBecause(statement: string): boolean {
  const m = /\bbecause\b/i.exec(statement);
  if (!m) return false;
  const cause = statement
    .slice(m.index + m[0].length)
    .replace(/[\s.,:;!?…]+$/u, "")
    .trim();
  return !isPlaceholder(cause);
}

const isNumber = (n: number | null | undefined): n is number => typeof n === "number" && Number.isFinite(n);
const isBlank = (s: string | null | undefined) => s == null || s.trim() === "";

function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  // Round-tripping rejects dates like 2025-02-30 that Date would silently roll over.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A signal the team started to fill in; an untouched optional (leading) signal is simply absent. */
function isStarted(s: SignalDraft | undefined): s is SignalDraft {
  return s !== undefined && (!isBlank(s.name) || s.baseline !== null || s.target !== null);
}

const NAME_HINT: Record<SignalKind, string> = {
  proxy: "Name the proxy: the number that should move first, e.g. % doing Action X in 24h.",
  outcome: "Name the outcome: the user behaviour that must move, e.g. 14-day activation.",
  leading: "Name the leading signal, or clear its numbers.",
};

function checkSignal(
  kind: SignalKind,
  s: SignalDraft | undefined,
  errors: Record<string, string>,
  slot = 0,
): void {
  const field = (part: SignalPart) => signalField(kind, part, slot);
  if (s === undefined || isBlank(s.name)) errors[field("name")] = NAME_HINT[kind];
  const baselineOk = isNumber(s?.baseline);
  if (!baselineOk) errors[field("baseline")] = `Enter the ${kind}'s baseline: where it is today.`;
  if (!isNumber(s?.target)) {
    errors[field("target")] = `Enter the ${kind}'s target: where you expect it to get.`;
  } else if (baselineOk && s?.target === s?.baseline) {
    errors[field("target")] = `The ${kind}'s target equals its baseline: what change do you expect?`;
  }
}

/** The slots a team filled in, with where they are in the modal. */
function startedSignals(draft: MechanismDraft) {
  return SIGNAL_KINDS.flatMap((kind) =>
    (draft.signals[kind] ?? []).flatMap((s, slot) => (isStarted(s) ? [{ kind, slot, ...s }] : [])),
  );
}

/**
 * The inline checks shown on the mechanism modal before saving, keyed by FIELD. Empty means it may be
 * saved. `today` is the team's local date (yyyy-MM-dd).
 */
export function checkMechanismDraft(draft: MechanismDraft, today: string): Record<string, string> {
  const errors: Record<string, string> = {};

  if (!hasBecause(draft.statement)) errors[FIELD.statement] = MECHANISM_NOT_TASK;

  if (!isNumber(draft.aimFrom))
    errors[FIELD.aimFrom] = "Where is it now? Enter the starting number, e.g. 27.";
  if (!isNumber(draft.aimTo)) errors[FIELD.aimTo] = "Where should it get to? Enter the number, e.g. 35.";
  else if (draft.aimFrom === draft.aimTo) {
    errors[FIELD.aimTo] = "From and to are the same: name the change you want, e.g. 27 → 35.";
  }

  if (draft.aimBy === null || isBlank(draft.aimBy))
    errors[FIELD.aimBy] = "Pick the date the aim should be reached by.";
  else if (!isLocalDate(draft.aimBy)) errors[FIELD.aimBy] = "Use a date like 2025-07-14.";
  // Same-width ISO dates compare correctly as strings.
  else if (draft.aimBy <= today) errors[FIELD.aimBy] = "Pick a date after today: the aim needs a horizon.";

  const started = startedSignals(draft);
  // A proxy and an outcome are required (the first slot is asked for); leading is optional, and so is
  // every further slot, but a half-filled one can't be saved: a signal needs both numbers.
  for (const kind of ["proxy", "outcome"] as const) {
    if (!started.some((s) => s.kind === kind)) checkSignal(kind, undefined, errors);
  }
  for (const s of started) checkSignal(s.kind, s, errors, s.slot);
  // Rules name signals, so two with one name (case aside) would make a rule ambiguous.
  started.forEach((s, i) => {
    if (isBlank(s.name) || !started.slice(0, i).some((o) => sameName(o.name, s.name))) return;
    errors[signalField(s.kind, "name", s.slot)] =
      `Another signal is already called “${s.name.trim().slice(0, 40)}”: give each its own name.`;
  });

  if (isBlank(draft.stopOwnerId)) errors[FIELD.stopOwner] = "Pick who can say stop when the guardrail trips.";

  // A started signal counts for its role even before it has a name (its name gets its own error).
  const named = started.map((s) => ({ kind: s.kind, name: s.name.trim() }));
  const rule = readCheckpointRule(draft.checkpointRule, named);
  if (!rule.ok) errors[FIELD.checkpointRule] = rule.error;

  return errors;
}

/** A saved mechanism, as much of it as the Definition of Done looks at. */
export type MechanismForDone = {
  aim: string;
  statement: string;
  signals: readonly SignalSpec[];
  checkpointRule: string;
  guardrail: string;
  stopOwnerId: string | null;
  rollbackPath: string;
  ownerId: string | null;
  nextReviewAt: Date | null;
  /**
   * Decisions logged so far. Deliberately not part of "stubbed": the stub must exist before work
   * starts, when there are no decisions yet.
   */
  decisionCount: number;
};

export const DOD_ITEM = {
  behaviour: "User behaviour to verify is stated",
  guardrail: "Guardrail SLI/SLO attached, with someone who can say stop",
  rollback: "Rollback/kill path written",
  review: "Owner + date for the 15-minute review set",
  decisionLog: "Decision log entry stubbed (aim, mechanism, signals, checkpoint)",
} as const;

export type DoneItem = { item: string; done: boolean };

/** The playbook's Definition of Done checklist, in its order. */
export function definitionOfDone(m: MechanismForDone): DoneItem[] {
  const has = (kind: SignalKind) => m.signals.some((s) => s.kind === kind && !isPlaceholder(s.name));
  const signalsPresent = has("proxy") && has("outcome");
  return [
    // The outcome signal is how the behaviour gets verified, so the aim alone is not enough.
    { item: DOD_ITEM.behaviour, done: !isPlaceholder(m.aim) && has("outcome") },
    // Thrash alarm: "guardrails exist on paper but no one can say stop".
    { item: DOD_ITEM.guardrail, done: !isPlaceholder(m.guardrail) && !isBlank(m.stopOwnerId) },
    // "TBD" is no way back (one rule, placeholder.ts). Who runs it if it works is another field
    // (opsPath), which the no_ops_path alarm reads.
    { item: DOD_ITEM.rollback, done: !isPlaceholder(m.rollbackPath) },
    { item: DOD_ITEM.review, done: !isBlank(m.ownerId) && m.nextReviewAt !== null },
    {
      item: DOD_ITEM.decisionLog,
      done:
        !isPlaceholder(m.aim) &&
        hasBecause(m.statement) &&
        signalsPresent &&
        readCheckpointRule(m.checkpointRule, m.signals).ok,
    },
  ];
}

/** The Definition of Done items still open. */
export function missingItems(m: MechanismForDone): string[] {
  return definitionOfDone(m)
    .filter((d) => !d.done)
    .map((d) => d.item);
}
