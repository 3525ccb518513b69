/**
 * Slack's drawing of every notice (src/notices.ts), one builder per delivery kind, and the routes
 * that join the domain's handlers to them. Exhaustive: a new kind does not compile until it is drawn.
 */
import type { DeliveryHandlers, Notices } from "../../notices.js";
import type { OutcomeChart, OutcomeChartInput } from "../../rollups/chart.js";
import { CHART_WEEKS } from "../../rollups/rollup.js";
import type { RollupSection } from "../../rollups/sections.js";
import { buildRollupMessage, buildWorkspaceRollup, rollupHeadline } from "../../rollups/sections.js";
import { instantToLocalParts, localTimeLabel } from "../../scheduler/schedule.js";
import type { DeliveryKind } from "../../shared/deliveries.js";
import { localLabel } from "../../shared/time-format.js";
import { weekdayName } from "../../teams/team.js";
import { buildActionItemDm, buildOrphanedNudge } from "../blocks/action-items.js";
import { buildAlarmMessage } from "../blocks/alarm.js";
import { buildDebriefDigest, buildDebriefNudge, buildDebriefPrompt } from "../blocks/debrief.js";
import { buildOutcomePrompt, buildQuotaReminder, cycleLabel } from "../blocks/deviations.js";
import { type Mrkdwn, md } from "../blocks/mrkdwn.js";
import { buildReviewReminder } from "../blocks/review.js";
import type { Drawn, Route, Routes } from "./deliverer.js";

export type Drawers = { [K in DeliveryKind]: (n: Notices[K]) => Drawn | Promise<Drawn> };

const message = (m: Drawn & { type: "message" }): Drawn => m;

/** The rollup's line about its chart: in the thread, or why there is none this week. */
export function chartNote(hasChart: boolean): Mrkdwn {
  return hasChart
    ? md`📊 The outcome chart (last ${CHART_WEEKS} weeks, progress from baseline to target) is in the thread.`
    : md`📊 No outcome readings in the last ${CHART_WEEKS} weeks, so no chart this week. Record readings at your next review.`;
}

export function slackDrawers(o: {
  sections: readonly RollupSection[];
  renderChart: (input: OutcomeChartInput) => Promise<OutcomeChart>;
}): Drawers {
  return {
    review_due: (n) =>
      message({
        type: "message",
        message: buildReviewReminder({
          mechanism: n.mechanism,
          reviewId: n.reviewId,
          dueLabel: localLabel(n.dueAt, n.timezone),
          late: n.late,
        }),
      }),
    debrief_prompt: (n) => ({
      type: "message",
      message: buildDebriefPrompt({
        roundId: n.roundId,
        digestTime: localTimeLabel(n.digestAt, n.timezone),
        late: n.late,
      }),
    }),
    debrief_digest: (n) => ({
      type: "message",
      message: buildDebriefDigest({
        dateLabel: `${weekdayName(instantToLocalParts(n.promptAt, n.timezone).weekday)} ${n.localDate}`,
        answers: n.answers,
        memberCount: n.memberCount,
      }),
    }),
    debrief_nudge: (n) => ({
      type: "message",
      message: buildDebriefNudge({
        roundId: n.roundId,
        channelId: n.channelId,
        digestTime: localTimeLabel(n.digestAt, n.timezone),
      }),
    }),
    alarm: (n) => ({ type: "message", message: buildAlarmMessage(n, { status: "open" }) }),
    quota_reminder: (n) => ({
      type: "message",
      message: buildQuotaReminder({ teamId: n.teamId, cycleLabel: cycleLabel(n.cycle, n.timezone) }),
    }),
    outcome_prompt: (n) => ({
      type: "message",
      message: buildOutcomePrompt({ deviation: n.deviation, cycleLabel: cycleLabel(n.cycle, n.timezone) }),
    }),
    action_item_nudge: (n) => ({
      type: "message",
      message: n.orphaned
        ? buildOrphanedNudge({ item: n.item, kind: n.nudge })
        : buildActionItemDm({ item: n.item, kind: n.nudge, link: n.link }),
    }),
    rollup: (n) => ({
      type: "message",
      message: buildRollupMessage({ data: n.data, sections: o.sections, chartNote: chartNote(n.hasChart) }),
    }),
    rollup_chart: async (n) => {
      const chart = await o.renderChart(n.input);
      return {
        type: "file",
        file: { filename: n.filename, title: n.title, bytes: chart.png, altText: chart.alt },
      };
    },
    workspace_rollup: (n) => ({
      type: "message",
      message: buildWorkspaceRollup({
        week: n.week,
        teams: n.teams.map((t) => ({
          name: t.name,
          channelId: t.channelId,
          headline: rollupHeadline(t.data, o.sections),
        })),
      }),
    }),
  };
}

/** Joins each kind's domain handler (resolve, delivered) to its drawing. */
export function deliveryRoutes(handlers: DeliveryHandlers, draw: Drawers): Routes {
  const route = <K extends DeliveryKind>(kind: K): Route<K> => {
    const h = handlers[kind];
    const d = draw[kind];
    return {
      prepare: async (ref, now) => {
        const notice = await h.resolve(ref, now);
        return notice === null ? null : d(notice);
      },
      ...(h.delivered ? { delivered: h.delivered.bind(h) } : {}),
    };
  };
  return {
    review_due: route("review_due"),
    debrief_prompt: route("debrief_prompt"),
    debrief_digest: route("debrief_digest"),
    debrief_nudge: route("debrief_nudge"),
    alarm: route("alarm"),
    quota_reminder: route("quota_reminder"),
    outcome_prompt: route("outcome_prompt"),
    action_item_nudge: route("action_item_nudge"),
    rollup: route("rollup"),
    rollup_chart: route("rollup_chart"),
    workspace_rollup: route("workspace_rollup"),
  };
}
