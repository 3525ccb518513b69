import { afterEach, beforeEach, expect, it } from "vitest";
import {
  ACTION,
  addSignalAction,
  MECH_BLOCK,
  REVIEW_BLOCK,
  readingBlock,
  signalBlock,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/** The SRE scene: p95 and timeouts are both outcome-type signals, and the rule names them. */
const sre: Record<string, Answer> = {
  ...goodMechanism,
  [MECH_BLOCK.title]: "Quote cache",
  [signalBlock("proxy", "name")]: "cache hit rate",
  [signalBlock("proxy", "baseline")]: "10",
  [signalBlock("proxy", "target")]: "60",
  [signalBlock("outcome", "name")]: "p95",
  [signalBlock("outcome", "baseline")]: "450",
  [signalBlock("outcome", "target")]: "250",
  [signalBlock("outcome", "unit")]: "ms",
  [signalBlock("outcome", "name", 1)]: "timeouts",
  [signalBlock("outcome", "baseline", 1)]: "1.8",
  [signalBlock("outcome", "target", 1)]: "0.6",
  [signalBlock("outcome", "unit", 1)]: "%",
  [MECH_BLOCK.checkpointRule]: "Continue if p95 −25% AND timeouts −50%; else change/stop (15‑minute review).",
};

describeDb("several signals per role, named in the checkpoint rule (issue 11)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  const blockIds = (viewId: string) =>
    (h.fake.viewById(viewId)?.blocks ?? []).map((b) => (b as { block_id?: string }).block_id);

  /** Opens /ratchet new and clicks "Add another outcome signal" once. */
  async function openWithTwoOutcomes() {
    await h.sender.command("new", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(blockIds(view.id)).not.toContain(signalBlock("outcome", "name", 1));
    await h.sender.blockAction({ userId: "U0OWNER", viewId: view.id, actionId: addSignalAction("outcome") });
    await h.fake.waitFor("views.update", undefined, 5000);
    expect(blockIds(view.id)).toContain(signalBlock("outcome", "name", 1));
    return view;
  }

  async function createSre() {
    const view = await openWithTwoOutcomes();
    const res = await h.sender.submitView(view.id, sre, { userId: "U0OWNER" });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Mechanism:"),
      5000,
    );
    const mechanism = await eventually(() =>
      h.testDb.db.mechanism.findFirst({ where: { messageTs: { not: null } }, include: { signals: true } }),
    );
    return { mechanism, post };
  }

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

  it("saves two outcome signals added in the modal and shows both on the one-pager", async () => {
    const { mechanism, post } = await createSre();
    expect(mechanism.signals.map((s) => [s.kind, s.name, s.position]).sort()).toEqual([
      ["outcome", "p95", 0],
      ["outcome", "timeouts", 1],
      ["proxy", "cache hit rate", 0],
    ]);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("p95");
    expect(blocks).toContain("timeouts");
    expect(blocks).toContain("Definition of Done complete");
  });

  it("asks a reading of each signal at the review and evaluates the seeds' rule by their names", async () => {
    const { mechanism } = await createSre();
    const view = await openReview();
    expect(blockIds(view.id)).toEqual(
      expect.arrayContaining([readingBlock("proxy"), readingBlock("outcome"), readingBlock("outcome", 1)]),
    );
    await h.sender.blockAction({
      userId: "U0OWNER",
      viewId: view.id,
      actionId: readingBlock("outcome", 1),
      value: "0.9",
    });
    const live = await h.fake.waitFor("views.update", (a) => JSON.stringify(a).includes("Checkpoint"), 5000);
    // The live redraw reads the rule against the signals by name (the typed timeouts, when the fake
    // carries the typed value in the view's state).
    expect(JSON.stringify(live.args)).toMatch(
      /\? p95: no reading\\n(\? timeouts: no reading|✓ timeouts change -50% ≤ -50%)/,
    );
    const res = await h.sender.submitView(
      view.id,
      {
        [REVIEW_BLOCK.whatChanged]: "Read-through cache on /price/quote",
        [REVIEW_BLOCK.whatDidnt]: "Queue depth",
        [REVIEW_BLOCK.why]: "Hot inputs precomputed",
        [readingBlock("proxy")]: "55",
        [readingBlock("outcome")]: "330",
        [readingBlock("outcome", 1)]: "0.9",
        [REVIEW_BLOCK.decision]: "continue",
        [REVIEW_BLOCK.entry]: "p95 −27%, timeouts halved. Widen to 20%.",
      },
      { userId: "U0OWNER" },
    );
    expect(res.errors).toBeUndefined();
    const decision = await eventually(() => h.testDb.db.decision.findFirst());
    expect(decision.checkpoint).toBe("pass");
    const entry = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Decision:"),
      5000,
    );
    expect(JSON.stringify(entry.args.blocks)).toContain(
      "✓ timeouts change -50% ≤ -50% (baseline 1.8% → 0.9%)",
    );
    const byName = Object.fromEntries(mechanism.signals.map((s) => [s.id, s.name]));
    const readings = await h.testDb.db.reading.findMany();
    expect(readings.map((r) => [byName[r.signalId], r.value]).sort()).toEqual([
      ["cache hit rate", 55],
      ["p95", 330],
      ["timeouts", 0.9],
    ]);
  });

  it("refuses a rule naming a role that has two signals, asking for the name, and writes nothing", async () => {
    const view = await openWithTwoOutcomes();
    const res = await h.sender.submitView(view.id, {
      ...sre,
      [MECH_BLOCK.checkpointRule]: "continue if outcome change <= -25%",
    });
    expect(res.errors?.[MECH_BLOCK.checkpointRule]).toContain(
      "There are 2 outcome signals: name the one you mean (“p95”, “timeouts”)",
    );
    expect(await h.testDb.db.mechanism.count()).toBe(0);
  });

  it("refuses two signals with one name (case aside) and a rule it can't read, inline", async () => {
    const view = await openWithTwoOutcomes();
    const res = await h.sender.submitView(view.id, {
      ...sre,
      [signalBlock("outcome", "name", 1)]: "P95",
      [MECH_BLOCK.checkpointRule]: "continue if p95 drops a lot",
    });
    expect(res.errors?.[signalBlock("outcome", "name", 1)]).toBe(
      "Another signal is already called “P95”: give each its own name.",
    );
    expect(res.errors?.[MECH_BLOCK.checkpointRule]).toBeTruthy();
    const unknown = await h.sender.submitView(view.id, {
      ...sre,
      [MECH_BLOCK.checkpointRule]: "continue if latency <= 300",
    });
    expect(unknown.errors?.[MECH_BLOCK.checkpointRule]).toContain(
      "“latency” isn't one of this mechanism's signals",
    );
    expect(await h.testDb.db.mechanism.count()).toBe(0);
    expect(await h.testDb.db.signal.count()).toBe(0);
  });

  it("keeps a removed signal's readings (archived), and brings them back when the signal is named again", async () => {
    const { mechanism, post } = await createSre();
    const view = await openReview();
    await h.sender.submitView(
      view.id,
      {
        [REVIEW_BLOCK.whatChanged]: "Cache on",
        [REVIEW_BLOCK.whatDidnt]: "-",
        [REVIEW_BLOCK.why]: "Hot inputs",
        [readingBlock("outcome")]: "400",
        [readingBlock("outcome", 1)]: "1.5",
        [REVIEW_BLOCK.decision]: "change",
        [REVIEW_BLOCK.changeDetail]: "Drop the timeouts signal",
        [REVIEW_BLOCK.entry]: "Change: track p95 only.",
      },
      { userId: "U0OWNER" },
    );
    await eventually(() => h.testDb.db.decision.findFirst());
    const timeouts = mechanism.signals.find((s) => s.name === "timeouts");

    const edit = async (answers: Record<string, Answer>) => {
      const ts = String((post.response as { ts: string }).ts);
      await h.sender.clickButton({
        userId: "U0OWNER",
        message: { channelId: "C0TEAM", ts },
        actionId: ACTION.editMechanism,
      });
      const form = await h.openedView();
      if (!blockIds(form.id).includes(signalBlock("outcome", "name", 1))) {
        const updates = h.fake.callsTo("views.update").length;
        await h.sender.blockAction({
          userId: "U0OWNER",
          viewId: form.id,
          actionId: addSignalAction("outcome"),
        });
        await eventually(async () => h.fake.callsTo("views.update").length > updates || null);
      }
      const res = await h.sender.submitView(form.id, answers, { userId: "U0OWNER" });
      expect(res.errors).toBeUndefined();
    };
    await edit({
      [signalBlock("outcome", "name", 1)]: "",
      [signalBlock("outcome", "baseline", 1)]: "",
      [signalBlock("outcome", "target", 1)]: "",
      [signalBlock("outcome", "unit", 1)]: "",
      [MECH_BLOCK.checkpointRule]: "continue if p95 change <= -25%",
      // It has been reviewed: changing its signals and rule needs a reason (issue 11).
      [MECH_BLOCK.ruleChangeReason]: "Timeouts track p95; one outcome is enough",
    });
    const ruleChange = await eventually(() => h.testDb.db.decision.findFirst({ where: { source: "edit" } }));
    expect(ruleChange.entry).toMatch(
      /^Rule changed: .*Signal removed: “timeouts” \(its readings are kept\).* because Timeouts track p95/,
    );
    const archived = await eventually(() =>
      h.testDb.db.signal.findFirst({ where: { id: timeouts?.id, archivedAt: { not: null } } }),
    );
    expect(archived.name).toBe("timeouts");
    expect(await h.testDb.db.reading.count({ where: { signalId: timeouts?.id } })).toBe(1);
    expect(await h.testDb.db.reading.count()).toBe(2);

    await edit({
      ...sre,
      [signalBlock("outcome", "name", 1)]: "Timeouts",
      [MECH_BLOCK.ruleChangeReason]: "Back to two outcomes",
    });
    const back = await eventually(() =>
      h.testDb.db.signal.findFirst({ where: { id: timeouts?.id, archivedAt: null } }),
    );
    expect(back.name).toBe("Timeouts");
  });
});
