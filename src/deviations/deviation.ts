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

/** What the modal yields: the deviation, and the submitter's word that it only mentions sensitive words. */
export interface DeviationSubmission extends DeviationInput {
  notSensitive: boolean;
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

/**
 * Words that name security, compliance or user-data handling, the areas Appendix B puts off-limits
 * unless pre-approved. Matched as whole words (any case); "access" only in phrases, as it is common.
 */
const SENSITIVE_TERMS: readonly RegExp[] = [
  /\bsecurity\b/i,
  /\bcompliance\b/i,
  /\bauth(?:entication|orization|orisation|n|z)?\b/i,
  /\b(?:sso|oauth|mfa|2fa|saml)\b/i,
  /\btokens?\b/i,
  /\bpasswords?\b/i,
  /\bsecrets?\b/i,
  /\bcredentials?\b/i,
  /\bapi keys?\b/i,
  /\b(?:un)?(?:en|de)?crypt(?:ion|ed|ing)?\b/i,
  /\bpii\b/i,
  /\b(?:gdpr|ccpa|hipaa|soc ?2|pci(?:[- ]dss)?)\b/i,
  /\bretention\b/i,
  /\baccess (?:control|rights|reviews?|polic(?:y|ies)|logs?)\b/i,
  /\bpermissions?\b/i,
  /\bprivileges?\b/i,
  /\b(?:user|personal|customer|patient) data\b/i,
  /\bprivacy\b/i,
  /\bconsent\b/i,
  /\b(?:pseud|an)onymi[sz](?:e|ed|ation)\b/i,
];

/** The sensitive terms the texts name, as written, each once, in order of appearance. */
export function sensitiveMentions(texts: readonly string[]): string[] {
  const found: { at: number; word: string }[] = [];
  const all = texts.join("\n");
  for (const term of SENSITIVE_TERMS) {
    const m = term.exec(all);
    if (m) found.push({ at: m.index, word: m[0] });
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map((f) => f.word)
    .filter((w) => !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
}

/**
 * The guardrail is ticked by the submitter, so it is also read from what they wrote: a deviation whose
 * text names a sensitive area must either be marked sensitive (and approved) or be confirmed as only
 * mentioning it. "Security: skip token rotation for a week" with the box unticked was accepted (issue 11).
 */
export function mentionsProblem(o: {
  sensitive: boolean;
  notSensitive: boolean;
  mentions: readonly string[];
}): string | null {
  if (o.sensitive && o.notSensitive) return "Tick one: it touches these areas, or it only mentions them.";
  if (o.sensitive || o.notSensitive || o.mentions.length === 0) return null;
  const words = o.mentions
    .slice(0, 3)
    .map((w) => `“${w}”`)
    .join(", ");
  return `This mentions ${words}. If it touches security, compliance or user-data handling, tick the first box and name the approver; if not, tick the second.`;
}

/** The texts of a deviation a person wrote, for sensitiveMentions. */
export const deviationTexts = (
  d: Pick<DeviationInput, "area" | "deviation" | "hypothesis" | "benefit" | "risk">,
) => [d.area, d.deviation, d.hypothesis, d.benefit, d.risk];

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
