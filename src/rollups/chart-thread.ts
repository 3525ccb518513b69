/**
 * Worker-thread entry for rendering a rollup chart (see render-in-worker.ts): vega, vega-lite and
 * resvg load here and are gone when the thread exits, so the bot doesn't carry ~70 MB after its
 * first weekly rollup.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type OutcomeChartInput, renderOutcomeChart } from "./chart.js";

const chart = await renderOutcomeChart(workerData as OutcomeChartInput);
parentPort?.postMessage(chart);
