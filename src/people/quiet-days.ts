import { localDateKey, localDateTimeToInstant } from "../scheduler/schedule.js";

/**
 * Quiet days: a team's holidays (dates in the team's zone) and a person's time away (dates in the
 * zone they were entered in). Both are local-date ranges, inclusive; comparing "yyyy-MM-dd" strings
 * orders them like the dates they name.
 */
export interface QuietDay {
  id: string;
  slackTeamId: string;
  /** set for a team holiday */
  teamId: string | null;
  /** set for a person's time away */
  userId: string | null;
  fromDate: string;
  toDate: string;
  timezone: string;
  note: string;
  createdBy: string;
  createdAt: Date;
}

export type NewQuietDay = Omit<QuietDay, "id">;

const MS_PER_DAY = 86_400_000;
/** Quiet ranges are at most a year: a typo like 2207 must not silence a team for ever. */
export const MAX_QUIET_DAYS = 366;
/** How far ahead a moved occurrence is looked for before it merges into the next regular one. */
const LOOK_AHEAD_DAYS = 62;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "yyyy-MM-dd", as days since 1970-01-01; null when it is no date. */
export function dayNumber(date: string): number | null {
  const m = DATE_SHAPE.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  return back === date ? ms / MS_PER_DAY : null;
}

/** `date` moved by `days` calendar days (no zone: a local date stays a local date). */
export function addDays(date: string, days: number): string {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`not a date: "${date}"`);
  return new Date((n + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

const covers = (q: Pick<QuietDay, "fromDate" | "toDate">, date: string) =>
  q.fromDate <= date && date <= q.toDate;

/** Whether a local date falls in any of the ranges. */
export const isQuietDate = (date: string, quiet: readonly Pick<QuietDay, "fromDate" | "toDate">[]) =>
  quiet.some((q) => covers(q, date));

/** Whether a person is away at `instant`: its date, read in each range's own zone, is in the range. */
export const isAwayAt = (instant: Date, away: readonly QuietDay[]) =>
  away.some((q) => covers(q, localDateKey(instant, q.timezone)));

/**
 * Where an occurrence goes when its day is quiet (or it is skipped): the first day from `fromDate`
 * on that is no team quiet day, at the same local time. Null when that reaches `before` (the next
 * regular occurrence): then it merges into that one rather than making two reviews close together.
 */
export function nextOpenSlot(o: {
  fromDate: string;
  time: string;
  tz: string;
  quiet: readonly Pick<QuietDay, "fromDate" | "toDate">[];
  before: Date | null;
}): Date | null {
  for (let i = 0; i < LOOK_AHEAD_DAYS; i++) {
    const date = addDays(o.fromDate, i);
    if (isQuietDate(date, o.quiet)) continue;
    const at = localDateTimeToInstant(date, o.time, o.tz);
    return o.before && at.getTime() >= o.before.getTime() ? null : at;
  }
  return null;
}
