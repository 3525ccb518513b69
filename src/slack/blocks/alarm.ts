import type { KnownBlock } from "@slack/types";
import type { AlarmListItem, AlarmState, AlarmView } from "../../alarms/alarm.js";
import { TEAM_SUBJECT } from "../../alarms/alarm.js";
import { ALARM_KIND_INFO } from "../../alarms/types.js";
import { ALARM_ACTION, ALARM_BLOCK } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { actions, button, context, message, section } from "./kit.js";
import { clip, esc, literal, type Mrkdwn, md } from "./mrkdwn.js";

export type { AlarmState, AlarmView } from "../../alarms/alarm.js";

const FAMILY_HEAD = { thrash: "🚨 Thrash alarm", purgatory: "🧪 Pilot purgatory" } as const;

/**
 * Evidence is written by the rules and quotes people's own text (titles, statements), so it is
 * escaped; the rules' own user mentions are put back so they still render as names.
 */
const escEvidence = (text: string): Mrkdwn =>
  literal(esc(text).text.replace(/&lt;@([UW][A-Z0-9]{1,20})&gt;/g, "<@$1>"));

const subjectPart = (a: AlarmView): Mrkdwn =>
  a.subjectKey === TEAM_SUBJECT ? md`` : md` · ${clip(a.subjectLabel, 120)}`;

/** "Raised …", or "Still open: 3 cycles, since …" once a later cycle found it still holding. */
const openedLine = (a: AlarmView): Mrkdwn =>
  a.cycles > 1 ? md`Still open: ${a.cycles} cycles, since ${a.raisedLabel}` : md`Raised ${a.raisedLabel}`;

const byWhom = (by: string | null): Mrkdwn => (by ? md` by ${user(by)}` : md``);

/**
 * The alarm as posted, acknowledged, snoozed or resolved: title, evidence, one small move, buttons.
 * One message per open condition: every state, and every cycle it stays open, redraws this one.
 */
export function buildAlarmMessage(a: AlarmView, state: AlarmState): SlackMessage {
  const { title, family } = ALARM_KIND_INFO[a.kind];
  const textSubject = a.subjectKey === TEAM_SUBJECT ? "" : ` — ${clip(a.subjectLabel, 120)}`;
  if (state.status === "resolved") {
    const lasted = a.cycles > 1 ? md` · open ${a.cycles} cycles` : md``;
    return message(md`✅ Resolved — ${title}${textSubject}`, [
      section(
        md`✅ *Resolved — ${title}*${subjectPart(a)}\n_The condition no longer holds._`,
        ALARM_BLOCK.head,
      ),
      context(md`~${escEvidence(a.evidence)}~`, ALARM_BLOCK.evidence),
      context(md`Raised ${a.raisedLabel} · resolved ${state.resolvedLabel}${lasted}`, ALARM_BLOCK.status),
    ]);
  }
  if (state.status === "merged") {
    return message(md`↪️ ${title}${textSubject}: followed in its first message`, [
      section(
        md`↪️ *${title}*${subjectPart(a)}\n_Still open: Ratchet now keeps one message per open condition and updates its first one each cycle._`,
        ALARM_BLOCK.head,
      ),
      context(md`~${escEvidence(a.evidence)}~`, ALARM_BLOCK.evidence),
    ]);
  }
  const blocks: KnownBlock[] = [
    section(md`${FAMILY_HEAD[family]} — *${title}*${subjectPart(a)}`, ALARM_BLOCK.head),
    section(escEvidence(a.evidence), ALARM_BLOCK.evidence),
    section(md`*One small move:* ${a.suggestion}`, ALARM_BLOCK.suggestion),
  ];
  const acknowledge = button("Acknowledge", ALARM_ACTION.acknowledge, a.id, "primary");
  const snooze = button("Snooze one cycle", ALARM_ACTION.snooze, a.id);
  switch (state.status) {
    case "open":
      blocks.push(
        context(openedLine(a), ALARM_BLOCK.status),
        actions([acknowledge, snooze], ALARM_BLOCK.actions),
      );
      break;
    case "acknowledged":
      blocks.push(
        context(md`${openedLine(a)} · 👀 Acknowledged${byWhom(state.by)}`, ALARM_BLOCK.status),
        actions([snooze], ALARM_BLOCK.actions),
      );
      break;
    case "snoozed":
      blocks.push(
        context(
          md`${openedLine(a)} · 😴 Snoozed one cycle${byWhom(state.by)}; if it still holds it comes back from ${state.backLabel}`,
          ALARM_BLOCK.status,
        ),
      );
      break;
  }
  return message(md`${FAMILY_HEAD[family]}: ${title}${textSubject}`, blocks);
}

export type { AlarmListItem } from "../../alarms/alarm.js";

const LIST_MAX = 20;
const STATUS_NOTE = { open: "", acknowledged: " · 👀 acknowledged", snoozed: " · 😴 snoozed" } as const;

/** `/ratchet alarms`: the team's unresolved alarms, thrash first, or a reassuring empty state. */
export function buildAlarmList(o: { teamName: string; alarms: readonly AlarmListItem[] }): SlackMessage {
  if (o.alarms.length === 0) {
    return message(literal("No thrash alarms."), [
      section(
        md`*No thrash alarms — ${o.teamName} is clear.* Ratchet checks once a cycle and whenever a mechanism, decision or deviation changes, and posts anything it finds in the team channel.`,
      ),
    ]);
  }
  const lines = o.alarms.slice(0, LIST_MAX).map((a) => {
    const { title, family } = ALARM_KIND_INFO[a.kind];
    const subject = a.subjectKey === TEAM_SUBJECT ? "" : ` · ${clip(a.subjectLabel, 80)}`;
    // The same count as its message and the rollup's "Open alarms".
    const lasted = a.cycles > 1 ? ` · open ${a.cycles} cycles` : "";
    return md`${family === "thrash" ? "🚨" : "🧪"} *${title}*${subject}${lasted}${STATUS_NOTE[a.status]}\n${escEvidence(a.evidence)}`;
  });
  const more = o.alarms.length > LIST_MAX ? [context(md`…and ${o.alarms.length - LIST_MAX} more.`)] : [];
  const count = o.alarms.length === 1 ? "1 alarm" : `${o.alarms.length} alarms`;
  return message(md`${o.teamName}: ${count}`, [
    section(md`*${o.teamName}* — ${count} still open`),
    ...lines.map((l) => section(l)),
    ...more,
  ]);
}
