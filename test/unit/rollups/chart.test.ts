import { PNG } from "pngjs";
import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import {
  buildOutcomeChart,
  CHART_SIZE,
  MAX_ALT_LENGTH,
  type OutcomeChartInput,
  type OutcomeSeries,
  progressPercent,
  renderOutcomeChart,
  SERIES_COLOURS,
} from "../../../src/rollups/chart.js";
import { DomainError } from "../../../src/shared/errors.js";

const WEEK = 7 * 86_400_000;
const to = new Date("2025-04-14T09:00:00Z");
const from = new Date(to.getTime() - 6 * WEEK);

/** Readings one week apart, the last one at `to`. */
const weekly = (values: number[]) =>
  values.map((value, i) => ({ at: new Date(to.getTime() - (values.length - 1 - i) * WEEK), value }));

const series = (overrides: Partial<OutcomeSeries> = {}): OutcomeSeries => ({
  mechanism: "Deploy review",
  signal: "lead time",
  unit: "h",
  baseline: 30,
  target: 8,
  points: weekly([30, 24, 18, 11]),
  ...overrides,
});

/**
 * The legend of the line layer's colour channel: its scale domain (one entry per series) and the
 * labelExpr that gives each entry its label. Throws when the spec has no such layer.
 */
function colourLegendOf(spec: TopLevelSpec): { domain: unknown; labelExpr: string | undefined } {
  const layers = "layer" in spec ? spec.layer : [];
  for (const layer of layers) {
    const colour = "encoding" in layer ? layer.encoding?.color : undefined;
    if (colour && "field" in colour && "scale" in colour && "legend" in colour) {
      return { domain: colour.scale?.domain, labelExpr: colour.legend?.labelExpr };
    }
  }
  throw new Error(`No layer with a colour legend among ${layers.length} layers`);
}

const chartOf = (seriesList: OutcomeSeries[], more: Partial<OutcomeChartInput> = {}): OutcomeChartInput => ({
  title: "Outcome signals",
  series: seriesList,
  from,
  to,
  timezone: "Europe/Berlin",
  ...more,
});

const eightMechanisms = SERIES_COLOURS.map((_, k) =>
  series({ mechanism: `Mechanism ${k + 1}`, points: weekly([30 - k, 25 - k, 20 - k, 12 + k]) }),
);

type Rgb = readonly [number, number, number];
const hexToRgb = (hex: string): Rgb => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];

/** Decodes the PNG and counts its pixels by colour, keyed "r,g,b". */
function pixelsOf(png: Buffer) {
  const image = PNG.sync.read(png);
  const counts = new Map<string, number>();
  for (let i = 0; i < image.data.length; i += 4) {
    const key = `${image.data[i]},${image.data[i + 1]},${image.data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const near = (rgb: Rgb, tolerance = 2) =>
    [...counts].reduce((sum, [key, n]) => {
      const [r = 0, g = 0, b = 0] = key.split(",").map(Number);
      const close =
        Math.abs(r - rgb[0]) <= tolerance &&
        Math.abs(g - rgb[1]) <= tolerance &&
        Math.abs(b - rgb[2]) <= tolerance;
      return close ? sum + n : sum;
    }, 0);
  return { image, counts, near };
}

describe("renderOutcomeChart", () => {
  it("returns a PNG of the configured size, and says so", async () => {
    const chart = await renderOutcomeChart(chartOf([series()]));
    const { image } = pixelsOf(chart.png);

    expect({ width: chart.width, height: chart.height }).toEqual(CHART_SIZE);
    expect({ width: image.width, height: image.height }).toEqual(CHART_SIZE);
  });

  it("draws each of 8 mechanisms in its own colour", async () => {
    const chart = await renderOutcomeChart(chartOf(eightMechanisms));
    const { counts, near } = pixelsOf(chart.png);

    expect(counts.size).toBeGreaterThan(50);
    for (const colour of SERIES_COLOURS) expect(near(hexToRgb(colour)), colour).toBeGreaterThan(200);
  });

  it("draws its text, which needs the bundled font", async () => {
    const chart = await renderOutcomeChart(chartOf([series()]));
    const { image } = pixelsOf(chart.png);

    // Only the black title is drawn in the top band; without a font resvg leaves it white.
    let dark = 0;
    for (let y = 0; y < 70; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = (y * image.width + x) * 4;
        if (
          (image.data[i] ?? 255) < 60 &&
          (image.data[i + 1] ?? 255) < 60 &&
          (image.data[i + 2] ?? 255) < 60
        ) {
          dark++;
        }
      }
    }
    expect(dark).toBeGreaterThan(500);
  });

  it("states each mechanism's latest value against its target in the alt text", async () => {
    const chart = await renderOutcomeChart(
      chartOf([
        series(),
        series({
          mechanism: "On-call handoff",
          signal: "pages answered",
          unit: "%",
          baseline: 62,
          target: 95,
          points: weekly([62, 97]),
        }),
      ]),
    );

    expect(chart.alt).toContain(
      "Deploy review — lead time: latest 11 h on Apr 14 vs target 8 h (baseline 30 h)",
    );
    expect(chart.alt).toContain("86% of the way");
    expect(chart.alt).toContain("On-call handoff — pages answered: latest 97% on Apr 14 vs target 95%");
    expect(chart.alt).toContain("106% of the way");
  });

  it("renders a series with no readings and says it has none yet", async () => {
    const input = chartOf([series({ points: [] })]);
    const chart = await renderOutcomeChart(input);

    expect(pixelsOf(chart.png).image.width).toBe(CHART_SIZE.width);
    expect(chart.alt).toContain("Deploy review — lead time: no readings yet; target 8 h (baseline 30 h).");
    expect(colourLegendOf(buildOutcomeChart(input).spec).labelExpr).toContain(
      "Deploy review — lead time: no readings yet (target 8 h)",
    );
  });

  it("renders a series with a single reading", async () => {
    const chart = await renderOutcomeChart(chartOf([series({ points: weekly([18]) })]));

    expect(pixelsOf(chart.png).near(hexToRgb(SERIES_COLOURS[0]))).toBeGreaterThan(20);
    expect(chart.alt).toContain("latest 18 h on Apr 14");
  });

  it("renders a chart with no series at all", async () => {
    const chart = await renderOutcomeChart(chartOf([]));

    expect(pixelsOf(chart.png).image.height).toBe(CHART_SIZE.height);
    expect(chart.alt).toContain("no outcome signals to show");
  });

  it("gives the same bytes for the same input", async () => {
    const first = await renderOutcomeChart(chartOf(eightMechanisms));
    const second = await renderOutcomeChart(chartOf(eightMechanisms));

    expect(second.png.equals(first.png)).toBe(true);
    expect(second.alt).toBe(first.alt);
  });

  it("draws the same picture whatever timezone the bot's process runs in", async () => {
    const input = chartOf(eightMechanisms, { timezone: "Asia/Tokyo" });
    const inUtc = await renderOutcomeChart(input);
    const processZone = process.env.TZ;
    process.env.TZ = "Pacific/Auckland";
    try {
      expect((await renderOutcomeChart(input)).png.equals(inUtc.png)).toBe(true);
    } finally {
      process.env.TZ = processZone;
    }
  });

  it("refuses a timezone it does not know", async () => {
    await expect(
      renderOutcomeChart(chartOf([series()], { timezone: "Mars/Olympus" })),
    ).rejects.toBeInstanceOf(DomainError);
  });
});

describe("buildOutcomeChart", () => {
  it("dates readings by the team's local day", () => {
    // 23:30 UTC on Sunday March 9 is already Monday March 10 in Berlin, still March 9 in Los Angeles.
    const late = [{ at: new Date("2025-03-09T23:30:00Z"), value: 20 }];

    expect(buildOutcomeChart(chartOf([series({ points: late })])).alt).toContain("on Mar 10 vs");
    expect(
      buildOutcomeChart(chartOf([series({ points: late })], { timezone: "America/Los_Angeles" })).alt,
    ).toContain("on Mar 9 vs");
  });

  it("leaves out readings outside the period", () => {
    const points = [
      { at: new Date(from.getTime() + WEEK), value: 20 },
      { at: new Date(to.getTime() + 86_400_000), value: 9 },
    ];

    expect(buildOutcomeChart(chartOf([series({ points })])).alt).toContain("latest 20 h on Mar 10");
  });

  it("keeps alt text within Slack's limit however many mechanisms there are", () => {
    const many = Array.from({ length: 60 }, (_, k) =>
      series({ mechanism: `A rather long mechanism name ${k}` }),
    );
    const { alt } = buildOutcomeChart(chartOf(many));

    expect(alt.length).toBeLessThanOrEqual(MAX_ALT_LENGTH);
    expect(alt.endsWith("…")).toBe(true);
  });

  it("keeps every series in the legend, even two with the same name", () => {
    const { spec } = buildOutcomeChart(chartOf([series(), series({ points: [] })]));

    expect(colourLegendOf(spec).domain).toEqual([
      "Deploy review — lead time",
      "Deploy review — lead time (2)",
    ]);
  });
});

describe("progressPercent", () => {
  it("is 0 at the baseline and 100 at the target", () => {
    expect(progressPercent(30, 30, 8)).toBe(0);
    expect(progressPercent(8, 30, 8)).toBe(100);
  });

  it("rises as a signal that should fall comes down", () => {
    expect(progressPercent(19, 30, 8)).toBe(50);
  });

  it("goes past 100 beyond the target and below 0 when things got worse", () => {
    expect(progressPercent(97, 62, 95)).toBeGreaterThan(100);
    expect(progressPercent(70, 80, 90)).toBe(-100);
  });

  it("has no progress to show when target equals baseline", () => {
    expect(progressPercent(5, 5, 5)).toBeNull();
  });
});
