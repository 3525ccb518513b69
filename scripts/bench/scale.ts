// npm run bench:scale — a benchmark, not a test (issue 10): seeds N teams × M mechanisms with readings,
// reviews and decisions straight through Prisma, on SQLite (a temp file) and PostgreSQL (a fresh schema
// on BENCH_DATABASE_URL / TEST_DATABASE_URL), then times a scheduler tick with nothing due, one large
// team's rollup load (sections + chart series), that rollup as sent (message data, chart data, chart
// render, total) and its alarm snapshot; 3 runs each, min/median/max.
// Then (scale-due.ts) ticks with 0, 10 and 1,000 reviews due: time, queries, and when the last reminder is posted.
//
//   BENCH_TEAMS=1000 BENCH_MECHANISMS=10000 BENCH_BIG=1000 BENCH_PROVIDERS=sqlite,postgresql npm run bench:scale
//
// Exits 0 whatever the figures; a step that fails (e.g. SQLite's parameter limit) prints its error.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { PrismaAlarmRepository } from "../../src/alarms/alarm-repository.js";
import { compose } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { createDb, type Db, type Provider, postgresConnection } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { PrismaMechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import { renderOutcomeChart } from "../../src/rollups/chart.js";
import { chartRenderer, renderChartInWorker } from "../../src/rollups/render-in-worker.js";
import { PrismaRollupRepository } from "../../src/rollups/rollup-repository.js";
import { cycleIndex } from "../../src/scheduler/schedule.js";
import { runTick } from "../../src/scheduler/tick.js";
import { ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import { benchDueWork } from "./scale-due.js";

const env = process.env;
const TEAMS = Number(env.BENCH_TEAMS ?? 1000);
const MECHANISMS = Number(env.BENCH_MECHANISMS ?? 10_000);
/** mechanisms of the one large team (its rollup and alarm snapshot are timed); the rest spread evenly */
const BIG = Number(env.BENCH_BIG ?? 1000);
const BIG_DECISIONS = Number(env.BENCH_BIG_DECISIONS ?? 50_000);
const BIG_READINGS = Number(env.BENCH_BIG_READINGS ?? 100_000);
const RUNS = 3;
const PROVIDERS = (env.BENCH_PROVIDERS ?? "sqlite,postgresql").split(",") as Provider[];
const PG_BASE =
  env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

// A Wednesday 03:17 UTC: no team's review (Tue 10:00) or rollup (Wed 23:00) is due, debriefs are off,
// and every team's alarm evaluation of this cycle is already done (seeded JobRuns).
const NOW = new Date("2026-06-10T03:17:00Z");
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const ANCHOR = new Date("2026-01-06T10:00:00Z"); // a Tuesday 10:00 UTC

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, "0")}`);

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) await write(rows.slice(i, i + 2000));
}

async function seed(db: Db): Promise<void> {
  const created = new Date(NOW.getTime() - 20 * WEEK);
  const teamIds = ids("team", TEAMS);
  await inBatches(teamIds, (b) =>
    db.team.createMany({
      data: b.map((id, i) => ({
        id,
        slackTeamId: "T0BENCH",
        name: `Team ${id}`,
        channelId: `C${id}`,
        timezone: ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"][i % 4] ?? "UTC",
        reviewWeekday: 2,
        reviewTime: "10:00",
        cadenceWeeks: 1,
        cycleAnchor: ANCHOR,
        debriefEnabled: false,
        rollupWeekday: 3,
        rollupTime: "23:00",
        createdBy: "U0BENCH",
        createdAt: created,
      })),
    }),
  );
  const zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"];
  await inBatches(teamIds, (b) =>
    db.jobRun.createMany({
      data: b.map((id) => {
        const tz = zones[Number(id.slice(4)) % 4] ?? "UTC";
        return {
          job: "alarms",
          key: `${id}:${cycleIndex(ANCHOR, 1, tz, NOW)}`,
          status: "done",
          createdAt: NOW,
          updatedAt: NOW,
        };
      }),
    }),
  );
  // The large team is teams[0]; the others share what is left.
  const rest = Math.max(0, MECHANISMS - BIG);
  const mechTeam = (i: number) => (i < BIG ? teamIds[0] : teamIds[1 + ((i - BIG) % Math.max(1, TEAMS - 1))]);
  const mechIds = ids("mech", BIG + rest);
  await inBatches(
    mechIds.map((id, i) => ({ id, i })),
    (b) =>
      db.mechanism.createMany({
        data: b.map(({ id, i }) => ({
          id,
          teamId: mechTeam(i) ?? "team0000000",
          title: `Mechanism ${i}`,
          aim: "Cut time to first review",
          aimForWhom: "new joiners",
          aimFrom: 10,
          aimTo: 5,
          aimBy: "2026-12-31",
          statement: "We believe X because Y",
          checkpointRule: "outcome <= 8",
          guardrail: "proxy >= 50",
          rollbackPath: "turn it off",
          ownerId: "U0BENCH",
          cadenceWeeks: 1,
          nextReviewAt: new Date(NOW.getTime() + 6 * DAY),
          createdBy: "U0BENCH",
          createdAt: new Date(created.getTime() + i),
        })),
      }),
  );
  await inBatches(
    mechIds.flatMap((m) => [
      { id: `${m}o`, mechanismId: m, kind: "outcome", name: "Days to first review", baseline: 10, target: 5 },
      { id: `${m}p`, mechanismId: m, kind: "proxy", name: "Share reviewed", baseline: 40, target: 80 },
    ]),
    (b) => db.signal.createMany({ data: b }),
  );
  // Reviews: 4 past weekly ones per mechanism, all done.
  const reviewAt = (k: number) => new Date(ANCHOR.getTime() + (18 + k) * WEEK);
  await inBatches(
    mechIds.flatMap((m) =>
      [0, 1, 2, 3].map((k) => ({
        id: `${m}r${k}`,
        mechanismId: m,
        dueAt: reviewAt(k),
        status: "done",
        createdAt: reviewAt(k),
        completedAt: reviewAt(k),
      })),
    ),
    (b) => db.review.createMany({ data: b }),
  );
  // Readings and decisions: the large team gets BIG_READINGS / BIG_DECISIONS spread over its
  // mechanisms, every other mechanism 4 readings per signal and 2 decisions.
  const perBig = (total: number) => Math.max(1, Math.floor(total / Math.max(1, BIG)));
  const readings = mechIds.flatMap((m, i) => {
    const n = i < BIG ? perBig(BIG_READINGS) / 2 : 4;
    return ["o", "p"].flatMap((s) =>
      Array.from({ length: n }, (_, k) => ({
        id: `${m}${s}x${k}`,
        signalId: `${m}${s}`,
        reviewId: k < 4 ? `${m}r${k}` : null,
        value: 10 - (k % 5),
        recordedBy: "U0BENCH",
        recordedAt: new Date(NOW.getTime() - (n - k) * DAY),
      })),
    );
  });
  await inBatches(readings, (b) => db.reading.createMany({ data: b }));
  const decisions = mechIds.flatMap((m, i) => {
    const n = i < BIG ? perBig(BIG_DECISIONS) : 2;
    return Array.from({ length: n }, (_, k) => ({
      id: `${m}d${k}`,
      mechanismId: m,
      reviewId: k < 4 ? `${m}r${k}` : null,
      decision: k % 7 === 6 ? "change" : "continue",
      entry: "Keep going",
      source: "review",
      decidedBy: "U0BENCH",
      decidedAt: new Date(NOW.getTime() - (n - k) * DAY),
    }));
  });
  await inBatches(decisions, (b) => db.decision.createMany({ data: b }));
}

async function freshDatabase(provider: Provider): Promise<{ url: string; drop(): Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "ratchet-scale-"));
    return {
      url: `file:${join(dir, "bench.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${randomBytes(5).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: postgresConnection(PG_BASE).connectionString });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE SCHEMA "${schema}"`);
  const url = new URL(PG_BASE);
  url.searchParams.set("schema", schema);
  return { url: url.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n").slice(-2).join(" ") : String(err);
    console.log(`  ${label.padEnd(34)} FAILED: ${msg.slice(0, 200)}`);
    return;
  }
  ms.sort((a, b) => a - b);
  const f = (x: number | undefined) => `${(x ?? Number.NaN).toFixed(1)} ms`;
  console.log(`  ${label.padEnd(34)} min ${f(ms[0])}  median ${f(ms[1])}  max ${f(ms[ms.length - 1])}`);
}

async function benchProvider(provider: Provider): Promise<void> {
  const target = await freshDatabase(provider);
  try {
    await migrate(target.url);
    const db = await createDb(target.url);
    try {
      let t = performance.now();
      await seed(db);
      console.log(
        `${provider}: ${TEAMS} teams, ${MECHANISMS} mechanisms (one team with ${BIG}, ${BIG_DECISIONS} decisions, ${BIG_READINGS} readings); seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      // Slack, stubbed to answer at once (nothing should be posted; a post would show in the note below).
      const slack = createServer((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true, ts: "1700000000.000100", channel: "C0", messages: [] }));
      });
      await new Promise<void>((r) => slack.listen(0, "127.0.0.1", r));
      slack.unref();
      const address = slack.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const log = createLogger("warn");
      const clock = new ManualClock(NOW);
      const config = loadConfig({
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_SIGNING_SECRET: "bench-secret",
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
        DATABASE_URL: target.url,
        LOG_LEVEL: "warn",
      });
      const { jobs, deps } = compose({ config, db, clock, log, alarmSettleMs: 0 });
      // First tick: catch-up claims (if any), so the timed ones have nothing due.
      t = performance.now();
      await runTick(jobs, NOW, log);
      console.log(`  first tick                         ${(performance.now() - t).toFixed(1)} ms`);
      let minute = 0;
      await timed("tick, nothing due", () => runTick(jobs, new Date(NOW.getTime() + ++minute * 60_000), log));
      const queued = await db.delivery.count();
      if (queued) console.log(`  (note: ${queued} deliveries queued — something was due)`);

      const rollups = new PrismaRollupRepository(db, { listOpenForTeam: async () => [] });
      const team = await rollups.findTeam("team0000000");
      if (!team) throw new Error("the large team is missing");
      const window = { from: new Date(NOW.getTime() - WEEK), to: NOW };
      await timed("rollup load (sections)", () => rollups.load(team, window));
      await timed("rollup chart series", () =>
        rollups.chartSeries(team.id, {
          from: new Date(NOW.getTime() - 6 * WEEK),
          to: NOW,
          stoppedSince: window.from,
        }),
      );
      // The rollup as it is sent (issue 10's goal: < 1 s with its chart, the chart drawn in < 300 ms):
      // the message's data, then the chart's (its series cut to the lines that moved most), then the
      // drawing, in process (what the worker runs; the first run also loads vega) and in its worker,
      // which loads vega, vega-lite and resvg every time (run from source it also compiles chart.ts
      // with tsx, which the built bot does not).
      const ref = { teamId: team.id, week: "bench", from: window.from.toISOString(), to: NOW.toISOString() };
      const chart = await deps.rollups.chartHandler.resolve(ref, NOW);
      if (!chart) throw new Error("the large team's rollup has no chart");
      const lines = `${chart.input.series.length} lines`;
      await timed("rollup message data (service)", () => deps.rollups.rollupHandler.resolve(ref, NOW));
      await timed("rollup chart data (service)", () => deps.rollups.chartHandler.resolve(ref, NOW));
      await timed(`rollup chart render (${lines})`, () => renderOutcomeChart(chart.input));
      await timed("rollup chart render in a new worker", () => renderChartInWorker(chart.input));
      await timed("rollup total (data + a new worker)", async () => {
        await deps.rollups.rollupHandler.resolve(ref, NOW);
        const c = await deps.rollups.chartHandler.resolve(ref, NOW);
        if (c) await renderChartInWorker(c.input);
      });
      // What the bot does: one thread kept warm while a rollup tick draws its charts (render-in-worker.ts);
      // started here once before the runs, as the first chart of a tick starts it.
      const warm = chartRenderer();
      await warm.render(chart.input);
      await timed("rollup total (data + the warm worker)", async () => {
        await deps.rollups.rollupHandler.resolve(ref, NOW);
        const c = await deps.rollups.chartHandler.resolve(ref, NOW);
        if (c) await warm.render(c.input);
      });
      await warm.close();
      // What the review modal and the decision announcement read: grows with history unless only
      // each signal's newest reading is fetched.
      const biggest = "mech0000000";
      const mechanisms = new PrismaMechanismRepository(db);
      await timed("latest readings (one mechanism)", () => mechanisms.latestReadings(biggest));
      const alarms = new PrismaAlarmRepository(db);
      await timed("alarm snapshot (large team)", () =>
        alarms.snapshotData(team.id, { reviewsSince: new Date(NOW.getTime() - 8 * WEEK), fromCycle: 0 }),
      );
      // Due work, ten minutes on (still a quiet time of the week), on its own composition and Slack stub.
      const from = new Date(NOW.getTime() + 10 * 60_000);
      await benchDueWork({ db, databaseUrl: target.url, from, runs: RUNS, log });
    } finally {
      await db.$disconnect();
    }
  } finally {
    await target.drop();
  }
}

// Bolt checks its token at start; whatever the stub answers, a late failure must not end the bench.
process.on("unhandledRejection", (err) => console.log(`  (unhandled: ${String(err).slice(0, 120)})`));
for (const p of PROVIDERS) {
  try {
    await benchProvider(p);
  } catch (err) {
    console.log(`${p}: could not run: ${err instanceof Error ? err.message : String(err)}`);
  }
}
