/** Short confirmations after a settings change: one sentence, posted or shown to the person who saved. */
import type { ModalView } from "@slack/types";
import type { DeliveryKind } from "../../shared/deliveries.js";
import type { SettingsSection } from "../../teams/settings.js";
import type { Team } from "../../teams/team.js";
import { weekdayName } from "../../teams/team.js";
import { APOLOGY_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { channelProblemAdvice } from "../slack-errors.js";
import { user } from "./format.js";
import { message, modal, section } from "./kit.js";
import { channelLink, clipMd, type Mrkdwn, md, quote } from "./mrkdwn.js";

/** One-section message whose text is the section. */
export const sentence = (text: Mrkdwn): SlackMessage => message(text, [section(text)]);

export function buildTeamSaved(o: { team: Team; created: boolean; by: string }): SlackMessage {
  const t = o.team;
  const cadence = t.cadenceWeeks === 2 ? "every two weeks" : "every week";
  const head = o.created ? md`🎉 *${t.name}* is set up here` : md`⚙️ *${t.name}* settings updated`;
  const next = o.created ? md` Write the team's first bet with \`/ratchet new\`.` : md``;
  return sentence(
    md`${head} by ${user(o.by)}: 15-minute reviews ${cadence} on ${weekdayName(t.reviewWeekday)} at ${t.reviewTime} (${t.timezone}).${next}`,
  );
}

export function buildRollupSettingsSaved(o: { team: Team; workspaceChannelId: string | null }): SlackMessage {
  const t = o.team;
  const ws = o.workspaceChannelId
    ? md`The all-teams rollup goes to ${channelLink(o.workspaceChannelId)}.`
    : md`The all-teams rollup is off.`;
  return sentence(
    md`⚙️ *${t.name}*'s weekly rollup: every ${weekdayName(t.rollupWeekday)} at ${t.rollupTime} (${t.timezone}) in ${channelLink(t.channelId)}. ${ws}`,
  );
}

export function buildDebriefSettingsSaved(o: { team: Team; by: string; schedule: string }): SlackMessage {
  return sentence(md`⚙️ ${user(o.by)} updated *${o.team.name}*'s end-of-week debrief: ${o.schedule}.`);
}

export function buildIncidentChannel(o: { team: Team; changed: boolean }): SlackMessage {
  const where = o.team.incidentsChannelId ?? o.team.channelId;
  if (o.changed) {
    return sentence(
      md`${o.team.name}'s new incidents will be posted in ${channelLink(where)}. Invite me there if I'm not in it yet.`,
    );
  }
  const note = o.team.incidentsChannelId ? "" : " (the team channel)";
  return sentence(
    md`${o.team.name}'s incidents are posted in ${channelLink(where)}${note}. Change it with \`/ratchet incident channel #channel\`.`,
  );
}

/**
 * The saver's own notes after a settings save, for the changed sections the channel isn't told about
 * (the outbox posts the team's and the debrief's confirmations in the channel).
 */
export function buildSettingsNotes(o: {
  team: Team;
  workspaceChannelId: string | null;
  changed: readonly SettingsSection[];
}): SlackMessage[] {
  return [
    ...(o.changed.includes("rollup") ? [buildRollupSettingsSaved(o)] : []),
    ...(o.changed.includes("incidents") ? [buildIncidentChannel({ team: o.team, changed: true })] : []),
  ];
}

const KIND_WORDS: Record<DeliveryKind, string> = {
  review_due: "a review reminder",
  review_calendar: "a review calendar file",
  debrief_prompt: "the end-of-week debrief prompt",
  debrief_digest: "the end-of-week debrief digest",
  debrief_nudge: "a debrief nudge",
  alarm: "a thrash alarm",
  quota_reminder: "the novelty-quota reminder",
  outcome_prompt: "a deviation's outcome prompt",
  action_item_nudge: "an action-item nudge",
  rollup: "the weekly rollup",
  rollup_chart: "the rollup's chart",
  workspace_rollup: "the all-teams rollup",
  one_pager: "a mechanism's one-pager",
  decision_entry: "a decision-log entry",
  guardrail_breach: "a breached guardrail's note to its stop owner",
  deviation_card: "a deviation's card",
  verdict: "a deviation's outcome",
  incident_card: "an incident",
  coe_overdue: "a nudge about an overdue COE",
  incident_note: "the similar-incidents note in an incident's thread",
  debrief_answer: "a debrief answer",
  team_saved: "the team's setup confirmation",
  debrief_settings_saved: "the debrief settings confirmation",
  wbr: "the weekly business review",
  wbr_reminder: "a reminder of a missing WBR reading",
  wbr_chart: "the weekly business review's chart",
  quarter_open: "the quarterly review's opening",
  quarterly_review: "a quarterly review",
  learning_scheduled: "a learning session's announcement",
  learning_reminder: "a learning session's reminder",
  learning_links_ask: "a request for a learning session's recording and slides",
  hat_case: "an Anthropologist Hat case",
};

/**
 * To a team's admin, once, when Ratchet can't post in one of the team's channels: the fix, and the
 * message that was refused (a "team saved" confirmation says what was saved), which waits with the rest.
 */
export function buildChannelProblem(o: {
  channelId: string;
  error: string;
  team: Team | null;
  waiting: SlackMessage | null;
}): SlackMessage {
  const who = o.team ? md` for *${o.team.name}*` : md``;
  const head = md`⚠️ I can't post in ${channelLink(o.channelId)}${who} (Slack says \`${o.error}\`). ${channelProblemAdvice(o.error)}`;
  if (!o.waiting) {
    return sentence(
      md`${head} Reminders, cards, debriefs, alarms and rollups wait until then, and go out on their own once I'm back.`,
    );
  }
  return sentence(
    md`${head} Everything I have to post there waits until then and goes out on its own once I'm back, starting with:\n${quote(clipMd(o.waiting.text, 1500))}`,
  );
}

/** To a team's admin when a message could not be delivered at all (it is also in the logs). */
export function buildDeliveryGivenUp(o: {
  kind: DeliveryKind;
  channelId: string;
  error: string;
}): SlackMessage {
  const what = KIND_WORDS[o.kind];
  return sentence(
    md`⚠️ I couldn't post ${what} in ${channelLink(o.channelId)}: ${o.error}. I've stopped trying; it is logged for whoever runs Ratchet.`,
  );
}

/** What a modal turns into when its submission failed unexpectedly: better than closing as if it saved. */
export function buildApologyModal(text: Mrkdwn): ModalView {
  return modal({ callbackId: APOLOGY_VIEW, title: "Ratchet", close: "Close", blocks: [section(text)] });
}
