import { afterEach, beforeEach, expect, it } from "vitest";
import { DEBRIEF_ACTION, DEBRIEF_BLOCK, DEBRIEF_VIEW, VIEW } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The team is in America/New_York with the default debrief: Fridays, prompt 15:00, digest 17:00.
// US clocks fall back on Sun 1 Nov 2026, so 15:00 local is 19:00Z on Fri 30 Oct and 20:00Z on Fri 6 Nov.
const OCT30_PROMPT = "2026-10-30T19:00:00Z";
const NOV06_PROMPT = "2026-11-06T20:00:00Z";

const isPrompt = (text: string) => text.startsWith("End-of-week debrief: what did");
const isDigest = (text: string) => text.startsWith("End-of-week debrief —");

describeDb("end-of-week debrief", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-10-29T12:00:00Z" });
    await setupTeam(h, { tz: "America/New_York" });
  });
  afterEach(async () => h?.close());

  const tickAt = async (iso: string) => {
    h.clock.set(iso);
    await h.tick();
  };
  const prompts = () => h.fake.messagesIn("C0TEAM").filter((m) => isPrompt(m.text));
  const digests = () => h.fake.messagesIn("C0TEAM").filter((m) => isDigest(m.text));

  /** Presses "Share my week" on a message and submits the modal; returns the opened view and the result. */
  const share = async (
    userId: string,
    message: { channelId: string; ts: string },
    answers: Record<string, Answer>,
  ) => {
    await h.sender.clickButton({ userId, message, actionId: DEBRIEF_ACTION.share });
    const view = await h.openedView();
    expect(view.callback_id).toBe(DEBRIEF_VIEW.answer);
    const res = await h.sender.submitView(view.id, answers, { userId });
    return { view, res };
  };

  it("posts the prompt at 15:00 team-local on both sides of the DST change, once per week", async () => {
    await tickAt("2026-10-30T18:59:00Z");
    expect(prompts()).toHaveLength(0);
    await tickAt(OCT30_PROMPT);
    await tickAt(OCT30_PROMPT);
    expect(prompts()).toHaveLength(1);
    expect(JSON.stringify(prompts()[0]?.blocks)).toContain(DEBRIEF_ACTION.share);

    // After the fall-back, 19:00Z is only 14:00 in New York: nothing new yet.
    await tickAt("2026-11-06T19:00:00Z");
    expect(prompts()).toHaveLength(1);
    await tickAt(NOV06_PROMPT);
    await tickAt("2026-11-06T20:01:00Z");
    expect(prompts()).toHaveLength(2);
    expect(await h.testDb.db.debriefRound.count({ where: { status: "open" } })).toBe(1);
  });

  it("takes an answer in a modal, replies in the prompt's thread and edits that reply on resubmit", async () => {
    await tickAt(NOV06_PROMPT);
    const [prompt] = prompts();
    if (!prompt) throw new Error("no prompt");
    const ref = { channelId: "C0TEAM", ts: prompt.ts };

    // The required field left blank: inline error, nothing written, nothing posted.
    const blank = await share("U0TESTER", ref, {
      [DEBRIEF_BLOCK.shipped]: "   ",
      [DEBRIEF_BLOCK.input]: "PR #412?",
    });
    expect(blank.res.errors?.[DEBRIEF_BLOCK.shipped]).toMatch(/shipped or learned/);
    expect(await h.testDb.db.debriefAnswer.count()).toBe(0);
    h.fake.closeView(blank.view.id);

    const first = await share("U0TESTER", ref, {
      [DEBRIEF_BLOCK.shipped]: "Cut the nightly pipeline from 3h to 40 min",
      [DEBRIEF_BLOCK.input]: "Is the retry design in PR #412 sound?",
    });
    expect(first.res.errors).toBeUndefined();
    const reply = await h.fake.waitFor("chat.postMessage", (a) => a.thread_ts === prompt.ts, 5000);
    const replyTs = String((reply.response as { ts: string }).ts);
    expect(String(JSON.stringify(reply.args.blocks))).toContain("<@U0TESTER>");
    expect(JSON.stringify(reply.args.blocks)).toContain("PR #412");

    // Clicking again opens the modal prefilled; resubmitting edits the same reply.
    const second = await share("U0TESTER", ref, { [DEBRIEF_BLOCK.blockers]: "Waiting on prod access" });
    expect(JSON.stringify(second.view.blocks)).toContain("Cut the nightly pipeline from 3h to 40 min");
    const update = await h.fake.waitFor("chat.update", undefined, 5000);
    expect(update.args.ts).toBe(replyTs);
    expect(JSON.stringify(update.args.blocks)).toContain("Waiting on prod access");
    expect(h.fake.repliesTo("C0TEAM", prompt.ts)).toHaveLength(1);
    const rows = await h.testDb.db.debriefAnswer.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: "U0TESTER",
      blockers: "Waiting on prod access",
      threadTs: replyTs,
    });
  });

  it("saves settings (refusing a digest before the prompt), nudges only non-sharers once, and digests once", async () => {
    await createMechanism(h); // owner U0OWNER is a member of the team from now on

    await h.sender.command("debrief", { channelId: "C0TEAM" });
    const settings = await h.openedView();
    expect(settings.callback_id).toBe(VIEW.settings);
    const bad = await h.sender.submitView(settings.id, {
      [DEBRIEF_BLOCK.time]: "15:00",
      [DEBRIEF_BLOCK.digestTime]: "14:00",
    });
    expect(bad.errors?.[DEBRIEF_BLOCK.digestTime]).toMatch(/after the prompt/);
    expect((await h.testDb.db.team.findFirstOrThrow()).debriefDigestTime).toBe("17:00");
    const ok = await h.sender.submitView(settings.id, { [DEBRIEF_BLOCK.nudge]: "on" });
    expect(ok.errors).toBeUndefined();
    const saved = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).includes("end-of-week debrief"),
      5000,
    );
    expect(String(saved.args.text)).toContain(
      "Fridays: prompt at 15:00, digest at 17:00 (America/New_York), DM nudge",
    );
    expect((await h.testDb.db.team.findFirstOrThrow()).debriefNudge).toBe(true);

    // Week 1: Sam shares, so Sam counts as a member from now on.
    await tickAt(OCT30_PROMPT);
    const [week1] = prompts();
    if (!week1) throw new Error("no week-1 prompt");
    await share(
      "U0STOPPER",
      { channelId: "C0TEAM", ts: week1.ts },
      { [DEBRIEF_BLOCK.shipped]: "Wrote the runbook" },
    );
    await h.fake.waitFor("chat.postMessage", (a) => a.thread_ts === week1.ts, 5000);
    await tickAt("2026-10-30T21:00:00Z");
    expect(digests()).toHaveLength(1);

    // Week 2: only Tess shares. At 16:00 local the other members get one DM each.
    await tickAt(NOV06_PROMPT);
    const week2 = prompts()[1];
    if (!week2) throw new Error("no week-2 prompt");
    await share(
      "U0TESTER",
      { channelId: "C0TEAM", ts: week2.ts },
      {
        [DEBRIEF_BLOCK.shipped]: "Cut the nightly pipeline to 40 min",
        [DEBRIEF_BLOCK.input]: "Is the retry design in PR #412 sound?",
        [DEBRIEF_BLOCK.blockers]: "Waiting on prod access",
      },
    );
    await eventually(() =>
      h.testDb.db.debriefAnswer.findFirst({ where: { userId: "U0TESTER", threadTs: { not: null } } }),
    );
    await tickAt("2026-11-06T20:59:00Z");
    expect(h.fake.dmsTo("U0OWNER")).toHaveLength(0);
    await tickAt("2026-11-06T21:00:00Z");
    await tickAt("2026-11-06T21:01:00Z");
    expect(h.fake.dmsTo("U0OWNER")).toHaveLength(1);
    expect(h.fake.dmsTo("U0STOPPER")).toHaveLength(1);
    expect(h.fake.dmsTo("U0TESTER")).toHaveLength(0);
    expect(JSON.stringify(h.fake.dmsTo("U0OWNER")[0]?.blocks)).toContain(DEBRIEF_ACTION.share);

    await tickAt("2026-11-06T22:00:00Z");
    await tickAt("2026-11-06T22:00:00Z");
    expect(digests()).toHaveLength(2);
    const digest = digests()[1];
    const text = JSON.stringify(digest?.blocks);
    expect(digest?.text).toContain("1 of 3 shared");
    expect(text).toContain("<@U0TESTER>: Is the retry design in PR #412 sound?");
    expect(text).toContain("<@U0TESTER>: Waiting on prod access");
    // Non-sharers are counted, never named.
    expect(text).not.toContain("U0OWNER");
    expect(text).not.toContain("U0STOPPER");
    const round = await h.testDb.db.debriefRound.findFirstOrThrow({ where: { localDate: "2026-11-06" } });
    expect(round).toMatchObject({ status: "digested", digestTs: digest?.ts });
    expect(round.nudgedAt?.toISOString()).toBe("2026-11-06T21:00:00.000Z");

    // After the digest the button still lets a late answer in, and says it misses the digest.
    const dm = h.fake.dmsTo("U0OWNER")[0];
    if (!dm) throw new Error("no nudge DM");
    const late = await share(
      "U0OWNER",
      { channelId: dm.channel, ts: dm.ts },
      { [DEBRIEF_BLOCK.shipped]: "Late notes" },
    );
    expect(JSON.stringify(late.view.blocks)).toContain("digest is already posted");
    const lateReply = await h.fake.waitFor(
      "chat.postMessage",
      (a) => a.thread_ts === week2.ts && String(JSON.stringify(a.blocks)).includes("U0OWNER"),
      5000,
    );
    expect(JSON.stringify(lateReply.args.blocks)).toContain("shared after the digest");
    expect(digests()).toHaveLength(2);
  });

  it("catches up: a prompt missed while down is posted late before the digest time, skipped after it", async () => {
    // Down over 15:00 on 30 Oct, back at 16:30 local: the prompt goes out, marked late.
    // The first post fails at Slack; the next tick retries it.
    h.fake.failNext("chat.postMessage", { error: "internal_error" });
    await tickAt("2026-10-30T20:30:00Z");
    expect(prompts()).toHaveLength(0);
    await tickAt("2026-10-30T20:31:00Z");
    expect(prompts()).toHaveLength(1);
    expect(JSON.stringify(prompts()[0]?.blocks)).toContain("posted late");

    // Down over all of Fri 6 Nov, back at 18:00 local: past the digest time, the week is skipped for good.
    await tickAt("2026-11-06T23:00:00Z");
    await tickAt("2026-11-06T23:01:00Z");
    expect(prompts()).toHaveLength(1);
    const skipped = await h.testDb.db.debriefRound.findFirstOrThrow({ where: { localDate: "2026-11-06" } });
    expect(skipped).toMatchObject({ status: "skipped", messageTs: null });
    // Last week's digest is a week overdue: past a day late it is skipped, not posted.
    expect(digests()).toHaveLength(0);
    const stale = await h.testDb.db.debriefRound.findFirstOrThrow({ where: { localDate: "2026-10-30" } });
    expect(stale).toMatchObject({ status: "skipped", digestTs: null });
  });
});
