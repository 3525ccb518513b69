import { countFindings } from "./integration-gate.js";
import { previousQuarter, type Quarter, quarterOf } from "./quarters.js";
import { normaliseTag, similarityMatches } from "./similarity.js";
import { FACTOR_CATEGORIES, type FactorCategory, type IncidentRecord } from "./types.js";
import { hasKnownRootCause } from "./why-tree.js";

/** The loop's numbers over one set of incidents (a window or a quarter); definitions at `measure`. */
type PeriodMetrics = {
  incidentCount: number;
  repeatCount: number;
  repeatRate: number | null;
  knownRootCause: { count: number; rate: number | null };
  timeToInsight: { medianHours: number | null; count: number };
  /** `notRemediated`: completed COEs whose action items were all closed, every one as not doing. */
  timeToRemediation: { medianHours: number | null; count: number; notRemediated: number };
  findings: { total: number; withAction: number; noted: number };
  byCategory: Record<FactorCategory, number>;
  byTag: { tag: string; count: number }[];
};

/**
 * Metrics of the learning loop itself (beyond-the-post-mortem, "Measuring the loop"). They measure
 * outcomes, not activity: a count of COEs written says nothing; repeats and slow closure say a lot.
 * Every rate and median is null when there is nothing to measure, never 0 or NaN, so a quiet quarter
 * does not read as a perfect one.
 */
export type LoopMetrics = PeriodMetrics & { windowDays: number };

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? 0) + hi) / 2;
};

const hoursBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / HOUR_MS;

/**
 * Time-to-insight: from the incident's end (resolvedAt) to the COE being completed (completedAt).
 * Only incidents with both; a completion recorded before resolution is a data error and is skipped
 * rather than allowed to drag the median below zero.
 */
const timeToInsightHours = (incident: IncidentRecord): number | null => {
  if (!incident.resolvedAt || !incident.completedAt) return null;
  const hours = hoursBetween(incident.resolvedAt, incident.completedAt);
  return hours >= 0 ? hours : null;
};

/**
 * Time-to-remediation: from the COE being completed to its last action item closed as DONE. Closing
 * an item as not doing is a decision, not a fix: it neither ends nor extends the clock. Only completed
 * COEs whose action items are all closed (an open item means remediation is not over) and at least one
 * of them done with a closedAt; a COE with no items has nothing to remediate. Items done before the
 * COE was completed count as 0 hours: the fix had landed when the write-up did.
 *
 * "not_remediated": every item was closed as not doing, so nothing was remediated at all.
 */
const timeToRemediation = (incident: IncidentRecord): number | "not_remediated" | null => {
  if (!incident.completedAt) return null;
  const items = incident.findings.flatMap((f) => (f.actionItem ? [f.actionItem] : []));
  if (items.length === 0 || items.some((item) => item.status === "open")) return null;
  const done = items.filter((item) => item.status === "done");
  if (done.length === 0) return "not_remediated";
  let lastDone = Number.NEGATIVE_INFINITY;
  for (const item of done) {
    if (!item.closedAt) return null;
    lastDone = Math.max(lastDone, item.closedAt.getTime());
  }
  return Math.max(0, (lastDone - incident.completedAt.getTime()) / HOUR_MS);
};

/**
 * The loop's numbers for `measured` (a window's or a quarter's incidents), `history` being every
 * incident known, for repeats.
 *
 * - Repeat rate: measured incidents that match an EARLIER incident (one that started before them, at
 *   any time, measured or not) under `similarityMatches` and its MIN_SIMILARITY threshold, divided by
 *   the measured incidents. "Earlier" uses startedAt, when the failure happened, because COEs are
 *   sometimes written up late.
 * - Known root cause: measured incidents with a why-chain that ends in a why marked as a root cause
 *   (`hasKnownRootCause`), divided by the measured incidents.
 * - Time-to-insight and time-to-remediation: medians in hours, definitions at their helpers above.
 * - Findings: every finding of the measured incidents, those with an action item and those noted with
 *   no action (and a reason).
 * - byCategory: measured incidents with at least one contributing factor in that category, so one COE
 *   that lists three technical factors counts once, as with tags.
 * - byTag: measured incidents carrying each tag (normalised), most common first, then by name.
 */
function measure(history: readonly IncidentRecord[], measured: readonly IncidentRecord[]): PeriodMetrics {
  const repeatCount = measured.filter((incident) => {
    const earlier = history.filter((h) => h.startedAt.getTime() < incident.startedAt.getTime());
    return similarityMatches(incident, earlier).length > 0;
  }).length;
  const knownRootCauses = measured.filter((i) => hasKnownRootCause(i.whys)).length;

  const insight = measured.map(timeToInsightHours).filter((h): h is number => h !== null);
  const remediation = measured.map(timeToRemediation);
  const remediated = remediation.filter((h): h is number => typeof h === "number");

  const findings = { total: 0, withAction: 0, noted: 0 };
  const byCategory = Object.fromEntries(FACTOR_CATEGORIES.map((c) => [c, 0])) as Record<
    FactorCategory,
    number
  >;
  const tagCounts = new Map<string, number>();
  for (const incident of measured) {
    const counted = countFindings(incident);
    findings.total += counted.total;
    findings.withAction += counted.withAction;
    findings.noted += counted.noted;
    for (const category of new Set(incident.factors.map((f) => f.category))) byCategory[category] += 1;
    for (const tag of new Set(incident.tags.map(normaliseTag))) {
      if (tag !== "") tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
    }
  }
  const byTag = [...tagCounts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));

  const rate = (count: number) => (measured.length === 0 ? null : count / measured.length);
  return {
    incidentCount: measured.length,
    repeatCount,
    repeatRate: rate(repeatCount),
    knownRootCause: { count: knownRootCauses, rate: rate(knownRootCauses) },
    timeToInsight: { medianHours: median(insight), count: insight.length },
    timeToRemediation: {
      medianHours: median(remediated),
      count: remediated.length,
      notRemediated: remediation.filter((h) => h === "not_remediated").length,
    },
    findings,
    byCategory,
    byTag,
  };
}

/** Loop metrics over the `windowDays` before `now` (default 90): COEs created in (now − windowDays, now]. */
export function loopMetrics(
  incidents: readonly IncidentRecord[],
  now: Date,
  opts: { windowDays?: number } = {},
): LoopMetrics {
  const windowDays = opts.windowDays ?? 90;
  const from = now.getTime() - windowDays * DAY_MS;
  const inWindow = incidents.filter(
    (i) => i.createdAt.getTime() > from && i.createdAt.getTime() <= now.getTime(),
  );
  return { windowDays, ...measure(incidents, inWindow) };
}

export type QuarterMetrics = Quarter & { metrics: PeriodMetrics };

/**
 * This quarter so far against the whole of last quarter, quarters on the team's wall clock (`tz`).
 * A COE belongs to the quarter it was created in; this quarter's holds those created up to `now`.
 */
export function quarterTrend(
  incidents: readonly IncidentRecord[],
  now: Date,
  tz: string,
): { current: QuarterMetrics; previous: QuarterMetrics } {
  const current = quarterOf(now, tz);
  const previous = previousQuarter(current, tz);
  const within = (q: Quarter) => {
    const to = Math.min(q.end.getTime(), now.getTime() + 1);
    return incidents.filter((i) => i.createdAt.getTime() >= q.start.getTime() && i.createdAt.getTime() < to);
  };
  return {
    current: { ...current, metrics: measure(incidents, within(current)) },
    previous: { ...previous, metrics: measure(incidents, within(previous)) },
  };
}

export type Trend = "better" | "worse" | "same";

/**
 * Which way a number moved from last quarter to this one, judged by whether lower or higher is
 * better; null when either side has nothing to measure.
 */
export function trendOf(
  current: number | null,
  previous: number | null,
  better: "lower" | "higher",
): Trend | null {
  if (current === null || previous === null) return null;
  if (current === previous) return "same";
  return current < previous === (better === "lower") ? "better" : "worse";
}
