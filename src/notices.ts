/**
 * What Ratchet says, as data. Services speak only in these notices: the outbox resolves a delivery's
 * reference into one (src/shared/deliveries.ts), and the `Announcer` port below edits a posted message
 * or sends something at once. A surface draws each kind through one exhaustive table (Slack:
 * src/slack/delivery/draw.ts), so a notice without a drawing does not compile. No Slack here: the
 * same notice could be drawn as an e-mail, a Home tab entry, a web page or a file.
 */

import type { ActionItemInContext } from "./action-items/action-item.js";
import type { NudgeKind } from "./action-items/nudge-plan.js";
import type { AlarmState, AlarmView } from "./alarms/alarm.js";
import type { DebriefAnswer } from "./debriefs/debrief.js";
import type { Deviation, FinalVerdict } from "./deviations/deviation.js";
import type { HatCase } from "./hat-cases/hat-case.js";
import type { CoeOverdue } from "./incidents/coe-depth.js";
import type { StoredIncident } from "./incidents/incident.js";
import type { SimilarIncident } from "./incidents/similarity.js";
import type { LearningSession } from "./learning/learning-session.js";
import type {
  Decision,
  GuardrailBreach,
  LatestGuardrailReadings,
  LatestReadings,
  Mechanism,
} from "./mechanisms/mechanism.js";
import type { QuarterlyReview } from "./quarters/quarterly-review.js";
import type { ReviewSeries } from "./renderers/ics/review-series.js";
import type { OutcomeChartInput } from "./rollups/chart.js";
import type { RollupData } from "./rollups/rollup.js";
import type { DeliveryHandler, DeliveryKind } from "./shared/deliveries.js";
import type { Team } from "./teams/team.js";
import type { WbrMetric, WbrReport } from "./wbr/wbr.js";

interface CycleWindow {
  start: Date;
  end: Date;
}

export interface Notices {
  review_due: { mechanism: Mechanism; reviewId: string; dueAt: Date; timezone: string; late: boolean };
  /** a mechanism's review series as a calendar file (src/renderers/ics/) */
  review_calendar: ReviewSeries;
  debrief_prompt: { roundId: string; digestAt: Date; timezone: string; late: boolean };
  debrief_digest: {
    promptAt: Date;
    localDate: string;
    timezone: string;
    answers: DebriefAnswer[];
    memberCount: number;
  };
  /** optedOut: the DM redrawn after "Stop nudging me" (a nudge is never sent to someone opted out) */
  debrief_nudge: {
    roundId: string;
    channelId: string;
    digestAt: Date;
    timezone: string;
    teamName: string;
    optedOut: boolean;
  };
  alarm: AlarmView;
  quota_reminder: { teamId: string; cycle: CycleWindow; timezone: string };
  outcome_prompt: { deviation: Deviation; cycle: CycleWindow; timezone: string };
  /** note: what just changed (an extension), shown when the DM is redrawn */
  action_item_nudge: {
    item: ActionItemInContext;
    nudge: NudgeKind;
    link: string | null;
    orphaned: boolean;
    note?: string;
  };
  rollup: { data: RollupData; hasChart: boolean };
  rollup_chart: { input: OutcomeChartInput; filename: string; title: string };
  workspace_rollup: { week: string; teams: { name: string; channelId: string; data: RollupData }[] };
  one_pager: OnePager;
  decision_entry: { mechanism: Mechanism; decision: Decision; checkpointLines: string[] };
  /** a breached guardrail, to whoever can say stop; redrawn with the decision once someone decides */
  guardrail_breach: { mechanism: Mechanism; breach: GuardrailBreach };
  deviation_card: { deviation: Deviation; cycle: CycleWindow; timezone: string };
  verdict: { deviation: Deviation & { verdict: FinalVerdict }; by: string };
  incident_card: { incident: StoredIncident };
  coe_overdue: { incident: StoredIncident; condition: CoeOverdue; deepDiveHours: number };
  incident_note: { similar: SimilarIncident[]; when: "intake" | "recheck"; timezone: string };
  debrief_answer: { answer: DebriefAnswer; afterDigest: boolean };
  team_saved: { team: Team; created: boolean; by: string };
  debrief_settings_saved: { team: Team; by: string };
  learning_scheduled: { session: LearningSession };
  learning_reminder: { session: LearningSession; when: "day" | "hour" };
  learning_links_ask: { session: LearningSession };
  quarter_open: { teamId: string; quarter: string };
  quarterly_review: { review: QuarterlyReview; teamName: string };
  hat_case: { hatCase: HatCase };
  /** the workspace's weekly business review */
  wbr: { report: WbrReport };
  /** a metric owner's DM: this week's reading is missing, the WBR is at `wbrAt` */
  wbr_reminder: { metric: WbrMetric; teamId: string; teamName: string; wbrAt: Date; timezone: string };
  /** the WBR's outputs as progress to target, drawn like the rollup's chart */
  wbr_chart: { input: OutcomeChartInput; filename: string; title: string };

  // Redraws only (Announcer.edit): a posted message shows what became of it.
  /** the reminder of a review, once its decision is recorded */
  review_done: { mechanism: Mechanism; decision: Decision; dueAt: Date; timezone: string };
  /** the reminder of a review someone skipped: who, and where the occurrence went (null: merged into nextRegular) */
  review_skipped: {
    mechanism: Mechanism;
    dueAt: Date;
    movedTo: Date | null;
    nextRegular: Date | null;
    timezone: string;
    by: string;
  };
  /** an alarm acknowledged, snoozed or resolved (or open again) */
  alarm_state: { alarm: AlarmView; state: AlarmState };
  /** the outcome prompt DM, once its outcome is recorded */
  outcome_done: { deviation: Deviation & { verdict: FinalVerdict } };

  // Sent at once (Announcer.send), because a person is waiting for it.
  /**
   * the whole COE as a document; `now` stamps it, times read in the reporter's zone; `names`: user id →
   * name of the people it names, since ids mean nothing outside the chat (unknown ones keep their id)
   */
  incident_export: {
    incident: StoredIncident;
    similar: SimilarIncident[];
    now: Date;
    timezone: string;
    names: Record<string, string>;
  };
  /** a quarterly review as a Markdown document, uploaded to the team channel */
  quarterly_review_export: { review: QuarterlyReview; teamName: string; timezone: string };
}

export type NoticeKind = keyof Notices;

/** Where a posted message is (a channel, or a DM's channel, and its ts). */
export interface PostedAt {
  channel: string;
  ts: string;
}

/** A person as the chat workspace knows them: their zone decides "today"; deleted people can't act. */
export interface Person {
  id: string;
  name: string;
  /** IANA zone from their profile; null when the workspace doesn't say */
  tz: string | null;
  deleted: boolean;
}

/** `Announcer.send` could not reach the channel (Ratchet isn't in it, or it is gone). */
export class ChannelUnreachable extends Error {
  constructor(
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`channel ${channel} unreachable: ${reason}`);
    this.name = "ChannelUnreachable";
  }
}

/**
 * Everything services need of the chat surface besides the outbox. Edits are idempotent, so they go
 * straight out rather than through the outbox; a failure throws, and the caller decides whether that
 * matters (it logs: the data is saved either way). Implemented for Slack in src/slack/slack-announcer.ts.
 */
export interface Announcer {
  /** Redraws a posted message as `notice`. */
  edit<K extends NoticeKind>(at: PostedAt, kind: K, notice: Notices[K]): Promise<void>;
  /** Posts (or uploads) `notice` now, in a channel or a thread; throws ChannelUnreachable when it can't. */
  send<K extends NoticeKind>(
    to: { channel: string; threadTs?: string | null },
    kind: K,
    notice: Notices[K],
  ): Promise<void>;
  /** The person behind a user id; null when the workspace doesn't know them. */
  person(id: string): Promise<Person | null>;
  /**
   * The people in a channel: its members without bots, apps or deactivated accounts. Throws when the
   * chat surface can't say (Ratchet not in a private channel, rate-limited…): the caller decides
   * what to fall back on.
   */
  channelMembers(channel: string): Promise<string[]>;
  /** A link to a posted message; null when there is none to give (deleted, no access). */
  link(at: PostedAt): Promise<string | null>;
}

/** A mechanism's one-pager as it stands: posted first through the outbox, then edited in place. */
export interface OnePager {
  mechanism: Mechanism;
  latestReadings: LatestReadings;
  /** each guardrail's newest reading (a breach shows in red until a newer reading holds) */
  latestGuardrailReadings?: LatestGuardrailReadings;
  lastDecision: Decision | null;
  /** Definition-of-Done items still missing */
  missingDoD: string[];
  nextReviewAt: Date | null;
  timezone: string;
}

/** Every kind's handler, each resolving to its own notice. */
export type DeliveryHandlers = { [K in DeliveryKind]: DeliveryHandler<K, Notices[K]> };
