/**
 * The novelty quota (playbook Appendix B): each cycle, each team logs at least one explicit deviation
 * from a default, reviews it at cycle end, and promotes it to a default or retires it.
 * Pure types and rules: no clock, no I/O.
 */
import { hasBecause } from "../mechanisms/one-pager-checks.js";
import { cycleBounds, cycleIndex } from "../scheduler/schedule.js";
import type { Team } from "../teams/team.js";

export type Verdict = "open" | "promote" | "retire";
export type FinalVerdict = Exclude<Verdict, "open">;

export interface Deviation {
  id: string;
  teamId: string;
  /** the default (reflex) deviated from, e.g. "API framework" */
  area: string;
  deviation: string;
  /** "because …" */
  hypothesis: string;
  benefit: string;
  risk: string;
  cycleIndex: number;
  /** touches security, compliance or user-data handling: needs a named approver */
  sensitive: boolean;
  approverId: string | null;
  ownerId: string;
  outcome: string;
  verdict: Verdict;
  createdAt: Date;
  decidedAt: Date | null;
}

/** What the /ratchet deviate modal yields once read and validated. */
export interface DeviationInput {
  area: string;
  deviation: string;
  hypothesis: string;
  benefit: string;
  risk: string;
  cycleIndex: number;
  sensitive: boolean;
  approverId: string | null;
}

export interface OutcomeInput {
  outcome: string;
  verdict: FinalVerdict;
}

/** The read model other features (weekly rollup, thrash alarms) consume. */
export interface DeviationSummary {
  id: string;
  cycleIndex: number;
  createdAt: Date;
  verdict: Verdict;
  decidedAt: Date | null;
  area: string;
  deviation: string;
  outcome: string;
}

export const toSummary = (d: Deviation): DeviationSummary => ({
  id: d.id,
  cycleIndex: d.cycleIndex,
  createdAt: d.createdAt,
  verdict: d.verdict,
  decidedAt: d.decidedAt,
  area: d.area,
  deviation: d.deviation,
  outcome: d.outcome,
});

export const asVerdict = (v: string): Verdict => (v === "promote" || v === "retire" ? v : "open");

const HYPOTHESIS_NEEDS_BECAUSE =
  "Write the hypothesis as a cause: “because …” — e.g. because Z should cut p95 by 20%.";

/** Reuses the one-pager's rule: a hypothesis names a cause, not just a motion. */
export const hypothesisProblem = (hypothesis: string): string | null =>
  hasBecause(hypothesis) ? null : HYPOTHESIS_NEEDS_BECAUSE;

/**
 * The Appendix B guardrail: no deviations in security, compliance or user-data handling unless
 * pre-approved — by someone other than the person proposing it (approving yourself is no guardrail).
 */
export function guardrailProblem(o: {
  sensitive: boolean;
  approverId: string | null;
  submitterId: string;
}): string | null {
  if (!o.sensitive) return null;
  if (!o.approverId)
    return "Security, compliance and user-data deviations need a named approver: pick who pre-approved it.";
  if (o.approverId === o.submitterId)
    return "You can't pre-approve your own deviation: pick someone else who approved it.";
  return null;
}

export interface Cycle {
  index: number;
  start: Date;
  end: Date;
}

export const cycleAt = (team: Team, instant: Date): Cycle => {
  const index = cycleIndex(team.cycleAnchor, team.cadenceWeeks, team.timezone, instant);
  return cycleOf(team, index);
};

export const cycleOf = (team: Team, index: number): Cycle => ({
  index,
  ...cycleBounds(team.cycleAnchor, team.cadenceWeeks, team.timezone, index),
});

/** The cycles a deviation may be filed under when logged at `now`: this one and the next. */
export function selectableCycles(team: Team, now: Date): { current: Cycle; next: Cycle } {
  const current = cycleAt(team, now);
  return { current, next: cycleOf(team, current.index + 1) };
}

/** Halfway through the cycle, in instants (a DST change inside the cycle moves it by half an hour at most). */
export const midpointOf = (c: Cycle): Date =>
  new Date(c.start.getTime() + (c.end.getTime() - c.start.getTime()) / 2);

/**
 * The mid-cycle quota reminder is due at or after the midpoint of the current cycle. Cycles before
 * the anchor (the team's first review) are not counted: the team was still being set up.
 */
export const midCycleReminderDue = (c: Cycle, now: Date): boolean => c.index >= 0 && now >= midpointOf(c);

/**
 * When the deviation job next needs to look at a team: the cycle's midpoint (the quota reminder) if
 * it is still ahead, else the next cycle's start (the outcome prompts of this cycle's deviations).
 * Nothing else it does can come due in between.
 */
export const nextDeviationLook = (c: Cycle, now: Date): Date =>
  c.index >= 0 && now < midpointOf(c) ? midpointOf(c) : c.end;
