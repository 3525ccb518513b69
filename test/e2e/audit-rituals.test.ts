import { afterEach, beforeEach, expect, it } from "vitest";
import {
  FLOOR_ACTION,
  FLOOR_BLOCK,
  FLOOR_VIEW,
  HAT_BLOCK,
  HAT_VIEW,
  LEARN_ACTION,
  LEARN_BLOCK,
  LEARN_VIEW,
  QUARTER_ACTION,
  QUARTER_BLOCK,
  QUARTER_VIEW,
  WBR_ACTION,
  WBR_BLOCK,
  WBR_VIEW,
} from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const HOSTILE = "Canary <!channel> & <@U0BOSS>";

describeDb("audit log of the Floor, Hat cases, learning sessions, WBR and quarterly settings", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    for (const id of ["U0OTHER", "U0SPEAKER"]) h.fake.addUser({ id, name: id.toLowerCase() });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  const rows = (subjectType: string, n: number) =>
    eventually(async () => {
      const r = await h.testDb.db.auditEntry.findMany({ where: { subjectType }, orderBy: { at: "asc" } });
      return r.length === n ? r : null;
    });
  const summary = (r: { action: string; actor: string; surface: string; before: string; after: string }) => ({
    action: r.action,
    actor: r.actor,
    surface: r.surface,
    before: JSON.parse(r.before) as unknown,
    after: JSON.parse(r.after) as unknown,
  });

  /** The newest ephemeral `userId` got after running `/ratchet <text>` in the team channel. */
  async function ephemeralAfter(text: string, userId = "U0TESTER") {
    const before = h.fake.ephemeralsFor(userId).length;
    await h.sender.command(text, { channelId: "C0TEAM", userId });
    return eventually(async () => h.fake.ephemeralsFor(userId).slice(before).at(-1));
  }

  /** What the person who clicked was told in reply (a refusal, say). */
  const toldTo = (userId: string, words: string) =>
    eventually(
      async () =>
        h.fake.responseUrlPosts.find(
          (p) => p.context.userId === userId && JSON.stringify(p.body).includes(words),
        ) ?? null,
    );

  /** The block of a `/ratchet floor` answer that carries the (only) entry's Retire button. */
  const retireBlockOf = (answer: { blocks?: unknown[] }) =>
    (answer.blocks as { block_id?: string; accessory?: { action_id: string } }[]).find(
      (b) => b.accessory?.action_id === FLOOR_ACTION.retire,
    )?.block_id;

  async function teamAudit(): Promise<string> {
    const before = h.fake.responseUrlPosts.length;
    await h.sender.command("audit", { channelId: "C0TEAM" });
    const [answer] = (await h.responses(before + 1)).slice(before);
    return JSON.stringify(answer);
  }

  it("records a Floor default added and retired, lets only a team admin retire it, and /ratchet audit shows both", async () => {
    const plan = await ephemeralAfter("floor");
    await h.sender.clickButton({
      userId: "U0OTHER",
      message: { channelId: "C0TEAM", ts: plan.ts },
      actionId: FLOOR_ACTION.add,
    });
    const add = await h.openedView();
    expect(add.callback_id).toBe(FLOOR_VIEW.add);
    const added = await h.sender.submitView(
      add.id,
      {
        [FLOOR_BLOCK.text]: HOSTILE,
        [FLOOR_BLOCK.why]: "It caught two bad deploys",
        [FLOOR_BLOCK.kind]: "guardrail",
      },
      { userId: "U0OTHER" },
    );
    expect(added.errors).toBeUndefined();
    const [addRow] = await rows("floor-entry", 1);
    if (!addRow) throw new Error("no entry");
    expect(summary(addRow)).toEqual({
      action: "added",
      actor: "U0OTHER",
      surface: "modal",
      before: {},
      after: {
        kind: "guardrail",
        text: HOSTILE,
        why: "It caught two bad deploys",
        source: "typed",
        retired: false,
        retiredReason: null,
      },
    });
    expect(addRow.subjectId).toMatch(/^default:/);

    // Retiring takes a default away: a team member who isn't an admin is told who can.
    const listed = await ephemeralAfter("floor", "U0OTHER");
    await h.sender.blockAction({
      userId: "U0OTHER",
      message: { channelId: "C0TEAM", ts: listed.ts },
      actionId: FLOOR_ACTION.retire,
      blockId: retireBlockOf(listed),
    });
    const refusal = await toldTo("U0OTHER", "Only a team admin can retire a Floor entry");
    expect(JSON.stringify(refusal.body)).toContain("U0TESTER");
    expect(await h.testDb.db.floorRetirement.count()).toBe(0);

    const mine = await ephemeralAfter("floor");
    await h.sender.blockAction({
      userId: "U0TESTER",
      message: { channelId: "C0TEAM", ts: mine.ts },
      actionId: FLOOR_ACTION.retire,
      blockId: retireBlockOf(mine),
    });
    const retire = await h.openedView();
    expect(retire.callback_id).toBe(FLOOR_VIEW.retire);
    // A form opened by an admin and submitted by someone else is refused too: the service checks.
    const forged = await h.sender.submitView(
      retire.id,
      { [FLOOR_BLOCK.reason]: "No" },
      { userId: "U0OTHER" },
    );
    expect(forged.errors?.[FLOOR_BLOCK.reason]).toMatch(/Only a team admin can retire/);
    const ok = await h.sender.submitView(retire.id, { [FLOOR_BLOCK.reason]: "The pipeline canaries now" });
    expect(ok.errors).toBeUndefined();
    const [, retireRow] = await rows("floor-entry", 2);
    if (!retireRow) throw new Error("no retirement entry");
    expect(summary(retireRow)).toEqual({
      action: "retired",
      actor: "U0TESTER",
      surface: "modal",
      before: { retired: false, retiredReason: null },
      after: { retired: true, retiredReason: "The pipeline canaries now" },
    });
    expect(retireRow.subjectId).toBe(addRow.subjectId);

    const said = await teamAudit();
    expect(said).toContain("*added* (floor-entry");
    expect(said).toContain("*retired* (floor-entry");
    expect(said).toContain("The pipeline canaries now");
    expect(said).not.toContain("<!channel>");
    expect(said).toContain("&lt;!channel&gt;");
  });

  it("records a Hat case once per submission, with its author", async () => {
    await h.sender.command("hat", { channelId: "C0TEAM", userId: "U0OTHER" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(HAT_VIEW.case);
    const answers = {
      [HAT_BLOCK.context]: "Growth squad QBR: green KPI arrows, activation stuck",
      [HAT_BLOCK.traits]: ["Big goals, no guidance"],
      [HAT_BLOCK.symptoms]: ["Faux alignment"],
      [HAT_BLOCK.reinforcing]: ["Appearance loop"],
      [HAT_BLOCK.balancing]: ["Mini Prototype"],
    };
    const first = h.sender.viewSubmission(view.id, answers, { userId: "U0OTHER" });
    // The same Submit twice (a double click): one case, one entry.
    await h.sender.postPayload(first);
    await h.sender.postPayload(first);
    const [row] = await rows("hat-case", 1);
    if (!row) throw new Error("no entry");
    const hatCase = await h.testDb.db.hatCase.findFirstOrThrow();
    expect(row.subjectId).toBe(hatCase.id);
    expect(summary(row)).toMatchObject({
      action: "recorded",
      actor: "U0OTHER",
      surface: "modal",
      before: {},
      after: {
        context: "Growth squad QBR: green KPI arrows, activation stuck",
        symptoms: ["Faux alignment"],
        balancingLoops: ["Mini Prototype"],
      },
    });
    expect(await teamAudit()).toContain("*recorded* (hat-case");
  });

  it("records a learning session scheduled and its links edited, before → after", async () => {
    await h.sender.command("learn schedule", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(LEARN_VIEW.schedule);
    const res = await h.sender.submitView(view.id, {
      [LEARN_BLOCK.topic]: "Reading flame graphs",
      [LEARN_BLOCK.speaker]: "U0SPEAKER",
      [LEARN_BLOCK.date]: "2027-03-02",
      [LEARN_BLOCK.time]: "10:00",
      [LEARN_BLOCK.duration]: "30",
    });
    expect(res.errors).toBeUndefined();
    const [scheduled] = await rows("learning-session", 1);
    expect(scheduled && summary(scheduled)).toMatchObject({
      action: "scheduled",
      actor: "U0TESTER",
      surface: "modal",
      before: {},
      after: {
        topic: "Reading flame graphs",
        speakerId: "U0SPEAKER",
        startsAt: "2027-03-02T10:00:00.000Z",
        durationMinutes: 30,
      },
    });

    // After the session, the speaker adds the links from the DM that asks for them.
    h.clock.set("2027-03-02T10:45:00Z");
    await h.tick();
    await h.tick();
    const dm = await eventually(async () => h.fake.dmsTo("U0SPEAKER").at(0));
    await h.sender.clickButton({
      userId: "U0SPEAKER",
      message: { channelId: dm.channel, ts: dm.ts },
      actionId: LEARN_ACTION.links,
    });
    const links = await h.openedView();
    expect(links.callback_id).toBe(LEARN_VIEW.links);
    const saved = await h.sender.submitView(
      links.id,
      { [LEARN_BLOCK.recording]: "https://video.example.com/watch?v=1" },
      { userId: "U0SPEAKER" },
    );
    expect(saved.errors).toBeUndefined();
    const [, edited] = await rows("learning-session", 2);
    expect(edited && summary(edited)).toEqual({
      action: "links edited",
      actor: "U0SPEAKER",
      surface: "modal",
      before: { recordingUrl: "" },
      after: { recordingUrl: "https://video.example.com/watch?v=1" },
    });
    const said = await teamAudit();
    expect(said).toContain("*scheduled* (learning-session");
    expect(said).toContain("*links edited* (learning-session");
  });

  it("records WBR settings saves for team admins only, and refuses anyone else with whom to ask", async () => {
    const openSettings = async (userId: string) => {
      const eph = await ephemeralAfter("wbr", userId);
      await h.sender.clickButton({
        userId,
        message: { channelId: "C0TEAM", ts: eph.ts },
        actionId: WBR_ACTION.settings,
      });
    };
    await openSettings("U0OTHER");
    const refusal = await toldTo("U0OTHER", "Only a team admin can change the WBR settings");
    expect(JSON.stringify(refusal.body)).toContain("U0TESTER");

    await openSettings("U0TESTER");
    const view = await h.openedView();
    expect(view.callback_id).toBe(WBR_VIEW.settings);
    const answers = {
      [WBR_BLOCK.channel]: "C0TEAM",
      [WBR_BLOCK.weekday]: "1",
      [WBR_BLOCK.time]: "09:00",
      [WBR_BLOCK.timezone]: "Europe/London",
    };
    const forged = await h.sender.submitView(view.id, answers, { userId: "U0OTHER" });
    expect(forged.errors?.[WBR_BLOCK.channel]).toMatch(/Only a team admin/);
    expect(await h.testDb.db.wbrSchedule.count()).toBe(0);
    expect((await h.sender.submitView(view.id, answers)).errors).toBeUndefined();

    await openSettings("U0TESTER");
    const again = await h.openedView();
    expect(
      (await h.sender.submitView(again.id, { ...answers, [WBR_BLOCK.time]: "10:30" })).errors,
    ).toBeUndefined();

    const [setUp, changed] = await rows("wbr", 2);
    expect(setUp && summary(setUp)).toMatchObject({
      action: "set up",
      actor: "U0TESTER",
      surface: "modal",
      before: {},
      after: { channelId: "C0TEAM", weekday: 1, time: "09:00", timezone: "Europe/London" },
    });
    expect(changed && summary(changed)).toEqual({
      action: "settings changed",
      actor: "U0TESTER",
      surface: "modal",
      before: { time: "09:00" },
      after: { time: "10:30" },
    });
    expect(await teamAudit()).toContain("*settings changed* (wbr");
  });

  it("records the quarterly review date for team admins only", async () => {
    const settingsFor = async (userId: string) => {
      const eph = await ephemeralAfter("quarter", userId);
      await h.sender.clickButton({
        userId,
        message: { channelId: "C0TEAM", ts: eph.ts },
        actionId: QUARTER_ACTION.settings,
      });
    };
    await settingsFor("U0OTHER");
    await toldTo("U0OTHER", "Only a team admin can change the quarterly review date");

    await h.sender.command("quarter settings", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(QUARTER_VIEW.settings);
    const forged = await h.sender.submitView(
      view.id,
      { [QUARTER_BLOCK.date]: "2027-01-05", [QUARTER_BLOCK.time]: "10:00" },
      { userId: "U0OTHER" },
    );
    expect(forged.errors?.[QUARTER_BLOCK.date]).toMatch(/Only a team admin/);
    const ok = await h.sender.submitView(view.id, {
      [QUARTER_BLOCK.date]: "2027-01-05",
      [QUARTER_BLOCK.time]: "10:00",
    });
    expect(ok.errors).toBeUndefined();

    await settingsFor("U0TESTER");
    const again = await h.openedView();
    expect(
      (
        await h.sender.submitView(again.id, {
          [QUARTER_BLOCK.date]: "2027-01-12",
          [QUARTER_BLOCK.time]: "10:00",
        })
      ).errors,
    ).toBeUndefined();

    const [first, second] = await rows("quarter", 2);
    expect(first && summary(first)).toMatchObject({
      action: "scheduled",
      actor: "U0TESTER",
      surface: "modal",
      after: { localDate: "2027-01-05", localTime: "10:00", quarter: "2027-Q1" },
    });
    expect(second && summary(second)).toEqual({
      action: "settings changed",
      actor: "U0TESTER",
      surface: "modal",
      before: { localDate: "2027-01-05", opensAt: "2027-01-05T10:00:00.000Z" },
      after: { localDate: "2027-01-12", opensAt: "2027-01-12T10:00:00.000Z" },
    });
    expect(await teamAudit()).toContain("*settings changed* (quarter");
  });
});
