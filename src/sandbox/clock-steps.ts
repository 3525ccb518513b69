import { TZDate } from "@date-fns/tz";
import { addDays, addHours, addWeeks } from "date-fns";

/** The page's clock buttons: each moves the simulated clock forward, then the scheduler ticks once. */
export const CLOCK_STEPS = {
  hour: "+1 hour",
  day: "+1 day",
  week: "+1 week",
  monday: "to next Monday 09:00",
} as const;
export type ClockStep = keyof typeof CLOCK_STEPS;

/** Where a step lands; "next Monday 09:00" is wall time in `timezone`, so it holds across DST. */
export function stepClock(now: Date, step: ClockStep, timezone: string): Date {
  switch (step) {
    case "hour":
      return addHours(now, 1);
    case "day":
      return addDays(now, 1);
    case "week":
      return addWeeks(now, 1);
    case "monday": {
      const local = new TZDate(now.getTime(), timezone);
      let at = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), 9, 0, 0, timezone);
      while (at.getDay() !== 1 || at.getTime() <= now.getTime()) {
        at = new TZDate(at.getFullYear(), at.getMonth(), at.getDate() + 1, 9, 0, 0, timezone);
      }
      return new Date(at.getTime());
    }
  }
}
