import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTION, WBR_ACTION, WBR_BLOCK, wbrReadingBlock } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { type Blocks, visibleText } from "../support/blocks.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * Issue 12: the weekly business review. A team's metrics (inputs it controls, outputs it wants to
 * move), typed weekly or fed by a mechanism signal's review readings, and one workspace WBR at a
 * local weekday and time: posted once, with flags, the missed readings, and a DM the day before to
 * each owner whose reading is missing.
 */
const blockText = (blocks: unknown) => visibleText((blocks ?? []) as Blocks);
const HOSTILE = "Experiments <!channel> & <https://evil.example|shipped>";

const wbrPosts = (h: Harness, channel = "C0WBR") =>
  h.fake.messagesIn(channel).filter((m) => m.text.startsWith("Weekly business review"));

/** `/ratchet wbr` in the team channel; resolves with the ephemeral answer. */
async function openWbr(h: Harness, userId = "U0TESTER") {
  const before = h.fake.ephemeralsFor(userId).length;
  await h.sender.command("wbr", { channelId: "C0TEAM", userId });
  return eventually(async () => h.fake.ephemeralsFor(userId).slice(before).at(-1));
}

/** Clicks one of `/ratchet wbr`'s buttons and returns the modal it opened. */
async function clickWbr(h: Harness, actionId: string, userId = "U0TESTER") {
  const eph = await openWbr(h, userId);
  await h.sender.clickButton({ userId, message: { channelId: "C0TEAM", ts: eph.ts }, actionId });
  return h.openedView();
}

async function submitOk(h: Harness, viewId: string, answers: Record<string, Answer>) {
  const res = await h.sender.submitView(viewId, answers);
  expect(res.errors).toBeUndefined();
}

async function saveWbrSettings(h: Harness, o: { tz: string; weekday?: string; time?: string }) {
  const view = await clickWbr(h, WBR_ACTION.settings);
  await submitOk(h, view.id, {
    [WBR_BLOCK.channel]: "C0WBR",
    [WBR_BLOCK.weekday]: o.weekday ?? "1",
    [WBR_BLOCK.time]: o.time ?? "09:00",
    [WBR_BLOCK.timezone]: o.tz,
  });
}

async function addMetric(
  h: Harness,
  o: {
    name: string;
    kind: "input" | "output";
    owner: string;
    target: string;
    direction?: string;
    unit?: string;
  },
) {
  const view = await clickWbr(h, WBR_ACTION.addMetric);
  await submitOk(h, view.id, {
    [WBR_BLOCK.name]: o.name,
    [WBR_BLOCK.kind]: o.kind,
    [WBR_BLOCK.owner]: o.owner,
    [WBR_BLOCK.direction]: o.direction ?? "up",
    [WBR_BLOCK.target]: o.target,
    ...(o.unit ? { [WBR_BLOCK.unit]: o.unit } : {}),
  });
  return h.testDb.db.wbrMetric.findFirstOrThrow({ where: { name: o.name } });
}

/** "Record readings": each value by metric id. */
async function recordReadings(h: Harness, values: Record<string, string>) {
  const view = await clickWbr(h, WBR_ACTION.readings);
  await submitOk(
    h,
    view.id,
    Object.fromEntries(Object.entries(values).map(([id, v]) => [wbrReadingBlock(id), v])),
  );
}

/** Ticks at `at` twice (a second run must change nothing) and lets the outbox post. */
async function tickTwice(h: Harness, at: string) {
  h.clock.set(at);
  await h.tick();
  await h.tick();
  await h.settle();
}

describeDb("weekly business review", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  describe("in London, a team with typed and linked metrics", () => {
    beforeEach(async () => {
      h = await startHarness({ now: "2026-11-23T09:00:00Z" });
      h.fake.addChannel({ id: "C0WBR", name: "wbr" });
      await setupTeam(h);
      h.clock.set("2026-11-23T10:00:00Z");
    });

    it("lists no metrics with its four buttons, and refuses bad metrics and settings inline, saving nothing", async () => {
      const eph = await openWbr(h);
      const text = blockText(eph.blocks);
      expect(text).toContain("No metrics yet");
      expect(text).toContain("No WBR time is set");
      for (const label of ["Add a metric", "Link a mechanism signal", "Record readings", "WBR settings"])
        expect(JSON.stringify(eph.blocks)).toContain(label);

      const add = await clickWbr(h, WBR_ACTION.addMetric);
      const bad = await h.sender.submitView(add.id, {
        [WBR_BLOCK.name]: "   ",
        [WBR_BLOCK.kind]: "input",
        [WBR_BLOCK.owner]: "U0OWNER",
        [WBR_BLOCK.direction]: "up",
        [WBR_BLOCK.target]: "4",
      });
      expect(bad.errors?.[WBR_BLOCK.name]).toMatch(/Name the metric/);
      expect(await h.testDb.db.wbrMetric.count()).toBe(0);

      await addMetric(h, { name: "Experiments shipped", kind: "input", owner: "U0OWNER", target: "4" });
      const again = await clickWbr(h, WBR_ACTION.addMetric);
      const dup = await h.sender.submitView(again.id, {
        [WBR_BLOCK.name]: "Experiments shipped",
        [WBR_BLOCK.kind]: "output",
        [WBR_BLOCK.owner]: "U0OWNER",
        [WBR_BLOCK.direction]: "up",
        [WBR_BLOCK.target]: "4",
      });
      expect(dup.errors?.[WBR_BLOCK.name]).toMatch(/already has a metric named/);
      expect(await h.testDb.db.wbrMetric.count()).toBe(1);

      const settings = await clickWbr(h, WBR_ACTION.settings);
      const badZone = await h.sender.submitView(settings.id, {
        [WBR_BLOCK.channel]: "C0WBR",
        [WBR_BLOCK.weekday]: "1",
        [WBR_BLOCK.time]: "09:00",
        [WBR_BLOCK.timezone]: "Mars/Olympus",
      });
      expect(badZone.errors?.[WBR_BLOCK.timezone]).toMatch(/time zone/);
      expect(await h.testDb.db.wbrSchedule.count()).toBe(0);

      const readings = await clickWbr(h, WBR_ACTION.readings);
      const metric = await h.testDb.db.wbrMetric.findFirstOrThrow();
      const notNumber = await h.sender.submitView(readings.id, { [wbrReadingBlock(metric.id)]: "three" });
      expect(notNumber.errors?.[wbrReadingBlock(metric.id)]).toMatch(/number/);
      expect(await h.testDb.db.wbrReading.count()).toBe(0);
    });

    it("feeds a linked signal's review reading into the WBR, reminds the missing owner a day before, and posts once at 09:00 London", async () => {
      await saveWbrSettings(h, { tz: "Europe/London" });
      const experiments = await addMetric(h, { name: HOSTILE, kind: "input", owner: "U0OWNER", target: "4" });
      const tickets = await addMetric(h, {
        name: "Support tickets",
        kind: "output",
        owner: "U0TESTER",
        target: "20",
        direction: "down",
      });
      await createMechanism(h);
      const link = await clickWbr(h, WBR_ACTION.linkSignal);
      expect(JSON.stringify(link.blocks)).toContain("First-run nudge — 14-day activation");
      const signal = await h.testDb.db.signal.findFirstOrThrow({ where: { kind: "outcome" } });
      await submitOk(h, link.id, {
        [WBR_BLOCK.signal]: signal.id,
        [WBR_BLOCK.kind]: "output",
        [WBR_BLOCK.owner]: "U0OWNER",
        [WBR_BLOCK.direction]: "up",
      });
      const linked = await h.testDb.db.wbrMetric.findFirstOrThrow({ where: { signalId: signal.id } });
      expect(linked).toMatchObject({ name: "14-day activation", unit: "%", target: 35 });

      // Tuesday's review records the outcome reading: it feeds the WBR without retyping.
      h.clock.set("2026-11-24T10:00:30Z");
      await h.tick();
      const reminder = await eventually(async () =>
        h.fake.messagesIn("C0TEAM").find((m) => m.text.startsWith("15-minute review due")),
      );
      await h.sender.clickButton({
        userId: "U0OWNER",
        message: { channelId: "C0TEAM", ts: reminder.ts },
        actionId: ACTION.openReview,
      });
      const review = await h.openedView();
      await submitOk(
        h,
        review.id,
        reviewAnswers({ decision: "change", change: "Shorter copy", proxy: "60", outcome: "31" }),
      );
      await recordReadings(h, { [experiments.id]: "3" });
      const listed = blockText((await openWbr(h)).blocks);
      expect(listed).toContain("31%");
      expect(listed).toContain("from _First-run nudge_'s reviews");

      // Sunday 09:00 London, a day before: only the owner of the metric still missing is told, once.
      await tickTwice(h, "2026-11-29T08:59:00Z");
      expect(h.fake.dmsTo("U0TESTER")).toHaveLength(0);
      await tickTwice(h, "2026-11-29T09:00:30Z");
      const dms = await eventually(async () => {
        const got = h.fake.dmsTo("U0TESTER").filter((m) => m.text.includes("is missing"));
        return got.length > 0 && got;
      });
      expect(dms).toHaveLength(1);
      expect(blockText(dms[0]?.blocks)).toContain("Support tickets");
      // Its button opens this week's readings, with a box for the missing metric.
      const dm = dms[0];
      if (!dm) throw new Error("no reminder DM");
      await h.sender.clickButton({
        userId: "U0TESTER",
        message: { channelId: dm.channel, ts: dm.ts },
        actionId: WBR_ACTION.readings,
      });
      const fromDm = await h.openedView();
      expect(JSON.stringify(fromDm.blocks)).toContain(wbrReadingBlock(tickets.id));
      expect(h.fake.dmsTo("U0OWNER").filter((m) => m.text.includes("is missing"))).toHaveLength(0);
      await tickTwice(h, "2026-11-29T09:05:00Z");
      expect(h.fake.dmsTo("U0TESTER").filter((m) => m.text.includes("is missing"))).toHaveLength(1);

      // Monday 09:00 London: one WBR, however often the tick runs.
      await tickTwice(h, "2026-11-30T08:59:30Z");
      expect(wbrPosts(h)).toHaveLength(0);
      await tickTwice(h, "2026-11-30T09:00:30Z");
      const [post, ...more] = await eventually(async () => wbrPosts(h).length > 0 && wbrPosts(h));
      expect(more).toHaveLength(0);
      await tickTwice(h, "2026-11-30T09:30:00Z");
      expect(wbrPosts(h)).toHaveLength(1);

      const text = blockText(post?.blocks);
      // Inputs first, then outputs; the linked signal's review reading and the typed one are both there.
      expect(text.indexOf("Inputs")).toBeLessThan(text.indexOf("Outputs"));
      expect(text).toMatch(/14-day activation.*\n.*31%/);
      expect(text).toContain("Experiments &lt;!channel&gt; &amp; &lt;https://evil.example|shipped&gt;");
      expect(text).toMatch(/Teams that missed readings this week:\* Checkout squad \(Support tickets\)/);
      // Hostile text never broadcasts, in blocks or in the notification text.
      const raw = JSON.stringify(post);
      expect(raw).not.toContain("<!channel>");
      expect(raw).not.toContain("<https://evil");
      expect(tickets.ownerId).toBe("U0TESTER");
    });
  });

  describe("in New York across daylight saving", () => {
    beforeEach(async () => {
      h = await startHarness({ now: "2027-02-22T15:00:00Z" });
      h.fake.addChannel({ id: "C0WBR", name: "wbr" });
      await setupTeam(h, { tz: "America/New_York" });
      h.clock.set("2027-02-22T16:00:00Z");
    });

    it("posts Mondays at 09:00 local before and after the change, and flags an input that doesn't move its output, then an output that moved alone", async () => {
      await saveWbrSettings(h, { tz: "America/New_York" });
      const input = await addMetric(h, {
        name: "Experiments shipped",
        kind: "input",
        owner: "U0OWNER",
        target: "4",
      });
      const output = await addMetric(h, {
        name: "Activation",
        kind: "output",
        owner: "U0TESTER",
        target: "35",
        unit: "%",
      });

      // Readings for the WBRs of 1, 8, 15 and 22 March: the input moves, the output stays flat.
      const weeks = [
        { typeAt: "2027-02-26T15:00:00Z", wbr: "2027-03-01T14:00:30Z", input: "2", output: "30" },
        { typeAt: "2027-03-05T15:00:00Z", wbr: "2027-03-08T14:00:30Z", input: "2", output: "30" },
        // DST starts Sunday 14 March: 09:00 New York is 13:00Z from then on.
        { typeAt: "2027-03-12T15:00:00Z", wbr: "2027-03-15T13:00:30Z", input: "4", output: "30" },
        { typeAt: "2027-03-19T15:00:00Z", wbr: "2027-03-22T13:00:30Z", input: "4", output: "30" },
      ];
      for (const [i, w] of weeks.entries()) {
        h.clock.set(w.typeAt);
        await recordReadings(h, { [input.id]: w.input, [output.id]: w.output });
        if (i === 2) {
          // An hour before 09:00 EDT is 09:00 EST's instant: nothing then.
          await tickTwice(h, "2027-03-15T12:59:30Z");
          expect(wbrPosts(h)).toHaveLength(2);
        }
        await tickTwice(h, w.wbr);
        await eventually(async () => wbrPosts(h).length === i + 1);
      }
      const posts = wbrPosts(h);
      expect(posts).toHaveLength(4);
      expect(posts.map((p) => p.text)).toEqual([
        expect.stringContaining("Monday 2027-03-01"),
        expect.stringContaining("Monday 2027-03-08"),
        expect.stringContaining("Monday 2027-03-15"),
        expect.stringContaining("Monday 2027-03-22"),
      ]);
      const fourth = blockText(posts[3]?.blocks);
      expect(fourth).toContain("An input moved, but every output stayed flat for 3 weeks");
      expect(fourth).not.toContain("An output moved, but no input moved");
      expect(fourth).toContain("Every metric has this week's reading");

      // The next week the output jumps with no input moving.
      h.clock.set("2027-03-26T15:00:00Z");
      await recordReadings(h, { [input.id]: "4", [output.id]: "36" });
      await tickTwice(h, "2027-03-29T13:00:30Z");
      const fifth = await eventually(async () => wbrPosts(h)[4]);
      const text = blockText(fifth.blocks);
      expect(text).toContain("An output moved, but no input moved");
      expect(text).toContain("– → 30% → 30% → 30% → 30% → 36%");
      expect(text).toContain("+6% week over week");

      // The outputs' chart, drawn by the rollup chart's renderer, in the WBR's thread.
      const chart = await eventually(
        async () => h.fake.files.find((f) => f.completed && f.threadTs === fifth.ts),
        20_000,
      );
      expect(chart.channel).toBe("C0WBR");
      const png = PNG.sync.read(Buffer.from(chart.bytes ?? new Uint8Array()));
      expect(png.width).toBeGreaterThan(0);
      // The first WBR had one reading per output: nothing to draw, so no chart under it.
      expect(h.fake.files.filter((f) => f.threadTs === posts[0]?.ts)).toHaveLength(0);
    });
  });
});
