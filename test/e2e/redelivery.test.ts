import { afterEach, beforeEach, expect, it } from "vitest";
import { DEV_BLOCK, REVIEW_BLOCK, TEAM_BLOCK } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// Slack delivers the same request more than once: a person double-clicks Submit (two requests at
// once), Slack retries a slow ack (X-Slack-Retry-Num), and a retry may land on another replica.
// Each is done once; the copies are acknowledged and change nothing.

const FORM = "application/x-www-form-urlencoded";
const RETRY = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };

const deviation: Record<string, Answer> = {
  [DEV_BLOCK.area]: "API framework",
  [DEV_BLOCK.deviation]: "Try Fastify on the checkout service",
  [DEV_BLOCK.hypothesis]: "Because its router should cut p95 by 20%",
  [DEV_BLOCK.benefit]: "Better latency",
  [DEV_BLOCK.risk]: "Small migration cost",
};

const posted = (h: Harness, prefix: string) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith(prefix));

/**
 * Copies of one Submit on the open view, built before any is sent (the first closes the modal):
 * each its own request, as a double-click or a retry is (its own trigger_id), for the same view.
 */
function copies(h: Harness, viewId: string, answers: Record<string, Answer>) {
  const copy = () => h.sender.viewSubmission(viewId, answers);
  return [copy(), copy(), copy()] as const;
}

/** Waits for every after-ack side effect of every request so far, and for the posts they queued. */
const settled = async (h: Harness) => {
  await h.composed.deps.afterAck.idle();
  await h.composed.deliverer.idle();
};

describeDb("the same request delivered twice is done once", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
  });
  afterEach(async () => h?.close());

  it("saves team setup once and says “saved” once, whether resubmitted after the first or at the same time", async () => {
    await h.sender.command("setup", { channelId: "C0TEAM" });
    const answers = {
      [TEAM_BLOCK.name]: "Checkout squad",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    };
    const [one, two, three] = copies(h, (await h.openedView()).id, answers);
    const [a, b] = await Promise.all([h.sender.postPayload(one), h.sender.postPayload(two)]);
    const again = await h.sender.postPayload(three, RETRY);
    expect([a.status, b.status, again.status]).toEqual([200, 200, 200]);
    // Every copy closes the modal: an empty ack, never an error on a form that was saved.
    expect([a.body, b.body, again.body]).toEqual(["", "", ""]);
    await settled(h);
    expect(await h.testDb.db.team.count()).toBe(1);
    expect(h.fake.calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(1);
  });

  it("logs a deviation once and posts one card for a double-click, and again for Slack's retry", async () => {
    await setupTeam(h);
    await h.sender.command("deviate", { channelId: "C0TEAM" });
    const [one, two, three] = copies(h, (await h.openedView()).id, deviation);
    await Promise.all([h.sender.postPayload(one), h.sender.postPayload(two)]);
    await h.sender.postPayload(three, RETRY);
    await settled(h);
    expect(await h.testDb.db.deviation.count()).toBe(1);
    await eventually(async () => (posted(h, "Deviation logged").length === 1 ? true : null));

    // A second modal is a second deviation: the key is the view, not the text.
    await h.sender.command("deviate", { channelId: "C0TEAM" });
    await h.sender.postPayload(h.sender.viewSubmission((await h.openedView()).id, deviation));
    await settled(h);
    expect(await h.testDb.db.deviation.count()).toBe(2);
    await eventually(async () => (posted(h, "Deviation logged").length === 2 ? true : null));
  });

  it("creates one mechanism and one one-pager for a double-clicked /ratchet new", async () => {
    await setupTeam(h);
    await h.sender.command("new", { channelId: "C0TEAM" });
    const [one, two] = copies(h, (await h.openedView()).id, goodMechanism);
    await Promise.all([h.sender.postPayload(one), h.sender.postPayload(two)]);
    await settled(h);
    expect(await h.testDb.db.mechanism.count()).toBe(1);
    await eventually(async () => (posted(h, "Mechanism:").length === 1 ? true : null));
  });

  it("records one decision for a /ratchet log submitted twice", async () => {
    await setupTeam(h);
    const { mechanism } = await createMechanism(h);
    await h.sender.command("log", { channelId: "C0TEAM" });
    const [one, two] = copies(h, (await h.openedView()).id, {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "continue",
      [REVIEW_BLOCK.entry]: "Continue: activation is moving.",
    });
    await h.sender.postPayload(one);
    await h.sender.postPayload(two, RETRY);
    await settled(h);
    expect(await h.testDb.db.decision.count()).toBe(1);
  });

  it("lets a person correct a refused submission and save it (a refusal does not use up the view)", async () => {
    await setupTeam(h);
    await h.sender.command("deviate", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const refused = await h.sender.submitView(view.id, {
      ...deviation,
      [DEV_BLOCK.hypothesis]: "Fastify is fast",
    });
    expect(refused.errors?.[DEV_BLOCK.hypothesis]).toMatch(/because/i);
    const fixed = await h.sender.submitView(view.id, deviation);
    expect(fixed.errors).toBeUndefined();
    expect(await h.testDb.db.deviation.count()).toBe(1);
  });

  it("opens the modal once for a command Slack retries with the same trigger_id, and never apologises", async () => {
    await setupTeam(h);
    const opens = () => h.fake.calls.filter((c) => c.method === "views.open").length;
    const before = opens();
    const body = h.sender.commandBody("deviate", { channelId: "C0TEAM" });
    const first = await h.sender.post(body, FORM);
    // Slack's redelivery is signed anew (a later timestamp), with the same body and trigger_id.
    const retry = await h.sender.post(body, FORM, RETRY, { secondsLater: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await settled(h);
    expect(opens() - before).toBe(1);
    expect(JSON.stringify(h.fake.responseUrlPosts)).not.toMatch(/sorry|went wrong/i);
    expect(JSON.stringify(retry.body)).not.toMatch(/sorry|went wrong/i);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("answers a retried /ratchet help in each ack without writing a once-only claim (it has no side effects)", async () => {
    await setupTeam(h);
    const claims = () => h.testDb.db.jobRun.count({ where: { job: "slack-request" } });
    const before = await claims();
    const body = h.sender.commandBody("help", { channelId: "C0TEAM" });
    const first = await h.sender.post(body, FORM);
    const retry = await h.sender.post(body, FORM, RETRY, { secondsLater: 1 });
    for (const res of [first, retry]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain("/ratchet new");
    }
    expect(await claims()).toBe(before);
    // A command with work behind it still claims its trigger_id.
    await h.sender.post(h.sender.commandBody("list", { channelId: "C0TEAM" }), FORM);
    await settled(h);
    expect(await claims()).toBe(before + 1);
  });

  it("handles an event once when Slack redelivers it, to the same replica or to another one", async () => {
    const other = await h.replica();
    let resumed = 0;
    for (const c of [h.composed, other.composed]) {
      const resume = c.deps.deliveries.resume;
      c.deps.deliveries.resume = (channel) => {
        resumed++;
        return resume(channel);
      };
    }
    const event = {
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0TEAM",
      channel_type: "C",
    };
    const sent = [
      await h.sender.event(event, { eventId: "Ev0SAME0001" }),
      await h.sender.event(event, { eventId: "Ev0SAME0001", retryNum: 1 }),
      await other.sender.event(event, { eventId: "Ev0SAME0001", retryNum: 2 }),
    ];
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventually(async () =>
      (await h.testDb.db.jobRun.findFirst({ where: { key: "event:Ev0SAME0001", status: "done" } }))
        ? true
        : null,
    );
    // Events are acked before they are handled: wait until both copies have been turned away.
    const turnedAway = () => h.logs.filter((l) => l.msg === "request already handled; acknowledged only");
    await eventually(async () => (turnedAway().length >= 2 ? true : null));
    expect(turnedAway()).toHaveLength(2);
    expect(resumed).toBe(1);

    // A different event is handled, on either replica.
    await other.sender.event(event, { eventId: "Ev0OTHER001" });
    await eventually(async () => (resumed === 2 ? true : null));
  });
});
