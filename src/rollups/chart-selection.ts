/**
 * Which mechanisms the rollup chart draws when a team has more than fit on it: the ones whose
 * outcome moved most this window. Pure, so the choice is tested without rendering.
 */
import { type OutcomeSeries, progressPercent, SERIES_COLOURS } from "./chart.js";

/**
 * At most this many lines on the chart. Past 8 the colours repeat (SERIES_COLOURS), the legend
 * outgrows the image and lines can no longer be told apart; and vega's layout and resvg's drawing
 * grow with every line (a chart of 1,000 lines takes seconds, and nobody can read it).
 */
export const CHART_MAX_MECHANISMS = SERIES_COLOURS.length;

/**
 * A line of the chart before its points are read (RollupRepository.chartLines): one outcome signal of
 * a shown mechanism, with the two newest readings in the chart's range [from, to), newest first (ties
 * by id). That is all `lineMovement` needs, so the chart is chosen before its points are read.
 */
export type ChartLine = Omit<OutcomeSeries, "points"> & {
  signalId: string;
  latest: { at: Date; value: number } | null;
  previous: { at: Date; value: number } | null;
};

/**
 * How far a series' outcome moved this window, in progress points (percent of the way from baseline
 * to target), so signals in different units compare: the newest reading in [from, to) against the
 * reading before it on the chart, or the baseline when there is none (as the rollup's outcomeMove).
 * Either direction counts: a fall is news too. 0 when nothing was read this window or the target
 * equals the baseline (such a line isn't plotted).
 */
export function outcomeMovement(s: OutcomeSeries, window: { from: Date; to: Date }): number {
  const points = [...s.points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const i = points.findLastIndex((p) => p.at >= window.from && p.at < window.to);
  const latest = points[i];
  if (!latest) return 0;
  return movement(latest.value, points[i - 1]?.value ?? s.baseline, s);
}

/**
 * `outcomeMovement` of a line from its two newest readings. The same number: the chart's points are
 * read in [from, to] with to = the window's end, so the newest point before the window's end is
 * `latest` and the point before it is `previous` (none before the chart's start: the baseline). A
 * reading at exactly the window's end is on the chart but outside the window in both. Where two
 * readings share an instant, both take the one with the greater id as the later (chartPoints' order).
 */
export function lineMovement(l: ChartLine, window: { from: Date; to: Date }): number {
  const latest = l.latest && l.latest.at >= window.from && l.latest.at < window.to ? l.latest : null;
  if (!latest) return 0;
  return movement(latest.value, l.previous?.value ?? l.baseline, l);
}

function movement(value: number, before: number, s: { baseline: number; target: number }): number {
  const now = progressPercent(value, s.baseline, s.target);
  const then = progressPercent(before, s.baseline, s.target);
  return now === null || then === null || !Number.isFinite(now - then) ? 0 : Math.abs(now - then);
}

/**
 * The `max` series that moved most this window, kept in their given order (oldest mechanism first,
 * so a mechanism keeps its colour from week to week while it stays on the chart); ties go to the
 * older mechanism. `hidden` is how many were left off. Each series is one mechanism's outcome.
 */
export function selectChartSeries(
  series: readonly OutcomeSeries[],
  window: { from: Date; to: Date },
  max: number = CHART_MAX_MECHANISMS,
): { series: OutcomeSeries[]; hidden: number } {
  const { chosen, hidden } = mostMoved(series, (s) => outcomeMovement(s, window), max);
  return { series: chosen, hidden };
}

/** `selectChartSeries` before the points are read: the same choice, made from each line's two newest readings. */
export function selectChartLines(
  lines: readonly ChartLine[],
  window: { from: Date; to: Date },
  max: number = CHART_MAX_MECHANISMS,
): { lines: ChartLine[]; hidden: number } {
  const { chosen, hidden } = mostMoved(lines, (l) => lineMovement(l, window), max);
  return { lines: chosen, hidden };
}

function mostMoved<T>(
  items: readonly T[],
  moved: (item: T) => number,
  max: number,
): { chosen: T[]; hidden: number } {
  if (items.length <= max) return { chosen: [...items], hidden: 0 };
  const chosen = new Set(
    items
      .map((item, index) => ({ index, moved: moved(item) }))
      .sort((a, b) => b.moved - a.moved || a.index - b.index)
      .slice(0, Math.max(0, max))
      .map((x) => x.index),
  );
  return { chosen: items.filter((_, i) => chosen.has(i)), hidden: items.length - chosen.size };
}

/** The chart's line saying what it leaves off, or undefined when it shows every mechanism. */
export function hiddenMechanismsNote(hidden: number, shown: number): string | undefined {
  if (hidden <= 0) return undefined;
  const more = `+${hidden.toLocaleString("en-US")} more mechanism${hidden === 1 ? "" : "s"} not shown`;
  return `${more}: this chart shows the ${shown} whose outcome moved most this week.`;
}
