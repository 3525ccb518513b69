import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { CHART_SIZE } from "../../../src/rollups/chart.js";
import { renderChartInWorker } from "../../../src/rollups/render-in-worker.js";

describe("rendering the rollup chart in a worker thread", () => {
  it("returns the same kind of PNG as in-process rendering", async () => {
    const chart = await renderChartInWorker({
      title: "Checkout squad — outcomes",
      series: [
        {
          mechanism: "First-run nudge",
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
    const png = PNG.sync.read(chart.png);
    expect([png.width, png.height]).toEqual([chart.width, chart.height]);
    expect(chart.width).toBe(CHART_SIZE.width);
    expect(chart.alt).toContain("First-run nudge");
  }, 60_000);
});
