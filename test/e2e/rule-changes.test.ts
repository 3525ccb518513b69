import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, MECH_BLOCK, REVIEW_BLOCK, signalBlock, VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * Issue 11, "set the rules before you start": once a mechanism has been reviewed, changing its aim,
 * baselines, targets, signals or checkpoint rule asks why, and the decision log keeps it.
 */
describeDb("changing a reviewed mechanism's rules", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  async function openEdit(ts: string) {
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts },
      actionId: ACTION.editMechanism,
    });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.mechanism);
    return view;
  }

  async function logContinue(mechanismId: string) {
    await h.sender.command("log", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      [REVIEW_BLOCK.mechanism]: mechanismId,
      [REVIEW_BLOCK.decision]: "continue",
      [REVIEW_BLOCK.entry]: "Keep going.",
    });
    expect(res.errors).toBeUndefined();
    await h.settle();
  }

  const stricter = { [MECH_BLOCK.checkpointRule]: "continue if proxy >= 90 and outcome change >= 4" };

  it("asks why once it has been reviewed, logs 'Rule changed: … because …', and changes nothing without a reason", async () => {
    const { mechanism, post } = await createMechanism(h);
    const ts = (post.response as { ts: string }).ts;
    await logContinue(mechanism.id);

    const view = await openEdit(ts);
    const refused = await h.sender.submitView(view.id, stricter);
    expect(refused.errors?.[MECH_BLOCK.ruleChangeReason]).toMatch(/reviewed.*Say why they change/);
    const unchanged = await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } });
    expect(unchanged.checkpointRule).toBe("continue if proxy >= 80 and outcome change >= 3");
    expect(await h.testDb.db.decision.count()).toBe(1);

    h.clock.set("2026-11-25T14:00:00Z");
    const ok = await h.sender.submitView(
      view.id,
      {
        ...stricter,
        [signalBlock("outcome", "target")]: "36",
        [MECH_BLOCK.ruleChangeReason]: "<!channel> Segment S converts faster than we thought",
      },
      { userId: "U0OWNER" },
    );
    expect(ok.errors).toBeUndefined();
    const edit = await eventually(() => h.testDb.db.decision.findFirst({ where: { source: "edit" } }));
    expect(edit).toMatchObject({ decision: "change", decidedBy: "U0OWNER" });
    expect(edit.decidedAt.toISOString()).toBe("2026-11-25T14:00:00.000Z");
    expect(edit.entry).toBe(
      "Rule changed: Signal “14-day activation” target: 35% → 36%; Checkpoint rule: “continue if proxy >= 80 and outcome change >= 3” → “continue if proxy >= 90 and outcome change >= 4” because <!channel> Segment S converts faster than we thought",
    );

    // The decision log shows it beside the decisions, and never as a broadcast.
    await h.sender.command("history first-run", { channelId: "C0TEAM" });
    const history = JSON.stringify(await h.responses(1));
    expect(history).toContain("Rule changed");
    expect(history).toContain("Segment S converts faster");
    expect(history).not.toContain("<!channel>");
    const onePager = await eventually(async () =>
      h.fake.callsTo("chat.update").find((c) => JSON.stringify(c.args.blocks).includes("Rule changed")),
    );
    expect(JSON.stringify(onePager.args)).not.toContain("<!channel>");
  });

  it("needs no reason before the first review, nor for edits that leave the rules alone", async () => {
    const { mechanism, post } = await createMechanism(h);
    const ts = (post.response as { ts: string }).ts;
    const before = await h.sender.submitView((await openEdit(ts)).id, stricter);
    expect(before.errors).toBeUndefined();
    await h.settle();
    await logContinue(mechanism.id);
    const rename = await h.sender.submitView((await openEdit(ts)).id, {
      [MECH_BLOCK.title]: "First-run nudge v2",
    });
    expect(rename.errors).toBeUndefined();
    await eventually(async () =>
      (await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } })).title ===
      "First-run nudge v2"
        ? true
        : undefined,
    );
    expect(await h.testDb.db.decision.count({ where: { source: "edit" } })).toBe(0);
  });
});
