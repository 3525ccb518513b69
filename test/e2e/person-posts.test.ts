import { afterEach, beforeEach, expect, it } from "vitest";
import { runTick } from "../../src/scheduler/tick.js";
import { createLogger } from "../../src/shared/logger.js";
import { ACTION, DEV_BLOCK, MECH_BLOCK, REVIEW_BLOCK, TEAM_BLOCK } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * What a person's action posts (a one-pager, a card, a decision entry, a confirmation) is queued in the
 * outbox with the save, before Slack gets its ack: so it is posted exactly once when Slack stores it
 * and loses the answer, still posted when the process dies right after the ack, and parked (with the
 * admin told) in a channel Ratchet was removed from, until it is invited back.
 */
const deviation: Record<string, Answer> = {
  [DEV_BLOCK.area]: "API framework",
  [DEV_BLOCK.deviation]: "Try Fastify on the checkout service",
  [DEV_BLOCK.hypothesis]: "Because its router should cut p95 by 20%",
  [DEV_BLOCK.benefit]: "Better latency",
  [DEV_BLOCK.risk]: "Small migration cost",
};

const postsOf = (h: Harness, prefix: string) =>
  h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith(prefix));
const messagesOf = (h: Harness, prefix: string, channel = "C0TEAM") =>
  h.fake.messagesIn(channel).filter((m) => m.text.startsWith(prefix));

async function submitMechanism(h: Harness) {
  await h.sender.command("new", { channelId: "C0TEAM" });
  const res = await h.sender.submitView((await h.openedView()).id, goodMechanism);
  expect(res.errors).toBeUndefined();
}

async function submitDeviation(h: Harness) {
  await h.sender.command("deviate", { channelId: "C0TEAM" });
  const res = await h.sender.submitView((await h.openedView()).id, deviation);
  expect(res.errors).toBeUndefined();
}

describeDb("posts a person triggers: exactly once, across a crash, in a channel Ratchet left", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  it("posts a one-pager Slack stored but answered HTTP 500 exactly once, records its ts, and edits it in place", async () => {
    h.fake.failNext("chat.postMessage", { status: 500, afterStore: true });
    await submitMechanism(h);
    await eventually(async () => (messagesOf(h, "Mechanism:").length === 1 ? true : null)); // Slack has it
    await h.composed.deliverer.idle();
    expect(await h.testDb.db.mechanism.findFirstOrThrow()).toMatchObject({ messageTs: null });

    // The next tick after Slack has had time to store it looks it up instead of posting again.
    h.clock.advance(31_000);
    await h.tick();
    const [posted] = messagesOf(h, "Mechanism:");
    expect(postsOf(h, "Mechanism:")).toHaveLength(1);
    expect(await h.testDb.db.mechanism.findFirstOrThrow()).toMatchObject({
      messageChannelId: "C0TEAM",
      messageTs: posted?.ts,
    });
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "one_pager" } })).toMatchObject({
      status: "sent",
      attempts: 2,
    });

    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: posted?.ts ?? "" },
      actionId: ACTION.editMechanism,
    });
    const edit = await h.sender.submitView((await h.openedView()).id, {
      [MECH_BLOCK.title]: "First-run nudge v2",
    });
    expect(edit.errors).toBeUndefined();
    const update = await h.fake.waitFor("chat.update", undefined, 5000);
    expect(update.args.ts).toBe(posted?.ts);
    expect(postsOf(h, "Mechanism:")).toHaveLength(1);
    expect(messagesOf(h, "Mechanism:")).toHaveLength(1);
  });

  it.each([
    ["stored it, then answered HTTP 500", { status: 500 as const, afterStore: true }, 1],
    ["answered HTTP 500 without storing it", { status: 500 as const }, 2],
  ])("posts a deviation card exactly once when Slack %s", async (_, failure, calls) => {
    h.fake.failNext("chat.postMessage", failure);
    await submitDeviation(h);
    await eventually(async () => (postsOf(h, "Deviation logged").length === 1 ? true : null));
    await h.composed.deliverer.idle();
    // The next ticks look for it in the channel first, and send it again only if it isn't there.
    h.clock.advance(31_000);
    await h.tick();
    await h.tick();
    expect(postsOf(h, "Deviation logged")).toHaveLength(calls);
    expect(messagesOf(h, "Deviation logged")).toHaveLength(1);
    const [card] = messagesOf(h, "Deviation logged");
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "deviation_card" } })).toMatchObject({
      status: "sent",
      ts: card?.ts,
      attempts: 2,
    });
  });

  it("still posts the card when the process dies right after the ack: another process posts it on its tick", async () => {
    // The process dies once the modal is acked: nothing it queued in memory or would post runs.
    h.composed.deps.afterAck.stop();
    await h.composed.deliverer.stop();
    await submitDeviation(h);
    await submitMechanism(h);
    expect(await h.testDb.db.deviation.count()).toBe(1);
    expect(messagesOf(h, "Deviation logged")).toHaveLength(0);
    expect(messagesOf(h, "Mechanism:")).toHaveLength(0);

    const next = await h.replica();
    await runTick(next.composed.jobs, h.clock.now(), createLogger("silent"));
    await runTick(next.composed.jobs, h.clock.now(), createLogger("silent"));
    expect(messagesOf(h, "Deviation logged")).toHaveLength(1);
    expect(postsOf(h, "Mechanism:")).toHaveLength(1);
    const [onePager] = messagesOf(h, "Mechanism:");
    expect(await h.testDb.db.mechanism.findFirstOrThrow()).toMatchObject({ messageTs: onePager?.ts });
  });

  it("parks a decision logged in a channel Ratchet was removed from, tells the admin, and posts it in the thread once invited back", async () => {
    const { mechanism } = await createMechanism(h);
    h.fake.removeBot("C0TEAM");
    await h.sender.command("log", { channelId: "C0TEAM" });
    const res = await h.sender.submitView((await h.openedView()).id, {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "change",
      [REVIEW_BLOCK.changeDetail]: "Nudge only stalled users",
      [REVIEW_BLOCK.entry]: "Change: target stalled users only.",
    });
    expect(res.errors).toBeUndefined();
    const told = await eventually(async () => {
      const dms = h.fake.dmsTo("U0TESTER").filter((m) => m.text.includes("I can't post in"));
      return dms.length > 0 ? dms : null;
    });
    await h.composed.deliverer.idle();
    expect(told).toHaveLength(1);
    expect(told[0]?.text).toContain("not_in_channel");
    expect(told[0]?.text).toContain("/invite @Ratchet");
    expect(told[0]?.text).toContain("Decision: Change — First-run nudge");
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "decision_entry" } })).toMatchObject({
      status: "blocked",
      error: "not_in_channel",
      threadTs: mechanism.messageTs,
    });
    // However many ticks pass, it waits.
    h.clock.advance(60 * 60_000);
    await h.tick();
    expect(messagesOf(h, "Decision:")).toHaveLength(0);

    h.fake.inviteBot("C0TEAM");
    await h.sender.event({
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0TEAM",
      channel_type: "C",
    });
    const entry = await eventually(async () => {
      const replies = h.fake.repliesTo("C0TEAM", mechanism.messageTs ?? "");
      return replies.find((m) => m.text.startsWith("Decision:")) ?? null;
    });
    await h.composed.deliverer.idle();
    expect(entry.text).toBe("Decision: Change — First-run nudge");
    expect(
      postsOf(h, "Decision:").filter((c) => c.response && (c.response as { ok: boolean }).ok),
    ).toHaveLength(1);
    expect(h.fake.dmsTo("U0TESTER").filter((m) => m.text.includes("I can't post in"))).toHaveLength(1);
  });
});

describeDb("team setup in a channel Ratchet is not in", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
  });
  afterEach(async () => h?.close());

  it("tells the person who set it up what was saved and to invite @Ratchet, then says it in the channel once invited", async () => {
    h.fake.removeBot("C0TEAM");
    await h.sender.command("setup", { channelId: "C0TEAM", userId: "U0TESTER" });
    const res = await h.sender.submitView(
      (await h.openedView()).id,
      {
        [TEAM_BLOCK.name]: "Checkout squad",
        [TEAM_BLOCK.weekday]: "2",
        [TEAM_BLOCK.time]: "10:00",
        [TEAM_BLOCK.cadence]: "1",
      },
      { userId: "U0TESTER" },
    );
    expect(res.errors).toBeUndefined();
    const [dm] = await eventually(async () => {
      const dms = h.fake.dmsTo("U0TESTER");
      return dms.length > 0 ? dms : null;
    });
    expect(dm?.text).toContain("*Checkout squad* is set up here");
    expect(dm?.text).toContain("Tuesday at 10:00 (Europe/London)");
    expect(dm?.text).toContain("/invite @Ratchet");
    expect(messagesOf(h, "🎉")).toHaveLength(0);

    h.fake.inviteBot("C0TEAM");
    await h.sender.event({
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0TEAM",
      channel_type: "C",
    });
    await eventually(async () =>
      messagesOf(h, "🎉 *Checkout squad* is set up here").length === 1 ? true : null,
    );
    await h.composed.deliverer.idle();
    expect(messagesOf(h, "🎉")).toHaveLength(1);
    expect(h.fake.dmsTo("U0TESTER")).toHaveLength(1);
  });
});
