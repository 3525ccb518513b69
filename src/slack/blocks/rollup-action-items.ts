import type { LoopMetrics } from "../../incidents/metrics.js";
import type { RollupData } from "../../rollups/rollup.js";
import { user } from "./format.js";
import { context } from "./kit.js";
import { clip, md } from "./mrkdwn.js";
import { listSection, type RollupSection } from "./rollup-sections.js";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * "Open and overdue COE action items" in the weekly rollup: overdue first (they are what the team
 * should talk about), each with owner, due date and incident. Clipped by `listSection`.
 */
export const actionItemsSection: RollupSection = {
  id: "rollup_action_items",
  build(d: RollupData) {
    const items = [...d.openActionItems].sort(
      (a, b) => Number(b.overdue) - Number(a.overdue) || a.dueDate.localeCompare(b.dueDate),
    );
    const lines = items.map(
      (a) =>
        md`${a.overdue ? md`🔥 *overdue* · ` : ""}${clip(oneLine(a.text), 200)} — ${user(a.ownerId)} · due ${a.dueDate} · _${clip(oneLine(a.incidentTitle), 120)}_`,
    );
    return listSection(this.id, "🧯 Open and overdue COE action items", lines);
  },
  headline(d: RollupData) {
    const open = d.openActionItems.length;
    if (open === 0) return null;
    const overdue = d.openActionItems.filter((a) => a.overdue).length;
    return `${open} open COE action item${open === 1 ? "" : "s"}${overdue > 0 ? ` (${overdue} overdue)` : ""}`;
  },
};

const hoursLabel = (h: number) =>
  h < 48 ? `${Math.round(h * 10) / 10} h` : `${Math.round((h / 24) * 10) / 10} days`;

/**
 * The loop-metrics headline ("Learning loop, 90 days: 50% repeats (3/6) · insight 36 h · remediation
 * 5 days"), or null when no incident is in the window. Ready for the rollup once RollupData carries
 * the team's LoopMetrics (see `/ratchet incident stats`); each part says "n/a" rather than 0 or NaN.
 */
export function loopMetricsHeadline(m: LoopMetrics): string | null {
  if (m.incidentCount === 0 || m.repeatRate === null) return null;
  const tti = m.timeToInsight.medianHours;
  const ttr = m.timeToRemediation.medianHours;
  return [
    `Learning loop, ${m.windowDays} days: ${Math.round(m.repeatRate * 100)}% repeats (${m.repeatCount}/${m.incidentCount})`,
    `insight ${tti === null ? "n/a" : hoursLabel(tti)}`,
    `remediation ${ttr === null ? "n/a" : hoursLabel(ttr)}`,
  ].join(" · ");
}

/** The loop-metrics line in the rollup (and the workspace headline); omitted without incidents. */
export const loopMetricsSection: RollupSection = {
  id: "rollup_loop_metrics",
  build(d: RollupData) {
    const line = d.loopMetrics ? loopMetricsHeadline(d.loopMetrics) : null;
    return line ? [context(md`🔁 ${line}`, this.id)] : [];
  },
  headline(d: RollupData) {
    return d.loopMetrics ? loopMetricsHeadline(d.loopMetrics) : null;
  },
};

const OVERDUE_WORDS = {
  not_started: "not started in 24 h",
  not_complete: "past its deep-dive window",
} as const;

/** "⏰ Overdue COEs" in the weekly rollup: full COEs not started in 24 h or not complete in time. */
export const overdueCoesSection: RollupSection = {
  id: "rollup_overdue_coes",
  build(d: RollupData) {
    const lines = d.overdueCoes.map(
      (c) =>
        md`${clip(oneLine(c.title), 150)} (${c.severity.toUpperCase()}) — ${user(c.ownerId)} · ${c.overdue.map((k) => OVERDUE_WORDS[k]).join(", ")}`,
    );
    return listSection(this.id, "⏰ Overdue COEs", lines);
  },
  headline(d: RollupData) {
    const n = d.overdueCoes.length;
    return n === 0 ? null : `${n} overdue COE${n === 1 ? "" : "s"}`;
  },
};
