import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, MECH_BLOCK, REVIEW_BLOCK, readingBlock, VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const reminders = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("15-minute review due"));

describeDb("15-minute reviews", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  async function openReview(userId = "U0OWNER") {
    const reminder = reminders(h).at(-1);
    if (!reminder) throw new Error("no reminder posted");
    await h.sender.clickButton({
      userId,
      message: { channelId: "C0TEAM", ts: reminder.ts },
      actionId: ACTION.openReview,
    });
    return h.openedView();
  }

  it("reminds the channel at the team's local review time, exactly once however often the tick runs", async () => {
    await createMechanism(h);
    h.clock.set("2026-11-24T09:59:00Z");
    await h.tick();
    expect(reminders(h)).toHaveLength(0);
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    await h.tick();
    expect(reminders(h)).toHaveLength(1);
    const review = await h.testDb.db.review.findFirstOrThrow();
    expect(review).toMatchObject({ status: "reminded", late: false });
    expect(review.dueAt.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    const mechanism = await h.testDb.db.mechanism.findFirstOrThrow();
    expect(mechanism.nextReviewAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
  });

  it("never double-posts after a restart, and retries a reminder Slack refused after a back-off", async () => {
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    h.fake.failNext("chat.postMessage", { error: "service_unavailable" });
    await h.tick();
    expect(reminders(h)).toHaveLength(0);
    expect((await h.testDb.db.review.findFirstOrThrow()).status).toBe("claimed");
    // A second process (a restart) runs the same tick: the claim and the delivery are in the database.
    const second = await startHarnessOnSameDb(h);
    await second.tick();
    await h.tick();
    expect(reminders(h)).toHaveLength(0); // still backing off
    h.clock.set("2026-11-24T10:01:30Z");
    await second.tick();
    await h.tick();
    expect(reminders(h)).toHaveLength(1);
    expect(await h.testDb.db.review.count()).toBe(1);
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "review_due" } })).toMatchObject({
      status: "sent",
      attempts: 2,
    });
  });

  it("after downtime posts only the latest missed review (late) and records the older ones as missed", async () => {
    await createMechanism(h);
    h.clock.set("2026-12-09T08:00:00Z"); // three slots passed: 24 Nov, 1 Dec, 8 Dec
    await h.tick();
    const rows = await h.testDb.db.review.findMany({ orderBy: { dueAt: "asc" } });
    expect(rows.map((r) => [r.dueAt.toISOString().slice(0, 10), r.status])).toEqual([
      ["2026-11-24", "missed"],
      ["2026-12-01", "missed"],
      ["2026-12-08", "reminded"],
    ]);
    expect(rows[2]?.late).toBe(true);
    expect(reminders(h)).toHaveLength(1);
    expect(JSON.stringify(reminders(h)[0]?.blocks)).toContain("posted late");
  });

  it("keeps the local wall time across the DST change (Europe/London)", async () => {
    h.clock.set("2027-03-22T09:00:00Z");
    await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.aimBy]: "2027-06-30" });
    const m = await h.testDb.db.mechanism.findFirstOrThrow();
    // Tuesday 23 Mar 2027 is still GMT; Tuesday 30 Mar is BST (UTC+1) — 10:00 local both times.
    expect(m.nextReviewAt?.toISOString()).toBe("2027-03-23T10:00:00.000Z");
    h.clock.set("2027-03-23T10:01:00Z");
    await h.tick();
    const after = await h.testDb.db.mechanism.findFirstOrThrow();
    expect(after.nextReviewAt?.toISOString()).toBe("2027-03-30T09:00:00.000Z");
  });

  it("records readings and a decision, shows the checkpoint evaluated, and updates the one-pager in place", async () => {
    const { post } = await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    const view = await openReview();
    expect(view.callback_id).toBe(VIEW.review);
    // Typing a reading re-evaluates the checkpoint in the open modal.
    await h.sender.blockAction({
      userId: "U0OWNER",
      viewId: view.id,
      actionId: readingBlock("proxy"),
      value: "85",
    });
    const refreshed = await h.fake.waitFor("views.update", undefined, 5000);
    expect(JSON.stringify(refreshed.args)).toContain("proxy");
    const res = await h.sender.submitView(
      view.id,
      reviewAnswers({
        decision: "continue",
        proxy: "85",
        outcome: "31",
        entry: "Proxy 85, activation +4.\nWiden to all of S.",
      }),
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
    const entry = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Decision:"),
      5000,
    );
    expect(entry.args.thread_ts).toBe((post.response as { ts: string }).ts);
    expect(JSON.stringify(entry.args.blocks)).toContain("checkpoint passed");
    const decision = await h.testDb.db.decision.findFirstOrThrow();
    expect(decision).toMatchObject({ decision: "continue", checkpoint: "pass", source: "review" });
    expect(await h.testDb.db.reading.count()).toBe(2);
    const review = await h.testDb.db.review.findFirstOrThrow();
    expect(review.status).toBe("done");
    const onePager = await eventually(async () =>
      h.fake.callsTo("chat.update").find((c) => JSON.stringify(c.args.blocks).includes("latest 85%")),
    );
    expect(onePager.args.ts).toBe((post.response as { ts: string }).ts);
  });

  it("enforces a 1–3 line decision log and a change description, writing nothing", async () => {
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    const view = await openReview();
    const res = await h.sender.submitView(
      view.id,
      reviewAnswers({ decision: "change", entry: "one\ntwo\nthree\nfour" }),
    );
    expect(res.errors?.[REVIEW_BLOCK.entry]).toMatch(/1–3 lines/);
    expect(res.errors?.[REVIEW_BLOCK.changeDetail]).toBeTruthy();
    expect(await h.testDb.db.decision.count()).toBe(0);
    expect((await h.testDb.db.review.findFirstOrThrow()).status).toBe("reminded");
  });

  it("stop kills the mechanism: no more reviews, the one-pager says stopped", async () => {
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    const view = await openReview();
    await h.sender.submitView(
      view.id,
      reviewAnswers({ decision: "stop", proxy: "41", outcome: "27", entry: "Proxy flat. Kill it." }),
    );
    const m = await eventually(() => h.testDb.db.mechanism.findFirst({ where: { status: "stopped" } }));
    expect(m.nextReviewAt).toBeNull();
    await eventually(async () =>
      h.fake.callsTo("chat.update").some((c) => String(c.args.text).includes("(stopped)")),
    );
    h.clock.set("2026-12-01T10:00:30Z");
    await h.tick();
    const posted = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).startsWith("15-minute review due"));
    expect(posted).toHaveLength(1);
    // The reminder itself now says the review was held.
    expect(h.fake.messagesIn("C0TEAM").some((m) => m.text.startsWith("Review held"))).toBe(true);
  });

  it("logs a decision any time with /ratchet log and shows the history newest first", async () => {
    await createMechanism(h);
    await h.sender.command("log", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.logDecision);
    const mechanism = await h.testDb.db.mechanism.findFirstOrThrow();
    const res = await h.sender.submitView(view.id, {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "change",
      [REVIEW_BLOCK.changeDetail]: "Nudge only stalled users",
      [REVIEW_BLOCK.entry]: "Change: target stalled users only.",
    });
    expect(res.errors).toBeUndefined();
    await eventually(() =>
      h.testDb.db.decision.findFirst({ where: { source: "command", decision: "change" } }),
    );
    await h.sender.command("history first-run", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("Nudge only stalled users");
    const still = await h.testDb.db.mechanism.findFirstOrThrow();
    expect(still.status).toBe("active");
  });

  it("answers an unknown mechanism in /ratchet history with the team's mechanism names", async () => {
    await createMechanism(h);
    await h.sender.command("history nope", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("No mechanism matches “nope”");
    expect(JSON.stringify(answer)).toContain("First-run nudge");
  });
});

/** A second app process on the same database and fake Slack, as after a restart. */
async function startHarnessOnSameDb(h: Harness) {
  const { compose } = await import("../../src/compose.js");
  const { loadConfig } = await import("../../src/config.js");
  const { createLogger } = await import("../../src/shared/logger.js");
  const { runTick } = await import("../../src/scheduler/tick.js");
  const log = createLogger("silent");
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: "x",
    SLACK_API_URL: h.fake.apiUrl,
    DATABASE_URL: h.testDb.url,
  });
  const composed = compose({ config, db: h.testDb.db, clock: h.clock, log });
  return { tick: () => runTick(composed.jobs, h.clock.now(), log) };
}
