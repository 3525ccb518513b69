/**
 * A mechanism's review series as an RFC 5545 calendar (one VEVENT with a weekly RRULE), so the
 * 15-minute review lands in the team's calendars. Pure: data in, text out.
 *
 * Times are local wall times with a TZID naming the team's IANA zone (calendar clients resolve IANA
 * names), so the review keeps its wall time across DST exactly as Ratchet's own schedule does. Quiet
 * days on the series become EXDATEs. Text is escaped per RFC 5545 §3.3.11; lines are folded at 75
 * octets (§3.1), never inside a UTF-8 character.
 */

export interface ReviewSeries {
  mechanismId: string;
  title: string;
  description: string;
  /** the team's IANA zone */
  tz: string;
  /** the first occurrence's local date, yyyy-MM-dd */
  startDate: string;
  /** the slot's local time, HH:mm */
  time: string;
  /** ISO weekday of the slot, 1 = Monday */
  weekday: number;
  intervalWeeks: 1 | 2;
  /** local dates (yyyy-MM-dd) of occurrences that won't be held: the team's quiet days */
  exdates: string[];
  /** when the file is made (DTSTAMP) */
  stamp: Date;
}

const BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const FOLD_AT = 75;
const REVIEW_MINUTES = 15;

/** TEXT value escaping: backslash, semicolon, comma and newlines. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds one content line into lines of at most 75 octets, each continuation starting with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    const limit = out.length === 0 ? FOLD_AT : FOLD_AT - 1;
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

const localStamp = (date: string, time: string) => `${date.replaceAll("-", "")}T${time.replace(":", "")}00`;

const utcStamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

export function reviewSeriesIcs(s: ReviewSeries): string {
  const tzid = `TZID=${s.tz}`;
  const exdates = [...new Set(s.exdates)].sort().map((d) => localStamp(d, s.time));
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Ratchet//Review series//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-TIMEZONE:${s.tz}`,
    "BEGIN:VEVENT",
    `UID:review-series-${s.mechanismId}@ratchet`,
    `DTSTAMP:${utcStamp(s.stamp)}`,
    `DTSTART;${tzid}:${localStamp(s.startDate, s.time)}`,
    `DURATION:PT${REVIEW_MINUTES}M`,
    `RRULE:FREQ=WEEKLY;INTERVAL=${s.intervalWeeks};BYDAY=${BYDAY[s.weekday - 1] ?? "MO"}`,
    ...(exdates.length > 0 ? [`EXDATE;${tzid}:${exdates.join(",")}`] : []),
    `SUMMARY:${escapeText(`15-minute review: ${s.title}`)}`,
    `DESCRIPTION:${escapeText(s.description)}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/** The file the person gets: a readable name, and the calendar. */
export function reviewSeriesFile(s: ReviewSeries): { filename: string; title: string; ics: string } {
  const slug =
    s.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "mechanism";
  return { filename: `reviews-${slug}.ics`, title: `Reviews: ${s.title}`, ics: reviewSeriesIcs(s) };
}
