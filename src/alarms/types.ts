import type { DecisionKind, MechanismStatus, SignalKind } from "../mechanisms/mechanism.js";
import type { ReviewStatus } from "../reviews/review.js";

/**
 * A cycle is the half-open interval [start, end): `end` is the next cycle's `start`,
 * so an instant belongs to exactly one cycle.
 */
export interface CycleSpan {
  index: number;
  start: Date;
  end: Date;
}

export interface ReadingSnapshot {
  value: number;
  at: Date;
}

export interface SignalSnapshot {
  kind: SignalKind;
  name: string;
  baseline: number;
  target: number;
  /** ascending by `at` */
  readings: readonly ReadingSnapshot[];
}

interface ReviewSnapshot {
  dueAt: Date;
  status: ReviewStatus;
  /** a continue/change/stop decision was recorded for this review */
  decided: boolean;
}

export interface MechanismSnapshot {
  id: string;
  title: string;
  status: MechanismStatus;
  createdAt: Date;
  stoppedAt: Date | null;
  /** "We believe X will move Y because Z" */
  statement: string;
  ownerId: string | null;
  ownerDeactivated: boolean;
  stopOwnerId: string | null;
  stopOwnerDeactivated: boolean;
  /** "" when missing */
  checkpointRule: string;
  /** "" when missing */
  rollbackPath: string;
  /** if it works, who runs it; "" when missing */
  opsPath: string;
  signals: readonly SignalSnapshot[];
  /** the newest few decisions; `checkpoint` is how the gate read on that decision's readings */
  decisions: readonly { decision: DecisionKind; at: Date; checkpoint: "pass" | "fail" | "unknown" }[];
  reviews: readonly ReviewSnapshot[];
  /**
   * The newest breached guardrail reading: which guardrail, the reading against its line ("0.3% vs
   * ≤ 0.1%"), who can say stop, and whether anyone decided (stop now or keep going); absent: none.
   */
  guardrailBreach?: {
    guardrail: string;
    reading: string;
    at: Date;
    stopOwnerId: string | null;
    decided: boolean;
  } | null;
  /**
   * The current guardrails and each one's own stop owner (null: the mechanism's stop owner says stop);
   * absent or empty: only the mechanism's stop owner is known (data from before guardrails were stored).
   */
  guardrails?: readonly { name: string; stopOwnerId: string | null; stopOwnerDeactivated?: boolean }[];
}

export interface FloorCounts {
  standing: number;
  guardrails: number;
}

/** Everything the alarm rules look at, built by the service layer from the database. */
export interface TeamSnapshot {
  now: Date;
  /** index of the cycle containing `now` */
  currentCycle: number;
  /** at least the current cycle and the two before it; rules that need a missing cycle stay silent */
  cycles: readonly CycleSpan[];
  /** when the team was set up: evidence never reaches before it (its first partial cycle doesn't count) */
  teamCreatedAt: Date;
  mechanisms: readonly MechanismSnapshot[];
  deviations: readonly { id: string; cycleIndex: number; createdAt: Date }[];
  /**
   * The barbell plan's Floor (src/floor/): how many entries stand (not retired) and how many of those
   * are guardrails; absent: nothing stands on it (or it was not read), and the Floor rule stays silent.
   */
  floor?: FloorCounts;
  /** IANA zone used only to print dates in evidence; defaults to "UTC" */
  timeZone?: string;
}

/** Thrash alarms first, then the pilot-purgatory smells; findings come out in this order. */
export const ALARM_KINDS = [
  "no_deviations",
  "no_kills",
  "floor_without_guardrail",
  "no_slices",
  "too_many_slices",
  "proxy_without_outcome",
  "no_because",
  "status_only_review",
  "continued_against_gate",
  "unstoppable_guardrail",
  "guardrail_breached",
  "owner_unclear",
  "no_checkpoint",
  "demo_replaces_behaviour",
  "stale_pilot",
  "no_ops_path",
] as const;

export type AlarmKind = (typeof ALARM_KINDS)[number];

export const isAlarmKind = (value: string): value is AlarmKind =>
  (ALARM_KINDS as readonly string[]).includes(value);

/** "thrash" = the playbook's thrash alarms; "purgatory" = its pilot-purgatory smells. */
export type AlarmFamily = "thrash" | "purgatory";

export const ALARM_KIND_INFO: Record<AlarmKind, { title: string; family: AlarmFamily }> = {
  no_deviations: { title: "Two cycles without a deviation", family: "thrash" },
  no_kills: { title: "Two cycles without a kill or a graduation", family: "thrash" },
  floor_without_guardrail: { title: "Floor without a guardrail", family: "thrash" },
  no_slices: { title: "Ceiling without a slice", family: "thrash" },
  too_many_slices: { title: "More than three slices", family: "thrash" },
  proxy_without_outcome: { title: "Proxy moving without the outcome", family: "thrash" },
  no_because: { title: "Mechanism without a because", family: "thrash" },
  status_only_review: { title: "Status-only reviews", family: "thrash" },
  continued_against_gate: { title: "Continued against its gate twice", family: "thrash" },
  unstoppable_guardrail: { title: "Nobody can say stop", family: "thrash" },
  guardrail_breached: { title: "Guardrail breached, nobody decided", family: "thrash" },
  owner_unclear: { title: "Owner unclear", family: "purgatory" },
  no_checkpoint: { title: "No graduate-or-kill checkpoint", family: "purgatory" },
  demo_replaces_behaviour: { title: "Demo replaces user behaviour", family: "purgatory" },
  stale_pilot: { title: "Pilot past a cycle without a decision", family: "purgatory" },
  no_ops_path: { title: "No ops path if it works", family: "purgatory" },
};

export interface AlarmFinding {
  kind: AlarmKind;
  /** "team" for team-wide alarms, otherwise the mechanism id */
  subjectKey: string;
  subjectLabel: string;
  /** one or two lines with the numbers and dates, at most 300 characters */
  evidence: string;
  /** one small, bounded move from the playbook */
  suggestion: string;
}
