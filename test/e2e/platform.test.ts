import { afterEach, beforeEach, expect, it } from "vitest";
import { APOLOGY } from "../../src/slack/error-mapper.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

describeDb("platform behaviour", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  it("answers GET /healthz with 200 while the database answers", async () => {
    const res = await fetch(h.appUrl.replace("/slack/events", "/healthz"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("rejects a request with a bad signature", async () => {
    const res = await fetch(h.appUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
        "x-slack-signature": "v0=deadbeef",
      },
      body: "command=%2Fratchet&text=help",
    });
    expect(res.status).toBe(401);
    expect(h.fake.responseUrlPosts).toHaveLength(0);
  });

  it("honours Slack's 429 Retry-After: the reminder waits that long, then posts once", async () => {
    await setupTeam(h);
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    h.fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    await h.tick();
    const reminders = () =>
      h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("15-minute review due"));
    expect(reminders()).toHaveLength(0);
    h.clock.advance(1000);
    await h.tick();
    expect(reminders()).toHaveLength(1);
    expect(
      h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith("15-minute")),
    ).toHaveLength(2);
  });

  it("apologises instead of going silent when Slack fails unexpectedly", async () => {
    await setupTeam(h);
    h.fake.failNext("views.open", { error: "internal_error" });
    await h.sender.command("new", { channelId: "C0TEAM" });
    const answers = await h.responses(1);
    expect(JSON.stringify(answers.at(-1))).toContain(APOLOGY);
  });
});
