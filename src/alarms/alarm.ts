import type { AlarmKind } from "./types.js";

export type AlarmStatus = "open" | "acknowledged" | "snoozed" | "resolved";

export const isAlarmStatus = (v: string): v is AlarmStatus =>
  v === "open" || v === "acknowledged" || v === "snoozed" || v === "resolved";

/** One stored alarm: a finding claimed for one (team, kind, subject, cycle). */
export interface Alarm {
  id: string;
  teamId: string;
  kind: AlarmKind;
  /** "team" or a mechanism id */
  subjectKey: string;
  cycleIndex: number;
  evidence: string;
  suggestion: string;
  status: AlarmStatus;
  /** last cycle index the kind+subject stays quiet in */
  snoozeUntil: number | null;
  messageTs: string | null;
  raisedAt: Date;
  resolvedAt: Date | null;
}

/** What the weekly rollup and `/ratchet alarms` show for an unresolved alarm. */
export interface OpenAlarm {
  kind: AlarmKind;
  title: string;
  subjectLabel: string;
  evidence: string;
}

/** kind+subject: the identity an alarm keeps across cycles. */
export const alarmKey = (a: { kind: string; subjectKey: string }): string => `${a.kind}\u0000${a.subjectKey}`;

export const TEAM_SUBJECT = "team";

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

/** One line of `/ratchet alarms`: an unresolved alarm, its latest cycle's row. */
export interface AlarmListItem {
  kind: AlarmKind;
  subjectKey: string;
  subjectLabel: string;
  evidence: string;
  status: "open" | "acknowledged" | "snoozed";
}
