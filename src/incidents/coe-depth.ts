import { SEVERITIES } from "./incident.js";
import type { IncidentRecord, Severity } from "./types.js";

/**
 * Severity decides the machinery (beyond-the-post-mortem: only significant events get the full
 * analysis). A full COE asks for whys, contributing factors and settled findings before its gate
 * opens; a light one for a summary and one lesson, its action items optional. Each team says which
 * severities are full (default SEV1 and SEV2); the rest are light.
 */
export type CoeDepth = "full" | "light";

/** A full COE not started this long after detection nudges its owner. */
export const START_WITHIN_HOURS = 24;

const HOUR_MS = 3_600_000;

/** "sev2,sev1" → ["sev1", "sev2"]: known severities only, in SEVERITIES order. */
export function parseSeverityList(list: string): Severity[] {
  const named = new Set(list.split(",").map((s) => s.trim().toLowerCase()));
  return SEVERITIES.filter((s) => named.has(s));
}

/** The stored form: comma separated in SEVERITIES order, so equal sets compare equal. */
export const severityList = (severities: readonly string[]): string =>
  SEVERITIES.filter((s) => severities.includes(s)).join(",");

export function coeDepthFor(severity: Severity, fullCoeSeverities: string): CoeDepth {
  return parseSeverityList(fullCoeSeverities).includes(severity) ? "full" : "light";
}

/** A COE is started once anything beyond the intake was written: a timeline entry, why, factor, finding or lesson. */
export function coeStarted(
  i: Pick<IncidentRecord, "timeline" | "whys" | "factors" | "findings" | "learned">,
): boolean {
  return (
    i.timeline.length + i.whys.length + i.factors.length + i.findings.length > 0 || i.learned.trim() !== ""
  );
}

export type CoeOverdue = "not_started" | "not_complete";

/**
 * A full COE's deadlines, both counted from detection (when the team knew): started within 24 h,
 * complete within the team's deep-dive window. `overdue`: the conditions past their deadline now;
 * `nextCheck`: the next deadline still ahead (null when nothing is left to watch: complete, light,
 * or every deadline passed). Pure, so the job's due index is only ever these instants.
 */
export function coeDeadlines(
  incident: Pick<
    IncidentRecord,
    "status" | "coeDepth" | "detectedAt" | "timeline" | "whys" | "factors" | "findings" | "learned"
  >,
  deepDiveHours: number,
  now: Date,
): { overdue: CoeOverdue[]; nextCheck: Date | null } {
  if (incident.status === "complete" || incident.coeDepth !== "full") return { overdue: [], nextCheck: null };
  const detected = incident.detectedAt.getTime();
  const deadlines: [CoeOverdue, number][] = [["not_complete", detected + deepDiveHours * HOUR_MS]];
  if (!coeStarted(incident)) deadlines.unshift(["not_started", detected + START_WITHIN_HOURS * HOUR_MS]);
  const overdue = deadlines.filter(([, at]) => at <= now.getTime()).map(([kind]) => kind);
  const ahead = deadlines.map(([, at]) => at).filter((at) => at > now.getTime());
  return { overdue, nextCheck: ahead.length > 0 ? new Date(Math.min(...ahead)) : null };
}

/** A full COE past a deadline, as the weekly rollup lists it. */
export type OverdueCoe = {
  title: string;
  severity: string;
  ownerId: string;
  overdue: CoeOverdue[];
  detectedAt: Date;
};
