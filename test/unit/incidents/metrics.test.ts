import { describe, expect, it } from "vitest";
import { loopMetrics, trendOf } from "../../../src/incidents/metrics.js";
import { action, daysAgo, FIXTURE_NOW, finding, fixtureIncidents, i1, i4, makeIncident } from "./fixtures.js";

describe("loopMetrics over the fixture history (worked by hand)", () => {
  const m = loopMetrics(fixtureIncidents, FIXTURE_NOW);

  it("counts incidents created in the last 90 days", () => {
    // Window (2024-04-01 12:00, 2024-06-30 12:00] UTC: i3 (−80 d), i4 (−60), i5 (−45), i6 (−30), i7 (−14),
    // i8 (−3). i1 (−120) and i2 (−95) are older. → 6
    expect(m.windowDays).toBe(90);
    expect(m.incidentCount).toBe(6);
  });

  it("counts a windowed incident as a repeat when it matches any earlier incident, in the window or not", () => {
    // i3 search/indexing: no tag, factor word or wording shared with i1, i2        → not a repeat
    // i4 #config #db: shares both tags with i1 (outside the window)             → repeat (0.5 from tags)
    // i5 #queues: nothing shared with i1–i4                                     → not a repeat
    // i6 #auth #certificates: shares both tags with i2 (outside the window)      → repeat
    // i7 #config: shares #config with i1 and i4                                 → repeat (0.25 from tags)
    // i8 #scheduler: shares only the word "ran" with i1/i4, far below 0.2       → not a repeat
    // 3 repeats ÷ 6 incidents = 0.5
    expect(m.repeatCount).toBe(3);
    expect(m.repeatRate).toBe(0.5);
  });

  it("takes the median hours from resolution to COE completion", () => {
    // Windowed incidents with resolvedAt and completedAt: i3 24 h, i4 48 h, i5 12 h, i6 72 h.
    // i7 is resolved but its COE is open; i8 is unresolved; i1's 100 h is outside the window.
    // Sorted 12, 24, 48, 72 → median (24 + 48) / 2 = 36
    expect(m.timeToInsight).toEqual({ medianHours: 36, count: 4 });
  });

  it("takes the median hours from COE completion to the last action item closing, only when all are closed", () => {
    // i3: done at +240 h, not_doing at +48 h → 240 h (the done one; not_doing is not remediation)
    // i4: done at +72 h and +120 h          → 120 h
    // i5: one item still open               → left out
    // i6: closed 10 h before completion     → 0 h (the fix landed before the write-up)
    // i7 (open COE), i8 (no items)          → left out
    // Sorted 0, 120, 240 → median 120
    expect(m.timeToRemediation).toEqual({ medianHours: 120, count: 3, notRemediated: 0 });
  });

  it("counts windowed incidents per factor category", () => {
    // technical: i3, i4, i5, i6 = 4; process: i3, i4, i7 = 3; organisational: i4, i6 = 2
    expect(m.byCategory).toEqual({ technical: 4, process: 3, organisational: 2 });
  });

  it("counts windowed incidents per tag, most common first, then by name", () => {
    // config: i4, i7 = 2; every other tag once. i1's config and i2's auth are outside the window.
    expect(m.byTag).toEqual([
      { tag: "config", count: 2 },
      { tag: "auth", count: 1 },
      { tag: "certificates", count: 1 },
      { tag: "db", count: 1 },
      { tag: "feature-flags", count: 1 },
      { tag: "indexing", count: 1 },
      { tag: "queues", count: 1 },
      { tag: "scheduler", count: 1 },
      { tag: "search", count: 1 },
    ]);
  });
});

describe("time to remediation: closing as not doing is not remediating", () => {
  const completedAt = daysAgo(20);
  const coe = (id: string, items: ReturnType<typeof action>[]) =>
    makeIncident({
      id,
      startedAt: daysAgo(21),
      status: "complete",
      completedAt,
      findings: items.map((item, n) => finding(`${id}-${n}`, `finding ${n}`, item)),
    });
  const hoursAfterCompletion = (h: number) => new Date(completedAt.getTime() + h * 3_600_000);

  it("ends the clock at the last item DONE, however late an item is closed as not doing", () => {
    const m = loopMetrics(
      [
        coe("mixed", [
          action({ id: "d", status: "done", closedAt: hoursAfterCompletion(10) }),
          action({ id: "n", status: "not_doing", closedAt: hoursAfterCompletion(100) }),
        ]),
      ],
      FIXTURE_NOW,
    );
    expect(m.timeToRemediation).toEqual({ medianHours: 10, count: 1, notRemediated: 0 });
  });

  it("leaves out a COE whose items were all closed as not doing, and counts it as not remediated", () => {
    const m = loopMetrics(
      [
        coe("abandoned", [
          action({ id: "n1", status: "not_doing", closedAt: hoursAfterCompletion(2) }),
          action({ id: "n2", status: "not_doing", closedAt: hoursAfterCompletion(3) }),
        ]),
        coe("fixed", [action({ id: "d", status: "done", closedAt: hoursAfterCompletion(30) })]),
      ],
      FIXTURE_NOW,
    );
    expect(m.timeToRemediation).toEqual({ medianHours: 30, count: 1, notRemediated: 1 });
  });

  it("waits while any item is open, even when the others were closed as not doing", () => {
    const m = loopMetrics(
      [
        coe("waiting", [
          action({ id: "o", status: "open" }),
          action({ id: "n", status: "not_doing", closedAt: hoursAfterCompletion(3) }),
        ]),
      ],
      FIXTURE_NOW,
    );
    expect(m.timeToRemediation).toEqual({ medianHours: null, count: 0, notRemediated: 0 });
  });
});

describe("known root cause and noted findings", () => {
  const why = (id: string, parentId: string | null, rootCause: boolean, minute: number) => ({
    id,
    parentId,
    text: id,
    rootCause,
    createdAt: new Date(Date.UTC(2024, 5, 1, 0, minute)),
  });
  const at = daysAgo(10);

  it("counts a COE whose why-chain ends in a marked root cause, not one whose mark has whys below it", () => {
    const ends = makeIncident({
      id: "ends",
      startedAt: at,
      whys: [why("a", null, false, 1), why("b", "a", true, 2)],
    });
    const deeper = makeIncident({
      id: "deeper",
      startedAt: at,
      whys: [why("c", null, true, 1), why("d", "c", false, 2)],
    });
    const unmarked = makeIncident({ id: "unmarked", startedAt: at, whys: [why("e", null, false, 1)] });
    const none = makeIncident({ id: "none", startedAt: at });
    const m = loopMetrics([ends, deeper, unmarked, none], FIXTURE_NOW);
    expect(m.knownRootCause).toEqual({ count: 1, rate: 0.25 });
  });

  it("counts findings with action items and those noted with no action (a blank reason is not noted)", () => {
    const m = loopMetrics(
      [
        makeIncident({
          id: "x",
          startedAt: at,
          findings: [
            finding("f1", "ticketed", action({ id: "a1" })),
            finding("f2", "noted", null, "Low impact; the alarm covers it"),
            finding("f3", "blank", null, "   "),
            finding("f4", "open question", null),
          ],
        }),
      ],
      FIXTURE_NOW,
    );
    expect(m.findings).toEqual({ total: 4, withAction: 1, noted: 1 });
  });
});

describe("loopMetrics edge cases", () => {
  it("returns null, not 0 or NaN, when there is nothing to measure", () => {
    const m = loopMetrics([], FIXTURE_NOW);
    expect(m.incidentCount).toBe(0);
    expect(m.repeatRate).toBeNull();
    expect(m.timeToInsight).toEqual({ medianHours: null, count: 0 });
    expect(m.knownRootCause).toEqual({ count: 0, rate: null });
    expect(m.findings).toEqual({ total: 0, withAction: 0, noted: 0 });
    expect(m.timeToRemediation).toEqual({ medianHours: null, count: 0, notRemediated: 0 });
    expect(m.byCategory).toEqual({ technical: 0, process: 0, organisational: 0 });
    expect(m.byTag).toEqual([]);
  });

  it("honours a custom window", () => {
    // 30 days: (2024-05-31 12:00, 2024-06-30 12:00]. i6 was created exactly 30 days ago, on the open
    // start, so it is out; i7 and i8 are in. i7 repeats i1/i4; i8 does not. → 1 ÷ 2
    const m = loopMetrics(fixtureIncidents, FIXTURE_NOW, { windowDays: 30 });
    expect(m.incidentCount).toBe(2);
    expect(m.repeatRate).toBe(0.5);
  });

  it("does not count a match with a later incident as a repeat", () => {
    // i4 matches i1, but only i4 happened later; with i4 alone as history, i1 has no earlier match.
    const m = loopMetrics([i1, i4], daysAgo(100), { windowDays: 30 });
    expect(m.incidentCount).toBe(1); // i1 at −120 d is inside (−130, −100]
    expect(m.repeatCount).toBe(0);
  });

  it("counts remediation finished before the COE was completed as 0 hours, never negative", () => {
    const completedAt = daysAgo(5);
    const early = makeIncident({
      id: "early",
      startedAt: daysAgo(7),
      status: "complete",
      completedAt,
      findings: [
        finding("n", "fixed during the write-up", action({ id: "a", status: "done", closedAt: daysAgo(6) })),
      ],
    });
    expect(loopMetrics([early], FIXTURE_NOW).timeToRemediation).toEqual({
      medianHours: 0,
      count: 1,
      notRemediated: 0,
    });
  });

  it("treats a reopened action item as unfinished remediation even if it once had a closedAt", () => {
    const reopened = makeIncident({
      id: "reopened",
      startedAt: daysAgo(7),
      status: "complete",
      completedAt: daysAgo(5),
      findings: [finding("n", "came back", action({ id: "a", status: "open", closedAt: daysAgo(4) }))],
    });
    expect(loopMetrics([reopened], FIXTURE_NOW).timeToRemediation).toEqual({
      medianHours: null,
      count: 0,
      notRemediated: 0,
    });
  });

  it("includes an incident created exactly at now and excludes one created exactly windowDays ago", () => {
    const atNow = makeIncident({ id: "now", startedAt: FIXTURE_NOW });
    const atStart = makeIncident({ id: "start", startedAt: daysAgo(90) });
    expect(loopMetrics([atNow, atStart], FIXTURE_NOW).incidentCount).toBe(1);
  });
});

describe("trendOf", () => {
  it.for<[number | null, number | null, "lower" | "higher", string | null]>([
    [0.2, 0.5, "lower", "better"],
    [0.5, 0.2, "lower", "worse"],
    [0.5, 0.2, "higher", "better"],
    [3, 3, "lower", "same"],
    [null, 3, "lower", null],
    [3, null, "higher", null],
  ])("%s against %s, %s is better → %s", ([now, before, better, expected]) => {
    expect(trendOf(now, before, better)).toBe(expected);
  });
});
