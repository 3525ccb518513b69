/**
 * `npm run bench` — how fast Ratchet acks Slack, next to a Bolt app that does nothing but ack.
 *
 * What runs (all on 127.0.0.1, in one invocation):
 *   - the local fake Slack (test/slack/fake-slack.ts) in this process, with channel C0TEAM and users
 *     U0OWNER / U0STOPPER, as test/support/harness.ts sets it up;
 *   - Ratchet as a child process exactly as deployed in HTTP mode (`node dist/main.js`, built first; real
 *     migrations, SQLite in a temp dir, system clock, scheduler on, LOG_LEVEL=warn), pointed at the fake;
 *   - a bare Bolt app (scripts/bench/bare-bolt.ts) as a second child: same Bolt version and receiver, every
 *     command / view / action just acked.
 * Each app is its own node process, so /proc/<pid>/status is that app's memory alone.
 *
 * Seeding (once, through signed requests like a person): `/ratchet setup` + the team modal in C0TEAM,
 * `/ratchet new` + the fixtures' `goodMechanism` one-pager. Then one open Review row (status "reminded")
 * per review submission is inserted into the bench database, because a review can be decided only once.
 *
 * Scenarios — identical request bodies to both apps (same builder; only trigger ids / response URLs are
 * fresh per request, issued by the fake):
 *   a. `/ratchet help`           signed slash command; Ratchet acks, then answers on the response_url.
 *   b. `/ratchet new` in C0TEAM  Ratchet acks, resolves the team, then views.open's the one-pager modal.
 *   c. review submission         `view_submission` of callback `review_form` (the 15-minute review modal,
 *                                readings for both signals, decision "continue") for a distinct open review
 *                                each time; Ratchet validates and writes the decision BEFORE it acks, then
 *                                announces (one-pager chat.update, thread post, alarm re-check).
 * Load, per scenario and app: BENCH_WARMUP (60) unmeasured requests, then
 *   - latency at the same load: both apps paced open-loop at BENCH_RATE (20) req/s for BENCH_PACED_REQUESTS
 *     (200) requests, at most BENCH_CONCURRENCY (20) in flight — the comparison the goal is about;
 *   - saturation: closed loop, BENCH_CONCURRENCY keep-alive connections each sending one request at a time,
 *     BENCH_REQUESTS (400) or BENCH_MAX_SECONDS (15), whichever comes first — reported as "max req/s".
 * Ratchet runs first, then the bare app; between runs the bench waits until the fake has seen no calls for
 * 0.75 s, so Ratchet's after-ack work does not spill over. Knobs: BENCH_SCENARIOS=ac picks scenarios;
 * BENCH_IDLE_SECONDS (2) is the idle time before the warm RSS reading; BENCH_RATCHET_LOG=/path keeps
 * Ratchet's log.
 *   - max req/s: measured 200 answers / wall time of the closed-loop run;
 *   - p50 / p99: ack latency = request written → full HTTP response read (what Slack's 3 s clock sees);
 *     request signing happens before the clock starts;
 *   - "after-ack calls": Web API / response_url calls Ratchet made in that run and how many the fake refused
 *     (e.g. expired_trigger_id when views.open comes more than 3 s after the trigger was issued); "drain":
 *     how long after its last ack Ratchet was still making them (after-ack work the load queued up).
 *   - idle RSS: VmRSS of each child 2 s after it is healthy (idle: the goal is judged on this) and
 *     BENCH_IDLE_SECONDS after all load ended and the after-ack work drained (after load, for information:
 *     V8 keeps heap it grew under saturation); "peak" is VmHWM.
 * Goals (from the issue): p99 within 3× bare Bolt at the same load; idle RSS ≤ 150 MB.
 * A benchmark, not a test: exits 0 whatever the figures, 1 only when something could not start or seed.
 * The fake Slack lives in this process, so the load generator and the fake share one CPU budget; on a
 * busy machine figures move between runs — compare the ratio more than absolute numbers.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeSlack, type RecordedCall } from "../test/slack/fake-slack.js";
import { SlackSender } from "../test/slack/sender.js";
import {
  type Child,
  freePort,
  memoryOf,
  sleep,
  startChild,
  stopChild,
  tail,
  waitHealthy,
} from "./bench/children.js";
import { type LoadResult, runLoad, type SlackRequest } from "./bench/load.js";
import {
  BENCH_USER,
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
const REQUESTS = envInt("BENCH_REQUESTS", 400);
const WARMUP = envInt("BENCH_WARMUP", 60);
const MAX_MS = envInt("BENCH_MAX_SECONDS", 15) * 1000;
/** How long the apps sit idle before the warm RSS reading (default 2 s). */
const IDLE_MS = envInt("BENCH_IDLE_SECONDS", 2) * 1000;
/** The offered load both apps get for the latency comparison (the goal is "at the same load"). */
const RATE = envInt("BENCH_RATE", 20);
const PACED_REQUESTS = envInt("BENCH_PACED_REQUESTS", 200);
/** BENCH_SCENARIOS=ac runs only scenarios a and c (seeding is the same). */
const ONLY = (process.env.BENCH_SCENARIOS ?? "abc").split("");
const P99_RATIO_GOAL = 3;
const RSS_GOAL_MB = 150;

type Json = Record<string, unknown>;

interface Scenario {
  name: string;
  /** Request `i` of a run; warm-up and measured runs use disjoint `i` so review ids never repeat. */
  build: (i: number) => SlackRequest;
}

interface AfterAck {
  /** Time from the last ack to the last after-ack Slack call. */
  drainMs: number;
  calls: number;
  refused: number;
  refusals: string[];
}

interface Row {
  scenario: string;
  /** the same paced load on both apps: the latency comparison */
  ratchet: LoadResult;
  bare: LoadResult;
  /** closed loop: how many requests/s each app can ack at most */
  ratchetMax: LoadResult;
  bareMax: LoadResult;
  afterAck: AfterAck;
}

// ---- request bodies ----------------------------------------------------------------------------

function commandBody(fake: FakeSlack, text: string): SlackRequest {
  const body = new URLSearchParams({
    token: "fake-verification-token",
    team_id: fake.teamId,
    team_domain: fake.teamDomain,
    channel_id: TEAM_CHANNEL,
    channel_name: "checkout-squad",
    user_id: BENCH_USER,
    user_name: "olly",
    command: "/ratchet",
    text,
    api_app_id: fake.appId,
    is_enterprise_install: "false",
    response_url: fake.newResponseUrl({ channelId: TEAM_CHANNEL, userId: BENCH_USER }),
    trigger_id: fake.newTriggerId(),
  });
  return { body: body.toString(), contentType: "application/x-www-form-urlencoded" };
}

/** The payload SlackSender.submitView sends, for review `reviewId` of the stored review modal. */
function reviewSubmissionBody(fake: FakeSlack, f: ReviewFixture, reviewId: string): SlackRequest {
  const payload: Json = {
    type: "view_submission",
    team: { id: fake.teamId, domain: fake.teamDomain },
    user: { id: BENCH_USER, username: "olly", name: "olly", team_id: fake.teamId },
    api_app_id: fake.appId,
    token: "fake-verification-token",
    trigger_id: fake.newTriggerId({ viewId: f.view.id }),
    view: {
      ...f.view,
      private_metadata: JSON.stringify({ mechanismId: f.mechanismId, reviewId }),
      state: { values: f.values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) });
  return { body: body.toString(), contentType: "application/x-www-form-urlencoded" };
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
    if (typeof r === "object" && r !== null && (r as Json).ok === false) {
      refused++;
      const key = `${call.method}: ${String((r as Json).error)}`;
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
    }
  }
  return { drainMs, calls: calls.length, refused, refusals: [...refusals].map(([k, n]) => `${k} ×${n}`) };
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

const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : "—");
const mb = (v: number) => `${v.toFixed(0)} MB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function describeRun(name: string, app: string, r: LoadResult, planned: number): string[] {
  const notes: string[] = [];
  if (r.failed > 0) notes.push(`${name} / ${app}: ${r.failed} requests failed (${r.failures.join("; ")})`);
  if (r.badAcks > 0)
    notes.push(`${name} / ${app}: ${r.badAcks} acks were not empty, e.g. ${r.badAckExample}`);
  if (r.late > 0) notes.push(`${name} / ${app}: ${r.late} acks took over Slack's 3 s budget`);
  if (r.sent < planned)
    notes.push(`${name} / ${app}: stopped at the ${MAX_MS / 1000} s cap after ${r.sent} requests`);
  return notes;
}

// ---- main --------------------------------------------------------------------------------------

const children: Child[] = [];
let fake: FakeSlack | undefined;
const dir = mkdtempSync(join(tmpdir(), "ratchet-bench-"));

async function cleanup(): Promise<void> {
  await Promise.all(children.map((c) => stopChild(c).catch(() => {})));
  await fake?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

/** Builds Ratchet (as `npm start` does) and the bare app to plain JS, so neither pays for tsx at run time. */
function build(): void {
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  execFileSync(
    join(ROOT, "node_modules", ".bin", "esbuild"),
    [
      "scripts/bench/bare-bolt.ts",
      "--outfile=dist/bench/bare-bolt.js",
      "--platform=node",
      "--format=esm",
      "--log-level=warning",
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
}

async function start(): Promise<{ ratchet: Child; bare: Child; fake: FakeSlack; reviews: ReviewFixture }> {
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
    // The same flags as `npm start` (see README → Benchmark).
    args: ["--liftoff-only", "--max-semi-space-size=1", "dist/main.js"],
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
    // Every run that submits reviews needs its own open reviews: warm-up + paced + closed loop.
    count: 2 * WARMUP + PACED_REQUESTS + REQUESTS,
  });
  await settle(f);
  return { ratchet, bare, fake: f, reviews };
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
  const { ratchet, bare, fake: f, reviews } = setup;
  const url = (c: Child) => `http://127.0.0.1:${c.port}/slack/events`;

  await sleep(2000);
  const cold = { ratchet: memoryOf(ratchet.proc.pid ?? 0), bare: memoryOf(bare.proc.pid ?? 0) };

  const scenarios: Scenario[] = [
    { name: "a. /ratchet help", build: () => commandBody(f, "help") },
    { name: "b. /ratchet new (open modal)", build: () => commandBody(f, "new") },
    {
      name: "c. review_form submit",
      build: (i) => reviewSubmissionBody(f, reviews, reviews.reviewIds[i] ?? "missing-review"),
    },
  ];
  const emptyAck = (body: string) => body === "";
  const rows: Row[] = [];
  for (const s of scenarios.filter((x) => ONLY.some((letter) => x.name.startsWith(`${letter}.`)))) {
    const run = async (c: Child, from: number, total: number, paced: boolean) =>
      runLoad({
        url: url(c),
        signingSecret: SIGNING_SECRET,
        concurrency: CONCURRENCY,
        total,
        maxMs: MAX_MS,
        ratePerSecond: paced ? RATE : undefined,
        next: (i) => s.build(from + i),
        checkAck: emptyAck,
      });
    const callsBefore = f.calls.length;
    await run(ratchet, 0, WARMUP, true);
    await settle(f);
    const measuredFrom = f.calls.length;
    const r = await run(ratchet, WARMUP, PACED_REQUESTS, true);
    const drainMs = await settle(f);
    const measuredCalls = f.calls.slice(measuredFrom);
    const warmupRefusals = afterAck(f.calls.slice(callsBefore, measuredFrom), 0);
    const closedFrom = WARMUP + PACED_REQUESTS;
    const rMax = await run(ratchet, closedFrom, REQUESTS, false);
    await settle(f);
    await run(bare, 0, WARMUP, true);
    const b = await run(bare, WARMUP, PACED_REQUESTS, true);
    const bMax = await run(bare, closedFrom, REQUESTS, false);
    const aa = afterAck(measuredCalls, drainMs);
    if (warmupRefusals.refused > 0) aa.refusals.push(`(warm-up: ${warmupRefusals.refusals.join(", ")})`);
    rows.push({ scenario: s.name, ratchet: r, bare: b, ratchetMax: rMax, bareMax: bMax, afterAck: aa });
    process.stderr.write(`bench: ${s.name} done\n`);
  }

  await settle(f);
  await sleep(IDLE_MS);
  const warm = { ratchet: memoryOf(ratchet.proc.pid ?? 0), bare: memoryOf(bare.proc.pid ?? 0) };

  const header = [
    "scenario",
    "ratchet p50",
    "p99",
    "bare p50",
    "p99",
    "p99 ratio",
    `goal ≤${P99_RATIO_GOAL}×`,
    "max req/s ratchet / bare",
    "after-ack calls (refused), drain",
  ];
  const body = rows.map((row) => {
    const ratio = row.ratchet.p99 / row.bare.p99;
    return [
      row.scenario,
      ms(row.ratchet.p50),
      ms(row.ratchet.p99),
      ms(row.bare.p50),
      ms(row.bare.p99),
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "—",
      Number.isFinite(ratio) ? (ratio <= P99_RATIO_GOAL ? "PASS" : "MISS") : "n/a",
      `${row.ratchetMax.rps.toFixed(0)} / ${row.bareMax.rps.toFixed(0)}`,
      `${row.afterAck.calls} (${row.afterAck.refused}), ${(row.afterAck.drainMs / 1000).toFixed(1)} s`,
    ];
  });
  const out: string[] = [];
  out.push("");
  out.push(
    `Latency: both apps paced at the same ${RATE} req/s (${WARMUP} warm-up + ${PACED_REQUESTS} measured, ≤${CONCURRENCY} in flight); ` +
      `max req/s: closed loop, ${CONCURRENCY} keep-alive connections, ${REQUESTS} requests (cap ${MAX_MS / 1000} s). ` +
      "Ack latency = request → full HTTP response.",
  );
  out.push(table(header, body));
  out.push("");
  out.push(
    table(
      [
        "RSS",
        "idle (2 s after healthy)",
        `after load (${IDLE_MS / 1000} s idle)`,
        "peak (VmHWM)",
        `goal idle ≤${RSS_GOAL_MB} MB`,
      ],
      [
        [
          "Ratchet",
          mb(cold.ratchet.rssMb),
          mb(warm.ratchet.rssMb),
          mb(warm.ratchet.peakMb),
          cold.ratchet.rssMb <= RSS_GOAL_MB ? "PASS" : "MISS",
        ],
        ["bare Bolt", mb(cold.bare.rssMb), mb(warm.bare.rssMb), mb(warm.bare.peakMb), ""],
      ],
    ),
  );
  const notes = rows.flatMap((row) => [
    ...describeRun(row.scenario, "Ratchet", row.ratchet, PACED_REQUESTS),
    ...describeRun(`${row.scenario} (saturation)`, "Ratchet", row.ratchetMax, REQUESTS),
    ...describeRun(row.scenario, "bare Bolt", row.bare, PACED_REQUESTS),
    ...(row.afterAck.refusals.length > 0
      ? [`${row.scenario}: the fake refused after-ack calls: ${row.afterAck.refusals.join(", ")}`]
      : []),
  ]);
  const problems = ratchetProblems(ratchet.output());
  if (problems.length > 0) notes.push(`Ratchet logged warnings/errors: ${problems.slice(0, 5).join("; ")}`);
  if (ratchet.exited() || bare.exited())
    notes.push("a child exited during the run — figures are not trustworthy");
  out.push("");
  out.push(
    notes.length > 0
      ? `Notes:\n  - ${notes.join("\n  - ")}`
      : "Notes: every request acked 200 with an empty body.",
  );
  out.push(
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
