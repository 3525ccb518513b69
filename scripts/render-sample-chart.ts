/**
 * Renders a sample weekly-rollup outcome chart to /tmp/ratchet-chart.png so people can eyeball it:
 *   npx tsx scripts/render-sample-chart.ts [series-count]
 * Prints render time and RSS growth for a first and a second render.
 */
import { writeFileSync } from "node:fs";
import { type OutcomeSeries, renderOutcomeChart } from "../src/rollups/chart.js";

const WEEK = 7 * 86_400_000;
const to = new Date("2025-04-14T09:00:00Z");
const from = new Date(to.getTime() - 6 * WEEK);
const weekly = (values: number[]) =>
  values.map((value, i) => ({ at: new Date(to.getTime() - (values.length - 1 - i) * WEEK), value }));

const samples: OutcomeSeries[] = [
  {
    mechanism: "Deploy review",
    signal: "lead time",
    unit: "h",
    baseline: 30,
    target: 8,
    points: weekly([30, 26, 21, 18, 14, 12, 11]),
  },
  {
    mechanism: "Incident debrief",
    signal: "repeat incidents",
    unit: "per week",
    baseline: 6,
    target: 1,
    points: weekly([6, 5, 5, 3, 4, 2]),
  },
  {
    mechanism: "On-call handoff",
    signal: "pages answered in 5 min",
    unit: "%",
    baseline: 62,
    target: 95,
    points: weekly([62, 70, 75, 82, 88, 91, 97]),
  },
  { mechanism: "Flaky test triage", signal: "flaky rate", unit: "%", baseline: 4, target: 0.5, points: [] },
  {
    mechanism: "Cost review",
    signal: "monthly spend",
    unit: "k$",
    baseline: 120,
    target: 100,
    points: weekly([118]),
  },
  {
    mechanism: "Design review",
    signal: "rework tickets",
    unit: "per sprint",
    baseline: 12,
    target: 4,
    points: weekly([12, 11, 13, 9, 8]),
  },
  {
    mechanism: "Customer escalations",
    signal: "time to first reply",
    unit: "min",
    baseline: 90,
    target: 30,
    points: weekly([90, 75, 60, 64, 45, 40, 33]),
  },
  {
    mechanism: "Runbook drills",
    signal: "drills passed",
    unit: "%",
    baseline: 40,
    target: 90,
    points: weekly([40, 55, 50, 65, 70, 80, 85]),
  },
];

const count = Number(process.argv[2] ?? samples.length);
const input = {
  title: "Outcome signals — last 6 weeks",
  series: samples.slice(0, count),
  from,
  to,
  timezone: "Europe/Berlin",
};

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
for (const label of ["first", "second"]) {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const chart = await renderOutcomeChart(input);
  const ms = performance.now() - started;
  const rssAfter = process.memoryUsage().rss;
  writeFileSync("/tmp/ratchet-chart.png", chart.png);
  console.log(
    `${label} render: ${ms.toFixed(0)} ms, RSS ${mb(rssBefore)} → ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)}), ` +
      `${chart.width}x${chart.height}, ${chart.png.length} bytes`,
  );
  if (label === "second") console.log(`alt (${chart.alt.length} chars): ${chart.alt}`);
}
console.log("wrote /tmp/ratchet-chart.png");
