import type { KnownBlock } from "@slack/types";
import { TEAM_SUBJECT } from "../../alarms/alarm.js";
import type { AlarmKind } from "../../alarms/types.js";
import { ALARM_KIND_INFO } from "../../alarms/types.js";
import { ALARM_ACTION, ALARM_BLOCK } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { actions, button, clip, context, esc, section } from "./kit.js";

/** What an alarm message shows; the same data renders every state, so updates stay in place. */
export interface AlarmView {
  id: string;
  kind: AlarmKind;
  subjectKey: string;
  subjectLabel: string;
  evidence: string;
  suggestion: string;
  /** e.g. "Tue 1 Dec, 10:00 (Europe/London)" */
  raisedLabel: string;
}

export type AlarmState =
  | { status: "open" }
  | { status: "acknowledged"; by: string }
  | { status: "snoozed"; by: string; backLabel: string }
  | { status: "resolved"; resolvedLabel: string };

const FAMILY_HEAD = { thrash: "🚨 Thrash alarm", purgatory: "🧪 Pilot purgatory" } as const;

/**
 * Evidence is written by the rules and quotes people's own text (titles, statements), so it is
 * escaped; the rules' own user mentions are put back so they still render as names.
 */
export const escEvidence = (text: string): string => esc(text).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>");

const subjectPart = (a: AlarmView) =>
  a.subjectKey === TEAM_SUBJECT ? "" : ` · ${esc(clip(a.subjectLabel, 120))}`;

/** The alarm as posted, acknowledged, snoozed or resolved: title, evidence, one small move, buttons. */
export function buildAlarmMessage(a: AlarmView, state: AlarmState): SlackMessage {
  const { title, family } = ALARM_KIND_INFO[a.kind];
  const plainSubject = a.subjectKey === TEAM_SUBJECT ? "" : ` — ${a.subjectLabel}`;
  if (state.status === "resolved") {
    return {
      text: clip(`✅ Resolved — ${title}${plainSubject}`, 300),
      blocks: [
        section(
          `✅ *Resolved — ${title}*${subjectPart(a)}\n_The condition no longer holds._`,
          ALARM_BLOCK.head,
        ),
        context(`~${escEvidence(a.evidence)}~`, ALARM_BLOCK.evidence),
        context(`Raised ${a.raisedLabel} · resolved ${state.resolvedLabel}`, ALARM_BLOCK.status),
      ],
    };
  }
  const blocks: KnownBlock[] = [
    section(`${FAMILY_HEAD[family]} — *${title}*${subjectPart(a)}`, ALARM_BLOCK.head),
    section(escEvidence(a.evidence), ALARM_BLOCK.evidence),
    section(`*One small move:* ${esc(a.suggestion)}`, ALARM_BLOCK.suggestion),
  ];
  const acknowledge = button("Acknowledge", ALARM_ACTION.acknowledge, a.id, "primary");
  const snooze = button("Snooze one cycle", ALARM_ACTION.snooze, a.id);
  switch (state.status) {
    case "open":
      blocks.push(
        context(`Raised ${a.raisedLabel}`, ALARM_BLOCK.status),
        actions([acknowledge, snooze], ALARM_BLOCK.actions),
      );
      break;
    case "acknowledged":
      blocks.push(
        context(`Raised ${a.raisedLabel} · 👀 Acknowledged by ${user(state.by)}`, ALARM_BLOCK.status),
        actions([snooze], ALARM_BLOCK.actions),
      );
      break;
    case "snoozed":
      blocks.push(
        context(
          `Raised ${a.raisedLabel} · 😴 Snoozed one cycle by ${user(state.by)}; if it still holds it comes back from ${state.backLabel}`,
          ALARM_BLOCK.status,
        ),
      );
      break;
  }
  return { text: clip(`${FAMILY_HEAD[family]}: ${title}${plainSubject}`, 300), blocks };
}

export interface AlarmListItem {
  kind: AlarmKind;
  subjectKey: string;
  subjectLabel: string;
  evidence: string;
  status: "open" | "acknowledged" | "snoozed";
}

const LIST_MAX = 20;
const STATUS_NOTE = { open: "", acknowledged: " · 👀 acknowledged", snoozed: " · 😴 snoozed" } as const;

/** `/ratchet alarms`: the team's unresolved alarms, thrash first, or a reassuring empty state. */
export function buildAlarmList(o: { teamName: string; alarms: readonly AlarmListItem[] }): SlackMessage {
  if (o.alarms.length === 0) {
    return {
      text: "No thrash alarms.",
      blocks: [
        section(
          `*No thrash alarms — ${esc(o.teamName)} is clear.* Ratchet checks once a cycle and whenever a mechanism, decision or deviation changes, and posts anything it finds in the team channel.`,
        ),
      ],
    };
  }
  const lines = o.alarms.slice(0, LIST_MAX).map((a) => {
    const { title, family } = ALARM_KIND_INFO[a.kind];
    const head = `${family === "thrash" ? "🚨" : "🧪"} *${title}*${a.subjectKey === TEAM_SUBJECT ? "" : ` · ${esc(clip(a.subjectLabel, 80))}`}${STATUS_NOTE[a.status]}`;
    return `${head}\n${escEvidence(a.evidence)}`;
  });
  const more = o.alarms.length > LIST_MAX ? [context(`…and ${o.alarms.length - LIST_MAX} more.`)] : [];
  const count = o.alarms.length === 1 ? "1 alarm" : `${o.alarms.length} alarms`;
  return {
    text: `${o.teamName}: ${count}`,
    blocks: [section(`*${esc(o.teamName)}* — ${count} still open`), ...lines.map((l) => section(l)), ...more],
  };
}
