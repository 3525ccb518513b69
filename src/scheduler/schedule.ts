import { isValidTimeZone } from "../shared/time-zone.js";

/**
 * Pure schedule arithmetic: when does a team's local weekly ritual fall, as a UTC instant?
 *
 * Rituals are defined in a team's IANA time zone (weekday + "HH:mm"); instants are UTC `Date`s.
 * Nothing here reads the clock or the host time zone: every conversion goes through `Intl` with an
 * explicit `timeZone`, and calendar arithmetic is done on "local day numbers" with UTC methods only.
 * We do not use `TZDate` for wall-time → instant conversion because its answer for ambiguous wall
 * times depends on the host zone (date-fns/tz#25).
 *
 * DST policy
 * - A local time that does not exist (spring-forward gap) is moved forward by the gap length:
 *   02:30 on 2026-03-08 in America/New_York becomes 03:30 EDT (07:30Z).
 * - A local time that occurs twice (fall-back overlap) resolves to the FIRST occurrence, the earlier
 *   instant: 01:30 on 2026-11-01 in America/New_York is 01:30 EDT (05:30Z).
 * - Weekly slots keep their local wall time across DST changes, so their UTC instant shifts.
 *
 * Cadence and cycles are counted in LOCAL calendar weeks (Monday-start, ISO), never in 7×24h, so a
 * two-week cadence keeps its parity across DST changes and across ISO week 53.
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const DAYS_PER_WEEK = 7;
const WEEKDAY_LABELS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** A weekly local wall time in a team's zone. `weekday` is ISO: 1 = Monday … 7 = Sunday. */
export type LocalSlot = { tz: string; weekday: number; time: string };

/** A slot that repeats every `cadenceWeeks` local calendar weeks; `anchor` fixes which weeks. */
export type CadencedSlot = LocalSlot & { cadenceWeeks: 1 | 2; anchor: Date };

export type LocalParts = { date: string; time: string; weekday: number };

// ---------------------------------------------------------------------------------------------
// Zone primitives. A "wall" value is the local wall-clock reading encoded as if it were UTC ms,
// which lets us do calendar arithmetic with Date.UTC and never touch the host zone.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

const WALL_SHAPE = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}), (\d{2}):(\d{2}):(\d{2})$/;

/** The local wall clock at `epochMs` in `tz`, encoded as UTC ms (whole seconds plus the instant's ms). */
function wallAt(epochMs: number, tz: string): number {
  const formatter = formatterFor(tz);
  // format() is ~2.5× cheaper than formatToParts() (issue 10: 22% of a tick); its en-US h23 shape
  // "M/D/YYYY, HH:mm:ss" is the parts joined, and anything else (an era, other digits) takes the parts.
  const match = WALL_SHAPE.exec(formatter.format(epochMs));
  const fields: Record<string, string | undefined> = {};
  if (match) {
    [fields.month, fields.day, fields.year, fields.hour, fields.minute, fields.second] = match.slice(1);
  } else {
    for (const part of formatter.formatToParts(epochMs)) fields[part.type] = part.value;
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto the 1900s.
  const wall = new Date(0);
  wall.setUTCFullYear(Number(fields.year), Number(fields.month) - 1, Number(fields.day));
  wall.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  const subSecond = ((epochMs % 1000) + 1000) % 1000;
  return wall.getTime() + subSecond;
}

function offsetAt(epochMs: number, tz: string): number {
  return wallAt(epochMs, tz) - epochMs;
}

/** The instant showing wall time `wall` in `tz`, under the module's gap/overlap policy. */
function wallToEpoch(wall: number, tz: string): number {
  // Offsets a day either side bracket any real transition; candidates are checked, not trusted.
  const before = offsetAt(wall - MS_PER_DAY, tz);
  const after = offsetAt(wall + MS_PER_DAY, tz);
  const valid = [wall - before, wall - after].filter((epoch) => wallAt(epoch, tz) === wall);
  if (valid.length > 0) return Math.min(...valid); // overlap → first occurrence
  // Gap: reading the wall time with the pre-transition offset lands `gap` later on the new clock.
  return wall - before;
}

function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone: "${tz}"`);
}

// ---------------------------------------------------------------------------------------------
// Local calendar days as integers (days since 1970-01-01), so weeks are plain arithmetic.

function dayOfWall(wall: number): number {
  return Math.floor(wall / MS_PER_DAY);
}

function isoWeekdayOfDay(day: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return mod(day + 3, DAYS_PER_WEEK) + 1;
}

function mondayOfDay(day: number): number {
  return day - (isoWeekdayOfDay(day) - 1);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function formatDay(day: number): string {
  const date = new Date(day * MS_PER_DAY);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function formatWallTime(wall: number): string {
  const msOfDay = mod(wall, MS_PER_DAY);
  return `${pad(Math.floor(msOfDay / 3_600_000))}:${pad(Math.floor(msOfDay / MS_PER_MINUTE) % 60)}`;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseDay(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Expected a date as "yyyy-MM-dd", got "${date}"`);
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const day = Date.UTC(y, m - 1, d) / MS_PER_DAY;
  // Date.UTC silently rolls 2026-02-30 into March; a form value like that is a user error.
  if (formatDay(day) !== date) throw new RangeError(`No such calendar date: "${date}"`);
  return day;
}

function parseMinuteOfDay(time: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`Expected a time as "HH:mm" (00:00–23:59), got "${time}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function assertSlot(slot: LocalSlot): number {
  assertTimeZone(slot.tz);
  if (!Number.isInteger(slot.weekday) || slot.weekday < 1 || slot.weekday > 7) {
    throw new RangeError(`Expected an ISO weekday 1–7, got ${slot.weekday}`);
  }
  return parseMinuteOfDay(slot.time);
}

function assertCadence(cadenceWeeks: number): void {
  if (!Number.isInteger(cadenceWeeks) || cadenceWeeks < 1) {
    throw new RangeError(`Expected a cadence of whole weeks ≥ 1, got ${cadenceWeeks}`);
  }
}

function slotEpochOnDay(day: number, minuteOfDay: number, tz: string): number {
  return wallToEpoch(day * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE, tz);
}

/**
 * The first occurrence of `slot` at or after (`inclusive`) / strictly after `from`, restricted to
 * local calendar weeks a whole number of `cadenceWeeks` from the week holding `anchorDay`.
 */
function scanForward(
  slot: LocalSlot,
  cadenceWeeks: number,
  anchorDay: number,
  from: number,
  inclusive: boolean,
): number {
  const minuteOfDay = assertSlot(slot);
  // Start a day early: a gap-shifted slot on the previous local date can land after `from`.
  const startDay = dayOfWall(wallAt(from, slot.tz)) - 1;
  let day = startDay + mod(slot.weekday - isoWeekdayOfDay(startDay), DAYS_PER_WEEK);
  const weeksFromAnchor = (mondayOfDay(day) - mondayOfDay(anchorDay)) / DAYS_PER_WEEK;
  day += mod(-weeksFromAnchor, cadenceWeeks) * DAYS_PER_WEEK;
  for (;;) {
    const epoch = slotEpochOnDay(day, minuteOfDay, slot.tz);
    if (inclusive ? epoch >= from : epoch > from) return epoch;
    day += cadenceWeeks * DAYS_PER_WEEK;
  }
}

// ---------------------------------------------------------------------------------------------
// Public API

/** The first instant at or after `from` that falls on the slot's local weekday and time. */
export function firstSlotOnOrAfter(slot: LocalSlot, from: Date): Date {
  // With cadence 1 every week qualifies, so any day serves as the parity reference.
  return new Date(scanForward(slot, 1, 0, from.getTime(), true));
}

/**
 * The first instant strictly after `after` on the slot's local weekday and time whose local
 * calendar week is a whole number of `cadenceWeeks` from the anchor's local week. The anchor only
 * fixes parity; it is not a lower bound.
 */
export function nextWeeklySlot(slot: CadencedSlot, after: Date): Date {
  return new Date(scanForward(slot, slot.cadenceWeeks, anchorDayOf(slot), after.getTime(), false));
}

/** Every due occurrence in (`fromExclusive`, `toInclusive`], ascending; for catch-up after downtime. */
export function slotsBetween(slot: CadencedSlot, fromExclusive: Date, toInclusive: Date): Date[] {
  const anchorDay = anchorDayOf(slot);
  const end = toInclusive.getTime();
  const due: Date[] = [];
  let cursor = fromExclusive.getTime();
  for (;;) {
    cursor = scanForward(slot, slot.cadenceWeeks, anchorDay, cursor, false);
    if (cursor > end) return due;
    due.push(new Date(cursor));
  }
}

function anchorDayOf(slot: CadencedSlot): number {
  assertTimeZone(slot.tz);
  assertCadence(slot.cadenceWeeks);
  return dayOfWall(wallAt(slot.anchor.getTime(), slot.tz));
}

/** The local calendar date of `instant` in `tz`, as "yyyy-MM-dd". */
export function localDateKey(instant: Date, tz: string): string {
  assertTimeZone(tz);
  return formatDay(dayOfWall(wallAt(instant.getTime(), tz)));
}

/** A short local label for messages, e.g. "Fri 15:00". */
export function localTimeLabel(instant: Date, tz: string): string {
  const { time, weekday } = instantToLocalParts(instant, tz);
  return `${WEEKDAY_LABELS[weekday - 1]} ${time}`;
}

/** The local ISO week of `instant`, e.g. "2026-W53"; the year is the ISO week-year. */
export function isoWeekKey(instant: Date, tz: string): string {
  assertTimeZone(tz);
  const day = dayOfWall(wallAt(instant.getTime(), tz));
  // An ISO week belongs to the year holding its Thursday.
  const thursday = mondayOfDay(day) + 3;
  const weekYear = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  const firstJan = Date.UTC(weekYear, 0, 1) / MS_PER_DAY;
  const week = Math.floor((thursday - firstJan) / DAYS_PER_WEEK) + 1;
  return `${pad(weekYear, 4)}-W${pad(week)}`;
}

/**
 * Which cadence-long cycle `instant` falls in. Cycle 0 starts at the anchor's local date and wall
 * time; cycle k starts k × cadenceWeeks local weeks later at the same wall time (negative k before
 * the anchor). Cycles are half-open: [start, end).
 */
export function cycleIndex(anchor: Date, cadenceWeeks: number, tz: string, instant: Date): number {
  assertTimeZone(tz);
  assertCadence(cadenceWeeks);
  const at = instant.getTime();
  const cycleMs = cadenceWeeks * DAYS_PER_WEEK * MS_PER_DAY;
  // Estimate on wall clocks, then settle on instants: near a DST change the two differ by an hour.
  let index = Math.floor((wallAt(at, tz) - wallAt(anchor.getTime(), tz)) / cycleMs);
  while (cycleStart(anchor, cadenceWeeks, tz, index) > at) index -= 1;
  while (cycleStart(anchor, cadenceWeeks, tz, index + 1) <= at) index += 1;
  return index;
}

/** The instants bounding cycle `index`: `start` inclusive, `end` exclusive (the next cycle's start). */
export function cycleBounds(
  anchor: Date,
  cadenceWeeks: number,
  tz: string,
  index: number,
): { start: Date; end: Date } {
  assertTimeZone(tz);
  assertCadence(cadenceWeeks);
  if (!Number.isInteger(index)) throw new RangeError(`Expected a whole cycle index, got ${index}`);
  return {
    start: new Date(cycleStart(anchor, cadenceWeeks, tz, index)),
    end: new Date(cycleStart(anchor, cadenceWeeks, tz, index + 1)),
  };
}

function cycleStart(anchor: Date, cadenceWeeks: number, tz: string, index: number): number {
  const anchorWall = wallAt(anchor.getTime(), tz);
  return wallToEpoch(anchorWall + index * cadenceWeeks * DAYS_PER_WEEK * MS_PER_DAY, tz);
}

/** The instant for a local date and time typed into a modal, under the module's DST policy. */
/** The same local wall time `weeks` calendar weeks earlier (negative: later), DST-safe. */
export function weeksBefore(instant: Date, weeks: number, tz: string): Date {
  const { date, time } = instantToLocalParts(instant, tz);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d - 7 * weeks)).toISOString().slice(0, 10);
  return localDateTimeToInstant(shifted, time, tz);
}

export function localDateTimeToInstant(date: string, time: string, tz: string): Date {
  assertTimeZone(tz);
  const day = parseDay(date);
  return new Date(slotEpochOnDay(day, parseMinuteOfDay(time), tz));
}

/** How `instant` reads on a wall clock in `tz`: local date, "HH:mm" (seconds dropped), ISO weekday. */
export function instantToLocalParts(instant: Date, tz: string): LocalParts {
  assertTimeZone(tz);
  const wall = wallAt(instant.getTime(), tz);
  const day = dayOfWall(wall);
  return { date: formatDay(day), time: formatWallTime(wall), weekday: isoWeekdayOfDay(day) };
}
