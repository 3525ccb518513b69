import { describe, expect, it } from "vitest";
import { buildOutcomeChart, type OutcomeSeries } from "../../../src/rollups/chart.js";
import {
  CHART_MAX_MECHANISMS,
  type ChartLine,
  hiddenMechanismsNote,
  lineMovement,
  outcomeMovement,
  selectChartLines,
  selectChartSeries,
} from "../../../src/rollups/chart-selection.js";

const DAY = 86_400_000;
const to = new Date("2031-07-21T23:00:00Z");
const from = new Date(to.getTime() - 7 * DAY);
const window = { from, to };
const daysAgo = (n: number) => new Date(to.getTime() - n * DAY);

/**
 * A mechanism's outcome from baseline 0 to target 100, so values read as progress points;
 * `readings` maps days before `to` to the value read then.
 */
const line = (
  mechanism: string,
  readings: Record<number, number>,
  o: Partial<OutcomeSeries> = {},
): OutcomeSeries => ({
  mechanism,
  signal: "Activation",
  unit: "%",
  baseline: 0,
  target: 100,
  points: Object.entries(readings).map(([ago, value]) => ({ at: daysAgo(Number(ago)), value })),
  ...o,
});

describe("outcomeMovement", () => {
  it("is the change from the reading before the window's newest one, in progress points, either way", () => {
    expect(outcomeMovement(line("up", { 20: 10, 10: 30, 3: 45 }), window)).toBe(15);
    expect(outcomeMovement(line("down", { 10: 30, 3: 20 }), window)).toBe(10);
    // Two readings this week: the newest against the one just before it.
    expect(outcomeMovement(line("twice", { 10: 30, 5: 40, 2: 42 }), window)).toBe(2);
  });

  it("compares a first reading with the baseline, in percent of the way so units don't matter", () => {
    expect(outcomeMovement(line("first", { 1: 25 }), window)).toBe(25);
    const hours = line("hours", { 1: 20 }, { unit: "h", baseline: 30, target: 10 });
    expect(outcomeMovement(hours, window)).toBe(50);
  });

  it("is 0 with no reading in the window (the window's end is outside it) or no way to measure progress", () => {
    expect(outcomeMovement(line("quiet", { 9: 80 }), window)).toBe(0);
    expect(outcomeMovement(line("at the end", { 9: 10, 0: 90 }), window)).toBe(0);
    expect(outcomeMovement(line("flat goal", { 1: 90 }, { baseline: 5, target: 5 }), window)).toBe(0);
    expect(outcomeMovement(line("none", {}), window)).toBe(0);
  });
});

describe("selectChartSeries", () => {
  it("keeps every series, and hides none, when they fit", () => {
    const few = [line("a", { 1: 5 }), line("b", {})];
    expect(selectChartSeries(few, window, 2)).toEqual({ series: few, hidden: 0 });
  });

  it("keeps the ones that moved most, in their given order, and counts the rest", () => {
    const moved = [5, 40, 0, 12, 30, 1].map((v, i) => line(`m${i}`, { 1: v }));
    const { series, hidden } = selectChartSeries(moved, window, 3);
    expect(series.map((s) => s.mechanism)).toEqual(["m1", "m3", "m4"]);
    expect(hidden).toBe(3);
  });

  it("breaks ties in favour of the older mechanism (earlier in the list)", () => {
    const tied = ["a", "b", "c", "d"].map((m) => line(m, { 1: 20 }));
    expect(selectChartSeries(tied, window, 2).series.map((s) => s.mechanism)).toEqual(["a", "b"]);
  });

  it("draws at most CHART_MAX_MECHANISMS lines of a team of 1,000", () => {
    const many = Array.from({ length: 1000 }, (_, i) => line(`m${i}`, { 1: i % 97 }));
    const { series, hidden } = selectChartSeries(many, window);
    expect(series).toHaveLength(CHART_MAX_MECHANISMS);
    expect(hidden).toBe(1000 - CHART_MAX_MECHANISMS);
    // 96 is the largest move; ten mechanisms made it, and the eight oldest of those are drawn.
    expect(series.map((s) => s.mechanism)).toEqual(
      Array.from({ length: CHART_MAX_MECHANISMS }, (_, k) => `m${96 + 97 * k}`),
    );
  });
});

/**
 * A series as RollupRepository.chartLines gives it: its two newest points before the window's end
 * (the chart's points are read up to and including the window's end, so a point there is left out).
 */
const asLine = (s: OutcomeSeries, i: number): ChartLine => {
  const { points, ...rest } = s;
  const [latest, previous] = points
    .filter((p) => p.at < window.to)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .reverse();
  return { ...rest, signalId: `s${i}`, latest: latest ?? null, previous: previous ?? null };
};

describe("selectChartLines (the choice made before the chart's points are read)", () => {
  const kinds = [
    line("up", { 20: 10, 10: 30, 3: 45 }),
    line("down", { 10: 30, 3: 20 }),
    line("twice", { 10: 30, 5: 40, 2: 42 }),
    line("first", { 1: 25 }),
    line("hours", { 1: 20 }, { unit: "h", baseline: 30, target: 10 }),
    line("quiet", { 9: 80 }),
    line("at the end", { 9: 10, 0: 90 }),
    line("flat goal", { 1: 90 }, { baseline: 5, target: 5 }),
    line("none", {}),
  ];

  it("measures each line's movement as outcomeMovement measures its series", () => {
    for (const [i, s] of kinds.entries())
      expect([s.mechanism, lineMovement(asLine(s, i), window)]).toEqual([
        s.mechanism,
        outcomeMovement(s, window),
      ]);
  });

  it("chooses the same lines, in the same order, and hides as many as selectChartSeries", () => {
    const many = Array.from({ length: 300 }, (_, i) => {
      const k = kinds[i % kinds.length] ?? line("none", {});
      const shift = (i * 7) % 13;
      return {
        ...k,
        mechanism: `${k.mechanism} ${i}`,
        points: k.points.map((p) => ({ ...p, value: p.value + shift })),
      };
    });
    for (const max of [0, 3, CHART_MAX_MECHANISMS, 299, 300, 301]) {
      const bySeries = selectChartSeries(many, window, max);
      const byLines = selectChartLines(many.map(asLine), window, max);
      expect(byLines.lines.map((l) => l.mechanism)).toEqual(bySeries.series.map((s) => s.mechanism));
      expect(byLines.hidden).toBe(bySeries.hidden);
    }
  });
});

describe("the note about mechanisms not shown", () => {
  it("says nothing when every mechanism is on the chart", () => {
    expect(hiddenMechanismsNote(0, 3)).toBeUndefined();
  });

  it("counts what is left off, singular or plural", () => {
    expect(hiddenMechanismsNote(1, 8)).toBe(
      "+1 more mechanism not shown: this chart shows the 8 whose outcome moved most this week.",
    );
    expect(hiddenMechanismsNote(992, 8)).toMatch(/^\+992 more mechanisms not shown: .* the 8 whose/);
    expect(hiddenMechanismsNote(1200, 8)).toMatch(/^\+1,200 more mechanisms not shown/);
  });

  it("appears under the chart's title and in its alt text with the right K", () => {
    const many = Array.from({ length: 12 }, (_, i) => line(`Mechanism ${i}`, { 1: i * 5 }));
    const { series, hidden } = selectChartSeries(many, window);
    const note = hiddenMechanismsNote(hidden, series.length);
    const { spec, alt } = buildOutcomeChart({
      title: "Checkout — outcomes",
      series,
      from: daysAgo(42),
      to,
      timezone: "Europe/London",
      ...(note ? { note } : {}),
    });
    const title = spec.title;
    const subtitle = typeof title === "object" && "subtitle" in title ? title.subtitle : undefined;
    expect(subtitle).toContain(
      `+${12 - CHART_MAX_MECHANISMS} more mechanisms not shown: this chart shows the ${CHART_MAX_MECHANISMS} whose outcome moved most this week.`,
    );
    expect(alt).toContain(`+${12 - CHART_MAX_MECHANISMS} more mechanisms not shown`);
  });

  it("leaves the subtitle as it was without a note", () => {
    const { spec } = buildOutcomeChart({
      title: "T",
      series: [line("a", { 1: 5 })],
      from,
      to,
      timezone: "UTC",
    });
    const title = spec.title;
    const subtitle = typeof title === "object" && "subtitle" in title ? title.subtitle : undefined;
    expect(subtitle).toHaveLength(2);
  });
});
