import { instantToLocalParts, localDateTimeToInstant } from "../scheduler/schedule.js";

/**
 * A calendar quarter on a team's wall clock: from local midnight on 1 Jan, 1 Apr, 1 Jul or 1 Oct
 * (inclusive) to local midnight on the next quarter's first day (exclusive). `label`: "2026 Q4".
 */
export type Quarter = { label: string; start: Date; end: Date };

const pad = (n: number) => String(n).padStart(2, "0");

/** The instant a quarter starts in `tz`; `q` may run past 4 or below 1 and rolls the year over. */
function quarterStart(year: number, q: number, tz: string): Date {
  const index = year * 4 + (q - 1);
  const y = Math.floor(index / 4);
  const month = (index - y * 4) * 3 + 1;
  return localDateTimeToInstant(`${String(y).padStart(4, "0")}-${pad(month)}-01`, "00:00", tz);
}

/** The quarter `instant` falls in, on the wall clock of `tz` (the team's time zone). */
export function quarterOf(instant: Date, tz: string): Quarter {
  const { date } = instantToLocalParts(instant, tz);
  const year = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;
  return { label: `${year} Q${q}`, start: quarterStart(year, q, tz), end: quarterStart(year, q + 1, tz) };
}

/** The quarter before `quarter`, in the same zone. */
export function previousQuarter(quarter: Quarter, tz: string): Quarter {
  return quarterOf(new Date(quarter.start.getTime() - 1), tz);
}
