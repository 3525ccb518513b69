import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, MECH_BLOCK, signalBlock, VIEW } from "../../src/slack/ids.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

describeDb("mechanism one-pager", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  it("publishes the one-pager to the team channel and schedules the first review at the team's local time", async () => {
    const { mechanism, post } = await createMechanism(h);
    expect(post.args.channel).toBe("C0TEAM");
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("First-run nudge");
    expect(blocks).toContain("because it removes confusion");
    expect(blocks).toContain("Definition of Done complete");
    expect(mechanism.messageTs).toBeTruthy();
    // Created Mon 23 Nov 09:00Z; the team reviews Tuesdays 10:00 London time.
    expect(mechanism.nextReviewAt?.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    const signals = await h.testDb.db.signal.findMany({ where: { mechanismId: mechanism.id } });
    expect(signals.map((s) => s.kind).sort()).toEqual(["outcome", "proxy"]);
  });

  it("never calls a placeholder rollback path done: the one-pager lists it missing, as the alarm would", async () => {
    const { post } = await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.rollbackPath]: "TBD" });
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).not.toContain("Definition of Done complete");
    expect(blocks).toMatch(/Definition of Done — still missing: Rollback/);
  });

  it("refuses a task dressed as a mechanism and an outcome that cannot move — inline, writing nothing", async () => {
    await h.sender.command("new", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      ...goodMechanism,
      [MECH_BLOCK.statement]: "Send more lifecycle emails",
      [signalBlock("outcome", "target")]: "27",
    });
    expect(res.errors?.[MECH_BLOCK.statement]).toMatch(/because/i);
    expect(res.errors?.[signalBlock("outcome", "target")]).toBeTruthy();
    expect(await h.testDb.db.mechanism.count()).toBe(0);
    expect(h.fake.viewStack(view.id)).toHaveLength(1);
  });

  it("refuses an aim without a measurable change or a horizon in the future", async () => {
    await h.sender.command("new", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      ...goodMechanism,
      [MECH_BLOCK.aimTo]: "27",
      [MECH_BLOCK.aimBy]: "2026-01-01",
      [MECH_BLOCK.checkpointRule]: "when it feels right",
    });
    expect(Object.keys(res.errors ?? {}).sort()).toEqual(
      [MECH_BLOCK.aimBy, MECH_BLOCK.aimTo, MECH_BLOCK.checkpointRule].sort(),
    );
    expect(await h.testDb.db.mechanism.count()).toBe(0);
  });

  it("edits the one-pager in place with chat.update and keeps the signals' history", async () => {
    const { mechanism, post } = await createMechanism(h);
    const ts = String((post.response as { ts: string }).ts);
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts },
      actionId: ACTION.editMechanism,
    });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.mechanism);
    const res = await h.sender.submitView(view.id, { [MECH_BLOCK.title]: "First-run nudge v2" });
    expect(res.errors).toBeUndefined();
    const update = await h.fake.waitFor("chat.update");
    expect(update.args.ts).toBe(ts);
    expect(JSON.stringify(update.args.blocks)).toContain("First-run nudge v2");
    expect(h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Mechanism:"))).toHaveLength(1);
    const after = await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } });
    expect(after.title).toBe("First-run nudge v2");
  });

  it("lists the team's mechanisms with their next review in local time", async () => {
    await createMechanism(h);
    await h.sender.command("list", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    const text = JSON.stringify(answer);
    expect(text).toContain("First-run nudge");
    expect(text).toContain("Tue 24 Nov, 10:00 (Europe/London)");
  });

  it("has a helpful empty state", async () => {
    await h.sender.command("list", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("No mechanisms yet");
  });
});
