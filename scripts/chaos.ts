/**
 * `npm run chaos` — exactly-once posting with two replicas on one PostgreSQL database while one of
 * them is killed (SIGKILL) every few seconds and Slack is slow, rate-limits, and fails after storing.
 *
 * What runs (all on 127.0.0.1):
 *   - the local fake Slack (test/slack/fake-slack.ts) in this process, one channel per team, with a
 *     chaos hook on chat.postMessage: some answers arrive after the client's timeout (the message was
 *     stored), some are HTTP 500 or internal_error after storing, some are 429 with Retry-After;
 *   - two Ratchet replicas exactly as deployed (`node dist/main.js`, built first), HTTP mode, the real
 *     scheduler and system clock, SLACK_TIMEOUT_MS=1000, on a fresh schema of TEST_DATABASE_URL.
 *
 * Seeding: CHAOS_TEAMS teams × CHAOS_MECHANISMS mechanisms, whose reviews fall due one after another
 * over the first CHAOS_SPREAD_S seconds. For CHAOS_SECONDS a random replica is killed every 2–5 s and
 * started again 0.5–1.5 s later (a restart runs a tick at once). Then Slack behaves and the replicas
 * run until every reminder is out and its ts recorded (a post left "sending" by a killed process is
 * looked up after the deliverer's stuck threshold, 3 minutes) or CHAOS_DRAIN_S passes.
 *
 * Counted from the fake Slack's own record: every message carries its outbox key in metadata, so a
 * key seen twice is a duplicate, and a review due without a message under its key is a miss. Exit 1
 * on any duplicate or miss. Prints the figures for the closing note.
 */

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createDb, postgresConnection } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { reminderKey } from "../src/reviews/review-service.js";
import { type Failure, FakeSlack } from "../src/sandbox/fake-slack.js";
import { type Child, freePort, sleep, startChild, tail, waitHealthy } from "./bench/children.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TEAMS = num("CHAOS_TEAMS", 30);
const MECHANISMS = num("CHAOS_MECHANISMS", 10);
const SPREAD_S = num("CHAOS_SPREAD_S", 60);
const CHAOS_S = num("CHAOS_SECONDS", 90);
const DRAIN_S = num("CHAOS_DRAIN_S", 300);
const SEED = num("CHAOS_SEED", Date.now() % 1_000_000);
const BOT_TOKEN = "xoxb-chaos-token";
const SIGNING_SECRET = "chaos-signing-secret";

/** A small seeded generator, so a failing run can be replayed with CHAOS_SEED. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const rand = random(SEED);
const between = (lo: number, hi: number) => lo + rand() * (hi - lo);

const injected = { slow: 0, status500: 0, internalError: 0, rateLimited: 0 };
let chaosOn = true;

/** Slack misbehaving on about a quarter of posts while the chaos lasts. */
function slackChaos(method: string): Failure | undefined {
  if (!chaosOn || method !== "chat.postMessage") return undefined;
  const r = rand();
  if (r < 0.08) {
    injected.slow++;
    return { delayMs: 1500 }; // stored, answered after the replicas' 1 s timeout
  }
  if (r < 0.14) {
    injected.status500++;
    return { status: 500, afterStore: true };
  }
  if (r < 0.18) {
    injected.internalError++;
    return { error: "internal_error", afterStore: true };
  }
  if (r < 0.25) {
    injected.rateLimited++;
    return { status: 429, retryAfter: 1 };
  }
  return undefined;
}

async function createSchema(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `chaos_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresConnection(base).connectionString });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

async function seed(databaseUrl: string, fake: FakeSlack, start: Date) {
  const db = await createDb(databaseUrl);
  const due: { mechanismId: string; channel: string; at: Date }[] = [];
  const total = TEAMS * MECHANISMS;
  try {
    for (let t = 0; t < TEAMS; t++) {
      const channel = `C0CHAOS${String(t).padStart(3, "0")}`;
      fake.addChannel({ id: channel, name: `chaos-${t}` });
      const team = await db.team.create({
        data: {
          slackTeamId: fake.teamId,
          name: `Chaos team ${t}`,
          channelId: channel,
          timezone: "UTC",
          reviewWeekday: 1,
          reviewTime: "09:00",
          cadenceWeeks: 1,
          cycleAnchor: start,
          debriefEnabled: false,
          createdBy: "U0OWNER",
          createdAt: start,
        },
      });
      for (let m = 0; m < MECHANISMS; m++) {
        const i = t * MECHANISMS + m;
        // Interleaved across teams, so many channels have something due at every moment.
        const at = new Date(start.getTime() + 5_000 + (((i * 7919) % total) / total) * SPREAD_S * 1000);
        const mechanism = await db.mechanism.create({
          data: {
            teamId: team.id,
            title: `Bet ${t}.${m}`,
            aim: "Raise activation",
            aimForWhom: "new signups",
            aimFrom: 27,
            aimTo: 35,
            aimUnit: "%",
            aimBy: "2099-01-31",
            statement: "We believe a nudge will move activation because users stall at step N",
            checkpointRule: "continue if proxy >= 80",
            guardrail: "Error rate ≤ 0.1%",
            stopOwnerId: "U0STOP",
            rollbackPath: "Flag off",
            ownerId: "U0OWNER",
            cadenceWeeks: 1,
            nextReviewAt: at,
            createdBy: "U0OWNER",
            createdAt: start,
          },
        });
        due.push({ mechanismId: mechanism.id, channel, at });
      }
    }
  } finally {
    await db.$disconnect();
  }
  return due;
}

interface Replica {
  name: string;
  child: Child | null;
  starts: number;
  kills: number;
}

async function main(): Promise<number> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    process.stderr.write("chaos: set TEST_DATABASE_URL=postgresql://… (replicas need PostgreSQL)\n");
    return 1;
  }
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  fake.addUser({ id: "U0OWNER", name: "olly", real_name: "Olly Owner", tz: "UTC" });
  fake.addUser({ id: "U0STOP", name: "sam", real_name: "Sam Stopper", tz: "UTC" });
  const { url, drop } = await createSchema(base);
  const replicas: Replica[] = [
    { name: "replica-a", child: null, starts: 0, kills: 0 },
    { name: "replica-b", child: null, starts: 0, kills: 0 },
  ];
  const began = Date.now();
  try {
    await migrate(url);
    const due = await seed(url, fake, new Date());
    process.stdout.write(
      `chaos: seed ${SEED}; ${due.length} reviews due over ${SPREAD_S} s in ${TEAMS} channels; ` +
        `killing a replica every 2–5 s for ${CHAOS_S} s\n`,
    );
    fake.chaos = (method) => slackChaos(method);

    const start = async (r: Replica) => {
      r.child = startChild({
        name: r.name,
        args: ["dist/main.js"],
        cwd: ROOT,
        port: await freePort(),
        env: {
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_APP_TOKEN: "",
          SLACK_API_URL: fake.apiUrl,
          SLACK_TIMEOUT_MS: "1000",
          DATABASE_URL: url,
          LOG_LEVEL: "warn",
        },
      });
      r.starts++;
    };
    for (const r of replicas) await start(r);
    // A replica that cannot start at all is a failed run, not a drain that times out.
    await Promise.all(replicas.map((r) => (r.child ? waitHealthy(r.child, 60_000) : undefined)));

    const chaosEnds = Date.now() + CHAOS_S * 1000;
    while (Date.now() < chaosEnds) {
      await sleep(between(2000, 5000));
      const victim = replicas[Math.floor(rand() * replicas.length)];
      if (!victim?.child) continue;
      victim.child.proc.kill("SIGKILL");
      victim.kills++;
      await sleep(between(500, 1500));
      await start(victim);
    }
    chaosOn = false;
    const chaosEnded = Date.now();
    process.stdout.write(`chaos: chaos over after ${Math.round((chaosEnded - began) / 1000)} s; draining\n`);

    const db = await createDb(url);
    const dueIds = new Set(due.map((d) => d.mechanismId));
    const count = async () => {
      const reviews = await db.review.findMany({ where: { mechanismId: { in: [...dueIds] } } });
      const keys = new Map<string, number>();
      for (const m of fake.allMessages()) {
        const payload = m.metadata?.event_payload as { key?: unknown } | undefined;
        if (m.metadata?.event_type === "ratchet_delivery" && typeof payload?.key === "string") {
          keys.set(payload.key, (keys.get(payload.key) ?? 0) + 1);
        }
      }
      const reminded = new Set(
        reviews.filter((r) => (keys.get(reminderKey(r.id)) ?? 0) > 0).map((r) => r.mechanismId),
      );
      const duplicates = [...keys].filter(([, n]) => n > 1);
      const reviewsPerMechanism = new Map<string, number>();
      for (const r of reviews)
        reviewsPerMechanism.set(r.mechanismId, (reviewsPerMechanism.get(r.mechanismId) ?? 0) + 1);
      const open = await db.delivery.count({ where: { status: { in: ["queued", "sending", "unknown"] } } });
      return {
        keys,
        duplicates,
        misses: [...dueIds].filter((id) => !reminded.has(id)),
        extraReviews: [...reviewsPerMechanism].filter(([, n]) => n > 1).length,
        // A reminder whose ts was never recorded can't be marked "Review held" later.
        unrecorded: reviews.filter((r) => !r.messageTs).length,
        open,
      };
    };
    const drainEnds = chaosEnded + DRAIN_S * 1000;
    let result = await count();
    const settled = () => result.misses.length === 0 && result.open === 0 && result.unrecorded === 0;
    while (!settled() && Date.now() < drainEnds) {
      await sleep(2000);
      result = await count();
    }
    // A little longer: a late duplicate would show up now.
    await sleep(5000);
    result = await count();
    const statuses = await db.delivery.groupBy({ by: ["status"], _count: true });
    await db.$disconnect();

    const posts = fake.calls.filter((c) => c.method === "chat.postMessage").length;
    const lookups = fake.calls.filter((c) => c.method === "conversations.history").length;
    const figures = {
      seed: SEED,
      replicas: replicas.length,
      kills: replicas.reduce((n, r) => n + r.kills, 0),
      starts: replicas.reduce((n, r) => n + r.starts, 0),
      reviewsDue: due.length,
      remindersPosted: due.length - result.misses.length,
      messagesWithKeys: result.keys.size,
      duplicates: result.duplicates.length,
      misses: result.misses.length,
      extraReviewRows: result.extraReviews,
      remindersWithoutRecordedTs: result.unrecorded,
      deliveriesStillOpen: result.open,
      chatPostMessageCalls: posts,
      historyLookups: lookups,
      injected,
      deliveries: Object.fromEntries(statuses.map((s) => [s.status, s._count])),
      drainSeconds: Math.round((Date.now() - chaosEnded) / 1000),
      totalSeconds: Math.round((Date.now() - began) / 1000),
    };
    process.stdout.write(`chaos: ${JSON.stringify(figures, null, 2)}\n`);
    if (result.duplicates.length > 0 || !settled() || result.extraReviews > 0) {
      process.stderr.write(
        `chaos: FAILED — duplicates ${JSON.stringify(result.duplicates.slice(0, 10))}, ` +
          `misses ${JSON.stringify(result.misses.slice(0, 10))}\n`,
      );
      for (const r of replicas)
        if (r.child) process.stderr.write(`--- ${r.name}\n${tail(r.child.output(), 40)}\n`);
      return 1;
    }
    process.stdout.write("chaos: 0 duplicates, 0 misses, every reminder's ts recorded\n");
    return 0;
  } finally {
    for (const r of replicas) r.child?.proc.kill("SIGKILL");
    await fake.close();
    await drop().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
