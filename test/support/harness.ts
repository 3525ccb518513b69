import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { compose } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import type { Db } from "../../src/db/client.js";
import { databaseAnswers } from "../../src/db/health.js";
import type { ReadinessOptions } from "../../src/ops/readiness.js";
import { FakeSlack, type StoredView } from "../../src/sandbox/fake-slack.js";
import { runTick } from "../../src/scheduler/tick.js";
import { type Clock, ManualClock } from "../../src/shared/clock.js";
import { createLogger } from "../../src/shared/logger.js";
import type { DelivererOptions } from "../../src/slack/delivery/deliverer.js";
import { SlackSender } from "../slack/sender.js";
import { createTestDb, type TestDb } from "./test-db.js";

export const SIGNING_SECRET = "test-signing-secret";

/** One parsed pino line. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };
const BOT_TOKEN = "xoxb-test-token";
/** 32 bytes, base64: the OAuth mode's token-sealing key in tests */
const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

/**
 * The whole bot as Slack sees it: the real Bolt app on an HTTP port, a fresh
 * migrated database, a local fake Slack for Web API calls, a signed request
 * sender, and a clock the test moves. `tick()` runs the scheduler's jobs once.
 */
export interface Harness {
  fake: FakeSlack;
  sender: SlackSender;
  clock: ManualClock;
  testDb: TestDb;
  appUrl: string;
  composed: ReturnType<typeof compose>;
  /** every line the app logged, parsed (level 30 info, 40 warn, 50 error) */
  logs: LogLine[];
  tick(): Promise<void>;
  /** Waits for what requests left running after their acks (announcements, alarm re-checks, posts). */
  settle(): Promise<void>;
  /**
   * A second replica of the bot on the same database, fake Slack and clock, as a deployment with two
   * processes behind one URL would run: its own port, its own sender. Closed with the harness.
   */
  replica(): Promise<{ sender: SlackSender; composed: ReturnType<typeof compose> }>;
  /** Waits for the app's next views.open and returns the view it opened. */
  openedView(): Promise<StoredView>;
  /** Waits until the app has answered a command's response_url `count` times in all. */
  responses(count: number): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    now?: string;
    slackTimeoutMs?: number;
    delivery?: Partial<DelivererOptions>;
    /** the clock request timestamps are judged by (default the system clock, as the sender signs) */
    requestClock?: Clock;
    /** what the app gets instead of the test database (test/support/faulty-db.ts makes it hang or fail) */
    wrapDb?: (db: Db) => Db;
    /** readiness timeouts and caching (default: the app's) */
    readiness?: Partial<ReadinessOptions>;
    /**
     * OAuth mode (many workspaces, test/e2e/oauth.test.ts): no bot token; installs through
     * /slack/install against the fake's oauth.v2.access, tokens sealed with `env`'s key
     */
    oauth?: { env?: Record<string, string> };
  } = {},
): Promise<Harness> {
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  fake.addChannel({ id: "C0TEAM", name: "checkout-squad" });
  fake.addChannel({ id: "C0OTHER", name: "random" });
  fake.addUser({ id: "U0TESTER", name: "tess", real_name: "Tess Tester", tz: "Europe/London" });
  fake.addUser({ id: "U0OWNER", name: "olly", real_name: "Olly Owner", tz: "Europe/London" });
  fake.addUser({ id: "U0STOPPER", name: "sam", real_name: "Sam Stopper", tz: "Europe/London" });
  const testDb = await createTestDb();
  const clock = new ManualClock(opts.now ?? "2026-11-23T09:00:00Z");
  fake.messageClock = () => clock.now().getTime();
  const config = loadConfig({
    ...(opts.oauth
      ? {
          SLACK_CLIENT_ID: fake.clientId,
          SLACK_CLIENT_SECRET: fake.clientSecret,
          SLACK_STATE_SECRET: "test-state-secret-0123456789",
          RATCHET_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          ...opts.oauth.env,
        }
      : { SLACK_BOT_TOKEN: BOT_TOKEN }),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: testDb.url,
    LOG_LEVEL: "silent",
    SLACK_TIMEOUT_MS: String(opts.slackTimeoutMs ?? 5000),
  });
  // Every log line the app writes, parsed, so tests can check what a failure says (and that it says it once).
  const logs: LogLine[] = [];
  // The app's own logger (its request-id mixin included), writing here instead of to stdout.
  const log = createLogger(
    process.env.TEST_LOG_LEVEL ?? "info",
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString("utf8").split("\n"))
          if (line) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    }),
  );
  // Slack's one post a second per channel would make a test that posts three messages take three
  // seconds; the pacing itself has its own tests (test/unit/delivery).
  const composed = compose({
    config,
    db: opts.wrapDb ? opts.wrapDb(testDb.db) : testDb.db,
    clock,
    log,
    alarmSettleMs: 0,
    delivery: { channelPaceMs: 0, ...opts.delivery },
    ...(opts.requestClock ? { requestClock: opts.requestClock } : {}),
    ...(opts.readiness ? { readiness: opts.readiness } : {}),
  });
  // As main.ts does: load Prisma's query engine before the first request, so a
  // cold start cannot eat a trigger_id's 3 seconds.
  await databaseAnswers(testDb.db);
  const server = (await composed.app.start(0)) as Server;
  const port = (server.address() as AddressInfo).port;
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  const sender = new SlackSender({ appUrl, signingSecret: SIGNING_SECRET, fake });
  const replicas: ReturnType<typeof compose>[] = [];
  return {
    fake,
    sender,
    clock,
    testDb,
    appUrl,
    composed,
    logs,
    // One scheduler tick, then what it queued and what that queued in turn (a rollup's chart in its
    // thread, a nudge's note) is delivered, as the running app would do moments later.
    tick: async () => {
      await runTick(composed.jobs, clock.now(), log);
      await composed.deliverer.idle();
    },
    async settle() {
      await composed.deps.afterAck.idle();
      await composed.deps.alarms.settled();
      await composed.deliverer.idle();
    },
    async replica() {
      const other = compose({
        config,
        db: testDb.db,
        clock,
        log,
        alarmSettleMs: 0,
        delivery: { channelPaceMs: 0, ...opts.delivery },
      });
      replicas.push(other);
      const otherServer = (await other.app.start(0)) as Server;
      const otherUrl = `http://127.0.0.1:${(otherServer.address() as AddressInfo).port}/slack/events`;
      return {
        sender: new SlackSender({ appUrl: otherUrl, signingSecret: SIGNING_SECRET, fake }),
        composed: other,
      };
    },
    async openedView() {
      await fake.waitFor("views.open", undefined, 5000);
      const view = fake.lastOpenedView();
      if (!view) throw new Error("views.open was called but no view is stored");
      return view;
    },
    async responses(count: number) {
      // Commands ack first and answer on the response_url afterwards.
      const deadline = Date.now() + 3000;
      while (fake.responseUrlPosts.length < count && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      return fake.responseUrlPosts.map((p) => p.body);
    },
    async close() {
      // Let queued Slack side effects finish so they don't hit a closed fake.
      for (const c of [composed, ...replicas]) {
        await c.deps.afterAck.idle();
        await c.deps.alarms.settled();
        await c.deliverer.idle();
        await c.app.stop();
        c.metrics.stop();
      }
      await testDb.close();
      await fake.close();
    },
  };
}
