import { normaliseTag, similarityMatches } from "./similarity.js";
import { FACTOR_CATEGORIES, type FactorCategory, type IncidentRecord } from "./types.js";

/**
 * Metrics of the learning loop itself (beyond-the-post-mortem, "Measuring the loop"). They measure
 * outcomes, not activity: a count of COEs written says nothing; repeats and slow closure say a lot.
 * Every rate and median is null when there is nothing to measure, never 0 or NaN, so a quiet quarter
 * does not read as a perfect one.
 */
export type LoopMetrics = {
  windowDays: number;
  incidentCount: number;
  repeatCount: number;
  repeatRate: number | null;
  timeToInsight: { medianHours: number | null; count: number };
  timeToRemediation: { medianHours: number | null; count: number };
  byCategory: Record<FactorCategory, number>;
  byTag: { tag: string; count: number }[];
};

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
 * Time-to-remediation: from the COE being completed to the last of its action items being closed.
 * Only completed COEs that have action items, all closed (done or not_doing) with a closedAt: an
 * open item means remediation is not over, and a COE with no items has nothing to remediate. Items
 * closed before the COE was completed count as 0 hours: the fix had landed when the write-up did.
 */
const timeToRemediationHours = (incident: IncidentRecord): number | null => {
  if (!incident.completedAt) return null;
  const items = incident.findings.flatMap((f) => (f.actionItem ? [f.actionItem] : []));
  if (items.length === 0) return null;
  let lastClosed = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    if (item.status === "open" || !item.closedAt) return null;
    lastClosed = Math.max(lastClosed, item.closedAt.getTime());
  }
  return Math.max(0, (lastClosed - incident.completedAt.getTime()) / HOUR_MS);
};

/**
 * Loop metrics over the `windowDays` before `now` (default 90).
 *
 * - The window holds incidents whose COE was created in (now − windowDays, now].
 * - Repeat rate: windowed incidents that match an EARLIER incident (one that started before them, at
 *   any time, inside the window or not) under `similarityMatches` and its MIN_SIMILARITY threshold,
 *   divided by incidents in the window. "Earlier" uses startedAt, when the failure happened, because
 *   COEs are sometimes written up late.
 * - Time-to-insight and time-to-remediation: medians in hours, definitions at their helpers above.
 * - byCategory: windowed incidents with at least one contributing factor in that category, so one COE
 *   that lists three technical factors counts once, as with tags.
 * - byTag: windowed incidents carrying each tag (normalised), most common first, then by name.
 */
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

  const repeatCount = inWindow.filter((incident) => {
    const earlier = incidents.filter((h) => h.startedAt.getTime() < incident.startedAt.getTime());
    return similarityMatches(incident, earlier).length > 0;
  }).length;

  const insight = inWindow.map(timeToInsightHours).filter((h): h is number => h !== null);
  const remediation = inWindow.map(timeToRemediationHours).filter((h): h is number => h !== null);

  const byCategory = Object.fromEntries(FACTOR_CATEGORIES.map((c) => [c, 0])) as Record<
    FactorCategory,
    number
  >;
  const tagCounts = new Map<string, number>();
  for (const incident of inWindow) {
    for (const category of new Set(incident.factors.map((f) => f.category))) byCategory[category] += 1;
    for (const tag of new Set(incident.tags.map(normaliseTag))) {
      if (tag !== "") tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
    }
  }
  const byTag = [...tagCounts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));

  return {
    windowDays,
    incidentCount: inWindow.length,
    repeatCount,
    repeatRate: inWindow.length === 0 ? null : repeatCount / inWindow.length,
    timeToInsight: { medianHours: median(insight), count: insight.length },
    timeToRemediation: { medianHours: median(remediation), count: remediation.length },
    byCategory,
    byTag,
  };
}
