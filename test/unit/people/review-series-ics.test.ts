import { describe, expect, it } from "vitest";
import {
  escapeText,
  foldLine,
  type ReviewSeries,
  reviewSeriesIcs,
} from "../../../src/renderers/ics/review-series.js";

const series = (o: Partial<ReviewSeries> = {}): ReviewSeries => ({
  mechanismId: "m1",
  title: "First-run nudge",
  description: "Review it",
  tz: "America/New_York",
  startDate: "2027-03-09",
  time: "10:00",
  weekday: 2,
  intervalWeeks: 1,
  exdates: [],
  stamp: new Date("2027-03-01T12:00:00Z"),
  ...o,
});

const unfold = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n").filter(Boolean);

describe("the review series as .ics", () => {
  it("escapes backslashes, semicolons, commas and newlines in text", () => {
    expect(escapeText("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
    const lines = unfold(reviewSeriesIcs(series({ title: "Ship; then, measure\\ <!channel>" })));
    expect(lines).toContain("SUMMARY:15-minute review: Ship\\; then\\, measure\\\\ <!channel>");
  });

  it("folds long lines at 75 octets without splitting a UTF-8 character, and unfolds back", () => {
    const long = `DESCRIPTION:${"é".repeat(100)}`;
    const folded = foldLine(long);
    for (const line of folded.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(
      folded
        .split("\r\n")
        .slice(1)
        .every((l) => l.startsWith(" ")),
    ).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(long);
    expect(folded).not.toContain("\uFFFD");
    const ics = reviewSeriesIcs(series({ description: "x".repeat(300) }));
    expect(ics.split("\r\n").every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it("keeps the local wall time across DST: DTSTART and EXDATE are local with the IANA TZID", () => {
    const lines = unfold(
      reviewSeriesIcs(series({ exdates: ["2027-03-16", "2027-11-09", "2027-03-16"], intervalWeeks: 2 })),
    );
    expect(lines).toContain("DTSTART;TZID=America/New_York:20270309T100000");
    expect(lines).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
    // Before and after spring forward, and after fall back: the same 10:00, once each.
    expect(lines).toContain("EXDATE;TZID=America/New_York:20270316T100000,20271109T100000");
    expect(lines).toContain("DURATION:PT15M");
    expect(lines).toContain("UID:review-series-m1@ratchet");
    expect(lines).toContain("DTSTAMP:20270301T120000Z");
  });

  it("is a well-formed calendar with CRLF line ends and one VEVENT", () => {
    const ics = reviewSeriesIcs(series());
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = unfold(ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    expect(lines.some((l) => l.startsWith("EXDATE"))).toBe(false);
  });
});
