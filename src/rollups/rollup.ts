import { TEAM_SUBJECT } from "../alarms/alarm.js";
import type { OverdueCoe } from "../incidents/coe-depth.js";
import type { LoopMetrics } from "../incidents/metrics.js";
import type { DecisionKind, MechanismStatus } from "../mechanisms/mechanism.js";
/**
 * The weekly rollup's data and pure rules. The repository assembles one `RollupData` per team and
 * week window; sections (sections.ts) turn it into blocks without any I/O, so each can be tested
 * with a plain object.
 */
import { firstSlotOnOrAfter, isoWeekKey, type LocalSlot, slotsBetween } from "../scheduler/schedule.js";

/** The team fields a rollup needs; read by the rollup repository, not through the team service. */
export interface RollupTeam {
  id: string;
  slackTeamId: string;
  name: string;
  channelId: string;
  timezone: string;
  rollupWeekday: number;
  rollupTime: string;
  /** no rollup for a week whose slot passed before the team existed */
  createdAt?: Date;
}

/** What the rollup would say now, and where and when it posts: `/ratchet rollup`'s private preview. */
export interface RollupPreview {
  data: RollupData;
  /** whether the posted rollup would have an outcome chart in its thread */
  hasChart: boolean;
  team: Pick<RollupTeam, "channelId" | "rollupWeekday" | "rollupTime" | "timezone">;
}

interface RollupReading {
  value: number;
  recordedAt: Date;
}

export interface RollupOutcome {
  name: string;
  unit: string;
  baseline: number;
  target: number;
  /** the newest reading inside the window, if any */
  latest: RollupReading | null;
  /** the reading just before `latest` (any time); null means compare against the baseline */
  previous: RollupReading | null;
}

export interface RollupMechanism {
  id: string;
  title: string;
  status: MechanismStatus;
  /** when it was stopped or graduated */
  stoppedAt: Date | null;
  outcome: RollupOutcome | null;
}

interface RollupDecision {
  mechanismId: string;
  mechanismTitle: string;
  decision: DecisionKind;
  entry: string;
  changeDetail: string;
  decidedAt: Date;
}

interface RollupDeviation {
  area: string;
  deviation: string;
  outcome: string;
  verdict: "promote" | "retire";
  decidedAt: Date;
}

/** One open condition: an alarm kind on one subject, as its one message shows it. */
export interface RollupAlarm {
  kind: string;
  subjectKey: string;
  /** "Team", or the mechanism's title */
  subjectLabel: string;
  /** the latest evidence */
  evidence: string;
  /** when the condition was first raised (its oldest row still open) */
  raisedAt: Date;
  /** how many cycles it has been open, as its message says (1 for a new one) */
  cycles: number;
}

/** An alarm's subject without a title to show: the team, or a mechanism since deleted. */
export const subjectFallback = (key: string) => (key === TEAM_SUBJECT ? "Team" : "a removed mechanism");

/** An alarm row as the rollup reads it: open or acknowledged (snoozed ones are deliberately quiet). */
export interface OpenAlarmRow {
  kind: string;
  subjectKey: string;
  evidence: string;
  raisedAt: Date;
  /** the cycle it was raised in */
  cycleIndex: number;
  /** the last cycle it was seen holding in */
  lastCycle: number;
}

/**
 * One entry per open condition (kind and subject). A condition is one row carried from cycle to
 * cycle; rows raised once per cycle before issue 11 (until an evaluation merges them) still count
 * as one condition, from the oldest row's cycle to the newest one's. Oldest condition first; the
 * evidence is the newest row's. The count is the one the alarm's message and `/ratchet alarms` show.
 */
export function openConditions(
  rows: readonly OpenAlarmRow[],
  label: (subjectKey: string) => string,
): RollupAlarm[] {
  const conditions = new Map<string, { first: OpenAlarmRow; latest: OpenAlarmRow; to: number }>();
  for (const row of rows) {
    const key = `${row.kind} ${row.subjectKey}`;
    const c = conditions.get(key);
    if (!c) {
      conditions.set(key, { first: row, latest: row, to: Math.max(row.lastCycle, row.cycleIndex) });
      continue;
    }
    if (row.raisedAt < c.first.raisedAt) c.first = row;
    if (row.cycleIndex > c.latest.cycleIndex) c.latest = row;
    c.to = Math.max(c.to, row.lastCycle, row.cycleIndex);
  }
  return [...conditions.values()]
    .sort((a, b) => a.first.raisedAt.getTime() - b.first.raisedAt.getTime())
    .map(({ first, latest, to }) => ({
      kind: latest.kind,
      subjectKey: latest.subjectKey,
      subjectLabel: label(latest.subjectKey),
      evidence: latest.evidence,
      raisedAt: first.raisedAt,
      cycles: Math.max(1, to - first.cycleIndex + 1),
    }));
}

interface RollupMissedReview {
  mechanismTitle: string;
  dueAt: Date;
  status: "missed" | "unanswered";
}

/** An incident action item still open; `overdue` when its due date is before the window's last local day. */
export interface RollupActionItem {
  text: string;
  incidentTitle: string;
  ownerId: string;
  dueDate: string;
  overdue: boolean;
}

/** Everything one team's rollup can say about one week. */
export interface RollupData {
  team: RollupTeam;
  /** [from, to): the 7 days before the rollup instant */
  window: { from: Date; to: Date };
  /** active mechanisms plus those stopped inside the window */
  mechanisms: RollupMechanism[];
  /** decisions taken inside the window, oldest first */
  decisions: RollupDecision[];
  /** deviations decided (promoted or retired) inside the window */
  deviations: RollupDeviation[];
  /** alarms open now */
  openAlarms: RollupAlarm[];
  /** reviews due inside the window that were missed or went unanswered */
  missedReviews: RollupMissedReview[];
  /** open incident action items (for an incidents section; see ROLLUP_SECTIONS) */
  openActionItems: RollupActionItem[];
  /** the team's COE learning-loop metrics over 90 days, when an incidents feature supplies them */
  loopMetrics: LoopMetrics | null;
  /** full COEs past a deadline now (not started in 24 h, or not complete in the deep-dive window) */
  overdueCoes: OverdueCoe[];
}

export interface OutcomeMove {
  mechanism: RollupMechanism;
  outcome: RollupOutcome;
  from: number;
  /** true when `from` is the baseline because there was no earlier reading */
  fromBaseline: boolean;
  to: number;
}

/**
 * Did the mechanism's outcome get closer to its target this week? Compares the newest reading in
 * the window with the reading before it (or the baseline when it is the first).
 */
export function outcomeMove(m: RollupMechanism): OutcomeMove | null {
  const o = m.outcome;
  if (!o?.latest) return null;
  const from = o.previous?.value ?? o.baseline;
  const to = o.latest.value;
  if (Math.abs(o.target - to) >= Math.abs(o.target - from)) return null;
  return { mechanism: m, outcome: o, from, to, fromBaseline: o.previous === null };
}

const WEEK_MS = 7 * 86_400_000;

/**
 * The rollup occurrence that is due at `now`: the latest local rollup slot at or before `now`, if
 * it falls in the same local ISO week as `now`. Older weeks are never caught up (null).
 * The window is the local week before the slot (previous slot → slot), DST-exact.
 */
export function dueRollup(
  team: Pick<RollupTeam, "timezone" | "rollupWeekday" | "rollupTime" | "createdAt">,
  now: Date,
): { at: Date; week: string; window: { from: Date; to: Date } } | null {
  const slot: LocalSlot = { tz: team.timezone, weekday: team.rollupWeekday, time: team.rollupTime };
  // Two weeks back always holds the last two slots, whatever DST did to them.
  const slots = slotsBetween(
    { ...slot, cadenceWeeks: 1, anchor: now },
    new Date(now.getTime() - 2 * WEEK_MS - 3_600_000),
    now,
  );
  const at = slots.at(-1);
  if (!at) return null;
  const week = isoWeekKey(now, team.timezone);
  if (isoWeekKey(at, team.timezone) !== week) return null;
  // A team set up after this week's slot has nothing to roll up yet; its first rollup is next week's.
  if (team.createdAt && at < team.createdAt) return null;
  const from = slots.at(-2) ?? new Date(at.getTime() - WEEK_MS);
  return { at, week, window: { from, to: at } };
}

/** When the rollup job next needs to look at a team: its next local rollup slot. */
export function nextRollupLook(
  team: Pick<RollupTeam, "timezone" | "rollupWeekday" | "rollupTime">,
  now: Date,
): Date {
  const slot: LocalSlot = { tz: team.timezone, weekday: team.rollupWeekday, time: team.rollupTime };
  return firstSlotOnOrAfter(slot, new Date(now.getTime() + 1));
}

/** How far back the chart looks. */
export const CHART_WEEKS = 6;

/**
 * The team's rollup slot that falls in the UTC ISO week of `now` (past or future), for the
 * workspace rollup, which is kept per UTC week because teams live in different zones.
 */
export function slotInUtcWeek(
  team: Pick<RollupTeam, "timezone" | "rollupWeekday" | "rollupTime">,
  now: Date,
): { at: Date; window: { from: Date; to: Date } } | null {
  const slot: LocalSlot = { tz: team.timezone, weekday: team.rollupWeekday, time: team.rollupTime };
  const slots = slotsBetween(
    { ...slot, cadenceWeeks: 1, anchor: now },
    new Date(now.getTime() - 3 * WEEK_MS),
    new Date(now.getTime() + 2 * WEEK_MS),
  );
  const week = isoWeekKey(now, "UTC");
  const i = slots.findIndex((s) => isoWeekKey(s, "UTC") === week);
  const at = slots[i];
  if (!at) return null;
  return { at, window: { from: slots[i - 1] ?? new Date(at.getTime() - WEEK_MS), to: at } };
}
