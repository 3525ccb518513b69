// A small load generator: `concurrency` workers, each sending one signed Slack request at a time over
// keep-alive connections (optionally paced to a fixed rate), until `total` requests were sent or `maxMs`
// passed (bounded either way). Latency is timed from the moment a request is written, not from when a paced
// request was due, so a saturated app shows up in req/s and the 3 s count rather than in p99.
// `npm run bench` runs it in its own process (load-worker.ts), never beside the fake Slack or an app.
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { signRequest } from "../../test/slack/sender.js";

export interface SlackRequest {
  body: string;
  contentType: string;
}

export interface LoadResult {
  sent: number;
  /** Requests that got HTTP 200. */
  ok: number;
  /** Non-200 answers and transport errors, with a few examples. */
  failed: number;
  failures: string[];
  /** 200 answers whose body the check rejected (e.g. a view_submission answered with errors). */
  badAcks: number;
  badAckExample: string | undefined;
  /** Acks slower than Slack's 3 s budget (Slack would show the user an error), timeouts included. */
  late: number;
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU the generator's process used during the run, as a share of one core (near 1: it was the bottleneck) */
  generatorCpu: number;
}

export interface LoadOptions {
  url: string;
  signingSecret: string;
  concurrency: number;
  total: number;
  maxMs: number;
  /**
   * Open loop: request i is sent no earlier than i/rate s after the start (still at most `concurrency` in
   * flight). Undefined: closed loop, each connection sends its next request as soon as the last is answered.
   */
  ratePerSecond?: number | undefined;
  /** Builds request `i` (0-based); called just before it is sent, so trigger ids are fresh. */
  next: (i: number) => SlackRequest | Promise<SlackRequest>;
  /** Says whether a 200 answer is the ack we expect; defaults to anything. */
  checkAck?: (body: string) => boolean;
  /** Checked before each request: true ends the run early (what was sent is still counted). */
  stopped?: () => boolean;
}

class TimeoutError extends Error {}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

function send(
  agent: Agent,
  url: URL,
  req: SlackRequest,
  signingSecret: string,
): Promise<{ status: number; body: string; ms: number }> {
  // Signing happens before the clock starts: it is the sender's cost, not the app's.
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": req.contentType,
    "content-length": Buffer.byteLength(req.body),
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signRequest(signingSecret, ts, req.body),
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const r = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    // A hung app must not hang the benchmark.
    r.setTimeout(10_000, () => r.destroy(new TimeoutError("no answer within 10 s")));
    r.on("error", reject);
    r.end(req.body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const url = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let badAcks = 0;
  let badAckExample: string | undefined;
  let timeouts = 0;
  let issued = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + o.maxMs;

  const worker = async () => {
    while (issued < o.total && performance.now() < deadline && !o.stopped?.()) {
      const i = issued++;
      if (o.ratePerSecond) {
        const wait = started + (i * 1000) / o.ratePerSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (o.stopped?.()) {
          issued--;
          break;
        }
      }
      try {
        const res = await send(agent, url, await o.next(i), o.signingSecret);
        if (res.status !== 200) {
          failed++;
          if (failures.length < 3) failures.push(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
          continue;
        }
        latencies.push(res.ms);
        if (o.checkAck && !o.checkAck(res.body)) {
          badAcks++;
          badAckExample ??= res.body.slice(0, 300);
        }
      } catch (err) {
        failed++;
        if (err instanceof TimeoutError) timeouts++;
        if (failures.length < 3) failures.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    sent: issued,
    ok: latencies.length,
    failed,
    failures,
    badAcks,
    badAckExample,
    late: sorted.filter((v) => v > 3000).length + timeouts,
    elapsedMs,
    rps: latencies.length / (elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    generatorCpu: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
}
