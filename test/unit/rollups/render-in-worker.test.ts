import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { CHART_SIZE, type OutcomeChartInput } from "../../../src/rollups/chart.js";
import { chartRenderer, renderChartInWorker } from "../../../src/rollups/render-in-worker.js";

const input = (mechanism: string): OutcomeChartInput => ({
  title: "Checkout squad — outcomes",
  series: [
    {
      mechanism,
      signal: "14-day activation",
      unit: "%",
      baseline: 27,
      target: 35,
      points: [
        { at: new Date("2026-11-03T10:00:00Z"), value: 28 },
        { at: new Date("2026-11-10T10:00:00Z"), value: 31 },
      ],
    },
  ],
  from: new Date("2026-10-13T00:00:00Z"),
  to: new Date("2026-11-23T00:00:00Z"),
  timezone: "Europe/London",
});

describe("rendering the rollup chart in a worker thread", () => {
  it("returns the same kind of PNG as in-process rendering", async () => {
    const chart = await renderChartInWorker(input("First-run nudge"));
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([chart.width, chart.height]);
    expect(chart.width).toBe(CHART_SIZE.width);
    expect(chart.alt).toContain("First-run nudge");
  }, 60_000);

  it("keeps one thread warm for several charts, each answered with its own drawing", async () => {
    const r = chartRenderer({ idleMs: 60_000 });
    try {
      const [a, b] = await Promise.all([r.render(input("Nudge A")), r.render(input("Nudge B"))]);
      expect(a.alt).toContain("Nudge A");
      expect(b.alt).toContain("Nudge B");
      const c = await r.render(input("Nudge C"));
      expect(c.alt).toContain("Nudge C");
    } finally {
      await r.close();
    }
  }, 60_000);

  it("answers a chart it cannot draw with an error and still draws the next one", async () => {
    const r = chartRenderer({ idleMs: 60_000 });
    try {
      const bad = { ...input("x"), timezone: "Not/AZone" } as OutcomeChartInput;
      await expect(r.render(bad)).rejects.toThrow();
      expect((await r.render(input("After the error"))).alt).toContain("After the error");
    } finally {
      await r.close();
    }
  }, 60_000);

  it("ends its thread when idle and starts a new one for the next chart", async () => {
    const r = chartRenderer({ idleMs: 10 });
    try {
      await r.render(input("First"));
      await new Promise((done) => setTimeout(done, 200));
      expect((await r.render(input("Second"))).alt).toContain("Second");
    } finally {
      await r.close();
    }
  }, 60_000);
});
