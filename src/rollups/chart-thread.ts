/**
 * Worker-thread entry for rendering rollup charts (see render-in-worker.ts): vega, vega-lite and
 * resvg load here and are gone when the thread ends, so the bot doesn't carry ~70 MB after its
 * first weekly rollup. It answers one reply per request, in order, and never dies of a bad chart.
 */
import { parentPort } from "node:worker_threads";
import { type OutcomeChartInput, renderOutcomeChart } from "./chart.js";
import type { ChartReply } from "./render-in-worker.js";

let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", ({ id, input }: { id: number; input: OutcomeChartInput }) => {
  queue = queue.then(async () => {
    let reply: ChartReply;
    try {
      reply = { id, chart: await renderOutcomeChart(input) };
    } catch (err) {
      reply = { id, error: err instanceof Error ? err.message : String(err) };
    }
    parentPort?.postMessage(reply);
  });
});
