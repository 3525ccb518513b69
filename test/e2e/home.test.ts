import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredView } from "../../src/sandbox/fake-slack.js";
import {
  DEBRIEF_ACTION,
  DEBRIEF_VIEW,
  DEVIATION_VIEW,
  HOME_ACTION,
  HOME_BLOCK,
  homeListBlock,
  INCIDENT_VIEW,
  MECH_BLOCK,
  VIEW,
} from "../../src/slack/ids.js";
import { type Blocks, blockById, textOf, visibleText } from "../support/blocks.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// Monday 23 Nov 2026, 09:00 London (UTC in winter); the Checkout squad reviews Tuesdays 10:00.
const MONDAY = "2026-11-23T09:00:00Z";

const homeBlocks = (view: StoredView | undefined) => (view?.blocks ?? []) as Blocks;
const publishesFor = (h: Harness, user: string) =>
  h.fake.callsTo("views.publish").filter((c) => c.args.user_id === user).length;

/** The person opens the Home tab; Slack sends the view it shows them when Ratchet published one before. */
async function openHome(h: Harness, user: string, o: { slackLostIt?: boolean } = {}): Promise<StoredView> {
  const before = publishesFor(h, user);
  const row = async () => {
    const r = await h.testDb.db.homeView.findFirst({ where: { userId: user } });
    return r ? `${r.hash}@${r.lastPublishedAt.toISOString()}` : null;
  };
  const rowBefore = await row();
  // Slack sends no view when it has none of ours to show (first open, or after a reinstall).
  const shown = o.slackLostIt ? undefined : h.fake.homeViewFor(user);
  await h.sender.event({
    type: "app_home_opened",
    user,
    channel: "D0HOME",
    tab: "home",
    ...(shown ? { view: { id: shown.id, type: "home" } } : {}),
  });
  if (shown) await h.settle();
  else await eventually(async () => publishesFor(h, user) > before);
  // The HomeView row is written just after views.publish answers: wait for it, so the test's next
  // clock move can't land in between.
  if (publishesFor(h, user) > before) await eventually(async () => (await row()) !== rowBefore);
  const view = h.fake.homeViewFor(user);
  if (!view) throw new Error(`no Home published for ${user}`);
  return view;
}

async function clickHome(h: Harness, user: string, actionId: string, blockId?: string) {
  const view = h.fake.homeViewFor(user);
  if (!view) throw new Error("no Home to click on");
  await h.sender.blockAction({ userId: user, actionId, viewId: view.id, ...(blockId ? { blockId } : {}) });
}

async function seedIncident(h: Harness, teamId: string, findings: number, ownerId: string) {
  const at = new Date(MONDAY);
  const incident = await h.testDb.db.incident.create({
    data: {
      teamId,
      title: "Checkout 500s",
      severity: "sev2",
      impact: "Payments failed for 20 minutes",
      startedAt: at,
      detectedAt: at,
      reporterId: ownerId,
      reporterTz: "Europe/London",
      createdAt: at,
    },
  });
  await h.testDb.db.finding.createMany({
    data: Array.from({ length: findings }, (_, i) => ({
      id: `fnd${String(i).padStart(4, "0")}`,
      incidentId: incident.id,
      text: `Add an alert on payment errors #${i}`,
      createdAt: at,
    })),
  });
  await h.testDb.db.actionItem.createMany({
    data: Array.from({ length: findings }, (_, i) => ({
      findingId: `fnd${String(i).padStart(4, "0")}`,
      ownerId,
      // the first is overdue on Monday, the rest are due later
      dueDate: i === 0 ? "2026-11-20" : "2026-12-15",
      kind: "detect",
      createdAt: at,
    })),
  });
}

describeDb("the Home tab", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: MONDAY });
  });
  afterEach(async () => h?.close());

  it("tells someone without a team to run /ratchet setup, and offers no team buttons", async () => {
    const view = await openHome(h, "U0TESTER");
    expect(view.type).toBe("home");
    expect(textOf(blockById(homeBlocks(view), HOME_BLOCK.empty))).toContain("/ratchet setup");
    expect(JSON.stringify(view.blocks)).not.toContain(HOME_ACTION.newMechanism);
  });

  it("shows an empty team Home with what to do first in each list", async () => {
    await setupTeam(h);
    const blocks = homeBlocks(await openHome(h, "U0TESTER"));
    expect(textOf(blockById(blocks, homeListBlock("mechanisms", "paging")))).toContain("New mechanism");
    expect(textOf(blockById(blocks, homeListBlock("reviews", "paging")))).toContain("No review is waiting");
    expect(textOf(blockById(blocks, homeListBlock("alarms", "paging")))).toContain("No open alarms");
    expect(textOf(blockById(blocks, HOME_BLOCK.rollup))).toContain("none posted yet");
    expect(JSON.stringify(blockById(blocks, HOME_BLOCK.actions))).toContain("Report an incident");
  });

  it("shows every section: mechanisms, reviews, breaches, action items, alarms, debrief, rollup, admin", async () => {
    const team = await setupTeam(h);
    const { mechanism } = await createMechanism(h);
    // Tuesday 10:00: the review is claimed and its reminder posted.
    h.clock.set("2026-11-24T10:00:00Z");
    await h.tick();
    const guardrail = await h.testDb.db.guardrail.create({
      data: { mechanismId: mechanism.id, name: "Signup error rate", unit: "%", stopOwnerId: "U0STOPPER" },
    });
    const at = new Date("2026-11-24T10:05:00Z");
    await h.testDb.db.guardrailReading.create({
      data: { guardrailId: guardrail.id, value: 0.4, breached: true, recordedBy: "U0OWNER", recordedAt: at },
    });
    await seedIncident(h, team.id, 2, "U0OWNER");
    await h.testDb.db.alarm.create({
      data: {
        teamId: team.id,
        kind: "no_deviations",
        subjectKey: "team",
        cycleIndex: 0,
        evidence: "No deviation logged in 3 cycles",
        suggestion: "Log one",
        raisedAt: at,
      },
    });
    const round = await h.testDb.db.debriefRound.create({
      data: {
        teamId: team.id,
        promptAt: at,
        digestAt: new Date("2026-11-27T17:00:00Z"),
        localDate: "2026-11-24",
        messageChannelId: "C0TEAM",
        messageTs: h.fake.addUserMessage({ channel: "C0TEAM", user: "U0TESTER", text: "How was your week?" }),
        createdAt: at,
      },
    });
    const rollupTs = h.fake.addUserMessage({ channel: "C0TEAM", user: "U0TESTER", text: "Weekly rollup" });
    await h.testDb.db.delivery.create({
      data: {
        key: "rollup:test",
        teamId: team.id,
        kind: "rollup",
        ref: JSON.stringify({
          teamId: team.id,
          week: "2026-W47",
          from: "2026-11-16T09:00:00.000Z",
          to: "2026-11-23T09:00:00.000Z",
        }),
        target: "C0TEAM",
        status: "sent",
        notBefore: at,
        channel: "C0TEAM",
        ts: rollupTs,
        createdAt: at,
        updatedAt: at,
      },
    });

    h.clock.set("2026-11-24T10:10:00Z");
    const owner = homeBlocks(await openHome(h, "U0OWNER"));
    const ownerText = visibleText(owner);
    expect(textOf(blockById(owner, homeListBlock("mechanisms", 0)))).toContain("First-run nudge");
    expect(textOf(blockById(owner, homeListBlock("mechanisms", 0)))).toMatch(/Next review: Tue 1 Dec, 10:00/);
    expect(textOf(blockById(owner, homeListBlock("reviews", 0)))).toContain("due Tue 24 Nov, 10:00");
    expect(textOf(blockById(owner, homeListBlock("breaches", 0)))).toContain("Signup error rate");
    expect(textOf(blockById(owner, homeListBlock("actionItems", 0)))).toContain("Overdue");
    expect(textOf(blockById(owner, homeListBlock("actionItems", 1)))).not.toContain("Overdue");
    expect(textOf(blockById(owner, homeListBlock("alarms", 0)))).toContain("No deviation logged");
    expect(textOf(blockById(owner, HOME_BLOCK.debrief))).toContain("you haven't shared your week yet");
    expect(JSON.stringify(blockById(owner, HOME_BLOCK.rollup))).toMatch(
      /<https:\/\/[^|]+\/archives\/C0TEAM\/p\d+\|Open it>/,
    );
    expect(textOf(blockById(owner, HOME_BLOCK.rollup))).toContain("2026-W47");
    // Not an admin: no team section.
    expect(ownerText).not.toContain("Team admin");
    expect(JSON.stringify(owner)).not.toContain(HOME_BLOCK.admin);

    // Share my week reuses the debrief's own button and modal.
    await clickHome(h, "U0OWNER", DEBRIEF_ACTION.share);
    const modal = await h.openedView();
    expect(modal.callback_id).toBe(DEBRIEF_VIEW.answer);
    expect(JSON.stringify(owner)).toContain(round.id);

    // The team's creator is its admin: who hasn't shared, and mechanisms continued against their gate.
    await h.testDb.db.decision.create({
      data: {
        mechanismId: mechanism.id,
        decision: "continue",
        entry: "Keep going",
        checkpoint: "fail",
        gateReason: "Holiday traffic skews the proxy",
        source: "command",
        decidedBy: "U0OWNER",
        decidedAt: at,
      },
    });
    const admin = visibleText(homeBlocks(await openHome(h, "U0TESTER")));
    expect(admin).toContain("Team admin: needs a look");
    expect(admin).toContain("is past its gate");
    expect(admin).toContain("Holiday traffic skews the proxy");
    expect(admin).toMatch(/<@U0OWNER> hasn't shared this week's debrief/);
  });

  it("stays under 100 blocks for the largest team, and pages a list with Show more", async () => {
    const team = await setupTeam(h);
    const at = new Date(MONDAY);
    // The benchmark's largest: one person owning 1,000 mechanisms and 500 action items.
    await h.testDb.db.mechanism.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        teamId: team.id,
        title: `Mechanism ${String(i).padStart(4, "0")}`,
        aim: "Raise activation",
        aimForWhom: "new signups",
        aimFrom: 27,
        aimTo: 35,
        aimBy: "2027-06-30",
        statement: "We believe X because Y",
        checkpointRule: "continue if proxy >= 80",
        guardrail: "Error rate ≤ 0.1%",
        rollbackPath: "Flag off",
        ownerId: "U0OWNER",
        cadenceWeeks: 1,
        nextReviewAt: new Date(at.getTime() + (i + 1) * 60_000),
        createdBy: "U0OWNER",
        createdAt: at,
      })),
    });
    await seedIncident(h, team.id, 500, "U0OWNER");
    await h.testDb.db.alarm.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        teamId: team.id,
        kind: "stale_pilot",
        subjectKey: `m${i}`,
        cycleIndex: 0,
        evidence: `Stale ${i}`,
        suggestion: "Decide",
        raisedAt: at,
      })),
    });

    const view = await openHome(h, "U0OWNER");
    const blocks = homeBlocks(view);
    // views.publish went through the fake's Block Kit checks (100 blocks for a Home) …
    expect(blocks.length).toBeLessThanOrEqual(100);
    expect(textOf(blockById(blocks, homeListBlock("mechanisms", "title")))).toContain("(1000)");
    expect(textOf(blockById(blocks, homeListBlock("actionItems", "title")))).toContain("(500)");
    expect(textOf(blockById(blocks, homeListBlock("mechanisms", "paging")))).toContain("Showing 1–8 of 1000");
    expect(visibleText(blocks)).toContain("Mechanism 0000");
    expect(visibleText(blocks)).not.toContain("Mechanism 0008");

    await clickHome(h, "U0OWNER", HOME_ACTION.page);
    const paged = await eventually(async () => {
      const b = homeBlocks(h.fake.homeViewFor("U0OWNER"));
      return visibleText(b).includes("Mechanism 0008") ? b : null;
    });
    expect(paged.length).toBeLessThanOrEqual(100);
    expect(textOf(blockById(paged, homeListBlock("mechanisms", "paging")))).toContain("Showing 9–16 of 1000");
    expect(visibleText(paged)).not.toContain("Mechanism 0000");
    // The other lists keep their first page, and the paging survives a re-open.
    expect(textOf(blockById(paged, homeListBlock("actionItems", "paging")))).toContain("Showing 1–8 of 500");
    h.clock.set("2026-11-23T09:01:00Z");
    expect(visibleText(homeBlocks(await openHome(h, "U0OWNER", { slackLostIt: true })))).toContain(
      "Mechanism 0008",
    );

    // A forged paging value changes nothing.
    const before = publishesFor(h, "U0OWNER");
    await h.sender.blockAction({
      userId: "U0OWNER",
      actionId: HOME_ACTION.page,
      viewId: h.fake.homeViewFor("U0OWNER")?.id ?? "",
      value: JSON.stringify({ list: "everything", offset: -1 }),
    });
    await h.settle();
    expect(publishesFor(h, "U0OWNER")).toBe(before);
  }, 60_000);

  it("re-publishes the person's Home after their own submission, and skips unchanged content", async () => {
    await setupTeam(h);
    await openHome(h, "U0OWNER");
    const opened = publishesFor(h, "U0OWNER");
    // Opening again with nothing changed publishes nothing.
    await openHome(h, "U0OWNER");
    expect(publishesFor(h, "U0OWNER")).toBe(opened);

    await h.sender.command("new", { channelId: "C0TEAM", userId: "U0OWNER" });
    const form = await h.openedView();
    const res = await h.sender.submitView(form.id, goodMechanism, { userId: "U0OWNER" });
    expect(res.errors).toBeUndefined();
    // The re-publish runs after the ack, with the modal's other after-ack work.
    await h.settle();
    const home = homeBlocks(h.fake.homeViewFor("U0OWNER"));
    expect(visibleText(home)).toContain("First-run nudge");
    expect(textOf(blockById(home, homeListBlock("mechanisms", "title")))).toContain("(1)");
    // Someone who never opened their Home gets none published by their actions.
    expect(publishesFor(h, "U0STOPPER")).toBe(0);
  });

  it("re-publishes, throttled, after a scheduled reminder that concerns the person", async () => {
    await setupTeam(h);
    await createMechanism(h);
    // Opened two minutes before the review slot.
    h.clock.set("2026-11-24T09:58:00Z");
    await h.tick();
    await openHome(h, "U0OWNER");
    const opened = publishesFor(h, "U0OWNER");
    expect(visibleText(homeBlocks(h.fake.homeViewFor("U0OWNER")))).toContain("*Reviews waiting for me* (0)");

    // 10:00: the reminder goes out; the Home was published 2 minutes ago, so it waits.
    h.clock.set("2026-11-24T10:00:00Z");
    await h.tick();
    expect(publishesFor(h, "U0OWNER")).toBe(opened);
    h.clock.set("2026-11-24T10:02:00Z");
    await h.tick();
    expect(publishesFor(h, "U0OWNER")).toBe(opened);

    // 10:03, five minutes after the last publish: once, with the waiting review.
    h.clock.set("2026-11-24T10:03:00Z");
    await h.tick();
    expect(publishesFor(h, "U0OWNER")).toBe(opened + 1);
    expect(visibleText(homeBlocks(h.fake.homeViewFor("U0OWNER")))).toContain("*Reviews waiting for me* (1)");
    h.clock.set("2026-11-24T10:09:00Z");
    await h.tick();
    expect(publishesFor(h, "U0OWNER")).toBe(opened + 1);
  });

  it("escapes typed text: a <!channel> in a mechanism title never broadcasts", async () => {
    await setupTeam(h);
    await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.title]: "<!channel> launch <@U0TESTER>" });
    const view = await openHome(h, "U0OWNER");
    const json = JSON.stringify(view.blocks);
    expect(json).toContain("&lt;!channel&gt; launch &lt;@U0TESTER&gt;");
    expect(json).not.toContain("<!channel>");
  });

  describe("its buttons open the same modals as the slash commands", () => {
    it.each([
      [HOME_ACTION.newMechanism, VIEW.mechanism],
      [HOME_ACTION.deviate, DEVIATION_VIEW.log],
      [HOME_ACTION.incident, INCIDENT_VIEW.intake],
      [HOME_ACTION.settings, VIEW.settings],
      [HOME_ACTION.logDecision, VIEW.logDecision],
    ])("%s opens %s", async (actionId, callbackId) => {
      await setupTeam(h);
      if (actionId === HOME_ACTION.logDecision) await createMechanism(h);
      await openHome(h, "U0TESTER");
      await clickHome(h, "U0TESTER", actionId);
      expect((await h.openedView()).callback_id).toBe(callbackId);
    });
  });
});
