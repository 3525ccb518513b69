import type { AlarmKind } from "./types.js";

export type AlarmStatus = "open" | "acknowledged" | "snoozed" | "resolved";

export const isAlarmStatus = (v: string): v is AlarmStatus =>
  v === "open" || v === "acknowledged" || v === "snoozed" || v === "resolved";

/**
 * One stored alarm: one open condition (team, kind, subject), claimed in the cycle it was raised in
 * and kept — one row, one message — until it clears; each later cycle that finds it still holding
 * moves `lastCycle` on and updates the message in place.
 */
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
  /** the last cycle an evaluation found the condition holding (`cycleIndex` when raised) */
  lastCycle: number;
  /** who acknowledged or snoozed it */
  stateBy: string | null;
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

/** How many cycles a condition has been open, counting the one it was raised in. */
export const openCycles = (a: Pick<Alarm, "cycleIndex" | "lastCycle">): number =>
  Math.max(1, a.lastCycle - a.cycleIndex + 1);

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
  /** cycles it has been open, counting the one it was raised in: "Still open: 3 cycles" from 2 on */
  cycles: number;
}

/** `by` is null for alarms acknowledged or snoozed before Ratchet remembered who did it. */
export type AlarmState =
  | { status: "open" }
  | { status: "acknowledged"; by: string | null }
  | { status: "snoozed"; by: string | null; backLabel: string }
  | { status: "resolved"; resolvedLabel: string }
  /** an older duplicate of a condition (raised again each cycle before issue 11): followed in its first message now */
  | { status: "merged" };

/** One line of `/ratchet alarms`: an unresolved alarm, its latest cycle's row. */
export interface AlarmListItem {
  kind: AlarmKind;
  subjectKey: string;
  subjectLabel: string;
  evidence: string;
  status: "open" | "acknowledged" | "snoozed";
  /** cycles it has been open, as its message says */
  cycles: number;
}
