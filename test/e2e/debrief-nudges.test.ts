import { afterEach, beforeEach, expect, it } from "vitest";
import { DEBRIEF_ACTION, DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The team is in America/New_York with the debrief on Fridays: prompt 15:00, nudge 16:00, digest 17:00
// (after the US fall-back on 1 Nov: 20:00Z, 21:00Z, 22:00Z).
const week = (n: number) => {
  const day = new Date(Date.UTC(2026, 10, 6 + 7 * n)).toISOString().slice(0, 10);
  return { prompt: `${day}T20:00:00Z`, nudge: `${day}T21:00:00Z`, digest: `${day}T22:00:00Z` };
};
const isPrompt = (text: string) => text.startsWith("End-of-week debrief: what did");
const isDigest = (text: string) => text.startsWith("End-of-week debrief —");

describeDb("debrief nudges: the channel's members, each free to opt out", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-02T12:00:00Z" });
    await setupTeam(h, { tz: "America/New_York" });
    // Turn the team's nudge on (the settings modal, debrief section).
    await h.sender.command("debrief", { channelId: "C0TEAM" });
    const settings = await h.openedView();
    const saved = await h.sender.submitView(settings.id, { [DEBRIEF_BLOCK.nudge]: "on" });
    expect(saved.errors).toBeUndefined();
    await eventually(async () => (await h.testDb.db.team.findFirstOrThrow()).debriefNudge || null);

    // Nina joined the channel this week and never shared; the build bot is a member too; Sam is in
    // the workspace but not in this channel.
    h.fake.addUser({ id: "U0NINA", name: "nina", real_name: "Nina Newcomer", tz: "Europe/London" });
    h.fake.addUser({ id: "U0BUILDBOT", name: "buildbot", real_name: "Build Bot", is_bot: true });
    h.fake.addChannel({
      id: "C0TEAM",
      name: "checkout-squad",
      members: ["U0TESTER", "U0BUILDBOT", "U0NINA", "U0OWNER"],
    });
  });
  afterEach(async () => h?.close());

  const tickAt = async (iso: string) => {
    h.clock.set(iso);
    await h.tick();
  };
  const prompts = () => h.fake.messagesIn("C0TEAM").filter((m) => isPrompt(m.text));
  const digests = () => h.fake.messagesIn("C0TEAM").filter((m) => isDigest(m.text));
  const nudgesTo = (userId: string) =>
    h.fake.dmsTo(userId).filter((m) => m.text.startsWith("Share your week before the debrief digest"));

  /** Tess shares this week's prompt (so she is never nudged). */
  const tessShares = async () => {
    const prompt = prompts().at(-1);
    if (!prompt) throw new Error("no prompt");
    await h.sender.clickButton({
      userId: "U0TESTER",
      message: { channelId: "C0TEAM", ts: prompt.ts },
      actionId: DEBRIEF_ACTION.share,
    });
    const view = await h.openedView();
    expect(view.callback_id).toBe(DEBRIEF_VIEW.answer);
    const res = await h.sender.submitView(
      view.id,
      { [DEBRIEF_BLOCK.shipped]: "Cut the nightly pipeline to 40 min" },
      { userId: "U0TESTER" },
    );
    expect(res.errors).toBeUndefined();
    await eventually(() => h.testDb.db.debriefAnswer.findFirst({ where: { threadTs: { not: null } } }));
  };

  /** One whole week: prompt, Tess shares, the nudge hour, the digest. */
  const runWeek = async (n: number) => {
    await tickAt(week(n).prompt);
    await tessShares();
    await tickAt(week(n).nudge);
    await tickAt(week(n).digest);
  };

  it("nudges every member who hasn't shared, a newcomer included, never a bot, following every page of members", async () => {
    h.fake.pageCap = 2; // five members (the bot itself included): three pages
    await tickAt(week(0).prompt);
    await tessShares();
    // The nudge's own listing (Tess's click was checked against the channel's members too: isolation).
    const listedFrom = h.fake.calls.length;
    await tickAt(week(0).nudge);
    await tickAt(week(0).nudge);

    expect(nudgesTo("U0NINA")).toHaveLength(1);
    expect(nudgesTo("U0OWNER")).toHaveLength(1);
    expect(nudgesTo("U0TESTER")).toHaveLength(0);
    expect(nudgesTo("U0BUILDBOT")).toHaveLength(0);
    expect(nudgesTo(h.fake.botUserId)).toHaveLength(0);
    // In the workspace, not in the channel: not the team's.
    expect(nudgesTo("U0STOPPER")).toHaveLength(0);

    const pages = h.fake.calls.slice(listedFrom).filter((c) => c.method === "conversations.members");
    expect(pages.map((c) => c.args.channel)).toEqual(["C0TEAM", "C0TEAM", "C0TEAM"]);
    expect(pages.map((c) => Boolean(c.args.cursor))).toEqual([false, true, true]);

    const dm = JSON.stringify(nudgesTo("U0NINA")[0]?.blocks);
    expect(dm).toContain(DEBRIEF_ACTION.share);
    expect(dm).toContain(DEBRIEF_ACTION.nudgesOff);
    expect(dm).toContain("Stop nudging me");

    // The digest counts the same people: Tess, Nina and Olly (not the bot, not Sam).
    await tickAt(week(0).digest);
    expect(digests()).toHaveLength(1);
    expect(digests()[0]?.text).toContain("1 of 3 shared");
    // Who is a bot was asked once: the digest's list an hour later trusted the nudge's answer.
    const asked = h.fake.calls.filter((c) => c.method === "users.info" && c.args.user === "U0BUILDBOT");
    expect(asked).toHaveLength(1);
  });

  it("'Stop nudging me' stops next week's nudge (still counted); 'Nudge me again' brings it back", async () => {
    await runWeek(0);
    const first = nudgesTo("U0NINA")[0];
    if (!first) throw new Error("no nudge to Nina");

    await h.sender.clickButton({
      userId: "U0NINA",
      message: { channelId: first.channel, ts: first.ts },
      actionId: DEBRIEF_ACTION.nudgesOff,
    });
    // The DM is redrawn in place: it says so, keeps "Share my week" and offers the way back.
    const redrawn = await h.fake.waitFor("chat.update", (a) => a.ts === first.ts, 5000);
    const blocks = JSON.stringify(redrawn.args.blocks);
    expect(blocks).toContain("won't get debrief nudges from *Checkout squad* any more");
    expect(blocks).toContain(DEBRIEF_ACTION.nudgesOn);
    expect(blocks).toContain(DEBRIEF_ACTION.share);
    expect(blocks).not.toContain(DEBRIEF_ACTION.nudgesOff);
    expect(await h.testDb.db.debriefNudgeOptOut.findMany()).toMatchObject([{ userId: "U0NINA" }]);

    await runWeek(1);
    expect(nudgesTo("U0NINA")).toHaveLength(1);
    expect(nudgesTo("U0OWNER")).toHaveLength(2);
    // Opting out of the DM is not leaving the team: Nina still counts.
    expect(digests().at(-1)?.text).toContain("1 of 3 shared");

    const off = h.fake.dmsTo("U0NINA")[0];
    if (!off) throw new Error("no DM");
    await h.sender.clickButton({
      userId: "U0NINA",
      message: { channelId: off.channel, ts: off.ts },
      actionId: DEBRIEF_ACTION.nudgesOn,
    });
    const back = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === off.ts && JSON.stringify(a.blocks).includes(DEBRIEF_ACTION.nudgesOff),
      5000,
    );
    expect(JSON.stringify(back.args.blocks)).not.toContain(DEBRIEF_ACTION.nudgesOn);
    expect(await h.testDb.db.debriefNudgeOptOut.count()).toBe(0);

    await runWeek(2);
    expect(nudgesTo("U0NINA")).toHaveLength(2);
  });

  it("`/ratchet debrief nudges off|on` does the same from the team's channel, and refuses anything else", async () => {
    await h.sender.command("debrief nudges off", { channelId: "C0TEAM", userId: "U0OWNER" });
    const [off] = await h.responses(1);
    expect(JSON.stringify(off)).toContain("won't nudge you by DM any more");
    expect(await h.testDb.db.debriefNudgeOptOut.findMany()).toMatchObject([{ userId: "U0OWNER" }]);

    await runWeek(0);
    expect(nudgesTo("U0OWNER")).toHaveLength(0);
    expect(nudgesTo("U0NINA")).toHaveLength(1);

    // A word it doesn't know: the usage, and nothing changes.
    await h.sender.command("debrief nudges maybe", { channelId: "C0TEAM", userId: "U0OWNER" });
    const [, bad] = await h.responses(2);
    expect(JSON.stringify(bad)).toContain("/ratchet debrief nudges on");
    expect(await h.testDb.db.debriefNudgeOptOut.count()).toBe(1);

    await h.sender.command("debrief nudges on", { channelId: "C0TEAM", userId: "U0OWNER" });
    const [, , on] = await h.responses(3);
    expect(JSON.stringify(on)).toContain("will DM you an hour before the digest");
    expect(await h.testDb.db.debriefNudgeOptOut.count()).toBe(0);

    await runWeek(1);
    expect(nudgesTo("U0OWNER")).toHaveLength(1);
  });

  it("when Slack won't list the members, nudges and counts the people seen before, and logs why", async () => {
    // Week 0 goes normally: Tess shares, so she is a recent sharer.
    await tickAt(week(0).prompt);
    await tessShares();
    await tickAt(week(0).digest);

    // Week 1: Ratchet can't read the channel's members at the nudge, nor at the digest.
    await tickAt(week(1).prompt);
    h.fake.failNext("conversations.members", { error: "not_in_channel" });
    await tickAt(week(1).nudge);
    // The fallback: Tess shared before (and not yet this week), so she is nudged; Nina is unknown to it.
    expect(nudgesTo("U0TESTER")).toHaveLength(1);
    expect(nudgesTo("U0NINA")).toHaveLength(0);
    const warned = h.logs.filter((l) => l.msg.startsWith("debrief: could not list the channel's members"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      level: 40,
      channel: "C0TEAM",
      purpose: "nudge",
      teamId: expect.any(String),
      roundId: expect.any(String),
    });

    h.fake.failNext("conversations.members", { status: 429, retryAfter: 30 });
    await tickAt(week(1).digest);
    expect(digests()).toHaveLength(2);
    expect(JSON.stringify(digests()[1]?.blocks)).toContain("Nobody shared this week (0 of 1)");
    expect(h.logs.filter((l) => l.msg.startsWith("debrief: could not list")).at(-1)).toMatchObject({
      purpose: "digest",
    });
  });
});
