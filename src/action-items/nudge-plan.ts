import { localDateKey, localDateTimeToInstant } from "../scheduler/schedule.js";

/**
 * When an open action item's owner is nudged (COE step 6: track the completion of every action
 * item). Two nudges per due date, each at the start of the owner's working day:
 *
 * - "pre": PRE_DUE_DAYS before the due date at NUDGE_TIME, owner-local;
 * - "overdue": the day after the due date (the first day it is overdue) at NUDGE_TIME, owner-local.
 *
 * Catch-up after downtime: a missed pre-due nudge is still sent while the item is not overdue yet
 * (the owner's local date is on or before the due date); once it is overdue only the overdue nudge
 * goes, once, however late. A pre-due nudge is also skipped when the due date was set after its
 * slot (an item created or extended two days before it is due): the owner has just agreed to it.
 */
export type NudgeKind = "pre" | "overdue";

const PRE_DUE_DAYS = 3;
const NUDGE_TIME = "09:00";

/** "yyyy-MM-dd" shifted by whole calendar days (no time zone involved: a date is a date). */
export function addDays(date: string, days: number): string {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The instants of both nudges for a due date in the owner's zone. */
export function nudgeSlots(dueDate: string, tz: string): Record<NudgeKind, Date> {
  return {
    pre: localDateTimeToInstant(addDays(dueDate, -PRE_DUE_DAYS), NUDGE_TIME, tz),
    overdue: localDateTimeToInstant(addDays(dueDate, 1), NUDGE_TIME, tz),
  };
}

/**
 * The nudge due now for this item, or null. `dueSetAt` is when the current due date was set
 * (creation, or the latest extension). Pure: the job claims the answer exactly once per
 * (item, kind, dueDate), so answering the same thing on every tick is safe.
 */
export function dueNudge(
  item: { status: string; dueDate: string; dueSetAt: Date },
  tz: string,
  now: Date,
): NudgeKind | null {
  if (item.status !== "open") return null;
  const slots = nudgeSlots(item.dueDate, tz);
  if (now.getTime() >= slots.overdue.getTime()) return "overdue";
  const overdueAlready = localDateKey(now, tz) > item.dueDate;
  if (overdueAlready || now.getTime() < slots.pre.getTime()) return null;
  return item.dueSetAt.getTime() > slots.pre.getTime() ? null : "pre";
}

/** The delivery key of one nudge: a new due date gets new keys, which is how an extension re-arms them. */
export const nudgeKey = (actionItemId: string, kind: NudgeKind, dueDate: string): string =>
  `nudge:${actionItemId}:${kind}:${dueDate}`;

/**
 * The latest due date for which a nudge could be due anywhere on Earth at `now`: the date PRE_DUE_DAYS
 * after today in the most-ahead zone (UTC+14). The job loads only items due on or before it, so a
 * tick costs what is near due, not every open item.
 */
export function nudgeHorizon(now: Date): string {
  return addDays(localDateKey(now, "Pacific/Kiritimati"), PRE_DUE_DAYS);
}
