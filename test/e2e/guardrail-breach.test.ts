import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, GUARDRAIL_ACTION, GUARDRAIL_BLOCK, guardrailReadingBlock } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const TITLE = "Guardrail breached, nobody decided";

describeDb("a breached guardrail asks whoever can say stop to decide (issue 11)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  /** A review that reads the error rate at 0.3% against its line of ≤ 0.1%; resolves with the DM. */
  async function breach() {
    const { mechanism } = await createMechanism(h);
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    const reminder = h.fake.messagesIn("C0TEAM").find((m) => m.text.startsWith("15-minute review due"));
    if (!reminder) throw new Error("no reminder posted");
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: reminder.ts },
      actionId: ACTION.openReview,
    });
    const view = await h.openedView();
    const res = await h.sender.submitView(
      view.id,
      {
        ...reviewAnswers({ decision: "continue", proxy: "85", outcome: "31" }),
        [guardrailReadingBlock(0)]: "0.3",
      },
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
    const dm = await eventually(async () =>
      h.fake.dmsTo("U0STOPPER").find((m) => m.text.includes("Guardrail breached")),
    );
    const reading = await h.testDb.db.guardrailReading.findFirstOrThrow();
    await h.settle();
    return { mechanism, dm, reading, ref: { channelId: dm.channel, ts: dm.ts } };
  }

  const openAlarms = () =>
    h.testDb.db.alarm.findMany({ where: { kind: "guardrail_breached", status: { not: "resolved" } } });

  it("DMs the stop owner: which mechanism, which guardrail, the reading against its line, two buttons", async () => {
    const { dm } = await breach();
    const blocks = JSON.stringify(dm.blocks);
    expect(blocks).toContain("First-run nudge");
    expect(blocks).toContain("Error rate on signup");
    expect(blocks).toContain("0.3% vs ≤ 0.1%");
    expect(blocks).toContain(GUARDRAIL_ACTION.stop);
    expect(blocks).toContain(GUARDRAIL_ACTION.keepGoing);
    // Nobody decided yet: an alarm says so in the team channel.
    expect(await openAlarms()).toHaveLength(1);
    expect(h.fake.messagesIn("C0TEAM").some((m) => m.text.includes(TITLE))).toBe(true);
  });

  it("Stop now stops the mechanism, logs the decision, redraws the DM; a second click changes nothing", async () => {
    const { mechanism, ref, reading } = await breach();
    // A double click (here: the stop owner and the owner at once): exactly one decision is recorded.
    await Promise.all([
      h.sender.clickButton({ userId: "U0STOPPER", message: ref, actionId: GUARDRAIL_ACTION.stop }),
      h.sender.clickButton({ userId: "U0OWNER", message: ref, actionId: GUARDRAIL_ACTION.stop }),
    ]);
    // A button's work runs after its ack: wait for the loser's answer and the winner's stop.
    await h.responses(1);
    await eventually(() =>
      h.testDb.db.mechanism.findFirst({ where: { id: mechanism.id, status: "stopped" } }),
    );
    await h.settle();
    const stopped = await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } });
    expect(stopped.status).toBe("stopped");
    const decisions = await h.testDb.db.decision.findMany({
      where: { mechanismId: mechanism.id, decision: "stop" },
    });
    expect(decisions).toHaveLength(1);
    const [decision] = decisions;
    const winner = decision?.decidedBy;
    expect(["U0STOPPER", "U0OWNER"]).toContain(winner);
    expect(decision).toMatchObject({ source: "command" });
    expect(decision?.entry).toBe("Stopped: guardrail Error rate on signup breached (0.3% vs ≤ 0.1%)");
    expect(await h.testDb.db.guardrailReading.findUniqueOrThrow({ where: { id: reading.id } })).toMatchObject(
      {
        decision: "stop",
        decidedBy: winner,
      },
    );
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain(`Already decided by <@${winner}>`);
    const redrawn = JSON.stringify(h.fake.message(ref.channelId, ref.ts)?.blocks);
    expect(redrawn).toContain("Stopped");
    expect(redrawn).not.toContain(GUARDRAIL_ACTION.stop);
    await eventually(async () => (await openAlarms()).length === 0);
  });

  it("Keep going needs a reason; with one it logs a continue and the alarm resolves", async () => {
    const { mechanism, ref, reading } = await breach();
    expect(await openAlarms()).toHaveLength(1);
    await h.sender.clickButton({ userId: "U0OWNER", message: ref, actionId: GUARDRAIL_ACTION.keepGoing });
    const view = await h.openedView();
    const empty = await h.sender.submitView(
      view.id,
      { [GUARDRAIL_BLOCK.reason]: "  " },
      { userId: "U0OWNER" },
    );
    expect(empty.errors?.[GUARDRAIL_BLOCK.reason]).toContain("Say why");
    expect(
      await h.testDb.db.decision.count({
        where: { mechanismId: mechanism.id, decidedBy: "U0OWNER", source: "command" },
      }),
    ).toBe(0);

    const res = await h.sender.submitView(
      view.id,
      { [GUARDRAIL_BLOCK.reason]: "One noisy hour from the <!channel> outage" },
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
    await h.settle();
    const decision = await h.testDb.db.decision.findFirstOrThrow({
      where: { mechanismId: mechanism.id, source: "command" },
    });
    expect(decision.decision).toBe("continue");
    expect(decision.entry).toContain("Kept going past a breached guardrail: Error rate on signup");
    expect(decision.entry).toContain("One noisy hour");
    expect((await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } })).status).toBe(
      "active",
    );
    expect(await h.testDb.db.guardrailReading.findUniqueOrThrow({ where: { id: reading.id } })).toMatchObject(
      {
        decision: "continue",
        decisionReason: "One noisy hour from the <!channel> outage",
        decidedBy: "U0OWNER",
      },
    );
    const redrawn = JSON.stringify(h.fake.message(ref.channelId, ref.ts)?.blocks);
    expect(redrawn).toContain("Kept going");
    expect(redrawn).toContain("&lt;!channel&gt;");
    expect(redrawn).not.toContain("<!channel>");
    await eventually(async () => (await openAlarms()).length === 0);
  });

  it("refuses someone who is neither the stop owner nor the owner, naming who can", async () => {
    const { mechanism, ref } = await breach();
    await h.sender.clickButton({ userId: "U0TESTER", message: ref, actionId: GUARDRAIL_ACTION.stop });
    await h.settle();
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("only <@U0STOPPER> or <@U0OWNER> can decide");
    expect((await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } })).status).toBe(
      "active",
    );
    expect(await openAlarms()).toHaveLength(1);
  });
});
