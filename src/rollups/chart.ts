/**
 * The weekly rollup's outcome chart: each mechanism's OUTCOME signal over the last weeks, as a PNG
 * rendered in-process (vega-lite → vega SVG → resvg), with no browser, canvas, network or system font.
 *
 * Signals come in different units (hours, %, pages a week), and some improve downwards. So each reading
 * is plotted as progress: how far it has come from its baseline (0%) to its target (100%). All lines then
 * share one axis, every target is the same dashed rule at 100%, and "up is good" holds for every line.
 * The raw latest value and target of each signal are in the legend and the alt text.
 */
import { createRequire } from "node:module";
import { TZDate } from "@date-fns/tz";
import type { Loader } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { DomainError } from "../shared/errors.js";
import { clipText, withUnit } from "../shared/text.js";
import { isValidTimeZone } from "../shared/time-zone.js";

type OutcomeReading = { at: Date; value: number };

export type OutcomeSeries = {
  mechanism: string;
  signal: string;
  unit: string;
  baseline: number;
  target: number;
  points: OutcomeReading[];
};

export type OutcomeChartInput = {
  title: string;
  series: OutcomeSeries[];
  from: Date;
  to: Date;
  /** IANA zone of the team; the x axis shows local dates there. */
  timezone: string;
  /** one more subtitle line, also in the alt text: what the chart leaves off (chart-selection.ts) */
  note?: string;
};

export type OutcomeChart = { png: Buffer; width: number; height: number; alt: string };

/** Layout size in CSS pixels; the PNG is drawn at PIXEL_RATIO times this so it stays crisp on HiDPI. */
const CHART_LAYOUT = { width: 900, height: 560 } as const;
const PIXEL_RATIO = 2;
/** Size of every PNG renderOutcomeChart returns. */
export const CHART_SIZE = {
  width: CHART_LAYOUT.width * PIXEL_RATIO,
  height: CHART_LAYOUT.height * PIXEL_RATIO,
} as const;

/**
 * One colour per series, in input order (cycled past 8). Okabe–Ito and Tol hues: told apart with
 * common colour blindness, and all dark enough to read on white. None is grey, which the rules use.
 */
export const SERIES_COLOURS = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#d55e00",
  "#cc79a7",
  "#56b4e9",
  "#882255",
  "#999933",
] as const;

const TARGET_RULE_COLOUR = "#444444";
const BASELINE_RULE_COLOUR = "#b0b0b0";
/** Slack refuses image alt text longer than this. */
export const MAX_ALT_LENGTH = 2000;
const FONT_FAMILY = "DejaVu Sans";
const DAY_MS = 86_400_000;
/** Room the padding and the y axis ("baseline 0%") take left of the plot. */
const Y_AXIS_ALLOWANCE = 120;

/** How far value has come from baseline to target, in percent; null when baseline equals target. */
export function progressPercent(value: number, baseline: number, target: number): number | null {
  if (target === baseline) return null;
  // + 0 turns the -0 of a reading at a falling signal's baseline into 0, which prints as "0", not "-0".
  return ((value - baseline) / (target - baseline)) * 100 + 0;
}

/** The vega-lite spec and alt text for a chart; pure, so the layout can be tested without rendering. */
export function buildOutcomeChart(input: OutcomeChartInput): { spec: TopLevelSpec; alt: string } {
  const plan = planChart(input);
  return { spec: toSpec(plan, input), alt: describe(plan, input) };
}

/** Renders the outcome chart PNG; vega and resvg are imported on first use to keep the idle bot small. */
export async function renderOutcomeChart(input: OutcomeChartInput): Promise<OutcomeChart> {
  const { spec, alt } = buildOutcomeChart(input);
  const [vega, vegaLite, resvg] = await Promise.all([
    import("vega"),
    import("vega-lite"),
    import("@resvg/resvg-js"),
  ]);
  useDejaVuTextMetrics(vega);

  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {
    renderer: "none",
    loader: offlineLoader,
  });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }

  // Synchronous on purpose: renderAsync rasterises on libuv's pool, where glibc's per-thread arenas kept
  // 30–60 MB more RSS in our measurements; the ~150 ms this blocks the event loop is fine weekly.
  const image = new resvg.Resvg(svg, {
    fitTo: { mode: "width", value: CHART_SIZE.width },
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: fontFiles(), defaultFontFamily: FONT_FAMILY },
    logLevel: "off",
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height, alt };
}

// ---------------------------------------------------------------------------------------------------
// Planning: the numbers and words the spec and the alt text share.

type PlannedSeries = {
  key: string;
  colour: string;
  series: OutcomeSeries;
  /** readings inside [from, to], oldest first */
  readings: OutcomeReading[];
  latest: OutcomeReading | undefined;
};

type ChartPlan = {
  series: PlannedSeries[];
  /** x domain: local calendar days as UTC midnights, so labels never depend on the process TZ */
  fromDay: number;
  toDay: number;
  dayFormat: (at: Date) => string;
};

function planChart(input: OutcomeChartInput): ChartPlan {
  if (!isValidTimeZone(input.timezone)) {
    throw new DomainError("invalid_input", `Unknown timezone "${input.timezone}" for the rollup chart.`);
  }
  if (input.to.getTime() < input.from.getTime()) {
    throw new DomainError("invalid_input", "The rollup chart's period ends before it starts.");
  }
  const keys = new Set<string>();
  const series = input.series.map((s, i): PlannedSeries => {
    const readings = s.points
      .filter((p) => p.at >= input.from && p.at <= input.to && Number.isFinite(p.value))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    // The legend key doubles as the colour domain, so two series must never share one.
    let key = `${s.mechanism} — ${s.signal}`;
    if (keys.has(key)) key = `${key} (${i + 1})`;
    keys.add(key);
    return {
      key,
      colour: SERIES_COLOURS[i % SERIES_COLOURS.length] ?? SERIES_COLOURS[0],
      series: s,
      readings,
      latest: readings.at(-1),
    };
  });
  const localDay = (at: Date) => localDayOf(at, input.timezone);
  return {
    series,
    fromDay: localDay(input.from),
    toDay: localDay(input.to),
    dayFormat: (at) => formatDay(localDay(at)),
  };
}

function legendLabel(p: PlannedSeries): string {
  const { unit, target, baseline } = p.series;
  const goal = `target ${valueLabel(target, unit)}`;
  if (target === baseline) return `${p.key}: target equals baseline, not plotted`;
  if (!p.latest) return `${p.key}: no readings yet (${goal})`;
  return `${p.key}: ${valueLabel(p.latest.value, unit)} (${goal})`;
}

function describe(plan: ChartPlan, input: OutcomeChartInput): string {
  const period = `${formatDay(plan.fromDay)} to ${formatDay(plan.toDay)} (${input.timezone})`;
  const head =
    plan.series.length === 0
      ? `Chart "${input.title}", ${period}: no outcome signals to show.`
      : `Chart "${input.title}", ${period}: each line is a signal's progress from its baseline (0%) to its target (100%).`;
  const lines = plan.series.map((p) => {
    const { unit, target, baseline } = p.series;
    const goal = `target ${valueLabel(target, unit)} (baseline ${valueLabel(baseline, unit)})`;
    if (!p.latest) return `${p.key}: no readings yet; ${goal}.`;
    const progress = progressPercent(p.latest.value, baseline, target);
    const way = progress === null ? "" : `, ${formatNumber(progress, 0)}% of the way`;
    return `${p.key}: latest ${valueLabel(p.latest.value, unit)} on ${plan.dayFormat(p.latest.at)} vs ${goal}${way}.`;
  });
  // The note goes right after the head, so clipping a long alt text never drops it.
  return clipText([head, ...(input.note ? [input.note] : []), ...lines].join(" "), MAX_ALT_LENGTH);
}

// ---------------------------------------------------------------------------------------------------
// The vega-lite spec.

function toSpec(plan: ChartPlan, input: OutcomeChartInput): TopLevelSpec {
  const plotted = plan.series.filter((p) => p.series.target !== p.series.baseline);
  const rows = plotted.flatMap((p) =>
    p.readings.map((r) => ({
      key: p.key,
      day: localDayOf(r.at, input.timezone),
      progress: progressPercent(r.value, p.series.baseline, p.series.target),
    })),
  );
  // Ticks sit on the days there are readings, plus the period's ends so the span is always readable.
  const tickDays = [...new Set([plan.fromDay, plan.toDay, ...rows.map((r) => r.day)])].sort((a, b) => a - b);
  // Half a day either side keeps points and labels on the first and last day inside the plot.
  const domain = [plan.fromDay - DAY_MS / 2, Math.max(plan.toDay, plan.fromDay + DAY_MS) + DAY_MS / 2];
  const legendColumns = plan.series.length > 4 ? 2 : 1;
  const labels = Object.fromEntries(plan.series.map((p) => [p.key, legendLabel(p)]));

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_LAYOUT.width,
    height: CHART_LAYOUT.height,
    autosize: { type: "fit", contains: "padding" },
    padding: 16,
    background: "#ffffff",
    title: {
      text: input.title,
      subtitle: [
        "Each line shows how far a signal has come from its baseline (0%) to its target (100%),",
        `so signals in different units share one axis. Dates are local to ${input.timezone}.`,
        ...(input.note ? [input.note] : []),
      ],
      anchor: "start",
      fontSize: 18,
      subtitleFontSize: 12,
      subtitleColor: "#555555",
      offset: 12,
    },
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 12, titleFontSize: 12, labelColor: "#333333", titleColor: "#333333" },
      legend: { labelFontSize: 12, titleFontSize: 12 },
    },
    layer: [
      // Each rule needs one datum to draw; without data of its own it would inherit none.
      {
        data: { values: [{}] },
        mark: { type: "rule", strokeWidth: 1.5, color: BASELINE_RULE_COLOUR },
        encoding: { y: { datum: 0, type: "quantitative" } },
      },
      {
        data: { values: [{}] },
        mark: { type: "rule", strokeWidth: 1.5, color: TARGET_RULE_COLOUR, strokeDash: [6, 4] },
        encoding: { y: { datum: 100, type: "quantitative" } },
      },
      ...(rows.length > 0
        ? []
        : [
            {
              data: { values: [{}] },
              mark: {
                type: "text" as const,
                text: "No readings yet",
                fontSize: 16,
                color: "#777777",
                x: { expr: "width / 2" },
                y: { expr: "height / 2" },
              },
            },
          ]),
      {
        data: { values: rows },
        mark: { type: "line", strokeWidth: 2, point: { filled: true, size: 50 } },
        encoding: {
          x: {
            field: "day",
            type: "temporal",
            title: null,
            scale: { type: "utc", domain },
            axis: {
              values: tickDays,
              format: "%b %-d",
              labelOverlap: "greedy",
              grid: false,
            },
          },
          y: {
            field: "progress",
            type: "quantitative",
            // The subtitle explains the scale; an axis title would cost the legend width it needs.
            title: null,
            scale: { nice: true, zero: false },
            // The rules carry no text of their own, so lines crossing them never hide it.
            axis: {
              labelExpr:
                "datum.value === 100 ? 'target 100%' : datum.value === 0 ? 'baseline 0%' : datum.label + '%'",
              tickCount: 6,
            },
          },
          color: {
            field: "key",
            type: "nominal",
            title: null,
            // An explicit domain keeps series with no readings in the legend, where they say so.
            scale: { domain: plan.series.map((p) => p.key), range: plan.series.map((p) => p.colour) },
            legend: {
              orient: "bottom",
              direction: "vertical",
              columns: legendColumns,
              columnPadding: 24,
              // The legend sits under the plot, which starts right of the y axis labels.
              labelLimit: (CHART_LAYOUT.width - Y_AXIS_ALLOWANCE) / legendColumns - 50,
              symbolType: "stroke",
              symbolStrokeWidth: 3,
              labelExpr: `${JSON.stringify(labels)}[datum.value]`,
            },
          },
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Rendering environment.

// Vega reaches for a loader only when a spec names a URL; ours inline their data, so any load is a bug.
const refuse = (what: string) =>
  Promise.reject(new Error(`rollup chart tried to load ${what} while offline`));
const offlineLoader: Loader = {
  load: (uri) => refuse(uri),
  sanitize: (uri) => refuse(uri),
  http: (uri) => refuse(uri),
  file: (filename) => refuse(filename),
};

let fontPaths: string[] | undefined;
/** DejaVu Sans from the dejavu-fonts-ttf package: resvg drops text silently when no font matches. */
function fontFiles(): string[] {
  if (!fontPaths) {
    const require = createRequire(import.meta.url);
    const dir = `${require.resolve("dejavu-fonts-ttf/package.json").slice(0, -"package.json".length)}ttf/`;
    fontPaths = [`${dir}DejaVuSans.ttf`, `${dir}DejaVuSans-Bold.ttf`];
  }
  return fontPaths;
}

// DejaVu Sans advance widths in em for ASCII 32–126, read from the font's hmtx table. Without canvas vega
// guesses 0.8 em per character, which makes legends wrap and labels truncate far too early.
const DEJAVU_SANS_WIDTHS = [
  0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318, 0.337,
  0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337, 0.838, 0.838, 0.838,
  0.531, 1, 0.684, 0.686, 0.698, 0.77, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748,
  0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39,
  0.838, 0.5, 0.5, 0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974,
  0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337,
  0.636, 0.838,
];
/** Dashes, ellipsis and most other non-ASCII we print are a full em; wider than the ASCII average. */
const NON_ASCII_WIDTH = 1;
/** DejaVu Sans Bold runs about 10% wider than regular. */
const BOLD_FACTOR = 1.1;

type TextItem = { fontSize?: number; fontWeight?: string | number; limit?: number };
type TextMetrics = { width: (item: TextItem, text: unknown) => number };

function dejaVuTextWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    ems += code >= 32 && code < 127 ? (DEJAVU_SANS_WIDTHS[code - 32] ?? NON_ASCII_WIDTH) : NON_ASCII_WIDTH;
  }
  return ems * fontSize * (bold ? BOLD_FACTOR : 1);
}

/**
 * Vega lays out text with the module-wide textMetrics.width (untyped in vega's .d.ts); we set it to DejaVu
 * Sans metrics, which every chart is drawn in. This changes it for every vega view in the process.
 */
function useDejaVuTextMetrics(vega: object): void {
  const metrics = (vega as { textMetrics?: TextMetrics }).textMetrics;
  if (!metrics) throw new Error("vega no longer exports textMetrics; the chart cannot measure its text");
  metrics.width = (item, text) => {
    const size = item.fontSize ?? 11;
    const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    const width = dejaVuTextWidth(String(text ?? "").trim(), size, bold);
    // Vega truncates to item.limit when drawing, so the drawn label is never wider than that.
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}

// ---------------------------------------------------------------------------------------------------
// Small formatting helpers.

/** The local calendar day of `at` in `timezone`, as the UTC midnight of that date. */
function localDayOf(at: Date, timezone: string): number {
  const local = new TZDate(at.getTime(), timezone);
  return Date.UTC(local.getFullYear(), local.getMonth(), local.getDate());
}

const dayFormatter = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const formatDay = (utcMidnight: number) => dayFormatter.format(utcMidnight);

function formatNumber(value: number, maxFractionDigits = 2): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: maxFractionDigits }).format(value);
}

/** A value as the chart's alt text reads it: grouped digits ("1,234.5") and the unit. */
const valueLabel = (value: number, unit: string): string => withUnit(formatNumber(value), unit);
