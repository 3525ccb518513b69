import { HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { compose } from "../../../src/compose.js";
import { loadConfig } from "../../../src/config.js";
import { FakeSlack } from "../../../src/sandbox/fake-slack.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createTestDb, type TestDb } from "../../support/test-db.js";

/** The app's receiver (Bolt keeps it private; this test only looks at which kind it is). */
const receiverOf = (app: object): unknown => Reflect.get(app, "receiver");

describe("the Slack app in each mode", () => {
  let testDb: TestDb | undefined;
  let fake: FakeSlack | undefined;
  afterEach(async () => {
    await testDb?.close();
    await fake?.close();
  });

  // Bolt calls auth.test as soon as the app is built, so it needs a Slack to answer.
  const build = async (env: Record<string, string>) => {
    fake = await FakeSlack.start({ botToken: "xoxb-test" });
    testDb = await createTestDb();
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: testDb.url,
      ...env,
    });
    const clock = new ManualClock("2026-11-23T09:00:00Z");
    const { app } = compose({ config, db: testDb.db, clock, log: pino({ level: "silent" }) });
    await fake.waitFor("auth.test", undefined, 2000);
    return app;
  };

  it("puts the request guard in front of Bolt's HTTP receiver in HTTP mode", async () => {
    const app = await build({ SLACK_SIGNING_SECRET: "secret" });
    const receiver = receiverOf(app);
    expect(receiver).toBeInstanceOf(HTTPReceiver);
    // Bolt binds its own listener in the constructor; the guard replaced it.
    expect((receiver as HTTPReceiver).requestListener.name).not.toBe("bound unboundRequestListener");
  });

  it("leaves Socket Mode to Bolt's socket receiver: there are no HTTP requests to guard", async () => {
    const app = await build({ SLACK_APP_TOKEN: "xapp-test" });
    expect(receiverOf(app)).toBeInstanceOf(SocketModeReceiver);
  });
});
