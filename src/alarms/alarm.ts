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
