import { describe, expect, it } from "vitest";
import {
  dueWork,
  moved,
  nextLook,
  type Series,
  teamFlags,
  teamReport,
  vsTarget,
  type WbrMetric,
  type WbrSchedule,
  wbrChartSeries,
  wbrWeeks,
  weekKey,
  weekOverWeek,
} from "../../../src/wbr/wbr.js";

const metric = (o: Partial<WbrMetric> = {}): WbrMetric => ({
  id: "m1",
  teamId: "t1",
  name: "Experiments shipped",
  kind: "input",
  ownerId: "U1",
  unit: "",
  direction: "up",
  target: 10,
  signalId: null,
  createdBy: "U1",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  ...o,
});

describe("movement and targets", () => {
  it("calls a change of at least 5% of last week's value movement, and nothing without two readings", () => {
    expect(moved(100, 105)).toBe(true);
    expect(moved(100, 96)).toBe(false);
    expect(moved(0, 1)).toBe(true);
    expect(moved(0, 0)).toBe(false);
    expect(moved(null, 5)).toBe(false);
    expect(weekOverWeek([1, 2, 4])).toBe(2);
    expect(weekOverWeek([1, null, 4])).toBeNull();
  });

  it("judges the target by which way is good", () => {
    expect(vsTarget([5, 12], 10, "up")).toBe("met");
    expect(vsTarget([5, 8], 10, "up")).toBe("short");
    expect(vsTarget([300, 180], 200, "down")).toBe("met");
    expect(vsTarget([300, null], 200, "down")).toBe("unknown");
  });
});

describe("the WBR's flags", () => {
  const flat: Series = [50, 50, 50, 50, 50, 50];
  it("flags an output that moved this week while no input did", () => {
    expect(
      teamFlags([
        { kind: "input", series: [3, 3, 3, 3, 3, 3] },
        { kind: "output", series: [50, 50, 50, 50, 50, 60] },
      ]),
    ).toEqual(["output_moved_no_input"]);
    // An input that moved too explains it.
    expect(
      teamFlags([
        { kind: "input", series: [3, 3, 3, 3, 3, 5] },
        { kind: "output", series: [50, 50, 50, 50, 50, 60] },
      ]),
    ).toEqual([]);
  });

  it("flags an input that moved while every output stayed flat for three weeks", () => {
    expect(
      teamFlags([
        { kind: "input", series: [1, 1, 1, 2, 4, 8] },
        { kind: "output", series: flat },
      ]),
    ).toEqual(["input_moved_output_flat"]);
    // Two flat weeks are not three: the output moved three weeks ago.
    expect(
      teamFlags([
        { kind: "input", series: [1, 1, 1, 2, 4, 8] },
        { kind: "output", series: [40, 40, 40, 45, 45, 45] },
      ]),
    ).toEqual([]);
    // Missing readings can't be called flat.
    expect(
      teamFlags([
        { kind: "input", series: [1, 1, 1, 2, 4, 8] },
        { kind: "output", series: [50, 50, null, 50, 50, 50] },
      ]),
    ).toEqual([]);
  });

  it("orders inputs before outputs and lists the metrics without this week's reading", () => {
    const r = teamReport({ id: "t1", name: "Checkout", channelId: "C1" }, [
      {
        metric: metric({ id: "o", name: "Activation", kind: "output" }),
        series: [1, 2, 3, 4, 5, null],
        linkedTo: null,
      },
      {
        metric: metric({ id: "i", name: "Experiments", kind: "input" }),
        series: [1, 2, 3, 4, 5, 6],
        linkedTo: null,
      },
    ]);
    expect(r.metrics.map((m) => m.metric.name)).toEqual(["Experiments", "Activation"]);
    expect(r.missing).toEqual(["Activation"]);
    expect(r.metrics[0]?.change).toBe(1);
  });
});

describe("the WBR's weeks and due instants", () => {
  // Mondays 09:00 New York; DST starts Sunday 14 March 2027.
  const schedule: WbrSchedule = {
    slackTeamId: "T1",
    channelId: "C1",
    weekday: 1,
    time: "09:00",
    timezone: "America/New_York",
    dueAt: null,
    updatedBy: "U1",
    updatedAt: new Date("2027-03-01T00:00:00Z"),
  };

  it("keeps the local time across daylight saving", () => {
    const weeks = wbrWeeks(new Date("2027-03-15T13:00:00Z"), "America/New_York", 3);
    expect(weeks.map((w) => w.toISOString())).toEqual([
      "2027-03-01T14:00:00.000Z",
      "2027-03-08T14:00:00.000Z",
      "2027-03-15T13:00:00.000Z",
    ]);
    expect(weekKey(weeks[2] as Date, "America/New_York")).toBe("2027-03-15");
  });

  it("looks a day before the WBR (the owners' reminder), then at the WBR, then a day before the next", () => {
    const sunday = nextLook(schedule, new Date("2027-03-10T00:00:00Z"));
    expect(sunday.toISOString()).toBe("2027-03-14T13:00:00.000Z");
    expect(nextLook(schedule, sunday).toISOString()).toBe("2027-03-15T13:00:00.000Z");
    expect(nextLook(schedule, new Date("2027-03-15T13:00:00Z")).toISOString()).toBe(
      "2027-03-21T13:00:00.000Z",
    );
    expect(dueWork(schedule, sunday)).toEqual({ post: null, remind: new Date("2027-03-15T13:00:00Z") });
    expect(dueWork(schedule, new Date("2027-03-15T13:00:00Z")).post?.toISOString()).toBe(
      "2027-03-15T13:00:00.000Z",
    );
  });

  it("posts a WBR missed by less than a day late, and skips older ones and those before the schedule was saved", () => {
    expect(dueWork(schedule, new Date("2027-03-15T20:00:00Z")).post?.toISOString()).toBe(
      "2027-03-15T13:00:00.000Z",
    );
    expect(dueWork(schedule, new Date("2027-03-17T20:00:00Z")).post).toBeNull();
    const savedLate = { ...schedule, updatedAt: new Date("2027-03-15T14:00:00Z") };
    expect(dueWork(savedLate, new Date("2027-03-15T15:00:00Z")).post).toBeNull();
  });
});

describe("the WBR chart", () => {
  it("draws each output with two readings or more, from its first reading to its target, at the WBR instants", () => {
    const at = new Date("2026-11-30T09:00:00Z");
    const weekKeys = wbrWeeks(at, "Europe/London").map((w) => weekKey(w, "Europe/London"));
    const team = teamReport({ id: "t1", name: "Checkout", channelId: "C1" }, [
      {
        metric: metric({ id: "a", name: "Activation", kind: "output", unit: "%", target: 35 }),
        series: [null, null, 28, null, 30, 31],
        linkedTo: null,
      },
      {
        metric: metric({ id: "b", name: "Churn", kind: "output" }),
        series: [null, null, null, null, null, 4],
        linkedTo: null,
      },
      {
        metric: metric({ id: "c", name: "Experiments", kind: "input" }),
        series: [1, 2, 3, 4, 5, 6],
        linkedTo: null,
      },
    ]);
    const { series, hidden } = wbrChartSeries({
      week: "2026-11-30",
      at,
      timezone: "Europe/London",
      weekKeys,
      teams: [team],
    });
    expect(hidden).toBe(0);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({
      mechanism: "Checkout",
      signal: "Activation",
      baseline: 28,
      target: 35,
    });
    expect(series[0]?.points.map((p) => [p.at.toISOString(), p.value])).toEqual([
      ["2026-11-09T09:00:00.000Z", 28],
      ["2026-11-23T09:00:00.000Z", 30],
      ["2026-11-30T09:00:00.000Z", 31],
    ]);
  });
});
