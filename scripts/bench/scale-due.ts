// npm run bench:scale, the part about due work (called by scale.ts on its seeded database): a scheduler tick
// with 0, 10 and 1,000 reviews due among the seeded mechanisms — its time and its Prisma queries, to show a
// tick costs what is due, not what exists — and how long until the last of 1,000 due reminders is posted.
//
// Slack is stubbed to answer at once. The deliverer paces one post a second per channel, so the due reviews
// are of mechanisms in distinct teams (one channel each); each run takes every team's next mechanism, so no
// run finds the previous run's reviews, and runs are 1.2 s apart, so no channel waits on its pace.
// What each line means (min / median / max over scale.ts's runs):
//   - scheduler work: tick start → the job before `deliveries` returns (claims, reminders queued). A job's
//     batch (Outbox.enqueueMany) kicks no delivery pass; what a single enqueue kicks off runs alongside, as in production;
//   - whole tick: `runTick` until its `deliveries` job returns;
//   - queries: Prisma operations the composition made (a relation loaded with `include` counts once), during
//     the scheduler work and until the last reminder was posted;
//   - last reminder posted: tick start → the stub's last chat.postMessage.
// Last, the ack latency of `/ratchet help` (paced at 20 req/s by the load worker, a separate process, over
// the composition's own HTTP receiver) while idle and during further ticks with the most reviews due.
import { createServer, type IncomingMessage } from "node:http";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { compose } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import type { Job } from "../../src/scheduler/job.js";
import { runTick } from "../../src/scheduler/tick.js";
import { ManualClock } from "../../src/shared/clock.js";
import { freePort, type LoadWorker, startLoadWorker } from "./children.js";
import type { LoadResult } from "./load.js";
import type { Fresh, RequestSpec } from "./requests.js";

const GOAL_QUIET_MS = 20;
const GOAL_BUSY_MS = 200;
const GOAL_LAST_POST_S = 60;
const GOAL_ACK_MS = 3000;
const DUE_COUNTS = [0, 10, 1000];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SIGNING_SECRET = "bench-secret";
const HELP_RATE = 20;
const HELP: RequestSpec = {
  kind: "command",
  text: "help",
  sender: {
    teamId: "T0BENCH",
    teamDomain: "bench",
    appId: "A0BENCH",
    channelId: "C0BENCH",
    channelName: "bench",
    userId: "U0BENCH",
    userName: "bench",
  },
};

/** A Slack Web API that answers every call at once and remembers when each chat.postMessage came. */
async function stubSlack(): Promise<{ url: string; base: string; posts: number[]; close(): void }> {
  const posts: number[] = [];
  let n = 0;
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (c: Buffer) => {
        text += c.toString("utf8");
      });
      req.on("end", () => resolve(text));
    });
  const server = createServer((req, res) => {
    void body(req).then((text) => {
      let channel = "C0";
      if (req.url?.endsWith("chat.postMessage")) {
        posts.push(performance.now());
        try {
          channel = String((JSON.parse(text) as { channel?: string }).channel ?? channel);
        } catch {
          channel = new URLSearchParams(text).get("channel") ?? channel;
        }
      }
      const ts = `1700000000.${String(++n).padStart(6, "0")}`;
      res.setHeader("content-type", "application/json");
      const who = { user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0BENCH", team: "bench" };
      res.end(JSON.stringify({ ok: true, ts, channel, messages: [], ...who }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  server.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}/`;
  return { url: `${base}api/`, base, posts, close: () => server.close() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spread(values: number[]): string {
  const v = [...values].sort((a, b) => a - b);
  const median = v[Math.floor((v.length - 1) / 2)] ?? Number.NaN;
  const f = (x: number | undefined) => (x ?? Number.NaN).toFixed(1);
  return `min ${f(v[0])}  median ${f(median)}  max ${f(v.at(-1))}`;
}

function line(
  label: string,
  goal: string,
  values: number[],
  unit: string,
  ok?: (v: number) => boolean,
): void {
  const v = [...values].sort((a, b) => a - b);
  const median = v[Math.floor((v.length - 1) / 2)] ?? Number.NaN;
  const verdict = ok ? (ok(median) ? (v.every(ok) ? "PASS" : "PASS (median)") : "MISS") : "";
  console.log(`  ${label.padEnd(56)} ${goal.padEnd(10)} ${spread(values)} ${unit}  ${verdict}`);
}

/**
 * Runs the tick measurements on `db` (already seeded by scale.ts, its first tick done) at instants after
 * `from`, `runs` times for each number of due reviews.
 */
export async function benchDueWork(o: {
  db: Db;
  databaseUrl: string;
  from: Date;
  runs: number;
  log: Logger;
}): Promise<void> {
  const slack = await stubSlack();
  let load: LoadWorker | undefined;
  let stopApp = async () => {};
  try {
    let queries = 0;
    // Counts every Prisma operation the composition makes (a relation loaded with `include` is one).
    const counted = o.db.$extends({
      query: {
        $allOperations: ({ args, query }) => {
          queries++;
          return query(args);
        },
      },
    }) as unknown as Db;
    const clock = new ManualClock(o.from);
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench-secret",
      SLACK_API_URL: slack.url,
      DATABASE_URL: o.databaseUrl,
      LOG_LEVEL: "warn",
    });
    const { jobs, app, deliverer } = compose({ config, db: counted, clock, log: o.log, alarmSettleMs: 0 });
    const port = await freePort();
    await app.start(port);
    stopApp = async () => {
      await deliverer.stop();
      await app.stop();
    };
    const worker = startLoadWorker(join(ROOT, "scripts", "bench", "load-worker.ts"), ROOT, [
      "--import",
      "tsx",
    ]);
    load = worker;
    let n = 0;
    /** `/ratchet help` at HELP_RATE req/s until `finish()` (or `maxMs`). */
    const help = (maxMs: number): Promise<LoadResult> =>
      worker.run(
        {
          url: `http://127.0.0.1:${port}/slack/events`,
          signingSecret: SIGNING_SECRET,
          concurrency: 20,
          total: 1_000_000,
          maxMs,
          ratePerSecond: HELP_RATE,
          spec: HELP,
          from: 0,
          ack: "empty-or-json",
        },
        (): Fresh => ({
          triggerId: `${Math.floor(Date.now() / 1000)}${++n}.1.${n.toString(16).padStart(12, "0")}`,
          responseUrl: `${slack.base}response/${n}`,
        }),
      );

    // Every team's mechanisms, in order; a run takes each chosen team's next one.
    const byTeam = new Map<string, string[]>();
    for (const m of await o.db.mechanism.findMany({
      where: { status: { not: "stopped" } },
      select: { id: true, teamId: true },
      orderBy: { id: "asc" },
    })) {
      const list = byTeam.get(m.teamId);
      if (list) list.push(m.id);
      else byTeam.set(m.teamId, [m.id]);
    }
    const teams = [...byTeam.keys()];
    const used = new Map<string, number>();
    const nextOf = (team: string) => {
      const list = byTeam.get(team) ?? [];
      const k = used.get(team) ?? 0;
      used.set(team, k + 1);
      return list[k % Math.max(1, list.length)];
    };

    let minute = 0;
    /** One tick with `due` reviews due; resolves when the last reminder is posted (or 120 s passed). */
    const tickWith = async (due: number, during?: () => void) => {
      const at = new Date(o.from.getTime() + ++minute * 60_000);
      const ids = teams.slice(0, due).flatMap((t) => nextOf(t) ?? []);
      await o.db.mechanism.updateMany({
        where: { id: { in: ids } },
        data: { nextReviewAt: new Date(at.getTime() - 30_000) },
      });
      await sleep(1200); // past every channel's pace from the previous run
      clock.set(at);
      const postsBefore = slack.posts.length;
      let schedDoneAt = 0;
      let schedQueries = 0;
      // The tick as the scheduler runs it; the mark after the job before `deliveries` is the scheduler's
      // own work (claims, reminders queued), what comes after is posting.
      const marked: Job[] = jobs.map((job, i) => ({
        name: job.name,
        run: async (now) => {
          const result = await job.run(now);
          if (jobs[i + 1]?.name === "deliveries") {
            schedDoneAt = performance.now();
            schedQueries = queries;
          }
          return result;
        },
      }));
      during?.();
      queries = 0;
      const began = performance.now();
      await runTick(marked, at, o.log);
      const whole = performance.now() - began;
      // Posts the tick kicked off may still be going: wait for the last (bounded).
      const deadline = performance.now() + 120_000;
      while (slack.posts.length - postsBefore < due && performance.now() < deadline) await sleep(20);
      const posted = slack.posts.length - postsBefore;
      const last = posted > 0 ? (slack.posts.at(-1) ?? began) : began;
      return {
        sched: schedDoneAt - began,
        whole,
        schedQueries,
        allQueries: queries,
        lastPostS: (last - began) / 1000,
        unposted: Math.max(0, due - posted),
        extra: Math.max(0, posted - due),
      };
    };
    // This composition's first ticks look at every team (the due index catches up, a batch of teams per job
    // and tick), as a process's first ticks do: not timed.
    for (let k = 0; k < 10; k++) if ((await tickWith(0)).allQueries < 50) break;
    let biggest = 0;
    for (const wanted of DUE_COUNTS) {
      const due = Math.min(wanted, teams.length);
      const sched: number[] = [];
      const whole: number[] = [];
      const schedQueries: number[] = [];
      const allQueries: number[] = [];
      const lastPost: number[] = [];
      let unposted = 0;
      let extra = 0;
      biggest = Math.max(biggest, due);
      for (let run = 0; run < o.runs; run++) {
        const r = await tickWith(due);
        sched.push(r.sched);
        whole.push(r.whole);
        schedQueries.push(r.schedQueries);
        allQueries.push(r.allQueries);
        lastPost.push(r.lastPostS);
        unposted += r.unposted;
        extra += r.extra;
      }
      const quiet = due === 0;
      const busy = due >= 1000;
      line(
        `tick, ${due} due: scheduler work`,
        busy ? `< ${GOAL_BUSY_MS} ms` : "",
        sched,
        "ms",
        busy ? (v) => v < GOAL_BUSY_MS : undefined,
      );
      line(
        `tick, ${due} due: whole tick (posting too)`,
        quiet ? `< ${GOAL_QUIET_MS} ms` : "",
        whole,
        "ms",
        quiet ? (v) => v < GOAL_QUIET_MS : undefined,
      );
      line(`tick, ${due} due: queries (scheduler work)`, "", schedQueries, "");
      line(`tick, ${due} due: queries (until posted)`, "", allQueries, "");
      if (due > 0) {
        line(
          `tick, ${due} due: last reminder posted`,
          busy ? `≤ ${GOAL_LAST_POST_S} s` : "",
          lastPost,
          "s",
          busy ? (v) => v <= GOAL_LAST_POST_S : undefined,
        );
      }
      if (wanted > due) console.log(`  (only ${teams.length} teams: ${due} due instead of ${wanted})`);
      if (unposted > 0) console.log(`  (${unposted} reminders were not posted within 120 s)`);
      if (extra > 0) console.log(`  (note: ${extra} posts besides the reminders — something else was due)`);
    }

    // `/ratchet help` acks: idle, then during ticks with the most reviews due (from tick start to last post).
    const idle: LoadResult[] = [];
    for (let run = 0; run < o.runs; run++) idle.push(await help(3000));
    const busy: LoadResult[] = [];
    const ticks: number[] = [];
    for (let run = 0; run < o.runs; run++) {
      let running: Promise<LoadResult> | undefined;
      const r = await tickWith(biggest, () => {
        running = help(180_000);
      });
      worker.finish();
      if (running) busy.push(await running);
      ticks.push(r.sched);
    }
    const label = `/ratchet help ack at ${HELP_RATE} req/s`;
    line(
      `${label}, idle: p99`,
      "",
      idle.map((r) => r.p99),
      "ms",
    );
    line(
      `${label}, during a ${biggest}-due tick: p50`,
      "",
      busy.map((r) => r.p50),
      "ms",
    );
    line(
      `${label}, during a ${biggest}-due tick: p99`,
      `< ${GOAL_ACK_MS} ms`,
      busy.map((r) => r.p99),
      "ms",
      (v) => v < GOAL_ACK_MS,
    );
    line(
      `${label}, during a ${biggest}-due tick: slowest`,
      "",
      busy.map((r) => r.max),
      "ms",
    );
    line(`  (scheduler work of those ticks)`, "", ticks, "ms");
    const failed = [...idle, ...busy].reduce((k, r) => k + r.failed + r.badAcks, 0);
    const sent = busy.reduce((k, r) => k + r.sent, 0);
    console.log(
      `  (${sent} help requests during those ticks${
        failed
          ? `; ${failed} failed or answered unexpectedly: ${[...idle, ...busy]
              .flatMap((r) => [...r.failures, r.badAckExample ?? ""])
              .filter(Boolean)
              .slice(0, 2)
              .join("; ")}`
          : ""
      })`,
    );
  } finally {
    await stopApp().catch(() => {});
    await load?.stop().catch(() => {});
    slack.close();
  }
}
