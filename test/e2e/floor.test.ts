import { afterEach, beforeEach, expect, it } from "vitest";
import {
  ACTION,
  DEV_BLOCK,
  DEVIATION_ACTION,
  FLOOR_ACTION,
  FLOOR_BLOCK,
  FLOOR_VIEW,
  MECH_BLOCK,
  REVIEW_BLOCK,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// Mon 23 Nov 2026; the team reviews Tuesdays 10:00 London, weekly: cycle 0 is [Tue 24 Nov 10:00Z, Tue 1 Dec 10:00Z).
const START = "2026-11-23T09:00:00Z";

interface Plan {
  text: string;
  blocks: { block_id?: string; text?: { text: string }; accessory?: { action_id: string } }[];
  ts: string;
  json: string;
}

/** Runs `/ratchet floor` in the team channel and returns its ephemeral answer (the newest one). */
async function floorPlan(h: Harness): Promise<Plan> {
  const before = h.fake.ephemeralsFor("U0TESTER").length;
  const res = await h.sender.command("floor", { channelId: "C0TEAM" });
  expect(res.status).toBe(200);
  const answer = await eventually(async () => h.fake.ephemeralsFor("U0TESTER").slice(before).at(-1));
  return { ...answer, blocks: (answer.blocks ?? []) as Plan["blocks"], json: JSON.stringify(answer.blocks) };
}

/** The block id of the Floor entry whose text contains `text` (it carries that entry's Retire button). */
function entryBlock(plan: Plan, text: string): string {
  const block = plan.blocks.find(
    (b) => b.accessory?.action_id === FLOOR_ACTION.retire && b.text?.text.includes(text),
  );
  if (!block?.block_id) throw new Error(`no retirable entry "${text}" in ${plan.json}`);
  return block.block_id;
}

async function openAdd(h: Harness) {
  const plan = await floorPlan(h);
  await h.sender.clickButton({
    userId: "U0TESTER",
    message: { channelId: "C0TEAM", ts: plan.ts },
    actionId: FLOOR_ACTION.add,
  });
  const view = await h.openedView();
  expect(view.callback_id).toBe(FLOOR_VIEW.add);
  return view;
}

async function addDefault(h: Harness, answers: Record<string, Answer>) {
  const view = await openAdd(h);
  const res = await h.sender.submitView(view.id, answers);
  expect(res.errors).toBeUndefined();
}

async function openRetire(h: Harness, plan: Plan, text: string) {
  await h.sender.blockAction({
    userId: "U0TESTER",
    message: { channelId: "C0TEAM", ts: plan.ts },
    actionId: FLOOR_ACTION.retire,
    blockId: entryBlock(plan, text),
  });
  const view = await h.openedView();
  expect(view.callback_id).toBe(FLOOR_VIEW.retire);
  return view;
}

/** Logs a stop decision on a mechanism through `/ratchet log`. */
async function stop(h: Harness, mechanismId: string) {
  await h.sender.command("log", { channelId: "C0TEAM" });
  const view = await h.openedView();
  const res = await h.sender.submitView(view.id, {
    [REVIEW_BLOCK.mechanism]: mechanismId,
    [REVIEW_BLOCK.decision]: "stop",
    [REVIEW_BLOCK.entry]: "Stop: the outcome did not move.",
  });
  expect(res.errors).toBeUndefined();
}

const alarmPosts = (h: Harness, title: string) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes(title));

describeDb("the Floor and the barbell plan", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: START });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  it("answers /ratchet floor privately with a helpful empty state, an empty Ceiling and the quota", async () => {
    const plan = await floorPlan(h);
    expect(plan.json).toContain("No defaults yet — promote a deviation, graduate a mechanism or add one");
    expect(plan.json).toContain("The Ceiling");
    expect(plan.json).toContain("No active slice");
    expect(plan.json).toContain("Novelty quota");
    expect(plan.json).toContain("0 of 1");
    expect(plan.json).toContain("Add a default");
    expect(plan.text).toContain("Barbell plan for Checkout squad");
    // Ephemeral: nothing was posted in the channel for everyone.
    expect(h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes("Barbell plan"))).toHaveLength(0);
  });

  it("adds a default with inline validation and hostile text, once, and retires it with a required reason", async () => {
    const view = await openAdd(h);
    const blank = await h.sender.submitView(view.id, {
      [FLOOR_BLOCK.text]: "  ",
      [FLOOR_BLOCK.why]: " ",
      [FLOOR_BLOCK.kind]: "guardrail",
    });
    expect(blank.errors?.[FLOOR_BLOCK.text]).toMatch(/Write the default/);
    expect(blank.errors?.[FLOOR_BLOCK.why]).toMatch(/why it became a default/);
    expect(await h.testDb.db.floorDefault.count()).toBe(0);

    // A double-click sends the same submission twice: one default.
    const answers = {
      [FLOOR_BLOCK.text]: "<!channel> Every deploy canaries for 30 minutes",
      [FLOOR_BLOCK.why]: "<!here> Two incidents came from unstaged deploys",
      [FLOOR_BLOCK.kind]: "guardrail",
    };
    const payload = h.sender.viewSubmission(view.id, answers);
    await h.sender.postPayload(payload);
    await h.sender.postPayload(payload);
    const rows = await h.testDb.db.floorDefault.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "guardrail", addedBy: "U0TESTER" });

    const plan = await floorPlan(h);
    expect(plan.json).toContain("Every deploy canaries for 30 minutes");
    expect(plan.json).toContain("Two incidents came from unstaged deploys");
    expect(plan.json).toContain("Guardrail");
    expect(plan.json).toContain("added by hand");
    expect(plan.json).toContain("<@U0TESTER>");
    expect(plan.json).not.toContain("<!channel>");
    expect(plan.json).not.toContain("<!here>");
    expect(plan.text).not.toContain("<!");

    const retire = await openRetire(h, plan, "Every deploy canaries");
    const noReason = await h.sender.submitView(retire.id, { [FLOOR_BLOCK.reason]: "   " });
    expect(noReason.errors?.[FLOOR_BLOCK.reason]).toMatch(/Say why it is no longer a default/);
    expect(await h.testDb.db.floorRetirement.count()).toBe(0);

    const ok = await h.sender.submitView(retire.id, {
      [FLOOR_BLOCK.reason]: "<!channel> Replaced by progressive rollout",
    });
    expect(ok.errors).toBeUndefined();
    // Kept, shown as retired with its reason, and no longer retirable.
    expect(await h.testDb.db.floorDefault.count()).toBe(1);
    const after = await floorPlan(h);
    expect(after.json).toContain("Retired");
    expect(after.json).toContain("Replaced by progressive rollout");
    expect(after.json).not.toContain("<!channel>");
    expect(after.json).toContain("No defaults yet");
    expect(after.blocks.some((b) => b.accessory?.action_id === FLOOR_ACTION.retire)).toBe(false);

    // The stale plan's Retire button is refused politely; nothing changes.
    await h.sender.blockAction({
      userId: "U0TESTER",
      message: { channelId: "C0TEAM", ts: plan.ts },
      actionId: FLOOR_ACTION.retire,
      blockId: entryBlock(plan, "Every deploy canaries"),
    });
    await eventually(async () =>
      h.fake.responseUrlPosts.some((p) => JSON.stringify(p.body).includes("already retired")),
    );
    expect(await h.testDb.db.floorRetirement.count()).toBe(1);
  });

  it("shows a graduated mechanism and a promoted deviation on the Floor with where they came from", async () => {
    await createMechanism(h);
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
    const graduated = await h.sender.submitView(review.id, {
      ...reviewAnswers({
        decision: "graduate",
        proxy: "85",
        outcome: "31",
        entry: "Proven: make it the default.",
      }),
      [REVIEW_BLOCK.floor]: "Every new signup sees the Action X prompt at step N.",
    });
    expect(graduated.errors).toBeUndefined();
    await eventually(() => h.testDb.db.mechanism.findFirst({ where: { status: "graduated" } }));

    // A deviation this cycle, promoted when its owner records the outcome at cycle end.
    await h.sender.command("deviate", { channelId: "C0TEAM" });
    const deviate = await h.openedView();
    const logged = await h.sender.submitView(deviate.id, {
      [DEV_BLOCK.area]: "API framework",
      [DEV_BLOCK.deviation]: "Try Fastify on the checkout service",
      [DEV_BLOCK.hypothesis]: "Because its router should cut p95 by 20%",
      [DEV_BLOCK.benefit]: "Better latency",
      [DEV_BLOCK.risk]: "Small migration cost",
    });
    expect(logged.errors).toBeUndefined();
    const quotaMet = await floorPlan(h);
    expect(quotaMet.json).toContain("1 of 1");

    h.clock.set("2026-12-01T10:01:00Z");
    await h.tick();
    const dm = await eventually(async () => h.fake.dmsTo("U0TESTER").at(0));
    await h.sender.clickButton({
      userId: "U0TESTER",
      message: { channelId: dm.channel, ts: dm.ts },
      actionId: DEVIATION_ACTION.recordOutcome,
    });
    const outcome = await h.openedView();
    const promoted = await h.sender.submitView(outcome.id, {
      [DEV_BLOCK.outcome]: "p95 −18%",
      [DEV_BLOCK.verdict]: "promote",
    });
    expect(promoted.errors).toBeUndefined();

    const plan = await floorPlan(h);
    expect(plan.json).toContain("Every new signup sees the Action X prompt at step N.");
    expect(plan.json).toContain("graduated mechanism “First-run nudge”");
    expect(plan.json).toContain("Try Fastify on the checkout service");
    expect(plan.json).toContain("promoted deviation from “API framework”");
    expect(plan.json).toContain("p95 −18%");
    expect(plan.json).toContain("Since 1 Dec 2026");
    expect(plan.json).toContain("2 defaults");
    expect(plan.json).not.toContain("No defaults yet");

    // A promoted default retires like a typed one, and its deviation is left as it was.
    const retire = await openRetire(h, plan, "Try Fastify");
    expect(
      (await h.sender.submitView(retire.id, { [FLOOR_BLOCK.reason]: "Fastify is now the stack" })).errors,
    ).toBeUndefined();
    const after = await floorPlan(h);
    expect(after.json).toContain("Fastify is now the stack");
    expect(entryBlock(after, "Every new signup")).toBeTruthy();
    expect(() => entryBlock(after, "Try Fastify")).toThrow();
    expect(await h.testDb.db.deviation.findFirstOrThrow()).toMatchObject({ verdict: "promote" });
  });

  it("shows at most three slices with their gates, and raises and clears the barbell alarms", async () => {
    const ids: string[] = [];
    for (const title of ["Slice one", "Slice two", "Slice three", "Slice four"])
      ids.push((await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.title]: title })).mechanism.id);
    const tooMany = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).includes("More than three slices"),
      5000,
    );
    expect(JSON.stringify(tooMany.args.blocks)).toContain("4 mechanisms active");

    const plan = await floorPlan(h);
    expect(plan.json).toContain("4 active slices of at most 3");
    expect(plan.json).toContain("Slice one");
    expect(plan.json).toContain("Slice three");
    expect(plan.json).not.toContain("Slice four");
    expect(plan.json).toContain("…and 1 more active");
    expect(plan.json).toContain("continue if proxy &gt;= 80 and outcome change &gt;= 3");

    // A Floor with defaults but no guardrail is an alarm; adding a guardrail clears it in place.
    await addDefault(h, {
      [FLOOR_BLOCK.text]: "Postgres for every new service",
      [FLOOR_BLOCK.why]: "One stack to operate",
      [FLOOR_BLOCK.kind]: "default",
    });
    const raised = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).includes("Floor without a guardrail"),
      5000,
    );
    const alarmTs = String((raised.response as { ts: string }).ts);
    expect(JSON.stringify(raised.args.blocks)).toContain("The Floor lists 1 default and no guardrail");
    expect((await floorPlan(h)).json).toContain("No guardrail on the Floor");

    await addDefault(h, {
      [FLOOR_BLOCK.text]: "Error rate ≤ 0.1% or roll back",
      [FLOOR_BLOCK.why]: "Users must not pay for our tests",
      [FLOOR_BLOCK.kind]: "guardrail",
    });
    const cleared = await h.fake.waitFor("chat.update", (a) => a.ts === alarmTs, 5000);
    expect(String(cleared.args.text)).toContain("Resolved");
    await h.settle();
    expect(alarmPosts(h, "Floor without a guardrail")).toHaveLength(1);
    const row = await h.testDb.db.alarm.findFirstOrThrow({ where: { kind: "floor_without_guardrail" } });
    expect(row.status).toBe("resolved");

    // Back to three slices: that alarm resolves in place too.
    const tooManyTs = String((tooMany.response as { ts: string }).ts);
    await stop(h, ids[3] ?? "");
    const fewer = await h.fake.waitFor("chat.update", (a) => a.ts === tooManyTs, 5000);
    expect(String(fewer.args.text)).toContain("Resolved");
    expect(alarmPosts(h, "More than three slices")).toHaveLength(1);
  });

  it("raises 'Ceiling without a slice' after a whole cycle with nothing active, and clears it when a slice starts", async () => {
    const { mechanism } = await createMechanism(h);
    await stop(h, mechanism.id);
    await h.settle();
    expect(alarmPosts(h, "Ceiling without a slice")).toHaveLength(0);

    // Cycle 1 [Tue 1 Dec, Tue 8 Dec) passes with nothing active.
    h.clock.set("2026-12-08T10:30:00Z");
    await h.tick();
    const raised = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).includes("Ceiling without a slice"),
      5000,
    );
    expect(JSON.stringify(raised.args.blocks)).toContain("No mechanism slice was active last cycle");
    expect((await floorPlan(h)).json).toContain("No active slice");

    await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.title]: "Second try" });
    const ts = String((raised.response as { ts: string }).ts);
    const cleared = await h.fake.waitFor("chat.update", (a) => a.ts === ts, 5000);
    expect(String(cleared.args.text)).toContain("Resolved");
    expect((await floorPlan(h)).json).toContain("Second try");
  });
});
