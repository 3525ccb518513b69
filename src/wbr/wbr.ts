/**
 * The weekly business review (issue 12): each team's input metrics (what it controls) and output
 * metrics (what it wants to move), read once a week at the workspace's WBR. Types and pure rules only.
 */
import type { OutcomeSeries } from "../rollups/chart.js";
import { firstSlotOnOrAfter, type LocalSlot, localDateKey, weeksBefore } from "../scheduler/schedule.js";

const METRIC_KINDS = ["input", "output"] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];
const DIRECTIONS = ["up", "down"] as const;
/** Which way is good. */
export type Direction = (typeof DIRECTIONS)[number];

export const asMetricKind = (v: string): MetricKind => (v === "output" ? "output" : "input");
export const asDirection = (v: string): Direction => (v === "down" ? "down" : "up");

export interface MetricInput {
  name: string;
  kind: MetricKind;
  ownerId: string;
  unit: string;
  direction: Direction;
  target: number;
}

export interface WbrMetric extends MetricInput {
  id: string;
  teamId: string;
  /** a mechanism signal whose review readings feed this metric; null: typed in weekly */
  signalId: string | null;
  createdBy: string;
  createdAt: Date;
}

/** A mechanism signal a metric can be linked to. */
export interface LinkableSignal {
  id: string;
  name: string;
  unit: string;
  target: number;
  mechanismTitle: string;
}

export interface WbrSettingsInput {
  channelId: string;
  weekday: number;
  time: string;
  timezone: string;
}

export interface WbrSchedule extends WbrSettingsInput {
  slackTeamId: string;
  dueAt: Date | null;
  updatedBy: string;
  updatedAt: Date;
}

/** How many weeks a metric shows at the WBR. */
export const WEEKS_SHOWN = 6;
/** How long before the WBR its owners are reminded of a missing reading. */
const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;
/**
 * A week-over-week change smaller than this share of last week's value is noise, not movement:
 * without a floor every metric "moves" every week and the flags mean nothing.
 */
const MOVE_SHARE = 0.05;

const slotOf = (s: WbrSettingsInput): LocalSlot => ({
  tz: s.timezone,
  weekday: s.weekday,
  time: s.time,
});

/** The WBR a reading typed at `now` feeds: the next one at or after now. */
export function upcomingWbr(s: WbrSettingsInput, now: Date): Date {
  return firstSlotOnOrAfter(slotOf(s), now);
}

/** A WBR's week key: its local date, "yyyy-MM-dd" in the WBR's zone. */
export const weekKey = (wbrAt: Date, tz: string): string => localDateKey(wbrAt, tz);

/** The `n` WBR instants ending with `wbrAt`, oldest first (the same local time each week, DST-safe). */
export function wbrWeeks(wbrAt: Date, tz: string, n = WEEKS_SHOWN): Date[] {
  return Array.from({ length: n }, (_, i) => weeksBefore(wbrAt, n - 1 - i, tz));
}

/**
 * When the job next needs to look after `now`: the owners' reminder a day before the next WBR, or the
 * WBR itself, whichever comes first.
 */
export function nextLook(s: WbrSettingsInput, now: Date): Date {
  let wbr = upcomingWbr(s, now);
  if (wbr.getTime() <= now.getTime()) wbr = upcomingWbr(s, new Date(now.getTime() + 1));
  const reminder = new Date(wbr.getTime() - REMINDER_LEAD_MS);
  return reminder.getTime() > now.getTime() ? reminder : wbr;
}

/** What a due look at `now` finds to do. */
export interface DueWork {
  /** the latest WBR at or before now, to post (its key claims it once), unless it is too old */
  post: Date | null;
  /** the next WBR whose owners are reminded now (within a day before it), if any */
  remind: Date | null;
}

/**
 * Catch-up policy: after downtime the latest WBR that passed within the last day still posts, late and
 * once; older ones (and any before the schedule was saved) are skipped, since a stale review helps
 * nobody. Reminders go out only within the day before a WBR.
 */
export function dueWork(s: WbrSchedule, now: Date): DueWork {
  const next = upcomingWbr(s, now);
  const latest = next.getTime() === now.getTime() ? next : weeksBefore(next, 1, s.timezone);
  const fresh =
    latest.getTime() <= now.getTime() &&
    now.getTime() - latest.getTime() < REMINDER_LEAD_MS &&
    latest.getTime() >= s.updatedAt.getTime();
  const upcoming = next.getTime() > now.getTime() ? next : upcomingWbr(s, new Date(now.getTime() + 1));
  const remind = upcoming.getTime() - now.getTime() <= REMINDER_LEAD_MS ? upcoming : null;
  return { post: fresh ? latest : null, remind };
}

/** One week's value of a metric; null when nothing was read that week. */
export type Series = (number | null)[];

/** Whether a metric moved between two weeks (both read, by at least MOVE_SHARE of the earlier one). */
export function moved(before: number | null, after: number | null): boolean {
  if (before === null || after === null) return false;
  if (before === 0) return after !== 0;
  return Math.abs(after - before) >= Math.abs(before) * MOVE_SHARE;
}

const last = (s: Series, back = 0): number | null => s[s.length - 1 - back] ?? null;

/** This week's change against last week; null unless both were read. */
export function weekOverWeek(s: Series): number | null {
  const now = last(s);
  const before = last(s, 1);
  return now === null || before === null ? null : now - before;
}

/** Where the latest reading stands against the target, judged by which way is good. */
export type VsTarget = "met" | "short" | "unknown";
export function vsTarget(s: Series, target: number, direction: Direction): VsTarget {
  const now = last(s);
  if (now === null) return "unknown";
  return (direction === "up" ? now >= target : now <= target) ? "met" : "short";
}

export type WbrFlag = "output_moved_no_input" | "input_moved_output_flat";

/** How many week-over-week changes "flat for 3 weeks" spans. */
const FLAT_WEEKS = 3;

/**
 * The team's flags for this week (pure): an output moved while no input did (luck, or an input we
 * don't measure); an input moved within the last 3 weeks while every output stayed flat for all 3
 * (the input may not drive the output). Outputs without 4 readings can't be called flat.
 */
export function teamFlags(metrics: { kind: MetricKind; series: Series }[]): WbrFlag[] {
  const inputs = metrics.filter((m) => m.kind === "input");
  const outputs = metrics.filter((m) => m.kind === "output");
  const movedThisWeek = (s: Series) => moved(last(s, 1), last(s));
  const movedBack = (s: Series, k: number) => moved(last(s, k + 1), last(s, k));
  const flags: WbrFlag[] = [];
  if (outputs.some((m) => movedThisWeek(m.series)) && !inputs.some((m) => movedThisWeek(m.series)))
    flags.push("output_moved_no_input");
  const weeks = Array.from({ length: FLAT_WEEKS }, (_, k) => k);
  const inputMoved = inputs.some((m) => weeks.some((k) => movedBack(m.series, k)));
  const outputsFlat =
    outputs.length > 0 &&
    outputs.every(
      (m) =>
        weeks.every((k) => last(m.series, k) !== null && last(m.series, k + 1) !== null) &&
        weeks.every((k) => !movedBack(m.series, k)),
    );
  if (inputMoved && outputsFlat) flags.push("input_moved_output_flat");
  return flags;
}

/** A metric as the WBR shows it. */
export interface WbrMetricRow {
  metric: WbrMetric;
  /** oldest first, WEEKS_SHOWN long, the last one this WBR's week */
  series: Series;
  change: number | null;
  vsTarget: VsTarget;
  /** the mechanism whose signal feeds it, if linked */
  linkedTo: string | null;
}

export interface WbrTeamReport {
  teamId: string;
  name: string;
  channelId: string;
  /** inputs first, then outputs */
  metrics: WbrMetricRow[];
  flags: WbrFlag[];
  /** names of metrics without a reading for this week */
  missing: string[];
}

/** The whole workspace's WBR for one week. */
export interface WbrReport {
  week: string;
  at: Date;
  timezone: string;
  weekKeys: string[];
  teams: WbrTeamReport[];
}

/** Builds one team's part of the WBR from its metrics and each one's weekly series. */
export function teamReport(
  team: { id: string; name: string; channelId: string },
  metrics: { metric: WbrMetric; series: Series; linkedTo: string | null }[],
): WbrTeamReport {
  const order = (k: MetricKind) => (k === "input" ? 0 : 1);
  const rows = [...metrics]
    .sort((a, b) => order(a.metric.kind) - order(b.metric.kind) || a.metric.name.localeCompare(b.metric.name))
    .map((m) => ({
      ...m,
      change: weekOverWeek(m.series),
      vsTarget: vsTarget(m.series, m.metric.target, m.metric.direction),
    }));
  return {
    teamId: team.id,
    name: team.name,
    channelId: team.channelId,
    metrics: rows,
    flags: teamFlags(rows.map((r) => ({ kind: r.metric.kind, series: r.series }))),
    missing: rows.filter((r) => last(r.series) === null).map((r) => r.metric.name),
  };
}

/** Lines the WBR chart draws at most (the rollup chart's palette has 8 colours). */
const WBR_CHART_LINES = 8;

/**
 * The WBR chart's lines: each output metric with at least two readings in the weeks shown, as progress
 * from its first reading there to its target (the rollup chart's axis), at most WBR_CHART_LINES;
 * `hidden` counts those left off.
 */
export function wbrChartSeries(r: WbrReport): { series: OutcomeSeries[]; hidden: number } {
  const weeks = wbrWeeks(r.at, r.timezone, r.weekKeys.length);
  const all = r.teams.flatMap((t) =>
    t.metrics
      .filter((m) => m.metric.kind === "output" && m.series.filter((v) => v !== null).length >= 2)
      .map((m) => {
        const points = m.series.flatMap((value, i) => {
          const at = weeks[i];
          return value === null || !at ? [] : [{ at, value }];
        });
        return {
          mechanism: t.name,
          signal: m.metric.name,
          unit: m.metric.unit,
          baseline: points[0]?.value ?? 0,
          target: m.metric.target,
          points,
        };
      }),
  );
  return { series: all.slice(0, WBR_CHART_LINES), hidden: Math.max(0, all.length - WBR_CHART_LINES) };
}
