/**
 * `npm run bench` — how fast Ratchet acks Slack, next to a Bolt app that does nothing but ack.
 *
 * What runs (all on 127.0.0.1, in one invocation), each in its own node process:
 *   - this process: the local fake Slack (test/slack/fake-slack.ts) with channel C0TEAM and users
 *     U0OWNER / U0STOPPER, as test/support/harness.ts sets it up, and the bench's bookkeeping;
 *   - Ratchet exactly as deployed in HTTP mode (`node dist/main.js` with `npm start`'s flags, built first;
 *     real migrations, SQLite in a temp dir, system clock, scheduler on, LOG_LEVEL=warn), pointed at the fake;
 *   - a bare Bolt app (scripts/bench/bare-bolt.ts, built): same Bolt version and receiver, every command /
 *     view / action just acked;
 *   - the load generator (scripts/bench/load-worker.ts, built): it builds, signs and sends every request and
 *     times the acks; over Node's IPC channel it gets its orders and, a fraction of a second ahead, the ids only
 *     Slack issues (trigger ids, response URLs), which the fake in this process hands out. So the generator
 *     shares its CPU with neither the fake nor an app (the machine's cores it still shares).
 * /proc/<pid>/status of each app's process is that app's memory alone.
 *
 * Seeding (once, through signed requests like a person): `/ratchet setup` + the team modal in C0TEAM,
 * `/ratchet new` + the fixtures' `goodMechanism` one-pager. Then one open Review row (status "reminded")
 * per review submission is inserted into the bench database, because a review can be decided only once.
 *
 * Scenarios — identical request bodies to both apps (scripts/bench/requests.ts; only trigger ids / response
 * URLs are fresh per request, issued by the fake):
 *   a. `/ratchet help`           signed slash command; Ratchet answers either in the ack body or on the
 *                                response_url after the ack — both count as a good ack (empty or a JSON object).
 *   b. `/ratchet new` in C0TEAM  Ratchet acks, resolves the team, then views.open's the one-pager modal.
 *   c. review submission         `view_submission` of callback `review_form` (the 15-minute review modal,
 *                                readings for both signals, decision "continue") for a distinct open review
 *                                each time; Ratchet validates and writes the decision BEFORE it acks, then
 *                                announces (one-pager chat.update, thread post, alarm re-check).
 * Load, per scenario: BENCH_WARMUP (60) unmeasured requests to each app, then BENCH_RUNS (3) rounds, each
 * Ratchet then the bare app (interleaved: Ratchet, bare, Ratchet, bare, …, so a machine that gets busier
 * or quieter affects both alike), each app getting in its turn
 *   - latency at the same load: paced open-loop at BENCH_RATE (20) req/s for BENCH_PACED_REQUESTS (200)
 *     requests, at most BENCH_CONCURRENCY (20) in flight;
 *   - saturation: closed loop, BENCH_CONCURRENCY keep-alive connections each sending one request at a time,
 *     BENCH_REQUESTS (1000) or BENCH_MAX_SECONDS (15), whichever comes first — reported as "max req/s".
 * After each of Ratchet's runs the bench waits until the fake has seen no calls for 0.75 s, so Ratchet's
 * after-ack work does not spill into the next measurement. Knobs: BENCH_SCENARIOS=ac picks scenarios;
 * BENCH_NODE_FLAGS sets Ratchet's node flags (default `npm start`'s, printed with the results);
 * BENCH_IDLE_SECONDS (2) is the idle time before the after-load RSS reading; BENCH_RATCHET_LOG=/path keeps
 * Ratchet's log.
 * What it prints, per scenario, min / median / max over the rounds:
 *   - max req/s: answered requests / wall time of the closed-loop run;
 *   - p50 / p99: ack latency = request written → full HTTP response read (what Slack's 3 s clock sees) at the
 *     paced load; request signing happens before the clock starts;
 *   - Ratchet ÷ bare: the ratio within each round (the same minute on the same machine), then its spread;
 *   - slowest ack at saturation, and how many acks took over 3 s;
 *   - after-ack calls: Web API / response_url calls Ratchet made during its paced runs and how many the fake
 *     refused (e.g. expired_trigger_id when views.open comes more than 3 s after the trigger was issued);
 *     "drain": how long after its last ack Ratchet was still making them.
 * and RSS (VmRSS): each app 2 s after it is healthy and seeded (idle), the most sampled every 200 ms while
 * the load ran (loaded), and BENCH_IDLE_SECONDS after everything drained; "peak" is VmHWM.
 * Goals (from the issue), each printed with what was measured: `/ratchet help` max req/s ≥ 50% of bare Bolt's
 * in the same round; review submission p99 ≤ 2× bare Bolt's at the same load; no ack over 3 s at saturation;
 * RSS idle ≤ 150 MB, loaded ≤ 200 MB. A verdict is judged on the median round and says when a round missed.
 * A benchmark, not a test: exits 0 whatever the figures, 1 only when something could not start or seed.
 * The machine's cores are shared by all four processes (and anything else running): compare the ratios more
 * than the absolute numbers, and look at the spread.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeSlack, type RecordedCall } from "../src/sandbox/fake-slack.js";
import { SlackSender } from "../test/slack/sender.js";
import {
  type Child,
  freePort,
  type LoadWorker,
  memoryOf,
  sleep,
  startChild,
  startLoadWorker,
  stopChild,
  tail,
  waitHealthy,
} from "./bench/children.js";
import type { LoadResult } from "./bench/load.js";
import type { AckRule } from "./bench/load-worker.js";
import type { Fresh, RequestSpec, Sender } from "./bench/requests.js";
import {
  BENCH_USER,
  countDecisions,
  createMechanism,
  prepareReviews,
  type ReviewFixture,
  setupTeam,
  TEAM_CHANNEL,
} from "./bench/seed.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BOT_TOKEN = "xoxb-bench-token";
const SIGNING_SECRET = "bench-signing-secret";

const envInt = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const CONCURRENCY = envInt("BENCH_CONCURRENCY", 20);
const REQUESTS = envInt("BENCH_REQUESTS", 1000);
const WARMUP = envInt("BENCH_WARMUP", 60);
const MAX_MS = envInt("BENCH_MAX_SECONDS", 15) * 1000;
/** How long the apps sit idle before the after-load RSS reading (default 2 s). */
const IDLE_MS = envInt("BENCH_IDLE_SECONDS", 2) * 1000;
/** The offered load both apps get for the latency comparison (the goal is "at the same load"). */
const RATE = envInt("BENCH_RATE", 20);
const PACED_REQUESTS = envInt("BENCH_PACED_REQUESTS", 200);
/** Rounds per scenario (Ratchet then bare, each round). */
const RUNS = envInt("BENCH_RUNS", 3);
/**
 * Ratchet's node flags: `npm start`'s by default; BENCH_NODE_FLAGS="--liftoff-only --max-semi-space-size=4"
 * A/B-tests another setting (README → Benchmark states the trade).
 */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "--liftoff-only --max-semi-space-size=1")
  .split(" ")
  .filter(Boolean);
/** BENCH_SCENARIOS=ac runs only scenarios a and c (seeding is the same). */
const ONLY = (process.env.BENCH_SCENARIOS ?? "abc").split("");

const HELP_RPS_RATIO_GOAL = 0.5;
const REVIEW_P99_RATIO_GOAL = 2;
const ACK_BUDGET_MS = 3000;
const RSS_IDLE_GOAL_MB = 150;
const RSS_LOADED_GOAL_MB = 200;

interface Scenario {
  key: string;
  name: string;
  spec: RequestSpec;
  /** The ids Slack would issue for one request, from the fake. */
  fresh: () => Fresh;
  ack: AckRule;
}

interface AfterAck {
  /** Time from the last ack to the last after-ack Slack call. */
  drainMs: number;
  calls: number;
  refused: number;
  refusals: Map<string, number>;
}

interface Round {
  /** the same paced load on both apps: the latency comparison */
  ratchet: LoadResult;
  bare: LoadResult;
  /** closed loop: how many requests/s each app can ack at most */
  ratchetMax: LoadResult;
  bareMax: LoadResult;
  /** Ratchet's after-ack work of its paced run, and of its saturation run */
  paced: AfterAck;
  saturated: AfterAck;
}

interface Row {
  scenario: Scenario;
  rounds: Round[];
  warmupRefusals: Map<string, number>;
  /** requests Ratchet acked 200, warm-up included */
  ratchetAcks: number;
}

// ---- helpers -----------------------------------------------------------------------------------

/**
 * Waits until the fake has seen no new call for `quietMs` (Ratchet's after-ack work is done) and returns
 * how long after the call the last Slack call came: the backlog of after-ack work the load left behind.
 */
async function settle(fake: FakeSlack, quietMs = 750, maxMs = 30_000): Promise<number> {
  const began = Date.now();
  let seen = fake.calls.length;
  let quietSince = began;
  while (Date.now() - began < maxMs) {
    await sleep(50);
    if (fake.calls.length !== seen) {
      seen = fake.calls.length;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      break;
    }
  }
  return quietSince - began;
}

function afterAck(calls: RecordedCall[], drainMs: number): AfterAck {
  const refusals = new Map<string, number>();
  let refused = 0;
  for (const call of calls) {
    const r = call.response;
    if (typeof r === "object" && r !== null && (r as Record<string, unknown>).ok === false) {
      refused++;
      const key = `${call.method}: ${String((r as Record<string, unknown>).error)}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
    }
  }
  return { drainMs, calls: calls.length, refused, refusals };
}

function mergeCounts(maps: Map<string, number>[]): string {
  const all = new Map<string, number>();
  for (const m of maps) for (const [k, n] of m) all.set(k, (all.get(k) ?? 0) + n);
  return [...all].map(([k, n]) => `${k} ×${n}`).join(", ");
}

/** Warning-or-worse pino lines Ratchet wrote (its stdout is JSON lines at LOG_LEVEL=warn). */
function ratchetProblems(output: string): string[] {
  const counts = new Map<string, number>();
  for (const line of output.split("\n")) {
    if (!line.trim()) continue;
    let msg = line.slice(0, 160);
    try {
      const parsed = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((parsed.level ?? 0) < 40) continue;
      msg = `${parsed.msg ?? "?"}${parsed.err?.message ? ` (${parsed.err.message.slice(0, 100)})` : ""}`;
    } catch {
      // not JSON: a stack trace or a crash message, worth showing as is
    }
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return [...counts].map(([m, n]) => `${m} ×${n}`);
}

interface Spread {
  min: number;
  median: number;
  max: number;
}

function spread(values: number[]): Spread {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? (v[mid] ?? Number.NaN) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
  return { min: v[0] ?? Number.NaN, median, max: v.at(-1) ?? Number.NaN };
}

const fmt = (s: Spread, one: (v: number) => string) =>
  Number.isFinite(s.median) ? `${one(s.min)} / ${one(s.median)} / ${one(s.max)}` : "—";
const ms1 = (v: number) => v.toFixed(1);
const whole = (v: number) => v.toFixed(0);
const times = (v: number) => `${v.toFixed(2)}×`;
const mb = (v: number) => `${v.toFixed(0)} MB`;

/** PASS/MISS on the median, saying how many rounds missed when the median passes. */
function verdict(values: number[], ok: (v: number) => boolean): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "n/a";
  const misses = finite.filter((v) => !ok(v)).length;
  if (!ok(spread(finite).median)) return "MISS";
  return misses === 0 ? "PASS" : `PASS (median; ${misses} of ${finite.length} rounds miss)`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function describeRun(name: string, r: LoadResult, planned: number): string[] {
  const notes: string[] = [];
  if (r.failed > 0) notes.push(`${name}: ${r.failed} requests failed (${r.failures.join("; ")})`);
  if (r.badAcks > 0) notes.push(`${name}: ${r.badAcks} acks were not as expected, e.g. ${r.badAckExample}`);
  if (r.late > 0) notes.push(`${name}: ${r.late} acks took over Slack's 3 s budget`);
  if (r.sent < planned) notes.push(`${name}: stopped at the ${MAX_MS / 1000} s cap after ${r.sent} requests`);
  if (r.generatorCpu > 0.85)
    notes.push(
      `${name}: the load generator used ${(r.generatorCpu * 100).toFixed(0)}% of a core — it may have been the limit`,
    );
  return notes;
}

/** Samples each app's VmRSS every 200 ms while the load runs; `max()` is the "loaded" figure. */
function rssSampler(pids: number[]): { stop(): number[] } {
  const most = pids.map(() => 0);
  const timer = setInterval(() => {
    pids.forEach((pid, i) => {
      try {
        most[i] = Math.max(most[i] ?? 0, memoryOf(pid).rssMb);
      } catch {
        // the child is gone; the notes say so
      }
    });
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return most;
    },
  };
}

// ---- main --------------------------------------------------------------------------------------

const children: Child[] = [];
let fake: FakeSlack | undefined;
let loader: LoadWorker | undefined;
const dir = mkdtempSync(join(tmpdir(), "ratchet-bench-"));

async function cleanup(): Promise<void> {
  await loader?.stop().catch(() => {});
  await Promise.all(children.map((c) => stopChild(c).catch(() => {})));
  await fake?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Builds Ratchet (as `npm start` does), the bare app and the load worker to plain JS, so none pays for tsx
 * at run time.
 */
function build(): void {
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  const esbuild = (entry: string, out: string, extra: string[] = []) =>
    execFileSync(
      join(ROOT, "node_modules", ".bin", "esbuild"),
      [entry, `--outfile=${out}`, "--platform=node", "--format=esm", "--log-level=warning", ...extra],
      { cwd: ROOT, stdio: "inherit" },
    );
  esbuild("scripts/bench/bare-bolt.ts", "dist/bench/bare-bolt.js");
  esbuild("scripts/bench/load-worker.ts", "dist/bench/load-worker.js", ["--bundle", "--packages=external"]);
}

async function start(): Promise<{
  ratchet: Child;
  bare: Child;
  fake: FakeSlack;
  reviews: ReviewFixture;
  databaseUrl: string;
}> {
  build();
  const f = await FakeSlack.start({ botToken: BOT_TOKEN });
  fake = f;
  f.addChannel({ id: TEAM_CHANNEL, name: "checkout-squad" });
  f.addUser({ id: "U0OWNER", name: "olly", real_name: "Olly Owner", tz: "Europe/London" });
  f.addUser({ id: "U0STOPPER", name: "sam", real_name: "Sam Stopper", tz: "Europe/London" });

  const databaseUrl = `file:${join(dir, "bench.db")}`;
  const slackEnv = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: f.apiUrl,
  };
  const ratchet = startChild({
    name: "Ratchet",
    // The same flags as `npm start` (see README → Benchmark), unless BENCH_NODE_FLAGS says otherwise (A/B).
    args: [...NODE_FLAGS, "dist/main.js"],
    cwd: ROOT,
    port: await freePort(),
    // SLACK_APP_TOKEN empty: a developer's .env must not switch the bench to Socket Mode.
    env: { ...slackEnv, SLACK_APP_TOKEN: "", DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
  });
  children.push(ratchet);
  const bare = startChild({
    name: "bare Bolt",
    args: ["dist/bench/bare-bolt.js"],
    cwd: ROOT,
    port: await freePort(),
    env: slackEnv,
  });
  children.push(bare);
  loader = startLoadWorker(join(ROOT, "dist", "bench", "load-worker.js"), ROOT);
  await Promise.all([waitHealthy(ratchet, 60_000), waitHealthy(bare, 60_000)]);

  const sender = new SlackSender({
    appUrl: `http://127.0.0.1:${ratchet.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    fake: f,
  });
  await setupTeam(f, sender);
  await createMechanism(f, sender);
  const reviews = await prepareReviews({
    databaseUrl,
    fake: f,
    botToken: BOT_TOKEN,
    // Every Ratchet run that submits reviews needs its own open reviews: warm-up + each round's two runs.
    count: WARMUP + RUNS * (PACED_REQUESTS + REQUESTS),
  });
  await settle(f);
  return { ratchet, bare, fake: f, reviews, databaseUrl };
}

function scenarios(f: FakeSlack, reviews: ReviewFixture): Scenario[] {
  const sender: Sender = {
    teamId: f.teamId,
    teamDomain: f.teamDomain,
    appId: f.appId,
    channelId: TEAM_CHANNEL,
    channelName: "checkout-squad",
    userId: BENCH_USER,
    userName: "olly",
  };
  const commandIds = (): Fresh => ({
    triggerId: f.newTriggerId(),
    responseUrl: f.newResponseUrl({ channelId: TEAM_CHANNEL, userId: BENCH_USER }),
  });
  let views = 0;
  const all: Scenario[] = [
    {
      key: "a",
      name: "a. /ratchet help",
      spec: { kind: "command", sender, text: "help" },
      fresh: commandIds,
      ack: "empty-or-json",
    },
    {
      key: "b",
      name: "b. /ratchet new (open modal)",
      spec: { kind: "command", sender, text: "new" },
      fresh: commandIds,
      ack: "empty",
    },
    {
      key: "c",
      name: "c. review_form submit",
      spec: {
        kind: "view_submission",
        sender,
        view: { ...reviews.view },
        values: reviews.values,
        mechanismId: reviews.mechanismId,
        reviewIds: reviews.reviewIds,
      },
      fresh: () => {
        // Each submission is of its own modal, as in Slack (see Fresh): a view id and hash of its own.
        const view = {
          id: `VBENCH${++views}`,
          hash: `${Math.floor(Date.now() / 1000)}.${views.toString(16)}`,
        };
        return { triggerId: f.newTriggerId({ viewId: view.id }), view };
      },
      ack: "empty",
    },
  ];
  return all.filter((s) => ONLY.includes(s.key));
}

async function measure(
  s: Scenario,
  f: FakeSlack,
  apps: { ratchet: Child; bare: Child },
  load: LoadWorker,
): Promise<Row> {
  const run = (c: Child, from: number, total: number, paced: boolean) =>
    load.run(
      {
        url: `http://127.0.0.1:${c.port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        concurrency: CONCURRENCY,
        total,
        maxMs: MAX_MS,
        ratePerSecond: paced ? RATE : undefined,
        spec: s.spec,
        from,
        ack: s.ack,
      },
      s.fresh,
    );
  const { ratchet, bare } = apps;
  const warmFrom = f.calls.length;
  const warm = await run(ratchet, 0, WARMUP, true);
  await settle(f);
  const warmupRefusals = afterAck(f.calls.slice(warmFrom), 0).refusals;
  await run(bare, 0, WARMUP, true);

  const rounds: Round[] = [];
  for (let round = 0; round < RUNS; round++) {
    const from = WARMUP + round * (PACED_REQUESTS + REQUESTS);
    let mark = f.calls.length;
    const r = await run(ratchet, from, PACED_REQUESTS, true);
    const paced = afterAck(f.calls.slice(mark), await settle(f));
    mark = f.calls.length;
    const rMax = await run(ratchet, from + PACED_REQUESTS, REQUESTS, false);
    const saturated = afterAck(f.calls.slice(mark), await settle(f));
    const b = await run(bare, from, PACED_REQUESTS, true);
    const bMax = await run(bare, from + PACED_REQUESTS, REQUESTS, false);
    rounds.push({ ratchet: r, bare: b, ratchetMax: rMax, bareMax: bMax, paced, saturated });
    process.stderr.write(`bench: ${s.name}, round ${round + 1} of ${RUNS} done\n`);
  }
  const ratchetAcks = rounds.reduce((n, r) => n + r.ratchet.ok + r.ratchetMax.ok, warm.ok);
  return { scenario: s, rounds, warmupRefusals, ratchetAcks };
}

function scenarioTable(row: Row): string {
  const rs = row.rounds;
  const pick = (f: (r: Round) => number) => rs.map(f);
  const isHelp = row.scenario.key === "a";
  const isReview = row.scenario.key === "c";
  const rpsRatio = pick((r) => r.ratchetMax.rps / r.bareMax.rps);
  const p99Ratio = pick((r) => r.ratchet.p99 / r.bare.p99);
  const lateAtSaturation = rs.reduce((n, r) => n + r.ratchetMax.late, 0);
  const slowest = pick((r) => r.ratchetMax.max);
  const rows = [
    [
      `max req/s (closed loop, ${CONCURRENCY} conns)`,
      fmt(spread(pick((r) => r.ratchetMax.rps)), whole),
      fmt(spread(pick((r) => r.bareMax.rps)), whole),
      fmt(spread(rpsRatio), times),
      isHelp ? `≥ ${HELP_RPS_RATIO_GOAL.toFixed(2)}×` : "—",
      isHelp ? verdict(rpsRatio, (v) => v >= HELP_RPS_RATIO_GOAL) : "",
    ],
    [
      `p50 ms at ${RATE} req/s`,
      fmt(spread(pick((r) => r.ratchet.p50)), ms1),
      fmt(spread(pick((r) => r.bare.p50)), ms1),
      fmt(spread(pick((r) => r.ratchet.p50 / r.bare.p50)), times),
      "—",
      "",
    ],
    [
      `p99 ms at ${RATE} req/s`,
      fmt(spread(pick((r) => r.ratchet.p99)), ms1),
      fmt(spread(pick((r) => r.bare.p99)), ms1),
      fmt(spread(p99Ratio), times),
      isReview ? `≤ ${REVIEW_P99_RATIO_GOAL}×` : "—",
      isReview ? verdict(p99Ratio, (v) => v <= REVIEW_P99_RATIO_GOAL) : "",
    ],
    [
      "slowest ack ms at saturation",
      fmt(spread(slowest), ms1),
      fmt(spread(pick((r) => r.bareMax.max)), ms1),
      "",
      `≤ ${ACK_BUDGET_MS} ms`,
      lateAtSaturation === 0 ? "PASS" : `MISS (${lateAtSaturation} acks over 3 s)`,
    ],
  ];
  const aa = (a: AfterAck[]) =>
    `${fmt(spread(a.map((x) => x.calls)), whole)} calls, ${a.reduce((n, x) => n + x.refused, 0)} refused, ` +
    `drain ${fmt(spread(a.map((x) => x.drainMs / 1000)), ms1)} s`;
  return [
    `${row.scenario.name} — ${rs.length} rounds, min / median / max`,
    table(["measure", "Ratchet", "bare Bolt", "Ratchet ÷ bare (same round)", "goal", "verdict"], rows),
    `  Ratchet's after-ack Slack calls: paced runs ${aa(rs.map((r) => r.paced))}; saturation runs ${aa(rs.map((r) => r.saturated))}`,
  ].join("\n");
}

async function main(): Promise<number> {
  const began = Date.now();
  let setup: Awaited<ReturnType<typeof start>>;
  try {
    setup = await start();
  } catch (err) {
    process.stderr.write(
      `bench: could not start or seed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return 1;
  }
  const { ratchet, bare, fake: f, reviews, databaseUrl } = setup;
  const load = loader;
  if (!load) return 1;

  await sleep(2000);
  const idle = { ratchet: memoryOf(ratchet.proc.pid ?? 0), bare: memoryOf(bare.proc.pid ?? 0) };

  const sampler = rssSampler([ratchet.proc.pid ?? 0, bare.proc.pid ?? 0]);
  const rows: Row[] = [];
  for (const s of scenarios(f, reviews)) rows.push(await measure(s, f, { ratchet, bare }, load));
  const [loadedRatchet = Number.NaN, loadedBare = Number.NaN] = sampler.stop();

  await settle(f);
  await sleep(IDLE_MS);
  const after = { ratchet: memoryOf(ratchet.proc.pid ?? 0), bare: memoryOf(bare.proc.pid ?? 0) };

  const out: string[] = [""];
  out.push(
    `Each round: Ratchet, then bare Bolt — paced at the same ${RATE} req/s (${PACED_REQUESTS} requests, ≤${CONCURRENCY} in flight), ` +
      `then closed loop (${CONCURRENCY} keep-alive connections, ${REQUESTS} requests, cap ${MAX_MS / 1000} s); ` +
      `${WARMUP} warm-up requests per app and scenario first. Load generator in its own process. ` +
      "Ack latency = request written → full HTTP response. " +
      `Ratchet's node flags: ${NODE_FLAGS.join(" ") || "(none)"}.`,
  );
  for (const row of rows) out.push("", scenarioTable(row));

  const goals: string[][] = [];
  const help = rows.find((r) => r.scenario.key === "a");
  if (help) {
    const v = help.rounds.map((r) => r.ratchetMax.rps / r.bareMax.rps);
    const sp = spread(v);
    goals.push([
      `/ratchet help max req/s ≥ ${HELP_RPS_RATIO_GOAL * 100}% of bare Bolt's (same round)`,
      `${(sp.median * 100).toFixed(0)}% (rounds ${(sp.min * 100).toFixed(0)}–${(sp.max * 100).toFixed(0)}%)`,
      verdict(v, (x) => x >= HELP_RPS_RATIO_GOAL),
    ]);
  }
  const review = rows.find((r) => r.scenario.key === "c");
  if (review) {
    const v = review.rounds.map((r) => r.ratchet.p99 / r.bare.p99);
    const sp = spread(v);
    goals.push([
      `review submission p99 ≤ ${REVIEW_P99_RATIO_GOAL}× bare Bolt's at ${RATE} req/s`,
      `${times(sp.median)} (rounds ${times(sp.min)}–${times(sp.max)})`,
      verdict(v, (x) => x <= REVIEW_P99_RATIO_GOAL),
    ]);
  }
  if (rows.length > 0) {
    const saturation = rows.flatMap((r) => r.rounds.map((x) => x.ratchetMax));
    const late = saturation.reduce((n, r) => n + r.late, 0);
    const acks = saturation.reduce((n, r) => n + r.ok, 0);
    const slowest = Math.max(...saturation.map((r) => r.max));
    goals.push([
      "no ack over 3 s at saturation (every scenario and round)",
      `${late} of ${acks + late} over 3 s; slowest ${ms1(slowest)} ms`,
      late === 0 ? "PASS" : "MISS",
    ]);
  }
  goals.push([
    `idle RSS ≤ ${RSS_IDLE_GOAL_MB} MB`,
    mb(idle.ratchet.rssMb),
    idle.ratchet.rssMb <= RSS_IDLE_GOAL_MB ? "PASS" : "MISS",
  ]);
  goals.push([
    `loaded RSS ≤ ${RSS_LOADED_GOAL_MB} MB (most sampled during load)`,
    mb(loadedRatchet),
    loadedRatchet <= RSS_LOADED_GOAL_MB ? "PASS" : "MISS",
  ]);
  out.push("", "Goals (Ratchet)", table(["goal", "measured", "verdict"], goals));
  out.push("");
  out.push(
    table(
      [
        "RSS",
        "idle (2 s after healthy)",
        "loaded (most sampled)",
        `after load (${IDLE_MS / 1000} s idle)`,
        "peak (VmHWM)",
      ],
      [
        [
          "Ratchet",
          mb(idle.ratchet.rssMb),
          mb(loadedRatchet),
          mb(after.ratchet.rssMb),
          mb(after.ratchet.peakMb),
        ],
        ["bare Bolt", mb(idle.bare.rssMb), mb(loadedBare), mb(after.bare.rssMb), mb(after.bare.peakMb)],
      ],
    ),
  );

  const notes = rows.flatMap((row) => {
    const name = row.scenario.name;
    const n = row.rounds.flatMap((r, i) => [
      ...describeRun(`${name} / Ratchet paced, round ${i + 1}`, r.ratchet, PACED_REQUESTS),
      ...describeRun(`${name} / Ratchet saturation, round ${i + 1}`, r.ratchetMax, REQUESTS),
      ...describeRun(`${name} / bare paced, round ${i + 1}`, r.bare, PACED_REQUESTS),
      ...describeRun(`${name} / bare saturation, round ${i + 1}`, r.bareMax, REQUESTS),
    ]);
    const refused = mergeCounts(row.rounds.flatMap((r) => [r.paced.refusals, r.saturated.refusals]));
    if (refused) n.push(`${name}: the fake refused after-ack calls: ${refused}`);
    const warm = mergeCounts([row.warmupRefusals]);
    if (warm) n.push(`${name}: in the warm-up the fake refused ${warm}`);
    return n;
  });
  if (review) {
    // The setup records no decision; each acked submission should have recorded one.
    const decided = await countDecisions(databaseUrl);
    if (decided !== review.ratchetAcks)
      notes.push(
        `${review.scenario.name}: Ratchet recorded ${decided} decisions for ${review.ratchetAcks} acked submissions — ` +
          "the figures time work it skipped",
      );
  }
  const problems = ratchetProblems(ratchet.output());
  if (problems.length > 0) notes.push(`Ratchet logged warnings/errors: ${problems.slice(0, 5).join("; ")}`);
  if (ratchet.exited() || bare.exited())
    notes.push("a child exited during the run — figures are not trustworthy");
  out.push("");
  out.push(
    notes.length > 0 ? `Notes:\n  - ${notes.join("\n  - ")}` : "Notes: every request acked 200 as expected.",
  );
  const cpu = spread(rows.flatMap((r) => r.rounds.map((x) => x.bareMax.generatorCpu * 100)));
  out.push(
    `Load generator CPU while saturating bare Bolt: ${fmt(cpu, whole)}% of a core. ` +
      `Total bench time ${((Date.now() - began) / 1000).toFixed(0)} s. Shared machine: expect run-to-run spread.`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
  // BENCH_RATCHET_LOG=/path keeps Ratchet's own (warn-level) log for a closer look.
  if (process.env.BENCH_RATCHET_LOG) writeFileSync(process.env.BENCH_RATCHET_LOG, ratchet.output());
  if (ratchet.exited()) process.stderr.write(`Ratchet output:\n${tail(ratchet.output())}\n`);
  return 0;
}

// Ctrl-C still stops the children and removes the temp database.
process.once("SIGINT", () => {
  void cleanup().finally(() => process.exit(130));
});

let code = 1;
try {
  code = await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
} finally {
  await cleanup();
}
process.exit(code);
