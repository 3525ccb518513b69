import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";

/** "Tue 24 Nov, 10:00 (Europe/London)" — an instant as people in that zone read it. */
export function localLabel(instant: Date, tz: string): string {
  return `${format(new TZDate(instant, tz), "EEE d MMM, HH:mm")} (${tz})`;
}

/** "yyyy-MM-dd" of an instant in a zone. */
export function localDate(instant: Date, tz: string): string {
  return format(new TZDate(instant, tz), "yyyy-MM-dd");
}
