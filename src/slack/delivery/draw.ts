/**
 * Slack's drawing of every notice (src/notices.ts), one builder per notice kind, and the routes
 * that join the domain's handlers to them. Exhaustive: a new kind does not compile until it is drawn.
 * The outbox (deliveries) and the Announcer (edits, sends: src/slack/slack-announcer.ts) both draw here.
 */
import { describeSchedule } from "../../debriefs/debrief.js";
import type { DeliveryHandlers, NoticeKind, Notices } from "../../notices.js";
import { reviewSeriesFile } from "../../renderers/ics/review-series.js";
import { coeFile } from "../../renderers/markdown/incident.js";
import { quarterlyReviewFile } from "../../renderers/markdown/quarterly-review.js";
import type { OutcomeChart, OutcomeChartInput } from "../../rollups/chart.js";
import { instantToLocalParts, localTimeLabel } from "../../scheduler/schedule.js";
import type { DeliveryKind } from "../../shared/deliveries.js";
import { localLabel } from "../../shared/time-format.js";
import { weekdayName } from "../../teams/team.js";
import { buildActionItemDm, buildOrphanedNudge } from "../blocks/action-items.js";
import { buildAlarmMessage } from "../blocks/alarm.js";
import { buildDebriefSettingsSaved, buildTeamSaved } from "../blocks/confirmations.js";
import {
  buildDebriefAnswerReply,
  buildDebriefDigest,
  buildDebriefNudge,
  buildDebriefPrompt,
} from "../blocks/debrief.js";
import {
  buildDeviationCard,
  buildOutcomePrompt,
  buildOutcomePromptDone,
  buildQuotaReminder,
  buildVerdictAnnouncement,
  cycleLabel,
} from "../blocks/deviations.js";
import { buildGuardrailBreachDm } from "../blocks/guardrail-breach.js";
import { buildHatCaseMessage } from "../blocks/hat-cases.js";
import { buildCoeOverdueDm, buildIncidentMessage, buildSimilarIncidents } from "../blocks/incident.js";
import { buildLinksAsk, buildSessionReminder, buildSessionScheduled } from "../blocks/learning.js";
import { drawOnePager } from "../blocks/one-pager.js";
import { buildQuarterlyReviewPost, buildQuarterOpen } from "../blocks/quarterly-review.js";
import {
  buildDecisionEntry,
  buildReviewDone,
  buildReviewReminder,
  buildReviewSkipped,
} from "../blocks/review.js";
import {
  buildRollupMessage,
  buildWorkspaceRollup,
  chartNote,
  rollupHeadline,
  TEAM_ROLLUP_SECTIONS,
} from "../blocks/rollup.js";
import type { RollupSection } from "../blocks/rollup-sections.js";
import { buildWbrMessage, buildWbrReminder } from "../blocks/wbr.js";
import type { Drawn, Route, Routes } from "./deliverer.js";

export type Drawers = { [K in NoticeKind]: (n: Notices[K]) => Drawn | Promise<Drawn> };

const message = (m: Drawn & { type: "message" }): Drawn => m;

export function slackDrawers(o: {
  /** the team rollup's sections; TEAM_ROLLUP_SECTIONS unless a test wants fewer */
  sections?: readonly RollupSection[];
  renderChart: (input: OutcomeChartInput) => Promise<OutcomeChart>;
}): Drawers {
  const sections = o.sections ?? TEAM_ROLLUP_SECTIONS;
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
    review_calendar: (n) => {
      const f = reviewSeriesFile(n);
      return {
        type: "file",
        file: { filename: f.filename, title: f.title, bytes: Buffer.from(f.ics, "utf8") },
      };
    },
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
        teamName: n.teamName,
        optedOut: n.optedOut,
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
        : buildActionItemDm({
            item: n.item,
            kind: n.nudge,
            link: n.link,
            ...(n.note ? { note: n.note } : {}),
          }),
    }),
    rollup: (n) => ({
      type: "message",
      message: buildRollupMessage({ data: n.data, sections, chartNote: chartNote(n.hasChart) }),
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
          headline: rollupHeadline(t.data, sections),
        })),
      }),
    }),
    one_pager: (n) => ({ type: "message", message: drawOnePager(n) }),
    decision_entry: (n) => ({ type: "message", message: buildDecisionEntry(n) }),
    guardrail_breach: (n) => ({ type: "message", message: buildGuardrailBreachDm(n) }),
    deviation_card: (n) => ({
      type: "message",
      message: buildDeviationCard({ deviation: n.deviation, cycleLabel: cycleLabel(n.cycle, n.timezone) }),
    }),
    verdict: (n) => ({ type: "message", message: buildVerdictAnnouncement(n) }),
    incident_card: (n) => ({ type: "message", message: buildIncidentMessage(n) }),
    coe_overdue: (n) => ({ type: "message", message: buildCoeOverdueDm(n) }),
    incident_note: (n) => ({
      type: "message",
      message: buildSimilarIncidents({ similar: n.similar, when: n.when, tz: n.timezone }),
    }),
    debrief_answer: (n) => ({ type: "message", message: buildDebriefAnswerReply(n) }),
    team_saved: (n) => ({ type: "message", message: buildTeamSaved(n) }),
    debrief_settings_saved: (n) => ({
      type: "message",
      message: buildDebriefSettingsSaved({
        team: n.team,
        by: n.by,
        schedule: describeSchedule(n.team, weekdayName),
      }),
    }),
    hat_case: (n) => ({ type: "message", message: buildHatCaseMessage(n) }),
    wbr: (n) => ({ type: "message", message: buildWbrMessage(n.report) }),
    wbr_reminder: (n) => ({ type: "message", message: buildWbrReminder(n) }),
    wbr_chart: async (n) => {
      const chart = await o.renderChart(n.input);
      return {
        type: "file",
        file: { filename: n.filename, title: n.title, bytes: chart.png, altText: chart.alt },
      };
    },
    learning_scheduled: (n) => ({ type: "message", message: buildSessionScheduled(n) }),
    learning_reminder: (n) => ({ type: "message", message: buildSessionReminder(n) }),
    learning_links_ask: (n) => ({ type: "message", message: buildLinksAsk(n) }),
    review_done: (n) => ({
      type: "message",
      message: buildReviewDone({
        mechanism: n.mechanism,
        decision: n.decision,
        dueLabel: localLabel(n.dueAt, n.timezone),
      }),
    }),
    review_skipped: (n) => ({
      type: "message",
      message: buildReviewSkipped({
        mechanism: n.mechanism,
        by: n.by,
        dueLabel: localLabel(n.dueAt, n.timezone),
        movedLabel: n.movedTo ? localLabel(n.movedTo, n.timezone) : null,
        nextLabel: n.nextRegular ? localLabel(n.nextRegular, n.timezone) : null,
      }),
    }),
    alarm_state: (n) => ({ type: "message", message: buildAlarmMessage(n.alarm, n.state) }),
    outcome_done: (n) => ({ type: "message", message: buildOutcomePromptDone(n) }),
    quarter_open: (n) => ({ type: "message", message: buildQuarterOpen(n) }),
    quarterly_review: (n) => ({ type: "message", message: buildQuarterlyReviewPost(n) }),
    quarterly_review_export: (n) => {
      const f = quarterlyReviewFile(n);
      return {
        type: "file",
        file: { filename: f.filename, title: f.title, bytes: Buffer.from(f.markdown, "utf8") },
      };
    },
    incident_export: (n) => {
      const f = coeFile(n);
      return {
        type: "file",
        file: { filename: f.filename, title: f.title, bytes: Buffer.from(f.markdown, "utf8") },
      };
    },
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
    review_calendar: route("review_calendar"),
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
    one_pager: route("one_pager"),
    decision_entry: route("decision_entry"),
    guardrail_breach: route("guardrail_breach"),
    deviation_card: route("deviation_card"),
    verdict: route("verdict"),
    incident_card: route("incident_card"),
    coe_overdue: route("coe_overdue"),
    incident_note: route("incident_note"),
    debrief_answer: route("debrief_answer"),
    team_saved: route("team_saved"),
    debrief_settings_saved: route("debrief_settings_saved"),
    learning_scheduled: route("learning_scheduled"),
    learning_reminder: route("learning_reminder"),
    learning_links_ask: route("learning_links_ask"),
    wbr: route("wbr"),
    wbr_reminder: route("wbr_reminder"),
    wbr_chart: route("wbr_chart"),
    quarter_open: route("quarter_open"),
    quarterly_review: route("quarterly_review"),
    hat_case: route("hat_case"),
  };
}
