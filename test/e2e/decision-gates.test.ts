import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, REVIEW_BLOCK, readingBlock } from "../../src/slack/ids.js";
import { type Blocks, visibleText } from "../support/blocks.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * Issue 11: "continue when the gate fails" needs a reason and is logged as such (twice in a row is an
 * alarm), and a proven mechanism can graduate into the team's defaults instead of being killed.
 * The fixture's rule is "continue if proxy >= 80 and outcome change >= 3" (baseline 27).
 */
const blockText = (blocks: unknown) => visibleText((blocks ?? []) as Blocks);
const reminders = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("15-minute review due"));

describeDb("decisions against the gate, and graduation", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  /** Ticks to the review slot `at` and opens that review's modal from its reminder. */
  async function openReviewAt(at: string) {
    h.clock.set(at);
    await h.tick();
    const reminder = await eventually(async () => reminders(h).at(-1));
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: reminder.ts },
      actionId: ACTION.openReview,
    });
    return h.openedView();
  }

  const failing = { proxy: "41", outcome: "27" };

  it("asks for a reason to continue past a failing checkpoint, logs it, and alarms the second time", async () => {
    await createMechanism(h);
    const view = await openReviewAt("2026-11-24T10:00:30Z");

    // Typing a failing reading says so in the open modal, before anyone submits.
    await h.sender.blockAction({
      userId: "U0OWNER",
      viewId: view.id,
      actionId: readingBlock("proxy"),
      value: "41",
    });
    const redrawn = await h.fake.waitFor("views.update", undefined, 5000);
    expect(JSON.stringify(redrawn.args)).toContain("The gate fails on these readings");

    const bare = await h.sender.submitView(view.id, reviewAnswers({ decision: "continue", ...failing }));
    expect(bare.errors?.[REVIEW_BLOCK.gateReason]).toMatch(/checkpoint fails on these readings.*say why/);
    expect(await h.testDb.db.decision.count()).toBe(0);
    expect(await h.testDb.db.reading.count()).toBe(0);

    const reason = "<!channel> Holiday week: traffic was half, so the proxy can't be read yet.";
    const ok = await h.sender.submitView(view.id, {
      ...reviewAnswers({ decision: "continue", ...failing }),
      [REVIEW_BLOCK.gateReason]: reason,
    });
    expect(ok.errors).toBeUndefined();
    const decision = await h.testDb.db.decision.findFirstOrThrow();
    expect(decision).toMatchObject({ decision: "continue", checkpoint: "fail", gateReason: reason });
    const entry = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Decision:"),
      5000,
    );
    const entryText = blockText(entry.args.blocks);
    expect(entryText).toContain("Continued against its gate:");
    expect(entryText).toContain("Holiday week");
    expect(JSON.stringify(entry.args)).not.toContain("<!channel>");
    await h.settle();
    const alarmTitle = "Continued against its gate twice";
    const alarms = () => h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes(alarmTitle));
    expect(alarms()).toHaveLength(0);

    // The decision log shows the reason beside the decision.
    await h.sender.command("history first-run", { channelId: "C0TEAM" });
    expect(JSON.stringify(await h.responses(1))).toContain("Continued against its gate");

    // A week later, the same again: now the gate isn't deciding anything, and the channel hears it.
    const next = await openReviewAt("2026-12-01T10:00:30Z");
    const again = await h.sender.submitView(next.id, {
      ...reviewAnswers({ decision: "continue", ...failing }),
      [REVIEW_BLOCK.gateReason]: "Still waiting for the holiday dip to pass.",
    });
    expect(again.errors).toBeUndefined();
    await h.settle();
    const alarm = await eventually(async () => alarms()[0]);
    expect(blockText(alarm.blocks)).toMatch(/First-run nudge/);
    expect(blockText(alarm.blocks)).toMatch(/although the checkpoint failed both times/);
  }, 60_000);

  it("needs no reason when the checkpoint passes, and a change is never 'against the gate'", async () => {
    await createMechanism(h);
    const view = await openReviewAt("2026-11-24T10:00:30Z");
    const res = await h.sender.submitView(view.id, {
      ...reviewAnswers({ decision: "change", change: "Prompt at step N-1 instead", ...failing }),
      [REVIEW_BLOCK.gateReason]: "typed but not a continue",
    });
    expect(res.errors).toBeUndefined();
    const decision = await eventually(() => h.testDb.db.decision.findFirst());
    expect(decision).toMatchObject({ decision: "change", checkpoint: "fail", gateReason: "" });
  });

  it("graduates a proven mechanism into the team's defaults: no more reviews, shown as graduated, not killed", async () => {
    await createMechanism(h);
    const view = await openReviewAt("2026-11-24T10:00:30Z");
    const proven = {
      decision: "graduate" as const,
      proxy: "85",
      outcome: "31",
      entry: "Proven: make it the default.",
    };

    const noFloor = await h.sender.submitView(view.id, reviewAnswers(proven));
    expect(noFloor.errors?.[REVIEW_BLOCK.floor]).toMatch(/becomes the team's default/);
    expect(await h.testDb.db.decision.count()).toBe(0);

    const res = await h.sender.submitView(view.id, {
      ...reviewAnswers(proven),
      [REVIEW_BLOCK.floor]: "Every new signup sees the Action X prompt at step N.",
    });
    expect(res.errors).toBeUndefined();
    const m = await eventually(() => h.testDb.db.mechanism.findFirst({ where: { status: "graduated" } }));
    expect(m.nextReviewAt).toBeNull();
    expect(m.stoppedAt?.toISOString()).toBe("2026-11-24T10:00:30.000Z");
    const entry = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Decision:"),
      5000,
    );
    expect(blockText(entry.args.blocks)).toMatch(/🎓 \*Graduated\*.*Now a team default:\* Every new signup/s);
    await eventually(async () =>
      h.fake.callsTo("chat.update").some((c) => String(c.args.text).includes("(graduated)")),
    );

    // The list badges it; no review is ever due again; a decision on it is refused politely.
    await h.sender.command("list", { channelId: "C0TEAM" });
    expect(JSON.stringify(await h.responses(1))).toContain("🎓 Graduated");
    h.clock.set("2026-12-01T10:00:30Z");
    await h.tick();
    const posted = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).startsWith("15-minute review due"));
    expect(posted).toHaveLength(1);

    // The rollup counts it as graduated, never as killed.
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const preview = blockText(((await h.responses(2)) as { blocks?: unknown }[]).at(-1)?.blocks);
    expect(preview).toMatch(/Graduated this week.*First-run nudge.*now a team default: Every new signup/s);
    expect(preview).not.toMatch(/Killed this week/);
  }, 60_000);

  it("/ratchet log can graduate too, and refuses it without the new default", async () => {
    const { mechanism } = await createMechanism(h);
    await h.sender.command("log", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const base = {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "graduate",
      [REVIEW_BLOCK.entry]: "Proven over four weeks.",
    };
    const refused = await h.sender.submitView(view.id, base);
    expect(refused.errors?.[REVIEW_BLOCK.floor]).toBeTruthy();
    expect(await h.testDb.db.decision.count()).toBe(0);
    const res = await h.sender.submitView(view.id, { ...base, [REVIEW_BLOCK.floor]: "Prompt for everyone" });
    expect(res.errors).toBeUndefined();
    await eventually(() => h.testDb.db.mechanism.findFirst({ where: { status: "graduated" } }));
  });
});
