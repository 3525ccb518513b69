import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION, MECH_BLOCK, PEOPLE_ACTION, PEOPLE_BLOCK, PEOPLE_VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const OWNER = "U0OWNER";
const isReminder = (m: { text: string }) => m.text.startsWith("15-minute review due");
const channelReminders = (h: Harness) => h.fake.messagesIn("C0TEAM").filter(isReminder);
const dmReminders = (h: Harness, user = OWNER) => h.fake.dmsTo(user).filter(isReminder);

type Way = "channel" | "dm" | "both";

async function setPrefs(h: Harness, review: Way, user = OWNER, debrief: Way = "channel") {
  await h.sender.command("remind", { channelId: "C0TEAM", userId: user });
  const view = await h.openedView();
  expect(view.callback_id).toBe(PEOPLE_VIEW.prefs);
  const res = await h.sender.submitView(
    view.id,
    { [PEOPLE_BLOCK.reviewReminder]: review, [PEOPLE_BLOCK.debriefReminder]: debrief },
    { userId: user },
  );
  expect(res.errors).toBeUndefined();
}

async function addQuietDays(
  h: Harness,
  o: { whose: "me" | "team"; from: string; to: string; note?: string; user?: string },
) {
  await h.sender.command("away add", { channelId: "C0TEAM", userId: o.user ?? OWNER });
  const view = await h.openedView();
  expect(view.callback_id).toBe(PEOPLE_VIEW.quietDays);
  return h.sender.submitView(
    view.id,
    {
      [PEOPLE_BLOCK.whose]: o.whose,
      [PEOPLE_BLOCK.fromDate]: o.from,
      [PEOPLE_BLOCK.toDate]: o.to,
      [PEOPLE_BLOCK.note]: o.note ?? "",
    },
    { userId: o.user ?? OWNER },
  );
}

const reviewRows = async (h: Harness) =>
  (await h.testDb.db.review.findMany({ orderBy: { dueAt: "asc" } })).map((r) => [
    r.dueAt.toISOString(),
    r.status,
  ]);

describeDb("reminders that reach the person", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  describe("in London", () => {
    beforeEach(async () => {
      h = await startHarness({ now: "2026-11-23T09:00:00Z" });
      await setupTeam(h);
      await createMechanism(h);
    });

    it("DMs only the owner when they chose DM, and the DM is the review's reminder", async () => {
      await setPrefs(h, "dm");
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      await h.tick();
      expect(channelReminders(h)).toHaveLength(0);
      expect(dmReminders(h)).toHaveLength(1);
      const review = await h.testDb.db.review.findFirstOrThrow();
      expect(review.status).toBe("reminded");
      expect(review.messageChannelId).toBe(h.fake.dmChannelFor(OWNER));
      const dm = dmReminders(h)[0];
      expect(JSON.stringify(dm?.blocks)).toContain(ACTION.openReview);
    });

    it("posts in the channel and DMs the owner when they chose both, once each however often it ticks", async () => {
      await setPrefs(h, "both");
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      await h.tick();
      expect(channelReminders(h)).toHaveLength(1);
      expect(dmReminders(h)).toHaveLength(1);
      const review = await h.testDb.db.review.findFirstOrThrow();
      expect(review.messageChannelId).toBe("C0TEAM");
      const buttons = JSON.stringify(dmReminders(h)[0]?.blocks);
      for (const id of [ACTION.openReview, PEOPLE_ACTION.skipReview, PEOPLE_ACTION.addToCalendar])
        expect(buttons).toContain(id);
    });

    it("keeps the channel's reminder but sends no DM while the owner is away", async () => {
      await setPrefs(h, "both");
      const res = await addQuietDays(h, { whose: "me", from: "2026-11-23", to: "2026-11-27", note: "Leave" });
      expect(res.errors).toBeUndefined();
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      expect(channelReminders(h)).toHaveLength(1);
      expect(dmReminders(h)).toHaveLength(0);
      // Back the week after: the DM comes again.
      h.clock.set("2026-12-01T10:00:30Z");
      await h.tick();
      expect(dmReminders(h)).toHaveLength(1);
    });

    it("moves a review due on a team holiday to the next day: not missed, no reminder that day", async () => {
      const res = await addQuietDays(h, {
        whose: "team",
        from: "2026-11-24",
        to: "2026-11-24",
        note: "Offsite <!channel>",
      });
      expect(res.errors).toBeUndefined();
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      await h.tick();
      expect(channelReminders(h)).toHaveLength(0);
      expect(await h.testDb.db.review.count()).toBe(0);
      const moved = await h.testDb.db.mechanism.findFirstOrThrow();
      expect(moved.nextReviewAt?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
      h.clock.set("2026-11-25T10:00:30Z");
      await h.tick();
      expect(channelReminders(h)).toHaveLength(1);
      expect(await reviewRows(h)).toEqual([["2026-11-25T10:00:00.000Z", "reminded"]]);
      // The regular slot comes back the week after.
      const after = await h.testDb.db.mechanism.findFirstOrThrow();
      expect(after.nextReviewAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
      // The list shows it, escaped, and it can be removed.
      const before = h.fake.responseUrlPosts.length;
      await h.sender.command("away", { channelId: "C0TEAM", userId: OWNER });
      const list = JSON.stringify((await h.responses(before + 1)).slice(before));
      expect(list).toContain("2026-11-24");
      expect(list).toContain("Offsite");
      expect(list).not.toContain("<!channel>");
    });

    it("“Skip this one” moves the occurrence, says who skipped, and never counts it as missed", async () => {
      h.fake.addUser({ id: "U0MATE", name: "mate" });
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      const reminder = channelReminders(h)[0];
      if (!reminder) throw new Error("no reminder");
      await h.sender.clickButton({
        userId: "U0MATE",
        message: { channelId: "C0TEAM", ts: reminder.ts },
        actionId: PEOPLE_ACTION.skipReview,
      });
      await h.settle();
      await eventually(async () => h.fake.message("C0TEAM", reminder.ts)?.text.startsWith("Review skipped"));
      const edited = h.fake.message("C0TEAM", reminder.ts);
      expect(JSON.stringify(edited?.blocks)).toContain("<@U0MATE>");
      expect(JSON.stringify(edited?.blocks)).toContain("Moved to");
      const m = await h.testDb.db.mechanism.findFirstOrThrow();
      expect(m.nextReviewAt?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
      h.clock.set("2026-11-25T10:00:30Z");
      await h.tick();
      // The skipped reminder lost its buttons; the moved occurrence has its own reminder.
      expect(channelReminders(h)).toHaveLength(1);
      expect(channelReminders(h)[0]?.ts).not.toBe(reminder.ts);
      expect(await reviewRows(h)).toEqual([
        ["2026-11-24T10:00:00.000Z", "skipped"],
        ["2026-11-25T10:00:00.000Z", "reminded"],
      ]);
      await h.settle();
      expect(await h.testDb.db.alarm.count()).toBe(0);
    });

    it("DMs the review series as an .ics from “Add to calendar”, with the team holiday as an EXDATE", async () => {
      await addQuietDays(h, {
        whose: "team",
        from: "2026-12-08",
        to: "2026-12-08",
        note: "Offsite; all day",
      });
      h.clock.set("2026-12-01T10:00:30Z");
      await h.tick();
      const reminder = channelReminders(h)[0];
      if (!reminder) throw new Error("no reminder");
      await h.sender.clickButton({
        userId: OWNER,
        message: { channelId: "C0TEAM", ts: reminder.ts },
        actionId: PEOPLE_ACTION.addToCalendar,
      });
      const ics = await eventually(async () => {
        const channel = h.fake.dmChannelFor(OWNER);
        const f = h.fake.files.find(
          (x) => x.completed && x.channel === channel && x.filename.endsWith(".ics"),
        );
        return f ? Buffer.from(f.bytes ?? new Uint8Array()).toString("utf8") : null;
      }, 10_000);
      const lines = unfold(ics);
      expect(lines[0]).toBe("BEGIN:VCALENDAR");
      expect(lines).toContain("DTSTART;TZID=Europe/London:20261208T100000");
      expect(lines).toContain("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU");
      expect(lines).toContain("EXDATE;TZID=Europe/London:20261208T100000");
      expect(lines).toContain("DURATION:PT15M");
      const uid = lines.find((l) => l.startsWith("UID:"));
      // The same mechanism gives the same UID: the command's file replaces the button's in a calendar.
      h.clock.set("2026-12-01T10:05:00Z");
      await h.sender.command("calendar First-run", { channelId: "C0TEAM", userId: OWNER });
      await eventually(
        async () => h.fake.files.filter((f) => f.completed && f.filename.endsWith(".ics")).length === 2,
        10_000,
      );
      const second = h.fake.files.filter((f) => f.filename.endsWith(".ics"))[1];
      expect(unfold(Buffer.from(second?.bytes ?? new Uint8Array()).toString("utf8"))).toContain(uid);
      expect(ics.split("\r\n").every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    });

    it("refuses quiet days that end before they start, inline, and saves nothing", async () => {
      const res = await addQuietDays(h, { whose: "me", from: "2026-12-10", to: "2026-12-01" });
      expect(res.errors?.[PEOPLE_BLOCK.toDate]).toMatch(/before the first/);
      expect(await h.testDb.db.quietDay.count()).toBe(0);
    });
  });

  describe("the end-of-week debrief", () => {
    beforeEach(async () => {
      h = await startHarness({ now: "2026-10-29T12:00:00Z" });
      await setupTeam(h, { tz: "America/New_York" });
      h.fake.addUser({ id: "U0MATE", name: "mate", tz: "America/New_York" });
    });

    it("DMs the prompt to members who asked for it, not to one who is away, and still posts it in the channel", async () => {
      await setPrefs(h, "channel", OWNER, "dm");
      await setPrefs(h, "channel", "U0MATE", "both");
      const away = await addQuietDays(h, {
        whose: "me",
        from: "2026-10-30",
        to: "2026-10-30",
        user: "U0MATE",
      });
      expect(away.errors).toBeUndefined();
      const isPrompt = (m: { text: string }) => m.text.startsWith("End-of-week debrief: what did");
      h.clock.set("2026-10-30T19:00:00Z"); // Fri 15:00 in New York
      await h.tick();
      await h.tick();
      expect(h.fake.messagesIn("C0TEAM").filter(isPrompt)).toHaveLength(1);
      expect(h.fake.dmsTo(OWNER).filter(isPrompt)).toHaveLength(1);
      expect(h.fake.dmsTo("U0MATE").filter(isPrompt)).toHaveLength(0);
    });
  });

  describe("across DST in America/New_York", () => {
    beforeEach(async () => {
      h = await startHarness({ now: "2027-03-08T14:00:00Z" });
      await setupTeam(h, { tz: "America/New_York" });
    });

    it("DMs at 10:00 local before and after spring forward (2027-03-14)", async () => {
      await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.aimBy]: "2027-12-31" });
      await setPrefs(h, "dm");
      h.clock.set("2027-03-09T15:00:30Z"); // Tue 10:00 EST
      await h.tick();
      h.clock.set("2027-03-16T14:00:30Z"); // Tue 10:00 EDT
      await h.tick();
      expect(dmReminders(h)).toHaveLength(2);
      expect(await reviewRows(h)).toEqual([
        ["2027-03-09T15:00:00.000Z", "unanswered"],
        ["2027-03-16T14:00:00.000Z", "reminded"],
      ]);
    });

    it("DMs at 10:00 local before and after fall back (2027-11-07)", async () => {
      h.clock.set("2027-11-01T14:00:00Z");
      await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.aimBy]: "2028-03-31" });
      await setPrefs(h, "dm");
      h.clock.set("2027-11-02T14:00:30Z"); // Tue 10:00 EDT
      await h.tick();
      h.clock.set("2027-11-09T15:00:30Z"); // Tue 10:00 EST
      await h.tick();
      expect(dmReminders(h)).toHaveLength(2);
      expect((await reviewRows(h)).map(([at]) => at)).toEqual([
        "2027-11-02T14:00:00.000Z",
        "2027-11-09T15:00:00.000Z",
      ]);
    });
  });
});

/** RFC 5545 unfolding: a line starting with a space continues the one before. */
function unfold(ics: string): string[] {
  return ics
    .replace(/\r\n /g, "")
    .split("\r\n")
    .filter((l) => l !== "");
}
