import type { SignalKind } from "./checkpoint-rule.js";

export { SIGNAL_KINDS, type SignalKind } from "./checkpoint-rule.js";
/** "graduated": proven, and its change became a team default (the playbook's Floor); no more reviews. */
export type MechanismStatus = "active" | "stopped" | "graduated";
export type DecisionKind = "continue" | "change" | "stop" | "graduate";
/** Decisions that end a mechanism's reviews: a kill, or a graduation into the team's defaults. */
/** A stored status as the domain reads it; anything unknown is treated as still running. */
export const toMechanismStatus = (s: string): MechanismStatus =>
  s === "stopped" || s === "graduated" ? s : "active";
const DECISION_KINDS: readonly string[] = ["continue", "change", "stop", "graduate"];
export const isDecisionKind = (v: string | null): v is DecisionKind =>
  v !== null && DECISION_KINDS.includes(v);
export const ENDING_DECISIONS: ReadonlySet<DecisionKind> = new Set(["stop", "graduate"]);

/** How many signals a mechanism may have in one role (the modal's slots per role). */
export const SIGNALS_PER_KIND = 3;

export interface SignalSpec {
  kind: SignalKind;
  /** unique in its mechanism, case aside: checkpoint rules name signals by it */
  name: string;
  baseline: number;
  target: number;
  unit: string;
  /** its place among the mechanism's signals of the same kind (0 first, the default) */
  position?: number;
}

export interface Signal extends SignalSpec {
  id: string;
}

/** A guardrail as stored: the line that, crossed, stops the test; no comparison when none is stated yet. */
export interface GuardrailSpec {
  name: string;
  comparison: "<=" | "<" | ">=" | ">" | null;
  threshold: number | null;
  unit: string;
  /** who can say stop when it trips */
  stopOwnerId: string | null;
}

export interface Guardrail extends GuardrailSpec {
  id: string;
}

/** A signal's slot among the mechanism's signals of its role, as the modals lay them out (0 first). */
export const slotInKind = (signals: readonly Signal[], s: Signal): number =>
  signals.filter((o) => o.kind === s.kind).findIndex((o) => o.id === s.id);

/** What the mechanism modal produces once validated: the one-pager (Appendix D of the playbook). */
/** A change of a reviewed mechanism's rules, logged as a "change" decision beside the edit. */
export interface RuleEdit {
  entry: string;
  changeDetail: string;
  by: string;
}

export interface MechanismInput {
  title: string;
  aim: string;
  aimForWhom: string;
  aimFrom: number;
  aimTo: number;
  aimUnit: string;
  /** local date yyyy-MM-dd */
  aimBy: string;
  statement: string;
  checkpointRule: string;
  guardrail: string;
  stopOwnerId: string | null;
  rollbackPath: string;
  /**
   * If it works, who runs it: an ops owner or the path into normal operations; "" (or absent) when
   * not written. Separate from the rollback path, which says how to undo it if it fails.
   */
  opsPath?: string;
  ownerId: string | null;
  cadenceWeeks: 1 | 2;
  signals: SignalSpec[];
  /** absent: read from `guardrail` and `stopOwnerId` as the modal writes them (one guardrail) */
  guardrails?: GuardrailSpec[];
}

/** A team's bet as stored: the one-pager plus its schedule, its Slack message and its state. */
export interface Mechanism extends Omit<MechanismInput, "signals" | "guardrails"> {
  id: string;
  teamId: string;
  status: MechanismStatus;
  nextReviewAt: Date | null;
  messageChannelId: string | null;
  messageTs: string | null;
  createdBy: string;
  createdAt: Date;
  stoppedAt: Date | null;
  signals: Signal[];
  /** as the repositories read it; absent only in hand-built fixtures */
  guardrails?: Guardrail[];
}

export interface Decision {
  id: string;
  mechanismId: string;
  reviewId: string | null;
  decision: DecisionKind;
  entry: string;
  whatChanged: string;
  whatDidnt: string;
  why: string;
  /** what changes (change), or what becomes the team default (graduate) */
  changeDetail: string;
  checkpoint: "pass" | "fail" | "unknown";
  /** why the team continued although the checkpoint failed; "" otherwise */
  gateReason: string;
  /** "edit": a change of rules logged by editing the one-pager after it was reviewed */
  source: "review" | "command" | "edit";
  decidedBy: string;
  decidedAt: Date;
}

export interface Reading {
  signalId: string;
  kind: SignalKind;
  value: number;
  recordedAt: Date;
}

/** Each signal's newest reading, keyed by signal id. */
export type LatestReadings = Partial<Record<string, Reading>>;
/** What the stop owner said about a breached guardrail reading (issue 11: guardrails are signals). */
export type BreachDecision = "stop" | "continue";

/** A breached guardrail reading with its guardrail and, once someone decided, the decision. */
export interface GuardrailBreach {
  readingId: string;
  mechanismId: string;
  guardrail: Guardrail;
  value: number;
  recordedAt: Date;
  decision: BreachDecision | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** Each guardrail's newest reading, keyed by guardrail id. */
export type LatestGuardrailReadings = Partial<
  Record<string, { value: number; breached: boolean; recordedAt: Date }>
>;
/** One review's readings as typed, keyed by signal id. */
export type ReadingValues = Partial<Record<string, number>>;
