import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CadencedSlot,
  cycleBounds,
  cycleIndex,
  firstSlotOnOrAfter,
  instantToLocalParts,
  isoWeekKey,
  type LocalSlot,
  localDateKey,
  localDateTimeToInstant,
  localTimeLabel,
  nextWeeklySlot,
  slotsBetween,
} from "../../../src/scheduler/schedule.js";

/*
 * 2026 transitions used below (local wall clock; UTC offset in brackets):
 * - America/New_York: Sun 2026-03-08 02:00 EST[-5] → 03:00 EDT[-4]; Sun 2026-11-01 02:00 EDT → 01:00 EST.
 * - Europe/London:    Sun 2026-03-29 01:00 GMT[+0] → 02:00 BST[+1]; Sun 2026-10-25 02:00 BST → 01:00 GMT.
 * - Asia/Kolkata:     IST[+5:30] all year.
 * - Pacific/Auckland: Sun 2026-04-05 03:00 NZDT[+13] → 02:00 NZST[+12]; Sun 2026-09-27 02:00 NZST → 03:00 NZDT.
 * Every expected UTC string is local wall time minus that offset, worked out in the row's comment.
 * 2026 starts on a Thursday, so it has ISO week 53 (Mon 2026-12-28 … Sun 2027-01-03).
 */
const NY = "America/New_York";
const LONDON = "Europe/London";
const KOLKATA = "Asia/Kolkata";
const AUCKLAND = "Pacific/Auckland";

const MON = 1;
const FRI = 5;
const SUN = 7;

const at = (iso: string): Date => new Date(iso);
const weekly = (
  slot: LocalSlot,
  cadenceWeeks: 1 | 2 = 1,
  anchor = at("2026-01-05T00:00:00Z"),
): CadencedSlot => ({
  ...slot,
  cadenceWeeks,
  anchor,
});

// The host zone must never leak into results, so the whole specification runs under several.
// Pacific/Chatham (+12:45/+13:45) catches code that assumes whole-hour or half-hour offsets.
const HOST_ZONES = ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"] as const;
const HOST_OFFSET_MINUTES_ON_2026_07_01: Record<(typeof HOST_ZONES)[number], number> = {
  UTC: 0,
  "America/Los_Angeles": 420,
  "Asia/Tokyo": -540,
  "Pacific/Chatham": -765,
};

describe.each(HOST_ZONES)("schedule, on a host whose TZ is %s", (hostZone) => {
  let savedTz: string | undefined;
  beforeAll(() => {
    savedTz = process.env.TZ;
    process.env.TZ = hostZone;
  });
  afterAll(() => {
    if (savedTz === undefined) Reflect.deleteProperty(process.env, "TZ");
    else process.env.TZ = savedTz;
  });

  it("really runs in that host zone (so the rest of this block proves host independence)", () => {
    expect(at("2026-07-01T00:00:00Z").getTimezoneOffset()).toBe(HOST_OFFSET_MINUTES_ON_2026_07_01[hostZone]);
  });

  describe("nextWeeklySlot keeps the local wall time across each zone's DST changes", () => {
    it.each([
      // Fri 15:00 New York: EST until 8 March, EDT until 1 November.
      [NY, FRI, "15:00", "2026-03-06T12:00:00Z", "2026-03-06T20:00:00.000Z"], // 15:00 EST +5h
      [NY, FRI, "15:00", "2026-03-06T20:00:00Z", "2026-03-13T19:00:00.000Z"], // 15:00 EDT +4h
      [NY, FRI, "15:00", "2026-10-30T12:00:00Z", "2026-10-30T19:00:00.000Z"], // 15:00 EDT +4h
      [NY, FRI, "15:00", "2026-10-30T19:00:00Z", "2026-11-06T20:00:00.000Z"], // 15:00 EST +5h
      // An evening slot whose local Friday is already Saturday in UTC: the local date decides.
      [NY, FRI, "20:00", "2026-03-07T00:30:00Z", "2026-03-07T01:00:00.000Z"], // Fri 19:30 EST → 20:00 EST
      // Mon 09:00 London: GMT until 29 March, BST until 25 October.
      [LONDON, MON, "09:00", "2026-03-23T00:00:00Z", "2026-03-23T09:00:00.000Z"], // 09:00 GMT
      [LONDON, MON, "09:00", "2026-03-23T09:00:00Z", "2026-03-30T08:00:00.000Z"], // 09:00 BST −1h
      [LONDON, MON, "09:00", "2026-10-19T00:00:00Z", "2026-10-19T08:00:00.000Z"], // 09:00 BST −1h
      [LONDON, MON, "09:00", "2026-10-19T08:00:00Z", "2026-10-26T09:00:00.000Z"], // 09:00 GMT
      // Fri 17:00 Kolkata: the same UTC instant every week, through the weeks others change.
      [KOLKATA, FRI, "17:00", "2026-03-06T00:00:00Z", "2026-03-06T11:30:00.000Z"], // 17:00 −5:30
      [KOLKATA, FRI, "17:00", "2026-03-06T11:30:00Z", "2026-03-13T11:30:00.000Z"],
      [KOLKATA, FRI, "17:00", "2026-10-23T11:30:00Z", "2026-10-30T11:30:00.000Z"],
      // Mon 09:00 Auckland: NZDT until 5 April, NZST until 27 September; the UTC date is the Sunday.
      [AUCKLAND, MON, "09:00", "2026-03-29T00:00:00Z", "2026-03-29T20:00:00.000Z"], // Mon 30 Mar 09:00 −13h
      [AUCKLAND, MON, "09:00", "2026-03-29T20:00:00Z", "2026-04-05T21:00:00.000Z"], // Mon 6 Apr 09:00 −12h
      [AUCKLAND, MON, "09:00", "2026-09-20T00:00:00Z", "2026-09-20T21:00:00.000Z"], // Mon 21 Sep 09:00 −12h
      [AUCKLAND, MON, "09:00", "2026-09-20T21:00:00Z", "2026-09-27T20:00:00.000Z"], // Mon 28 Sep 09:00 −13h
    ])("%s weekday %i %s after %s → %s", (tz, weekday, time, after, expected) => {
      const next = nextWeeklySlot(weekly({ tz, weekday, time }), at(after));
      expect(next.toISOString()).toBe(expected);
      expect(instantToLocalParts(next, tz)).toMatchObject({ time, weekday });
    });

    it("returns the NEXT occurrence when `after` is exactly a slot", () => {
      const slot = weekly({ tz: LONDON, weekday: MON, time: "09:00" });
      expect(nextWeeklySlot(slot, at("2026-03-23T09:00:00Z")).toISOString()).toBe("2026-03-30T08:00:00.000Z");
      expect(nextWeeklySlot(slot, at("2026-03-23T08:59:59.999Z")).toISOString()).toBe(
        "2026-03-23T09:00:00.000Z",
      );
    });
  });

  describe("DST policy: a missing time moves forward by the gap, an ambiguous time takes the first occurrence", () => {
    it.each([
      // Spring-forward gaps: the wall time read with the old offset, i.e. one hour later on the new clock.
      [NY, "2026-03-08", "02:30", "2026-03-08T07:30:00.000Z", "03:30"], // 02:30 EST = 03:30 EDT
      [NY, "2026-03-08", "02:00", "2026-03-08T07:00:00.000Z", "03:00"], // first missing minute
      [NY, "2026-03-08", "03:00", "2026-03-08T07:00:00.000Z", "03:00"], // first real minute after it
      [NY, "2026-03-08", "01:59", "2026-03-08T06:59:00.000Z", "01:59"], // last minute before it
      [LONDON, "2026-03-29", "01:30", "2026-03-29T01:30:00.000Z", "02:30"], // 01:30 GMT = 02:30 BST
      [AUCKLAND, "2026-09-27", "02:30", "2026-09-26T14:30:00.000Z", "03:30"], // 02:30 NZST = 03:30 NZDT
      // Fall-back overlaps: the earlier instant, still on summer time.
      [NY, "2026-11-01", "01:30", "2026-11-01T05:30:00.000Z", "01:30"], // 01:30 EDT, not 06:30Z EST
      [NY, "2026-11-01", "01:00", "2026-11-01T05:00:00.000Z", "01:00"],
      [NY, "2026-11-01", "01:59", "2026-11-01T05:59:00.000Z", "01:59"],
      [NY, "2026-11-01", "02:00", "2026-11-01T07:00:00.000Z", "02:00"], // past the overlap: EST
      [LONDON, "2026-10-25", "01:30", "2026-10-25T00:30:00.000Z", "01:30"], // BST, not 01:30Z GMT
      [AUCKLAND, "2026-04-05", "02:30", "2026-04-04T13:30:00.000Z", "02:30"], // NZDT −13h, not 14:30Z
    ])("%s %s %s → %s (reads back as %s)", (tz, date, time, expected, readBack) => {
      const instant = localDateTimeToInstant(date, time, tz);
      expect(instant.toISOString()).toBe(expected);
      expect(instantToLocalParts(instant, tz)).toMatchObject({ date, time: readBack });
    });

    it("fires a weekly slot that falls in the gap once, an hour late on the wall clock", () => {
      const slot = weekly({ tz: NY, weekday: SUN, time: "02:30" });
      expect(nextWeeklySlot(slot, at("2026-03-01T08:00:00Z")).toISOString()).toBe("2026-03-08T07:30:00.000Z");
      // The week after, 02:30 exists again: 02:30 EDT.
      expect(nextWeeklySlot(slot, at("2026-03-08T07:30:00Z")).toISOString()).toBe("2026-03-15T06:30:00.000Z");
    });

    it("moves a slot on a skipped day forward by the whole gap, even into the next local date", () => {
      // Samoa jumped from Thu 29 Dec 2011 23:59 (−10) to Sat 31 Dec 00:00 (+14): Friday never happened.
      // Fri 10:00 read with the old −10 offset is 20:00Z = Sat 10:00 +14, still due after Sat 05:00.
      const slot = weekly({ tz: "Pacific/Apia", weekday: FRI, time: "10:00" });
      const next = nextWeeklySlot(slot, at("2011-12-30T15:00:00Z")); // Sat 31 Dec 05:00 +14
      expect(next.toISOString()).toBe("2011-12-30T20:00:00.000Z");
      expect(localTimeLabel(next, "Pacific/Apia")).toBe("Sat 10:00");
    });

    it("fires a weekly slot that falls in the overlap once, at its first occurrence", () => {
      const slot = weekly({ tz: NY, weekday: SUN, time: "01:30" });
      expect(nextWeeklySlot(slot, at("2026-10-25T06:00:00Z")).toISOString()).toBe("2026-11-01T05:30:00.000Z");
      expect(nextWeeklySlot(slot, at("2026-11-01T05:30:00Z")).toISOString()).toBe("2026-11-08T06:30:00.000Z");
      // Between the two 01:30s (06:00Z is the second 01:00): the repeat of 01:30 is not a new slot.
      expect(nextWeeklySlot(slot, at("2026-11-01T06:00:00Z")).toISOString()).toBe("2026-11-08T06:30:00.000Z");
    });
  });

  describe("cadence 2 counts local calendar weeks from the anchor", () => {
    const fridayReview: LocalSlot = { tz: NY, weekday: FRI, time: "15:00" };
    const anchor = firstSlotOnOrAfter(fridayReview, at("2026-02-25T00:00:00Z"));
    const fortnightly = weekly(fridayReview, 2, anchor);

    it("anchors on the first slot at or after creation", () => {
      expect(anchor.toISOString()).toBe("2026-02-27T20:00:00.000Z"); // Fri 27 Feb 15:00 EST
    });

    it.each([
      ["2026-02-27T20:00:00Z", "2026-03-13T19:00:00.000Z"], // skips Fri 6 Mar; 13 Mar is EDT
      ["2026-03-06T20:00:00Z", "2026-03-13T19:00:00.000Z"], // exactly the off-week Friday
      ["2026-03-13T19:00:00Z", "2026-03-27T19:00:00.000Z"],
      ["2026-02-01T00:00:00Z", "2026-02-13T20:00:00.000Z"], // the anchor fixes parity, not a start
    ])("after %s → %s, across the March DST change", (after, expected) => {
      expect(nextWeeklySlot(fortnightly, at(after)).toISOString()).toBe(expected);
    });

    it("keeps parity across Auckland's April change", () => {
      // Anchor Mon 30 Mar 09:00 NZDT; two weeks on is Mon 13 Apr 09:00 NZST = Sun 12 Apr 21:00Z.
      const slot = weekly({ tz: AUCKLAND, weekday: MON, time: "09:00" }, 2, at("2026-03-29T20:00:00Z"));
      expect(nextWeeklySlot(slot, at("2026-03-29T20:00:00Z")).toISOString()).toBe("2026-04-12T21:00:00.000Z");
    });

    it.each([
      ["2026-12-14T09:00:00Z", "2026-12-28T09:00:00.000Z", "2026-W53"],
      ["2026-12-28T09:00:00Z", "2027-01-11T09:00:00.000Z", "2027-W02"], // not 4 Jan: W53 → W01 are adjacent
      ["2026-12-28T09:00:01Z", "2027-01-11T09:00:00.000Z", "2027-W02"],
    ])("keeps parity across ISO week 53: after %s → %s (%s)", (after, expected, week) => {
      // Anchor Mon 14 Dec 2026 09:00 GMT (W51): due W51, W53, 2027-W02 — odd/even week numbers would break.
      const slot = weekly({ tz: LONDON, weekday: MON, time: "09:00" }, 2, at("2026-12-14T09:00:00Z"));
      const next = nextWeeklySlot(slot, at(after));
      expect(next.toISOString()).toBe(expected);
      expect(isoWeekKey(next, LONDON)).toBe(week);
    });

    it("applies parity backwards from an anchor in the next year", () => {
      const slot = weekly({ tz: LONDON, weekday: MON, time: "09:00" }, 2, at("2027-01-11T09:00:00Z"));
      expect(nextWeeklySlot(slot, at("2026-12-20T00:00:00Z")).toISOString()).toBe("2026-12-28T09:00:00.000Z");
    });

    it("uses the anchor's calendar week, not fourteen days from the anchor's date", () => {
      // Anchor Sun 1 Mar 12:00 EST closes the week of Mon 23 Feb; Mondays due: 23 Feb, 9 Mar, 23 Mar.
      const slot = weekly({ tz: NY, weekday: MON, time: "09:00" }, 2, at("2026-03-01T17:00:00Z"));
      expect(nextWeeklySlot(slot, at("2026-03-01T17:00:00Z")).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    });
  });

  describe("firstSlotOnOrAfter", () => {
    const slot: LocalSlot = { tz: KOLKATA, weekday: FRI, time: "17:00" };

    it.each([
      ["2026-03-06T11:30:00Z", "2026-03-06T11:30:00.000Z"], // exactly on the slot: that slot
      ["2026-03-06T11:30:00.001Z", "2026-03-13T11:30:00.000Z"],
      ["2026-03-05T18:30:00Z", "2026-03-06T11:30:00.000Z"], // Fri 00:00 IST, still Thursday in UTC
    ])("from %s → %s", (from, expected) => {
      expect(firstSlotOnOrAfter(slot, at(from)).toISOString()).toBe(expected);
    });
  });

  describe("slotsBetween", () => {
    const fridayDigest: LocalSlot = { tz: NY, weekday: FRI, time: "15:00" };

    it("lists every weekly occurrence of a 5-week downtime, ascending, window open at the start", () => {
      const due = slotsBetween(weekly(fridayDigest), at("2026-02-20T20:00:00Z"), at("2026-03-27T19:00:00Z"));
      expect(due.map((d) => d.toISOString())).toEqual([
        "2026-02-27T20:00:00.000Z",
        "2026-03-06T20:00:00.000Z",
        "2026-03-13T19:00:00.000Z", // EDT from here
        "2026-03-20T19:00:00.000Z",
        "2026-03-27T19:00:00.000Z", // the window's end is included
      ]);
    });

    it("lists only the cadence weeks for a fortnightly slot", () => {
      const slot = weekly(fridayDigest, 2, at("2026-02-27T20:00:00Z"));
      const due = slotsBetween(slot, at("2026-02-20T20:00:00Z"), at("2026-03-27T19:00:00Z"));
      expect(due.map((d) => d.toISOString())).toEqual([
        "2026-02-27T20:00:00.000Z",
        "2026-03-13T19:00:00.000Z",
        "2026-03-27T19:00:00.000Z",
      ]);
    });

    it.each([
      ["a window with no slot in it", "2026-02-21T00:00:00Z", "2026-02-26T00:00:00Z"],
      ["an empty window", "2026-02-27T20:00:00Z", "2026-02-27T20:00:00Z"],
      ["a reversed window", "2026-03-27T19:00:00Z", "2026-02-20T20:00:00Z"],
    ])("is empty for %s", (_, from, to) => {
      expect(slotsBetween(weekly(fridayDigest), at(from), at(to))).toEqual([]);
    });
  });

  describe("cycles", () => {
    // Fortnightly cycles from Fri 27 Feb 2026 15:00 EST; every cycle starts on a Friday at 15:00 local.
    const anchor = at("2026-02-27T20:00:00Z");

    it.each([
      ["2026-02-27T20:00:00Z", 0], // the anchor opens cycle 0
      ["2026-02-27T19:59:59.999Z", -1],
      ["2026-02-13T20:00:00Z", -1],
      ["2026-02-13T19:59:59.999Z", -2],
      ["2026-03-13T18:59:59.999Z", 0],
      ["2026-03-13T19:00:00Z", 1], // 15:00 EDT; 14×24h from the anchor would still be cycle 0
      ["2026-11-06T19:00:00Z", 17], // 14:00 EST on the 18th fortnight's Friday
      ["2026-11-06T20:00:00Z", 18], // 15:00 EST
    ])("puts %s in cycle %i", (instant, expected) => {
      expect(cycleIndex(anchor, 2, NY, at(instant))).toBe(expected);
    });

    it.each([
      [0, "2026-02-27T20:00:00.000Z", "2026-03-13T19:00:00.000Z"], // 14 days minus the lost hour
      [1, "2026-03-13T19:00:00.000Z", "2026-03-27T19:00:00.000Z"],
      [-1, "2026-02-13T20:00:00.000Z", "2026-02-27T20:00:00.000Z"],
      [17, "2026-10-23T19:00:00.000Z", "2026-11-06T20:00:00.000Z"], // 14 days plus the regained hour
    ])("bounds cycle %i as [%s, %s)", (index, start, end) => {
      const bounds = cycleBounds(anchor, 2, NY, index);
      expect([bounds.start.toISOString(), bounds.end.toISOString()]).toEqual([start, end]);
    });

    it("starts a cycle whose wall time falls in the spring gap an hour late, not before", () => {
      // Weekly from Sun 1 Mar 02:30 EST; on 8 Mar 02:30 does not exist, so cycle 1 starts 03:30 EDT (07:30Z).
      const gapAnchor = at("2026-03-01T07:30:00Z");
      expect(cycleBounds(gapAnchor, 1, NY, 1).start.toISOString()).toBe("2026-03-08T07:30:00.000Z");
      expect(cycleIndex(gapAnchor, 1, NY, at("2026-03-08T07:00:00Z"))).toBe(0); // 03:00 EDT, still cycle 0
      expect(cycleIndex(gapAnchor, 1, NY, at("2026-03-08T07:30:00Z"))).toBe(1);
    });

    it("starts a cycle whose wall time repeats in the autumn overlap at its first occurrence", () => {
      // Weekly from Sun 25 Oct 01:30 EDT; on 1 Nov cycle 1 starts at the first 01:30 (EDT, 05:30Z).
      const overlapAnchor = at("2026-10-25T05:30:00Z");
      expect(cycleIndex(overlapAnchor, 1, NY, at("2026-11-01T05:29:59Z"))).toBe(0);
      expect(cycleIndex(overlapAnchor, 1, NY, at("2026-11-01T05:30:00Z"))).toBe(1);
      // 06:15Z reads 01:15 EST, before 01:30 on the wall clock, but the cycle has begun.
      expect(cycleIndex(overlapAnchor, 1, NY, at("2026-11-01T06:15:00Z"))).toBe(1);
    });

    it("measures weekly cycles in local weeks in the southern hemisphere too", () => {
      // Anchor Mon 30 Mar 09:00 NZDT; cycle 0 ends Mon 6 Apr 09:00 NZST, a week and an hour later.
      const nz = at("2026-03-29T20:00:00Z");
      expect(cycleBounds(nz, 1, AUCKLAND, 0).end.toISOString()).toBe("2026-04-05T21:00:00.000Z");
      expect(cycleIndex(nz, 1, AUCKLAND, at("2026-04-05T20:30:00Z"))).toBe(0);
      expect(cycleIndex(nz, 1, AUCKLAND, at("2026-04-05T21:00:00Z"))).toBe(1);
    });

    it("agrees with cycleBounds at every boundary for a year of cycles", () => {
      for (let index = -3; index <= 27; index += 1) {
        const { start, end } = cycleBounds(anchor, 2, NY, index);
        expect(cycleIndex(anchor, 2, NY, start)).toBe(index);
        expect(cycleIndex(anchor, 2, NY, new Date(end.getTime() - 1))).toBe(index);
        expect(instantToLocalParts(start, NY)).toMatchObject({ time: "15:00", weekday: FRI });
      }
    });
  });

  describe("isoWeekKey uses the local ISO week", () => {
    it.each([
      ["2025-12-29T12:00:00Z", "UTC", "2026-W01"], // Monday of week 1 is still in 2025
      ["2026-01-01T12:00:00Z", "UTC", "2026-W01"],
      ["2026-11-20T12:00:00Z", "UTC", "2026-W47"],
      ["2026-12-31T12:00:00Z", "UTC", "2026-W53"],
      ["2027-01-03T12:00:00Z", "UTC", "2026-W53"], // Sunday of week 53
      ["2027-01-04T12:00:00Z", "UTC", "2027-W01"],
      ["2024-12-30T12:00:00Z", "UTC", "2025-W01"],
      ["2021-01-03T12:00:00Z", "UTC", "2020-W53"],
      ["2027-01-03T23:30:00Z", AUCKLAND, "2027-W01"], // already Mon 4 Jan 12:30 NZDT
      ["2027-01-03T20:00:00Z", KOLKATA, "2027-W01"], // Mon 4 Jan 01:30 IST
      ["2027-01-04T03:00:00Z", NY, "2026-W53"], // still Sun 3 Jan 22:00 EST
    ])("%s in %s → %s", (instant, tz, expected) => {
      expect(isoWeekKey(at(instant), tz)).toBe(expected);
    });
  });

  describe("local dates, labels and parts", () => {
    it.each([
      ["2026-03-06T18:30:00Z", KOLKATA, "2026-03-07"], // Sat 00:00 IST
      ["2026-03-06T18:30:00Z", "UTC", "2026-03-06"],
      ["2026-03-07T04:00:00Z", NY, "2026-03-06"], // Fri 23:00 EST
      ["2026-03-29T20:00:00Z", AUCKLAND, "2026-03-30"],
    ])("localDateKey(%s, %s) = %s", (instant, tz, expected) => {
      expect(localDateKey(at(instant), tz)).toBe(expected);
    });

    it.each([
      ["2026-03-06T20:00:00Z", NY, "Fri 15:00"],
      ["2026-03-06T11:30:00Z", KOLKATA, "Fri 17:00"],
      ["2026-03-29T20:00:00Z", AUCKLAND, "Mon 09:00"],
      ["2026-03-08T07:30:00Z", NY, "Sun 03:30"],
      ["2026-10-25T00:30:59Z", LONDON, "Sun 01:30"], // seconds are dropped, not rounded
    ])("localTimeLabel(%s, %s) = %s", (instant, tz, expected) => {
      expect(localTimeLabel(at(instant), tz)).toBe(expected);
    });

    it("gives date, time and ISO weekday as a wall clock in the zone reads them", () => {
      expect(instantToLocalParts(at("2026-03-06T18:30:00Z"), KOLKATA)).toEqual({
        date: "2026-03-07",
        time: "00:00",
        weekday: 6,
      });
      expect(instantToLocalParts(at("2027-01-03T11:00:00Z"), AUCKLAND)).toEqual({
        date: "2027-01-04",
        time: "00:00",
        weekday: 1,
      });
    });

    it.each([
      [NY, "2026-01-01", "00:00"],
      [NY, "2026-07-04", "23:59"],
      [NY, "2026-11-01", "01:30"], // ambiguous: round-trips through its first occurrence
      [LONDON, "2026-12-31", "23:30"],
      [LONDON, "2026-03-29", "02:00"], // first minute of BST
      [KOLKATA, "2026-06-15", "05:30"],
      [AUCKLAND, "2026-04-05", "02:59"],
      [AUCKLAND, "2028-02-29", "12:00"],
      ["UTC", "2026-12-28", "09:00"],
    ])("localDateTimeToInstant round-trips %s %s %s", (tz, date, time) => {
      expect(instantToLocalParts(localDateTimeToInstant(date, time, tz), tz)).toMatchObject({ date, time });
    });
  });

  describe("input validation", () => {
    it.each([
      ["a date that does not exist", () => localDateTimeToInstant("2026-02-30", "09:00", NY)],
      ["24:00", () => localDateTimeToInstant("2026-03-01", "24:00", NY)],
      ["a time without a leading zero", () => localDateTimeToInstant("2026-03-01", "9:00", NY)],
      ["an unknown zone", () => localDateKey(at("2026-03-01T00:00:00Z"), "Mars/Olympus_Mons")],
      [
        "weekday 0",
        () => nextWeeklySlot(weekly({ tz: NY, weekday: 0, time: "09:00" }), at("2026-03-01T00:00:00Z")),
      ],
      [
        "weekday 8",
        () => firstSlotOnOrAfter({ tz: NY, weekday: 8, time: "09:00" }, at("2026-03-01T00:00:00Z")),
      ],
      ["a zero cadence", () => cycleIndex(at("2026-03-01T00:00:00Z"), 0, NY, at("2026-03-02T00:00:00Z"))],
    ])("rejects %s with a RangeError", (_, call) => {
      expect(call).toThrow(RangeError);
    });

    // These messages reach the person who typed the value (a modal's date and time, a team's zone).
    it.each([
      [
        "a date not written yyyy-MM-dd",
        () => localDateTimeToInstant("2026-3-1", "09:00", NY),
        'Expected a date as "yyyy-MM-dd", got "2026-3-1"',
      ],
      [
        "a date that does not exist",
        () => localDateTimeToInstant("2026-02-30", "09:00", NY),
        'No such calendar date: "2026-02-30"',
      ],
      [
        "24:00",
        () => localDateTimeToInstant("2026-03-01", "24:00", NY),
        'Expected a time as "HH:mm" (00:00–23:59), got "24:00"',
      ],
      [
        "an unknown zone",
        () => localDateKey(at("2026-03-01T00:00:00Z"), "Mars/Olympus_Mons"),
        'Unknown time zone: "Mars/Olympus_Mons"',
      ],
      [
        "weekday 8",
        () => firstSlotOnOrAfter({ tz: NY, weekday: 8, time: "09:00" }, at("2026-03-01T00:00:00Z")),
        "Expected an ISO weekday 1–7, got 8",
      ],
      [
        "a zero cadence",
        () => cycleIndex(at("2026-03-01T00:00:00Z"), 0, NY, at("2026-03-02T00:00:00Z")),
        "Expected a cadence of whole weeks ≥ 1, got 0",
      ],
      [
        "a cadence of a week and a half",
        () => cycleBounds(at("2026-03-01T00:00:00Z"), 1.5, NY, 0),
        "Expected a cadence of whole weeks ≥ 1, got 1.5",
      ],
      [
        "a fractional cycle index",
        () => cycleBounds(at("2026-03-01T00:00:00Z"), 1, NY, 0.5),
        "Expected a whole cycle index, got 0.5",
      ],
    ])("says what is wrong with %s", (_, call, message) => {
      expect(call).toThrow(new RangeError(message));
    });
  });
});
