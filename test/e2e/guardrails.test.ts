import { afterEach, beforeEach, expect, it } from "vitest";
import {
  ACTION,
  ADD_GUARDRAIL_ACTION,
  guardrailBlock,
  guardrailReadingBlock,
  MECH_BLOCK,
  REVIEW_BLOCK,
} from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

describeDb("guardrails state a line someone can see crossed (issue 11)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  /** /ratchet new with "Add another guardrail" clicked: the one-pager plus an outreach cap `stopOwner` can stop. */
  async function newWithOutreachCap(stopOwner: string) {
    await h.sender.command("new", { channelId: "C0TEAM" });
    const view = await h.openedView();
    await h.sender.blockAction({ userId: "U0OWNER", viewId: view.id, actionId: ADD_GUARDRAIL_ACTION });
    await h.fake.waitFor("views.update", undefined, 5000);
    const res = await h.sender.submitView(
      view.id,
      {
        ...goodMechanism,
        [guardrailBlock(1, "text")]: "Outreach cap ≤ 1 email per user per week",
        [guardrailBlock(1, "stopOwner")]: stopOwner,
      },
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
  }

  it("flags a guardrail written as prose on the one-pager: no threshold, add one", async () => {
    const { post } = await createMechanism(h, {
      ...goodMechanism,
      [MECH_BLOCK.guardrail]: "Documented rollback plan before launch",
    });
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Documented rollback plan before launch");
    expect(blocks).toContain("no threshold — add one");
  });

  it("stores the guardrail with its line and stop owner, and does not flag it (error rate ≤ 0.1%)", async () => {
    const { mechanism, post } = await createMechanism(h);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Error rate on signup ≤ 0.1% · stop: <@U0STOPPER>");
    expect(blocks).not.toContain("no threshold");
    const guardrails = await h.testDb.db.guardrail.findMany({ where: { mechanismId: mechanism.id } });
    expect(guardrails).toMatchObject([
      { name: "Error rate on signup", comparison: "<=", threshold: 0.1, unit: "%", stopOwnerId: "U0STOPPER" },
    ]);
  });

  it("a guardrail migrated from text has no threshold and its one-pager says so until one is added", async () => {
    const { mechanism, post } = await createMechanism(h);
    // As the migration leaves an existing mechanism's guardrail: its text, no threshold.
    await h.testDb.db.guardrail.updateMany({
      where: { mechanismId: mechanism.id },
      data: { name: "Error rate ≤ 0.1% on signup", comparison: "", threshold: null, unit: "" },
    });
    // A decision logged with /ratchet log publishes the one-pager again, as it is stored.
    await h.sender.command("log", { channelId: "C0TEAM" });
    const log = await h.openedView();
    await h.sender.submitView(log.id, {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "change",
      [REVIEW_BLOCK.changeDetail]: "Smaller cohort",
      [REVIEW_BLOCK.entry]: "Change: smaller cohort.",
    });
    const flagged = await h.fake.waitFor(
      "chat.update",
      (a) => JSON.stringify(a.blocks).includes("no threshold"),
      5000,
    );
    expect(JSON.stringify(flagged.args.blocks)).toContain(
      "Error rate ≤ 0.1% on signup ⚠️ _no threshold — add one",
    );
    const ts = String((post.response as { ts: string }).ts);
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts },
      actionId: ACTION.editMechanism,
    });
    const form = await h.openedView();
    // Any edit publishes the one-pager again: here only the title changes.
    await h.sender.submitView(form.id, { [MECH_BLOCK.title]: "First-run nudge v2" }, { userId: "U0OWNER" });
    const update = await h.fake.waitFor("chat.update", (a) => JSON.stringify(a.blocks).includes("v2"), 5000);
    // The edit saves the modal's guardrail text again, so its line is read and the flag goes.
    expect(JSON.stringify(update.args.blocks)).toContain("Error rate on signup ≤ 0.1%");
    expect(JSON.stringify(update.args.blocks)).not.toContain("no threshold");
    expect(await h.testDb.db.guardrail.count({ where: { mechanismId: mechanism.id } })).toBe(1);
  });

  async function openReview() {
    h.clock.set("2026-11-24T10:00:30Z");
    await h.tick();
    const reminder = h.fake.messagesIn("C0TEAM").find((m) => m.text.startsWith("15-minute review due"));
    if (!reminder) throw new Error("no reminder posted");
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: reminder.ts },
      actionId: ACTION.openReview,
    });
    return h.openedView();
  }

  it("asks a reading of each guardrail at the review, records a breach, and shows it in red on the one-pager", async () => {
    const { mechanism } = await createMechanism(h);
    const view = await openReview();
    const ids = (view.blocks ?? []).map((b) => (b as { block_id?: string }).block_id);
    expect(ids).toContain(guardrailReadingBlock(0));
    // A refused review (a change without what changes) records no guardrail reading either.
    const bad = await h.sender.submitView(
      view.id,
      {
        ...reviewAnswers({ decision: "change", proxy: "85", outcome: "31" }),
        [guardrailReadingBlock(0)]: "0.3",
      },
      { userId: "U0OWNER" },
    );
    expect(bad.errors?.[REVIEW_BLOCK.changeDetail]).toBeTruthy();
    expect(await h.testDb.db.guardrailReading.count()).toBe(0);
    expect(await h.testDb.db.decision.count()).toBe(0);

    const res = await h.sender.submitView(
      view.id,
      {
        ...reviewAnswers({ decision: "continue", proxy: "85", outcome: "31" }),
        [guardrailReadingBlock(0)]: "0.3",
      },
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
    const reading = await eventually(() => h.testDb.db.guardrailReading.findFirst());
    expect(reading).toMatchObject({ value: 0.3, breached: true, recordedBy: "U0OWNER" });
    const guardrail = await h.testDb.db.guardrail.findFirstOrThrow({ where: { mechanismId: mechanism.id } });
    expect(reading.guardrailId).toBe(guardrail.id);
    const onePager = await h.fake.waitFor(
      "chat.update",
      (a) => JSON.stringify(a.blocks).includes("Breached"),
      5000,
    );
    expect(JSON.stringify(onePager.args.blocks)).toContain(
      "Error rate on signup ≤ 0.1% · 🔴 *Breached*: 0.3%",
    );
  });

  it("shows a guardrail without a threshold in the review, with no reading to take", async () => {
    await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.guardrail]: "Documented rollback plan" });
    const view = await openReview();
    const ids = (view.blocks ?? []).map((b) => (b as { block_id?: string }).block_id);
    expect(ids).not.toContain(guardrailReadingBlock(0));
    expect(JSON.stringify(view.blocks)).toContain("Documented rollback plan: no threshold — add one");
  });

  it("alarms when a second guardrail's own stop owner is deactivated, though the mechanism's can say stop", async () => {
    h.fake.addUser({ id: "U0GONE", name: "Gone Person", deleted: true });
    await newWithOutreachCap("U0GONE");
    await h.settle();
    const alarm = await h.fake.waitFor(
      "chat.postMessage",
      (a) => JSON.stringify(a.blocks ?? "").includes("is deactivated"),
      5000,
    );
    const text = JSON.stringify(alarm.args.blocks);
    expect(text).toContain("Outreach cap");
    expect(text).toContain("stop owner <@U0GONE> is deactivated");
    expect(text).not.toContain("U0STOPPER> is deactivated");
  });

  it("takes several guardrails, each with its own stop owner, added in the modal", async () => {
    await newWithOutreachCap("U0COMMS");
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Mechanism:"),
      5000,
    );
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("*Guardrails:*");
    expect(blocks).toContain("Outreach cap per user per week ≤ 1 email · stop: <@U0COMMS>");
    const rows = await h.testDb.db.guardrail.findMany({ orderBy: { position: "asc" } });
    expect(rows.map((g) => [g.name, g.threshold, g.stopOwnerId])).toEqual([
      ["Error rate on signup", 0.1, "U0STOPPER"],
      ["Outreach cap per user per week", 1, "U0COMMS"],
    ]);
  });

  it("refuses a guardrail line it can't read (a comparison without a number), inline, writing nothing", async () => {
    await h.sender.command("new", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      ...goodMechanism,
      [MECH_BLOCK.guardrail]: "Error rate ≤ lots",
    });
    expect(res.errors?.[MECH_BLOCK.guardrail]).toBe(
      "Write the line as a name, a comparison and a number, e.g. “error rate ≤ 0.1%”.",
    );
    expect(await h.testDb.db.mechanism.count()).toBe(0);
    expect(await h.testDb.db.guardrail.count()).toBe(0);
  });
});
