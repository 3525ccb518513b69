import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, TEAM_BLOCK } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * Exactly once when Slack is slow, fails after storing, or refuses for good (issue: "Slack is slow,
 * fails after succeeding, retries"). Everything goes through the HTTP receiver and the fake Slack.
 */
const reminders = (h: Harness, channel = "C0TEAM") =>
  h.fake.messagesIn(channel).filter((m) => m.text.startsWith("15-minute review due"));
const reminderPosts = (h: Harness) =>
  h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith("15-minute review due"));

describeDb("delivery: exactly once through a slow or failing Slack", () => {
  let h: Harness;
  beforeEach(async () => {
    // The client gives up after 300 ms; the fake's slow answers take longer.
    h = await startHarness({ now: "2026-11-23T09:00:00Z", slackTimeoutMs: 300 });
    await setupTeam(h);
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
  });
  afterEach(async () => h?.close());

  /** Holds the review through the reminder's button and checks the reminder becomes "Review held". */
  async function holdReviewOn(reminderTs: string) {
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: reminderTs },
      actionId: ACTION.openReview,
    });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, reviewAnswers({ decision: "continue" }), {
      userId: "U0OWNER",
    });
    expect(res.errors).toBeUndefined();
    await eventually(async () =>
      h.fake.message("C0TEAM", reminderTs)?.text.startsWith("Review held") ? true : null,
    );
  }

  it.each([
    ["stores the post but answers after the client gave up", { delayMs: 1000 }],
    ["stores the post, then answers HTTP 500", { status: 500 as const, afterStore: true }],
    ["stores the post, then answers internal_error", { error: "internal_error", afterStore: true }],
  ])("posts a reminder once when Slack %s, and finds its ts instead of posting again", async (_, failure) => {
    h.fake.failNext("chat.postMessage", failure);
    await h.tick();
    expect(reminders(h)).toHaveLength(1); // Slack has it...
    expect(await h.testDb.db.review.findFirstOrThrow()).toMatchObject({ status: "claimed", messageTs: null });
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "review_due" } })).toMatchObject({
      status: "unknown",
    });

    // ...and the next ticks look for it before anything is sent again.
    await h.tick();
    h.clock.advance(31_000);
    await h.tick();
    await h.tick();
    const [posted] = reminders(h);
    expect(reminderPosts(h)).toHaveLength(1);
    expect(await h.testDb.db.review.findFirstOrThrow()).toMatchObject({
      status: "reminded",
      messageTs: posted?.ts,
    });
    expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "review_due" } })).toMatchObject({
      status: "sent",
      ts: posted?.ts,
      attempts: 2,
    });
    // Found, so the review can close it in place.
    await holdReviewOn(posted?.ts ?? "");
  });

  it("sends again, once, when the lost answer really was a lost post", async () => {
    h.fake.failNext("chat.postMessage", { status: 500 });
    await h.tick();
    expect(reminders(h)).toHaveLength(0);
    h.clock.advance(31_000);
    await h.tick();
    expect(reminders(h)).toHaveLength(1);
    expect(reminderPosts(h)).toHaveLength(2);
  });

  it("recovers the ts of a reminder posted by a process that died before recording it", async () => {
    await h.tick();
    const [posted] = reminders(h);
    // What a crash between Slack's answer and the database write leaves behind.
    await h.testDb.db.review.updateMany({
      data: { status: "claimed", messageTs: null, messageChannelId: null },
    });
    await h.testDb.db.delivery.updateMany({
      where: { kind: "review_due" },
      data: { status: "sending", ts: null, channel: null },
    });
    await h.tick();
    expect(await h.testDb.db.review.findFirstOrThrow()).toMatchObject({ status: "claimed" });
    h.clock.advance(4 * 60_000);
    await h.tick();
    expect(reminderPosts(h)).toHaveLength(1);
    expect(await h.testDb.db.review.findFirstOrThrow()).toMatchObject({
      status: "reminded",
      messageTs: posted?.ts,
    });
    await holdReviewOn(posted?.ts ?? "");
  });

  it("posts every channel's reminder in one tick without one slow channel holding up another", async () => {
    h.fake.addChannel({ id: "C0PAY", name: "payments" });
    await h.sender.command("setup", { channelId: "C0PAY" });
    const view = await h.openedView();
    await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "Payments",
      [TEAM_BLOCK.timezone]: "Europe/London",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    await h.fake.waitFor("chat.postMessage", (a) => a.channel === "C0PAY", 5000);
    await h.sender.command("new", { channelId: "C0PAY" });
    const form = await h.openedView();
    const { goodMechanism } = await import("../support/fixtures.js");
    await h.sender.submitView(form.id, goodMechanism);
    await eventually(() => h.testDb.db.mechanism.findFirst({ where: { messageChannelId: "C0PAY" } }));
    h.clock.set("2026-12-01T10:00:30Z");
    // The first reminder's answer is held (in time) until another post arrives: a deliverer that
    // waited for it before starting the other channel would have given up on it at the 300 ms timeout.
    h.fake.failNext("chat.postMessage", { delayMs: 3000, untilNextCall: true });
    await h.tick();
    const [first, second] = reminderPosts(h).slice(-2);
    // Answered (not abandoned at the 300 ms timeout) because the other channel's post came meanwhile.
    expect(first?.answeredAt).toBeDefined();
    expect(second?.args.channel).not.toBe(first?.args.channel);
    expect(second && first?.answeredAt && second.at.getTime() <= first.answeredAt.getTime()).toBe(true);
    // Each channel's latest occurrence (1 Dec; 24 Nov passed unticked, so it is recorded as missed).
    expect([reminders(h, "C0TEAM").length, reminders(h, "C0PAY").length]).toEqual([1, 1]);
  });
});

describeDb("delivery: a channel Ratchet can't post in", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
    await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
  });
  afterEach(async () => h?.close());

  it.each([
    [
      "removed from the channel",
      (x: Harness) => x.fake.removeBot("C0TEAM"),
      "not_in_channel",
      "Invite me back",
    ],
    ["the channel was archived", (x: Harness) => x.fake.archive("C0TEAM"), "is_archived", "Unarchive it"],
  ])(
    "stops at once when %s, tells the team's admin what to do, shows it in /ratchet list",
    async (_, cut, code, advice) => {
      cut(h);
      await h.tick();
      // One attempt, no retries, however many ticks follow.
      for (const minutes of [1, 5, 60]) {
        h.clock.set(new Date(Date.parse("2026-11-24T10:00:30Z") + minutes * 60_000));
        await h.tick();
      }
      expect(reminderPosts(h)).toHaveLength(1);
      expect(await h.testDb.db.delivery.findFirstOrThrow({ where: { kind: "review_due" } })).toMatchObject({
        status: "blocked",
        error: code,
      });
      // The person who set the team up hears it once, with the fix.
      const told = h.fake.dmsTo("U0TESTER").filter((m) => m.text.includes("I can't post in"));
      expect(told).toHaveLength(1);
      expect(told[0]?.text).toContain(code);
      expect(told[0]?.text).toContain(advice);
      // One error line for the channel, naming it, the team and the claim key.
      const lines = h.logs.filter((l) => l.msg.startsWith("Ratchet can't post in this channel"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, channel: "C0TEAM", error: code });
      expect(String(lines[0]?.key)).toMatch(/^review:/);
      expect(lines[0]?.teamId).toBeTruthy();

      await h.sender.command("list", { channelId: "C0TEAM" });
      const [listed] = await h.responses(1);
      expect(JSON.stringify(listed)).toContain("I can't post in");
    },
  );

  it("sends what waited as soon as Ratchet is invited back (member_joined_channel), and not for other people joining", async () => {
    h.fake.removeBot("C0TEAM");
    await h.tick();
    h.fake.inviteBot("C0TEAM");
    await h.sender.event({
      type: "member_joined_channel",
      user: "U0OWNER",
      channel: "C0TEAM",
      channel_type: "C",
    });
    await h.tick();
    expect(reminders(h)).toHaveLength(0);
    const res = await h.sender.event({
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0TEAM",
      channel_type: "C",
    });
    expect(res.status).toBe(200);
    await eventually(async () => (reminders(h).length === 1 ? true : null));
    expect(await h.testDb.db.channelProblem.count()).toBe(0);
    await h.sender.command("list", { channelId: "C0TEAM" });
    const [listed] = await h.responses(1);
    expect(JSON.stringify(listed)).not.toContain("I can't post in");
  });

  it("gives up a message Slack will never accept with one log line of its own, and tells the admin", async () => {
    h.fake.failNext("chat.postMessage", { error: "invalid_blocks" });
    await h.tick();
    h.clock.advance(60 * 60_000);
    await h.tick();
    expect(reminderPosts(h)).toHaveLength(1);
    const gaveUp = h.logs.filter((l) => l.msg === "delivery given up");
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatchObject({ level: 50, job: "review_due", channel: "C0TEAM" });
    expect(String(gaveUp[0]?.key)).toMatch(/^review:/);
    expect(h.fake.dmsTo("U0TESTER").some((m) => m.text.includes("couldn't post a review reminder"))).toBe(
      true,
    );
  });

  it("names the team, channel, job and claim key on every retry line", async () => {
    h.fake.failNext("chat.postMessage", { error: "service_unavailable" });
    await h.tick();
    const retry = h.logs.find((l) => l.msg.includes("will retry"));
    expect(retry).toMatchObject({
      level: 40,
      job: "review_due",
      channel: "C0TEAM",
      error: "service_unavailable",
    });
    expect(String(retry?.key)).toMatch(/^review:/);
    expect(retry?.teamId).toBeTruthy();
  });
});
