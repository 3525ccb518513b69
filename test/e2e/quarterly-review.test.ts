import { afterEach, beforeEach, expect, it } from "vitest";
import { QUARTER_ACTION, QUARTER_BLOCK, QUARTER_VIEW, quarterStayedBlock } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * The quarterly review (`/ratchet quarter`): opened in the channel at the team's chosen local time,
 * once per quarter; a guided review drafted from the quarter's data; one post; next quarter's check
 * on last quarter's stop list. Instants below are chosen relative to the harness's ManualClock
 * (2026-11-23, in 2026 Q4); quarters are on the team's wall clock.
 */
const MIDDLE_OF_Q4 = "2026-12-10T12:00:00Z";

const opened = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Quarterly review is open"));
const posted = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Quarterly review 20"));

async function setReviewDate(h: Harness, date: string, time: string) {
  await h.sender.command("quarter settings", { channelId: "C0TEAM" });
  const view = await h.openedView();
  expect(view.callback_id).toBe(QUARTER_VIEW.settings);
  return h.sender.submitView(view.id, { [QUARTER_BLOCK.date]: date, [QUARTER_BLOCK.time]: time });
}

async function tickAt(h: Harness, at: string) {
  h.clock.set(at);
  await h.tick();
}

/** `/ratchet quarter`'s ephemeral answer (the newest). */
async function quarterView(h: Harness) {
  const before = h.fake.ephemeralsFor("U0TESTER").length;
  await h.sender.command("quarter", { channelId: "C0TEAM" });
  const answer = await eventually(async () => h.fake.ephemeralsFor("U0TESTER").slice(before).at(-1));
  return { ...answer, json: JSON.stringify(answer.blocks) };
}

/** Clicks "Start the quarterly review" on `/ratchet quarter` and returns the modal it opens. */
async function startReview(h: Harness) {
  const answer = await quarterView(h);
  await h.sender.clickButton({
    userId: "U0TESTER",
    message: { channelId: "C0TEAM", ts: answer.ts },
    actionId: QUARTER_ACTION.start,
  });
  const view = await h.openedView();
  expect(view.callback_id).toBe(QUARTER_VIEW.review);
  return view;
}

const initialOf = (view: { blocks: unknown[] }, blockId: string): string => {
  const block = (view.blocks as { block_id?: string; element?: { initial_value?: string } }[]).find(
    (b) => b.block_id === blockId,
  );
  return block?.element?.initial_value ?? "";
};

describeDb("the quarterly review opens at the team's local time, once per quarter", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("opens on the quarter's last evening in the team's zone — already next quarter in UTC — and only once", async () => {
    h = await startHarness();
    await setupTeam(h, { tz: "America/Los_Angeles" });
    // 31 Dec 17:00 in Los Angeles (PST, UTC−8) is 1 Jan 01:00 UTC: still 2026 Q4 for the team.
    expect((await setReviewDate(h, "2026-12-31", "17:00")).errors).toBeUndefined();

    await tickAt(h, "2027-01-01T00:59:00Z");
    expect(opened(h)).toHaveLength(0);
    await tickAt(h, "2027-01-01T01:00:00Z");
    expect(opened(h)).toHaveLength(1);
    expect(opened(h)[0]?.text).toContain("2026 Q4");
    expect(JSON.stringify(opened(h)[0]?.blocks)).toContain("Start the quarterly review");

    // Ticking again, or a date set again for the same quarter, posts nothing more.
    await tickAt(h, "2027-01-01T01:01:00Z");
    expect((await setReviewDate(h, "2026-12-31", "17:30")).errors).toBeUndefined();
    await tickAt(h, "2027-01-01T01:31:00Z");
    await tickAt(h, "2027-01-01T01:32:00Z");
    expect(opened(h)).toHaveLength(1);
  });

  it("opens at the local time after the clocks go forward (DST), and refuses a date already past", async () => {
    h = await startHarness();
    await setupTeam(h);
    const past = await setReviewDate(h, "2026-11-01", "10:00");
    expect(past.errors?.[QUARTER_BLOCK.date]).toMatch(/still to come/);
    // British Summer Time starts 28 Mar 2027: 10:00 in London on the 29th is 09:00 UTC.
    expect((await setReviewDate(h, "2027-03-29", "10:00")).errors).toBeUndefined();
    await tickAt(h, "2027-03-29T08:59:00Z");
    expect(opened(h)).toHaveLength(0);
    await tickAt(h, "2027-03-29T09:00:00Z");
    expect(opened(h)).toHaveLength(1);
    expect(opened(h)[0]?.text).toContain("2027 Q1");
    await tickAt(h, "2027-03-29T09:01:00Z");
    expect(opened(h)).toHaveLength(1);
  });
});

describeDb("the guided quarterly review", () => {
  let h: Harness;
  let teamId: string;
  beforeEach(async () => {
    h = await startHarness();
    teamId = (await setupTeam(h)).id;
    h.clock.set(MIDDLE_OF_Q4);
  });
  afterEach(async () => h?.close());

  /** This quarter's data, as the rituals would have left it. */
  async function seedQuarter() {
    const db = h.testDb.db;
    const at = (iso: string) => new Date(iso);
    const mechanism = (title: string, status: string, stoppedAt: Date | null) => ({
      teamId,
      title,
      aim: "Increase activation",
      aimForWhom: "new SMB signups",
      aimFrom: 27,
      aimTo: 35,
      aimBy: "2027-01-31",
      statement: "We believe X because Y",
      checkpointRule: "continue if outcome >= 30",
      guardrail: "error rate",
      rollbackPath: "flag off",
      cadenceWeeks: 1,
      status,
      stoppedAt,
      createdBy: "U0TESTER",
      createdAt: at("2026-10-05T09:00:00Z"),
    });
    await db.mechanism.create({
      data: mechanism("First-run nudge", "graduated", at("2026-11-20T10:00:00Z")),
    });
    await db.mechanism.create({ data: mechanism("Email drip", "stopped", at("2026-11-10T10:00:00Z")) });
    // Ended last quarter: not this quarter's news.
    await db.mechanism.create({ data: mechanism("Old banner", "stopped", at("2026-09-01T10:00:00Z")) });
    const active = await db.mechanism.create({ data: mechanism("Onboarding checklist", "active", null) });
    const signal = await db.signal.create({
      data: {
        mechanismId: active.id,
        kind: "outcome",
        name: "14-day activation",
        baseline: 27,
        target: 35,
        unit: "%",
      },
    });
    await db.reading.create({
      data: {
        signalId: signal.id,
        value: 36,
        recordedBy: "U0TESTER",
        recordedAt: at("2026-12-01T10:00:00Z"),
      },
    });
    await db.deviation.create({
      data: {
        teamId,
        area: "API framework",
        deviation: "Try Fastify on checkout",
        hypothesis: "Because its router is faster",
        benefit: "latency",
        risk: "migration",
        cycleIndex: 0,
        ownerId: "U0TESTER",
        outcome: "p95 down 22%",
        verdict: "promote",
        createdAt: at("2026-11-24T10:00:00Z"),
        decidedAt: at("2026-12-02T10:00:00Z"),
      },
    });
    const incident = await db.incident.create({
      data: {
        teamId,
        title: "Checkout timeouts",
        severity: "sev2",
        impact: "Orders failed for 20 minutes",
        startedAt: at("2026-11-02T10:00:00Z"),
        detectedAt: at("2026-11-02T10:05:00Z"),
        resolvedAt: at("2026-11-02T10:30:00Z"),
        learned: "Load tests must cover the integrated system",
        reporterId: "U0TESTER",
        reporterTz: "Europe/London",
        status: "complete",
        completedAt: at("2026-11-04T10:00:00Z"),
        createdAt: at("2026-11-02T10:10:00Z"),
      },
    });
    const done = await db.finding.create({
      data: {
        incidentId: incident.id,
        text: "Add a connection-pool alarm",
        createdAt: at("2026-11-04T09:00:00Z"),
      },
    });
    await db.actionItem.create({
      data: {
        findingId: done.id,
        ownerId: "U0OWNER",
        dueDate: "2026-11-20",
        kind: "detect",
        status: "done",
        closedAt: at("2026-11-18T10:00:00Z"),
        createdAt: at("2026-11-04T09:00:00Z"),
      },
    });
    const open = await db.finding.create({
      data: {
        incidentId: incident.id,
        text: "Load-test checkout end to end",
        createdAt: at("2026-11-04T09:00:00Z"),
      },
    });
    await db.actionItem.create({
      data: {
        findingId: open.id,
        ownerId: "U0OWNER",
        dueDate: "2027-01-15",
        kind: "prevent",
        createdAt: at("2026-11-04T09:00:00Z"),
      },
    });
  }

  const validAnswers: Record<string, Answer> = {
    [QUARTER_BLOCK.wentWell]: "Pairing on the COEs",
    [QUARTER_BLOCK.behaviour]: "We now canary every deploy — 0 rollbacks since October",
    [QUARTER_BLOCK.continueItems]: "Onboarding checklist — activation is still below target",
    [QUARTER_BLOCK.newItems]: "Checkout load tests — the COE showed we never test the whole path",
    [QUARTER_BLOCK.stopItems]: "Weekly status report — nobody reads it; the rollup covers it",
  };

  it("shows an empty state with a start button, and the COE pattern review", async () => {
    const empty = await quarterView(h);
    expect(empty.json).toContain("No quarterly review for 2026 Q4 yet");
    expect(empty.json).toContain("Start the quarterly review");
    expect(empty.json).toContain("No COEs this quarter yet");
    expect(empty.json).toContain("No review date set");

    await seedQuarter();
    const withData = await quarterView(h);
    expect(withData.json).toContain("1 COE(s) this quarter");
    expect(withData.json).toContain("Load-test checkout end to end");
    expect(withData.json).not.toContain("Add a connection-pool alarm");
  });

  it("drafts from the quarter's data, names the item missing its why, and posts the review once", async () => {
    await seedQuarter();
    const view = await startReview(h);
    const achieved = initialOf(view, QUARTER_BLOCK.achieved);
    expect(achieved).toContain("Outcome met its target: Onboarding checklist — 14-day activation 27 → 36%");
    expect(achieved).toContain("Graduated (now a team default): First-run nudge");
    expect(achieved).toContain("Killed: Email drip");
    expect(achieved).not.toContain("Old banner");
    expect(achieved).toContain("Deviation promoted to a default: API framework — Try Fastify on checkout");
    expect(achieved).toContain("COE action item done: Add a connection-pool alarm (Checkout timeouts)");
    const learned = initialOf(view, QUARTER_BLOCK.learned);
    expect(learned).toContain("COE lesson — Checkout timeouts: Load tests must cover the integrated system");
    expect(learned).toContain("Deviation promoted — Try Fastify on checkout: p95 down 22%");
    expect(JSON.stringify(view.blocks)).toContain(
      "Name a behaviour we changed last quarter and the evidence",
    );

    const noWhy = await h.sender.submitView(view.id, {
      ...validAnswers,
      [QUARTER_BLOCK.stopItems]: "Weekly status report — nobody reads it\nFriday deploys",
    });
    expect(Object.keys(noWhy.errors ?? {})).toEqual([QUARTER_BLOCK.stopItems]);
    expect(noWhy.errors?.[QUARTER_BLOCK.stopItems]).toContain("“Friday deploys”");
    expect(await h.testDb.db.quarterlyReview.count()).toBe(0);

    // Hostile text, submitted twice (a double-click): one record, one post, nothing broadcast.
    const hostile = {
      ...validAnswers,
      [QUARTER_BLOCK.continueItems]:
        "<!channel> Onboarding checklist — <https://ev.il|click> still below target",
    };
    const payload = h.sender.viewSubmission(view.id, hostile);
    await h.sender.postPayload(payload);
    await h.sender.postPayload(payload);
    await h.settle();
    const rows = await h.testDb.db.quarterlyReview.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ quarter: "2026-Q4", revision: 1, submittedBy: "U0TESTER" });
    expect(posted(h)).toHaveLength(1);
    const post = posted(h)[0];
    const json = JSON.stringify(post?.blocks);
    expect(post?.text).toContain("Quarterly review 2026 Q4");
    expect(json).toContain("Graduated (now a team default): First-run nudge");
    expect(json).toContain("Weekly status report");
    expect(json).toContain("nobody reads it; the rollup covers it");
    expect(json).toContain("&lt;!channel&gt; Onboarding checklist");
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<https://ev.il");
    expect(post?.text).not.toContain("<!channel>");

    // The quarter view now shows the review; exporting uploads it as Markdown.
    expect((await quarterView(h)).json).toContain("1 continued, 1 new, 1 stopped");
    await h.sender.command("quarter export", { channelId: "C0TEAM" });
    await h.fake.waitFor("files.completeUploadExternal", undefined, 5000);
    const file = h.fake.files.find((f) => f.completed);
    expect(file?.filename).toBe("quarterly-review-2026-Q4.md");
    const markdown = new TextDecoder().decode(file?.bytes);
    expect(markdown).toContain("# Quarterly review 2026 Q4");
    expect(markdown).toContain("## We stop");
    expect(markdown).toContain("\\<!channel\\> Onboarding checklist");
  });

  it("replaces a second review of the same quarter, posting it as a revision", async () => {
    const first = await startReview(h);
    expect(
      (
        await h.sender.submitView(first.id, {
          ...validAnswers,
          [QUARTER_BLOCK.achieved]: "Shipped",
          [QUARTER_BLOCK.learned]: "Plenty",
        })
      ).errors,
    ).toBeUndefined();
    await h.settle();
    const again = await startReview(h);
    expect(initialOf(again, QUARTER_BLOCK.achieved)).toBe("Shipped");
    expect(JSON.stringify(again.blocks)).toContain("saving replaces revision 1");
    expect(
      (await h.sender.submitView(again.id, { [QUARTER_BLOCK.achieved]: "Shipped more" })).errors,
    ).toBeUndefined();
    await h.settle();
    const rows = await h.testDb.db.quarterlyReview.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ achieved: "Shipped more", revision: 2 });
    expect(posted(h)).toHaveLength(2);
    expect(JSON.stringify(posted(h)[1]?.blocks)).toContain("revision 2: replaces the earlier one");
  });

  it("opens next quarter's review with last quarter's stop list and the spot-check question", async () => {
    const q4 = await startReview(h);
    const stops =
      "Weekly status report — nobody reads it\n<!here> Friday deploys — two incidents came from them";
    expect(
      (
        await h.sender.submitView(q4.id, {
          ...validAnswers,
          [QUARTER_BLOCK.achieved]: "Shipped",
          [QUARTER_BLOCK.learned]: "Plenty",
          [QUARTER_BLOCK.stopItems]: stops,
        })
      ).errors,
    ).toBeUndefined();
    await h.settle();

    h.clock.set("2027-01-20T12:00:00Z");
    const q1 = await startReview(h);
    const blocks = JSON.stringify(q1.blocks);
    expect(blocks).toContain("2027 Q1");
    expect(blocks).toContain("Did it stay stopped? Weekly status report");
    expect(blocks).toContain("Did it stay stopped? <!here> Friday deploys"); // plain_text: never a mention
    expect(blocks).toContain("Name a behaviour we changed last quarter and the evidence");
    const noBehaviour = await h.sender.submitView(q1.id, {
      ...validAnswers,
      [QUARTER_BLOCK.achieved]: "More",
      [QUARTER_BLOCK.learned]: "More",
      [QUARTER_BLOCK.behaviour]: "   ",
      [quarterStayedBlock(0)]: "yes",
      [quarterStayedBlock(1)]: "no",
    });
    expect(noBehaviour.errors?.[QUARTER_BLOCK.behaviour]).toMatch(/behaviour/);
    expect(
      (
        await h.sender.submitView(q1.id, {
          ...validAnswers,
          [QUARTER_BLOCK.achieved]: "More",
          [QUARTER_BLOCK.learned]: "More",
          [quarterStayedBlock(0)]: "yes",
          [quarterStayedBlock(1)]: "no",
        })
      ).errors,
    ).toBeUndefined();
    await h.settle();
    const q1Row = await h.testDb.db.quarterlyReview.findFirstOrThrow({ where: { quarter: "2027-Q1" } });
    expect(JSON.parse(q1Row.stoppedCheck)).toEqual([
      { item: "Weekly status report", stayed: true },
      { item: "<!here> Friday deploys", stayed: false },
    ]);
    const json = JSON.stringify(posted(h).at(-1)?.blocks);
    expect(json).toContain("Weekly status report: stayed stopped");
    expect(json).toContain("&lt;!here&gt; Friday deploys: crept back");
    expect(json).not.toContain("<!here>");
  });
});
