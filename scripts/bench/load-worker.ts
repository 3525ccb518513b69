// The load generator of `npm run bench`, in its own node process (forked by children.ts `startLoadWorker`,
// built to dist/bench/load-worker.js first), so neither the fake Slack nor the apps share its CPU budget.
// It speaks over Node's IPC channel: the bench sends one `run` at a time; the worker builds and signs every
// request itself (requests.ts) and asks the bench, a few requests ahead, for the ids only the fake Slack can
// issue (trigger ids, response URLs), so a trigger is never older than a fraction of a second when sent.
import { type LoadResult, runLoad } from "./load.js";
import { buildRequest, type Fresh, type RequestSpec } from "./requests.js";

/** What a 200 answer must look like: empty, or (a command answered in the ack body) a JSON object. */
export type AckRule = "empty" | "empty-or-json";

export interface RunOrder {
  url: string;
  signingSecret: string;
  concurrency: number;
  total: number;
  maxMs: number;
  /** open loop at this rate; undefined: closed loop */
  ratePerSecond: number | undefined;
  spec: RequestSpec;
  /** request i of this run is request `from + i` of the scenario (review ids never repeat) */
  from: number;
  ack: AckRule;
}

export type ToWorker =
  | { type: "run"; id: number; order: RunOrder }
  | { type: "fresh"; id: number; items: Fresh[] }
  /** ends run `id` early: no more requests are sent, the answers on their way are awaited */
  | { type: "stop"; id: number };

export type FromWorker =
  | { type: "need"; id: number; count: number }
  | { type: "done"; id: number; result: LoadResult }
  | { type: "failed"; id: number; error: string };

const tell = (message: FromWorker) => process.send?.(message);

/** The fresh ids of one run: asked for `chunk` at a time, whenever fewer than `chunk` are left or on their way. */
class Feed {
  private readonly queue: Fresh[] = [];
  private onTheirWay = 0;
  private requested = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly id: number,
    private readonly total: number,
    private readonly chunk: number,
  ) {
    this.ask(2 * chunk);
  }

  private ask(count: number): void {
    const n = Math.min(count, this.total - this.requested);
    if (n <= 0) return;
    this.requested += n;
    this.onTheirWay += n;
    tell({ type: "need", id: this.id, count: n });
  }

  add(items: Fresh[]): void {
    this.onTheirWay -= items.length;
    this.queue.push(...items);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  async take(): Promise<Fresh> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        if (this.queue.length + this.onTheirWay < this.chunk) this.ask(this.chunk);
        return next;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const isJsonObject = (body: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
};

let feed: Feed | undefined;
let feedId = -1;
const stops = new Set<number>();

async function run(id: number, o: RunOrder): Promise<void> {
  // Paced: about 0.2 s of requests ahead; closed loop: two requests per connection ahead.
  const chunk = o.ratePerSecond ? Math.max(1, Math.ceil(o.ratePerSecond / 5)) : 2 * o.concurrency;
  const current = new Feed(id, o.total, chunk);
  feed = current;
  feedId = id;
  try {
    const result = await runLoad({
      url: o.url,
      signingSecret: o.signingSecret,
      concurrency: o.concurrency,
      total: o.total,
      maxMs: o.maxMs,
      ratePerSecond: o.ratePerSecond,
      next: async (i) => buildRequest(o.spec, o.from + i, await current.take()),
      checkAck: o.ack === "empty" ? (body) => body === "" : (body) => body === "" || isJsonObject(body),
      stopped: () => stops.has(id),
    });
    tell({ type: "done", id, result });
  } catch (err) {
    tell({ type: "failed", id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

process.on("message", (message: ToWorker) => {
  if (message.type === "run") void run(message.id, message.order);
  else if (message.type === "fresh" && message.id === feedId) feed?.add(message.items);
  else if (message.type === "stop") stops.add(message.id);
});
// The bench went away (or closed the channel): nothing left to do.
process.on("disconnect", () => process.exit(0));
