import { Worker } from "node:worker_threads";
import type { OutcomeChart, OutcomeChartInput } from "./chart.js";

/** What the chart thread answers for request `id` (see chart-thread.ts). */
export type ChartReply = { id: number; chart: OutcomeChart } | { id: number; error: string };

interface Pending {
  resolve: (chart: OutcomeChart) => void;
  reject: (err: Error) => void;
}

/**
 * Renders outcome charts in a worker thread that stays warm between charts and ends after `idleMs`
 * without one. The chart libraries are large and resvg's memory is invisible to V8's collector; in a
 * thread of its own all of it is released when the thread ends, instead of staying in the bot for
 * good after the first rollup. Kept warm because starting the thread (loading vega, vega-lite and
 * resvg) costs 0.8–1.5 s on a 2-core machine and a rollup tick draws one chart per team due.
 */
export function chartRenderer(o: { idleMs?: number } = {}): {
  render: (input: OutcomeChartInput) => Promise<OutcomeChart>;
  close: () => Promise<void>;
} {
  const idleMs = o.idleMs ?? 60_000;
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const start = (): Worker => {
    const w = import.meta.url.endsWith(".ts")
      ? // From source (npm run dev, tests): the thread registers tsx itself, then loads the .ts entry.
        new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(
            new URL("./chart-thread.ts", import.meta.url).href,
          )}); });`,
          { eval: true },
        )
      : new Worker(new URL("./chart-thread.js", import.meta.url));
    // A thread waiting for work must not keep the process alive (tests, scripts, shutdown).
    w.unref();
    w.on("message", (reply: ChartReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if ("error" in reply) p.reject(new Error(reply.error));
      else p.resolve({ ...reply.chart, png: Buffer.from(reply.chart.png) });
      if (pending.size === 0) armIdle();
    });
    w.on("error", (err) => {
      if (worker === w) worker = undefined;
      failAll(err);
    });
    w.on("exit", (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`chart worker exited with code ${code} before answering`));
    });
    return w;
  };

  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      if (pending.size > 0 || !worker) return;
      const w = worker;
      worker = undefined;
      void w.terminate();
    }, idleMs);
    idle.unref();
  };

  return {
    render(input) {
      clearTimeout(idle);
      worker ??= start();
      const id = nextId++;
      return new Promise<OutcomeChart>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker?.postMessage({ id, input });
      });
    },
    async close() {
      clearTimeout(idle);
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}

/** One chart in a thread of its own that ends straight after (scripts and tests that draw one chart). */
export async function renderChartInWorker(input: OutcomeChartInput): Promise<OutcomeChart> {
  const r = chartRenderer({ idleMs: 0 });
  try {
    return await r.render(input);
  } finally {
    await r.close();
  }
}
