import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { compose } from "../compose.js";
import { loadConfig } from "../config.js";
import { createDb } from "../db/client.js";
import { databaseAnswers } from "../db/health.js";
import { migrate } from "../db/migrate.js";
import { runTick } from "../scheduler/tick.js";
import { ManualClock } from "../shared/clock.js";
import type { Logger } from "../shared/logger.js";
import { FakeSlack } from "./fake-slack.js";
import { SlackSender } from "./sender.js";

// Only the sandbox's own processes see these: the fake Slack accepts this token, the app checks this secret.
const BOT_TOKEN = "xoxb-sandbox-token";
const SIGNING_SECRET = "sandbox-signing-secret";

/** The people and channels the page offers (the fake answers users.info / conversations.* for them). */
export const SANDBOX_USERS = [
  { id: "U0TESTER", name: "tess", real_name: "Tess Tester", tz: "Europe/London" },
  { id: "U0OWNER", name: "olly", real_name: "Olly Owner", tz: "Europe/London" },
  { id: "U0STOPPER", name: "sam", real_name: "Sam Stopper", tz: "Europe/London" },
] as const;
export const SANDBOX_CHANNELS = [
  { id: "C0TEAM", name: "checkout-squad" },
  { id: "C0GROWTH", name: "growth" },
] as const;

/** Ratchet composed against the fake Slack, on a clock only the page moves. */
export interface Sandbox {
  fake: FakeSlack;
  sender: SlackSender;
  clock: ManualClock;
  /** One scheduler tick at the clock's time, then the posts it queued. */
  tick(): Promise<void>;
  /** Waits for what a request left running after its ack (announcements, posts). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(o: { databaseUrl: string; now: Date; log: Logger }): Promise<Sandbox> {
  const fake = await FakeSlack.start({ botToken: BOT_TOKEN });
  for (const user of SANDBOX_USERS) fake.addUser({ ...user });
  for (const channel of SANDBOX_CHANNELS)
    fake.addChannel({ ...channel, members: SANDBOX_USERS.map((u) => u.id) });
  const clock = new ManualClock(o.now);
  // Messages carry the simulated time, so a reminder posted "next Tuesday" says so.
  fake.messageClock = () => clock.now().getTime();
  await migrate(o.databaseUrl, { log: (msg) => o.log.debug(msg) });
  const db = await createDb(o.databaseUrl);
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: o.databaseUrl,
  });
  // No pacing: Slack's one post a second per channel would only make the page slow.
  const composed = compose({
    config,
    db,
    clock,
    log: o.log,
    alarmSettleMs: 0,
    delivery: { channelPaceMs: 0 },
  });
  await databaseAnswers(db);
  const server = (await composed.app.start(0)) as Server;
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const sender = new SlackSender({ appUrl, signingSecret: SIGNING_SECRET, fake });
  const settle = async () => {
    await composed.deps.afterAck.idle();
    await composed.deps.alarms.settled();
    await composed.deliverer.idle();
  };
  return {
    fake,
    sender,
    clock,
    settle,
    async tick() {
      await runTick(composed.jobs, clock.now(), o.log);
      await settle();
    },
    async close() {
      await settle();
      await composed.app.stop();
      composed.metrics.stop();
      await db.$disconnect();
      await fake.close();
    },
  };
}
