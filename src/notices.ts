/**
 * What each kind of delivery says, as data: the domain resolves a delivery's reference into one of
 * these (src/shared/deliveries.ts), and a surface draws it (Slack: src/slack/delivery/draw.ts). No
 * Slack here: the same notice could be drawn as an e-mail, a Home tab entry or a web page.
 */
import type { AlarmView } from "./alarms/alarm.js";
import type { DebriefAnswer } from "./debriefs/debrief.js";
import type { Deviation, FinalVerdict } from "./deviations/deviation.js";
import type { FollowUpItem } from "./follow-through/action-item.js";
import type { NudgeKind } from "./follow-through/nudge-plan.js";
import type { StoredIncident } from "./incidents/incident.js";
import type { SimilarIncident } from "./incidents/similarity.js";
import type { Decision, Mechanism, Reading, SignalKind } from "./mechanisms/mechanism.js";
import type { OutcomeChartInput } from "./rollups/chart.js";
import type { RollupData } from "./rollups/rollup.js";
import type { DeliveryHandler, DeliveryKind } from "./shared/deliveries.js";
import type { Team } from "./teams/team.js";

export interface CycleWindow {
  start: Date;
  end: Date;
}

export interface Notices {
  review_due: { mechanism: Mechanism; reviewId: string; dueAt: Date; timezone: string; late: boolean };
  debrief_prompt: { roundId: string; digestAt: Date; timezone: string; late: boolean };
  debrief_digest: {
    promptAt: Date;
    localDate: string;
    timezone: string;
    answers: DebriefAnswer[];
    memberCount: number;
  };
  debrief_nudge: { roundId: string; channelId: string; digestAt: Date; timezone: string };
  alarm: AlarmView;
  quota_reminder: { teamId: string; cycle: CycleWindow; timezone: string };
  outcome_prompt: { deviation: Deviation; cycle: CycleWindow; timezone: string };
  action_item_nudge: { item: FollowUpItem; nudge: NudgeKind; link: string | null; orphaned: boolean };
  rollup: { data: RollupData; hasChart: boolean };
  rollup_chart: { input: OutcomeChartInput; filename: string; title: string };
  workspace_rollup: { week: string; teams: { name: string; channelId: string; data: RollupData }[] };
  one_pager: OnePager;
  decision_entry: { mechanism: Mechanism; decision: Decision; checkpointLines: string[] };
  deviation_card: { deviation: Deviation; cycle: CycleWindow; timezone: string };
  verdict: { deviation: Deviation & { verdict: FinalVerdict }; by: string };
  incident_card: { incident: StoredIncident };
  incident_note: { similar: SimilarIncident[]; when: "intake" | "recheck"; timezone: string };
  debrief_answer: { answer: DebriefAnswer; afterDigest: boolean };
  team_saved: { team: Team; created: boolean; by: string };
  debrief_settings_saved: { team: Team; by: string };
}

/** A mechanism's one-pager as it stands: posted first through the outbox, then edited in place. */
export interface OnePager {
  mechanism: Mechanism;
  latestReadings: Partial<Record<SignalKind, Reading>>;
  lastDecision: Decision | null;
  /** Definition-of-Done items still missing */
  missingDoD: string[];
  nextReviewAt: Date | null;
  timezone: string;
}

/** Every kind's handler, each resolving to its own notice. */
export type DeliveryHandlers = { [K in DeliveryKind]: DeliveryHandler<K, Notices[K]> };
