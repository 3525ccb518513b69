import { Worker } from "node:worker_threads";
import type { OutcomeChart, OutcomeChartInput } from "./chart.js";

/**
 * Renders the outcome chart in a short-lived worker thread. The chart libraries are large and
 * resvg's memory is invisible to V8's collector; in a thread of its own all of it is released
 * when the thread ends, instead of staying in the bot for good after the first rollup.
 */
export function renderChartInWorker(input: OutcomeChartInput): Promise<OutcomeChart> {
  return new Promise((resolve, reject) => {
    const worker = import.meta.url.endsWith(".ts")
      ? // From source (npm run dev, tests): the thread registers tsx itself, then loads the .ts entry.
        new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(
            new URL("./chart-thread.ts", import.meta.url).href,
          )}); });`,
          { eval: true, workerData: input },
        )
      : new Worker(new URL("./chart-thread.js", import.meta.url), { workerData: input });
    let settled = false;
    worker.once("message", (chart: OutcomeChart) => {
      settled = true;
      resolve({ ...chart, png: Buffer.from(chart.png) });
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`chart worker exited with code ${code} before answering`));
    });
  });
}
