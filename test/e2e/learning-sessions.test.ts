import { afterEach, beforeEach, expect, it } from "vitest";
import type { StoredMessage } from "../../src/sandbox/fake-slack.js";
import { runTick } from "../../src/scheduler/tick.js";
import { createLogger } from "../../src/shared/logger.js";
import { LEARN_ACTION, LEARN_BLOCK, LEARN_VIEW } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The team lives in America/New_York. Clocks spring forward at 02:00 on Sun 14 Mar 2027 and fall
// back at 02:00 on Sun 7 Nov 2027. "The day after a DST change" is read as the first day on the new
// offset (that Sunday), so the day-before reminder (Saturday, old offset) is 23 or 25 real hours
// earlier. The ManualClock is set explicitly, so the suite passes whatever the machine's date.
const BEFORE = "2027-03-01T15:00:00Z"; // Mon 1 Mar 2027 10:00 EST

const retries: Record<string, Answer> = {
  [LEARN_BLOCK.topic]: "What the checkout outage taught us about retries",
  [LEARN_BLOCK.speaker]: "U0SPEAKER",
  [LEARN_BLOCK.date]: "2027-03-14",
  [LEARN_BLOCK.time]: "10:00",
  [LEARN_BLOCK.duration]: "30",
};

async function openSchedule(h: Harness) {
  await h.sender.command("learn schedule", { channelId: "C0TEAM" });
  const view = await h.openedView();
  expect(view.callback_id).toBe(LEARN_VIEW.schedule);
  return view;
}

async function schedule(h: Harness, answers: Record<string, Answer>) {
  const view = await openSchedule(h);
  const res = await h.sender.submitView(view.id, answers);
  if (res.errors) throw new Error(`session refused: ${JSON.stringify(res.errors)}`);
  return h.testDb.db.learningSession.findFirstOrThrow({
    where: { topic: String(answers[LEARN_BLOCK.topic]).trim() },
  });
}

/** Asks `/ratchet learn [words]` and returns the newest ephemeral answer. */
async function learnList(h: Harness, words = "") {
  const before = h.fake.responseUrlPosts.length;
  await h.sender.command(`learn ${words}`.trim(), { channelId: "C0TEAM" });
  const [answer] = (await h.responses(before + 1)).slice(before);
  if (!answer) throw new Error("no answer to /ratchet learn");
  return answer as { text: string; blocks: unknown[]; response_type: string };
}

const startingWith = (msgs: StoredMessage[], prefix: string) => msgs.filter((m) => m.text.startsWith(prefix));

describeDb("learning sessions", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await setupTeam(h, { tz: "America/New_York" });
    h.fake.addUser({ id: "U0SPEAKER", name: "sam", tz: "America/New_York" });
    h.fake.addUser({ id: "U0OTHER", name: "olu", tz: "America/New_York" });
    h.fake.addChannel({ id: "C0ENG", name: "eng" });
    h.clock.set(BEFORE);
  });
  afterEach(async () => h?.close());

  it("schedules a session from the modal in the team's zone and announces it in every audience channel", async () => {
    const view = await openSchedule(h);
    const labels = JSON.stringify(view.blocks);
    expect(labels).toContain("Date (America/New_York)");
    expect(labels).toContain("Start time (America/New_York)");
    expect(labels).toContain("30 minutes + Q&A");
    const res = await h.sender.submitView(view.id, {
      ...retries,
      [LEARN_BLOCK.duration]: "45",
      [LEARN_BLOCK.channels]: ["C0TEAM", "C0ENG"],
    });
    expect(res.errors).toBeUndefined();
    const row = await h.testDb.db.learningSession.findFirstOrThrow();
    // 10:00 on the first morning of daylight time is 14:00Z, not 15:00Z.
    expect(row.startsAt.toISOString()).toBe("2027-03-14T14:00:00.000Z");
    expect(row).toMatchObject({
      timezone: "America/New_York",
      durationMinutes: 45,
      speakerId: "U0SPEAKER",
      createdBy: "U0TESTER",
      channels: "C0TEAM,C0ENG",
    });
    for (const channel of ["C0TEAM", "C0ENG"]) {
      await h.fake.waitFor(
        "chat.postMessage",
        (a) => a.channel === channel && String(a.text).startsWith("Learning session scheduled"),
        5000,
      );
    }
    const card = startingWith(h.fake.messagesIn("C0ENG"), "Learning session scheduled")[0];
    expect(JSON.stringify(card?.blocks)).toContain("Sun 14 Mar, 10:00 (America/New_York)");
    expect(JSON.stringify(card?.blocks)).toContain("<@U0SPEAKER>");
  });

  it("refuses a past time and a blank topic inline, writing nothing, and defaults the audience to the team channel", async () => {
    const view = await openSchedule(h);
    const past = await h.sender.submitView(view.id, { ...retries, [LEARN_BLOCK.date]: "2027-03-01" });
    // 10:00 New York on 1 Mar is the clock's very instant: not in the future.
    expect(past.errors?.[LEARN_BLOCK.date]).toMatch(/future/i);
    const blank = await h.sender.submitView(view.id, { ...retries, [LEARN_BLOCK.topic]: "   " });
    expect(Object.keys(blank.errors ?? {})).toEqual([LEARN_BLOCK.topic]);
    expect(await h.testDb.db.learningSession.count()).toBe(0);
    expect(h.fake.isViewOpen(view.id)).toBe(true);
    // A minute later in the day is fine, and the team channel is the audience when none is picked.
    const ok = await h.sender.submitView(view.id, {
      ...retries,
      [LEARN_BLOCK.date]: "2027-03-01",
      [LEARN_BLOCK.time]: "10:01",
      [LEARN_BLOCK.channels]: [],
    });
    expect(ok.errors).toBeUndefined();
    expect((await h.testDb.db.learningSession.findFirstOrThrow()).channels).toBe("C0TEAM");
  });

  it("saves a double-clicked Schedule once and announces it once", async () => {
    const view = await openSchedule(h);
    const payload = h.sender.viewSubmission(view.id, retries);
    await Promise.all([h.sender.postPayload(payload), h.sender.postPayload(payload)]);
    await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Learning session scheduled"),
      5000,
    );
    await h.settle();
    expect(await h.testDb.db.learningSession.count()).toBe(1);
    expect(startingWith(h.fake.messagesIn("C0TEAM"), "Learning session scheduled")).toHaveLength(1);
  });

  it("answers /ratchet learn with an empty state, topic ideas from promoted deviations and COE lessons, and a schedule button", async () => {
    const empty = await learnList(h);
    expect(empty.response_type).toBe("ephemeral");
    const shown = JSON.stringify(empty.blocks);
    expect(shown).toContain("No learning sessions yet");
    expect(shown).toContain(LEARN_ACTION.schedule);

    const team = await h.testDb.db.team.findFirstOrThrow();
    const at = new Date("2027-02-20T12:00:00Z");
    await h.testDb.db.deviation.create({
      data: {
        teamId: team.id,
        area: "Code review",
        deviation: "Pair review instead of async review",
        hypothesis: "Because talking is faster",
        benefit: "Faster merges",
        risk: "Less written record",
        cycleIndex: 0,
        ownerId: "U0TESTER",
        outcome: "Merges twice as fast",
        verdict: "promote",
        createdAt: at,
        decidedAt: at,
      },
    });
    await h.testDb.db.incident.create({
      data: {
        teamId: team.id,
        title: "Checkout timeouts",
        severity: "sev2",
        impact: "Orders failed",
        startedAt: at,
        detectedAt: at,
        learned: "Retries without jitter amplify an outage",
        reporterId: "U0TESTER",
        reporterTz: "America/New_York",
        createdAt: at,
      },
    });
    const ideas = JSON.stringify((await learnList(h)).blocks);
    expect(ideas).toContain("Pair review instead of async review");
    expect(ideas).toContain("Retries without jitter amplify an outage");

    // The list's button opens the same form as `/ratchet learn schedule`.
    const eph = h.fake.ephemeralsFor("U0TESTER").at(-1);
    if (!eph) throw new Error("no ephemeral list");
    await h.sender.clickButton({
      userId: "U0TESTER",
      message: { channelId: eph.channel, ts: eph.ts },
      actionId: LEARN_ACTION.schedule,
    });
    expect((await h.openedView()).callback_id).toBe(LEARN_VIEW.schedule);
  });

  it("lists upcoming and past sessions and searches topics and speakers", async () => {
    await schedule(h, retries);
    await schedule(h, {
      ...retries,
      [LEARN_BLOCK.topic]: "Reading flame graphs",
      [LEARN_BLOCK.speaker]: "U0OTHER",
      [LEARN_BLOCK.date]: "2027-03-02",
    });
    h.clock.set("2027-03-05T12:00:00Z");
    const all = await learnList(h);
    const blocks = JSON.stringify(all.blocks);
    expect(blocks.indexOf("*Upcoming*")).toBeLessThan(blocks.indexOf("retries"));
    expect(blocks.indexOf("*Past*")).toBeLessThan(blocks.indexOf("Reading flame graphs"));
    expect(blocks.indexOf("retries")).toBeLessThan(blocks.indexOf("*Past*"));
    expect(blocks).toContain("No recording or slides yet");

    const byTopic = JSON.stringify((await learnList(h, "FLAME")).blocks);
    expect(byTopic).toContain("Reading flame graphs");
    expect(byTopic).not.toContain("retries");
    const bySpeaker = JSON.stringify((await learnList(h, "<@U0SPEAKER|sam>")).blocks);
    expect(bySpeaker).toContain("retries");
    expect(bySpeaker).not.toContain("flame");
    const none = JSON.stringify((await learnList(h, "kubernetes")).blocks);
    expect(none).toContain("No session matches");
  });

  const dstCases = [
    {
      change: "spring forward",
      date: "2027-03-14",
      startsAt: "2027-03-14T14:00:00Z",
      // Sat 13 Mar 10:00 EST: 23 real hours before.
      dayBefore: "2027-03-13T15:00:00Z",
      hourBefore: "2027-03-14T13:00:00Z",
    },
    {
      change: "fall back",
      date: "2027-11-07",
      startsAt: "2027-11-07T15:00:00Z",
      // Sat 6 Nov 10:00 EDT: 25 real hours before.
      dayBefore: "2027-11-06T14:00:00Z",
      hourBefore: "2027-11-07T14:00:00Z",
    },
  ];

  for (const c of dstCases) {
    it(`reminds each audience channel exactly once, at 10:00 local the day before and an hour before (${c.change})`, async () => {
      const s = await schedule(h, {
        ...retries,
        [LEARN_BLOCK.date]: c.date,
        [LEARN_BLOCK.channels]: ["C0TEAM", "C0ENG"],
      });
      expect(s.startsAt.toISOString()).toBe(new Date(c.startsAt).toISOString());
      const day = () =>
        ["C0TEAM", "C0ENG"].map((ch) => startingWith(h.fake.messagesIn(ch), "Tomorrow").length);
      const hour = () =>
        ["C0TEAM", "C0ENG"].map((ch) => startingWith(h.fake.messagesIn(ch), "In an hour").length);
      const at = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000);

      h.clock.set(at(c.dayBefore, -1));
      await h.tick();
      expect(day()).toEqual([0, 0]);
      h.clock.set(c.dayBefore);
      await h.tick();
      await h.tick();
      // A second process on the same database (a restart, a replica) posts nothing more.
      const again = await h.replica();
      await runTick(again.composed.jobs, h.clock.now(), createLogger("silent"));
      await again.composed.deliverer.idle();
      expect(day()).toEqual([1, 1]);
      expect(hour()).toEqual([0, 0]);
      const reminder = startingWith(h.fake.messagesIn("C0TEAM"), "Tomorrow")[0];
      expect(reminder?.text).toContain("10:00 (America/New_York)");

      h.clock.set(at(c.hourBefore, -1));
      await h.tick();
      expect(hour()).toEqual([0, 0]);
      h.clock.set(c.hourBefore);
      await h.tick();
      await h.tick();
      expect(hour()).toEqual([1, 1]);
      expect(day()).toEqual([1, 1]);
      expect(h.fake.dmsTo("U0SPEAKER")).toHaveLength(0);
    });
  }

  it("after a downtime, sends only the latest reminder while the session hasn't started, and none once it has", async () => {
    await schedule(h, retries);
    // Down from before the day-before reminder until 30 minutes before the start.
    h.clock.set("2027-03-14T13:30:00Z");
    await h.tick();
    await h.tick();
    expect(startingWith(h.fake.messagesIn("C0TEAM"), "Tomorrow")).toHaveLength(0);
    expect(startingWith(h.fake.messagesIn("C0TEAM"), "In an hour")).toHaveLength(1);

    await schedule(h, {
      ...retries,
      [LEARN_BLOCK.topic]: "Missed entirely",
      [LEARN_BLOCK.date]: "2027-03-20",
    });
    // Down until it had started: no reminder at all, but the speaker is still asked afterwards.
    h.clock.set("2027-03-20T14:10:00Z");
    await h.tick();
    const missed = h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes("Missed entirely"));
    expect(missed.map((m) => m.text.split(":")[0])).toEqual(["Learning session scheduled"]);
    h.clock.set("2027-03-20T14:45:00Z");
    await h.tick();
    expect(h.fake.dmsTo("U0SPEAKER").filter((m) => m.text.includes("Missed entirely"))).toHaveLength(1);
  });

  it("asks the speaker for the recording and slides once it ends, validates the links and shows them", async () => {
    await schedule(h, retries);
    // 30 minutes and a quarter of an hour of Q&A after 14:00Z.
    h.clock.set("2027-03-14T14:44:00Z");
    await h.tick();
    expect(h.fake.dmsTo("U0SPEAKER")).toHaveLength(0);
    h.clock.set("2027-03-14T14:45:00Z");
    await h.tick();
    await h.tick();
    const dms = h.fake.dmsTo("U0SPEAKER");
    expect(dms).toHaveLength(1);
    const dm = dms[0];
    if (!dm) throw new Error("no DM");
    const ref = { channelId: dm.channel, ts: dm.ts };

    // Only the speaker or whoever scheduled it may add links.
    await h.sender.clickButton({ userId: "U0OTHER", message: ref, actionId: LEARN_ACTION.links });
    const refusal = await eventually(
      async () =>
        h.fake.responseUrlPosts.find((p) => JSON.stringify(p.body).includes("Only the speaker")) ?? null,
    );
    expect(refusal.context.userId).toBe("U0OTHER");

    await h.sender.clickButton({ userId: "U0SPEAKER", message: ref, actionId: LEARN_ACTION.links });
    const view = await h.openedView();
    expect(view.callback_id).toBe(LEARN_VIEW.links);
    const none = await h.sender.submitView(view.id, {}, { userId: "U0SPEAKER" });
    expect(none.errors?.[LEARN_BLOCK.recording]).toMatch(/recording link, the slides link/);
    const bad = await h.sender.submitView(
      view.id,
      {
        [LEARN_BLOCK.recording]: "javascript:alert(1)",
        [LEARN_BLOCK.slides]: "https://slides.example.com/retries",
      },
      { userId: "U0SPEAKER" },
    );
    expect(bad.errors?.[LEARN_BLOCK.recording]).toMatch(/https/);
    expect((await h.testDb.db.learningSession.findFirstOrThrow()).slidesUrl).toBe("");
    const ok = await h.sender.submitView(
      view.id,
      {
        [LEARN_BLOCK.recording]: "https://video.example.com/watch?v=1&t=2",
        [LEARN_BLOCK.slides]: "https://slides.example.com/retries",
      },
      { userId: "U0SPEAKER" },
    );
    expect(ok.errors).toBeUndefined();

    const list = JSON.stringify((await learnList(h)).blocks);
    expect(list).toContain("<https://video.example.com/watch?v=1&amp;t=2|Recording>");
    expect(list).toContain("<https://slides.example.com/retries|Slides>");
    // A later tick asks nothing again.
    h.clock.set("2027-03-15T14:45:00Z");
    await h.tick();
    expect(h.fake.dmsTo("U0SPEAKER")).toHaveLength(1);
  });

  it("never lets a hostile topic broadcast or forge a link, in the announcement, the reminders or the list", async () => {
    const topic = "<!channel> retries & <https://ev.il|your invoice> *now*";
    await schedule(h, { ...retries, [LEARN_BLOCK.topic]: topic });
    await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Learning session scheduled"),
      5000,
    );
    h.clock.set("2027-03-13T15:00:00Z");
    await h.tick();
    const list = await learnList(h);
    const posted = h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes("retries"));
    expect(posted.length).toBeGreaterThanOrEqual(2);
    for (const text of [
      ...posted.map((m) => m.text + JSON.stringify(m.blocks)),
      list.text + JSON.stringify(list.blocks),
    ]) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://ev.il");
      expect(text).toContain("&lt;!channel&gt;");
    }
  });
});
