import type { InputBlock } from "@slack/types";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { StoredView } from "../../src/sandbox/fake-slack.js";
import { HAT_ACTION, HAT_BLOCK, HAT_VIEW, hatLoopBlock, MECH_BLOCK, VIEW } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { type Blocks, blockById, optionTexts } from "../support/blocks.js";
import { eventually } from "../support/eventually.js";
import { goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const RETRY = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };

/** The playbook's own QBR scene, as a case. */
const kpiTheater: Record<string, Answer> = {
  [HAT_BLOCK.context]: "Growth squad QBR: green KPI arrows, activation stuck at 27%",
  [HAT_BLOCK.traits]: ["Big goals, no guidance"],
  [HAT_BLOCK.symptoms]: ["Faux alignment"],
  [HAT_BLOCK.reinforcing]: ["Appearance loop"],
  [HAT_BLOCK.balancing]: ["Context & “How?” Checkpoint", "Mini Prototype"],
  [HAT_BLOCK.balancingOther]: "Weekly 15-minute review with a decision",
};

/** The blocks of a view the app opened, as Block Kit (the fake stores them as it got them). */
const blocksOf = (view: StoredView) => view.blocks as Blocks;

const casePosts = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Anthropologist Hat case"));

async function openHat(h: Harness) {
  await h.sender.command("hat", { channelId: "C0TEAM" });
  const view = await h.openedView();
  expect(view.callback_id).toBe(HAT_VIEW.case);
  return view;
}

async function postCase(h: Harness, answers: Record<string, Answer> = kpiTheater) {
  const view = await openHat(h);
  const res = await h.sender.submitView(view.id, answers);
  if (res.errors) throw new Error(`case refused: ${JSON.stringify(res.errors)}`);
  const post = await h.fake.waitFor(
    "chat.postMessage",
    (a) => String(a.text).startsWith("Anthropologist Hat case"),
    5000,
  );
  return { ts: String((post.response as { ts: string }).ts), blocks: JSON.stringify(post.args.blocks) };
}

describeDb("the Anthropologist Hat", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  it("opens a modal that offers the playbook's traits, symptoms and loops, each with a field for others", async () => {
    const view = await openHat(h);
    expect(view.title).toMatchObject({ text: "Anthropologist Hat" });
    const blocks = blocksOf(view);
    expect(optionTexts(blockById(blocks, HAT_BLOCK.traits))).toEqual([
      "Big goals, no guidance",
      "Context vacuum",
      "Siloed incentives",
      "Conflict aversion",
    ]);
    expect(optionTexts(blockById(blocks, HAT_BLOCK.symptoms))).toEqual([
      "Faux alignment",
      "Fragmented execution",
      "Operational drift",
      "No experimentation mindset",
    ]);
    expect(optionTexts(blockById(blocks, HAT_BLOCK.reinforcing))).toEqual([
      "Appearance loop",
      "Silo loop",
      "Drift loop",
      "Silence loop",
    ]);
    expect(optionTexts(blockById(blocks, HAT_BLOCK.balancing))).toEqual([
      "Context & “How?” Checkpoint",
      "Cross-Team 1:1s",
      "Mini Prototype",
      "Publish v0.0.1 + Retros",
    ]);
    for (const other of [
      HAT_BLOCK.traitsOther,
      HAT_BLOCK.symptomsOther,
      HAT_BLOCK.reinforcingOther,
      HAT_BLOCK.balancingOther,
    ]) {
      expect(JSON.stringify(blockById(blocks, other))).toContain("one per line");
    }
  });

  it("answers a case without a real context or anything seen inline, and writes and posts nothing", async () => {
    const view = await openHat(h);
    const empty = await h.sender.submitView(view.id, { [HAT_BLOCK.context]: "TBD" });
    expect(Object.keys(empty.errors ?? {}).sort()).toEqual([HAT_BLOCK.context, HAT_BLOCK.symptoms].sort());
    expect(empty.errors?.[HAT_BLOCK.symptoms]).toMatch(/symptom or reinforcing loop/);

    const tooLong = await h.sender.submitView(view.id, {
      ...kpiTheater,
      [HAT_BLOCK.symptomsOther]: `Every review is status\n${"x".repeat(151)}`,
      [HAT_BLOCK.balancingOther]: "a\nb\nc\nd\ne\nf",
    });
    expect(tooLong.errors?.[HAT_BLOCK.symptomsOther]).toMatch(/under 150 characters/);
    expect(tooLong.errors?.[HAT_BLOCK.balancingOther]).toMatch(/At most 5/);

    // What people type to get past a field is not a symptom.
    const filler = await h.sender.submitView(view.id, {
      [HAT_BLOCK.context]: "Checkout squad",
      [HAT_BLOCK.symptomsOther]: "n/a",
    });
    expect(filler.errors?.[HAT_BLOCK.symptomsOther]).toMatch(/TBD/);

    expect(await h.testDb.db.hatCase.count()).toBe(0);
    expect(h.fake.viewStack(view.id)).toHaveLength(1);
    await h.composed.deliverer.idle();
    expect(casePosts(h)).toHaveLength(0);
  });

  it("saves the case and posts it once in the team channel, for a double-click and for Slack's retry", async () => {
    await h.sender.command("hat", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const copy = () => h.sender.viewSubmission(view.id, kpiTheater);
    const [one, two, three] = [copy(), copy(), copy()];
    const [a, b] = await Promise.all([h.sender.postPayload(one), h.sender.postPayload(two)]);
    const again = await h.sender.postPayload(three, RETRY);
    expect([a.body, b.body, again.body]).toEqual(["", "", ""]);
    await h.composed.deps.afterAck.idle();
    await h.composed.deliverer.idle();
    await eventually(async () => (casePosts(h).length === 1 ? true : null));
    expect(await h.testDb.db.hatCase.count()).toBe(1);

    const row = await h.testDb.db.hatCase.findFirstOrThrow();
    expect(row).toMatchObject({ authorId: "U0TESTER", context: kpiTheater[HAT_BLOCK.context] });
    expect(JSON.parse(row.balancingLoops)).toEqual([
      "Context & “How?” Checkpoint",
      "Mini Prototype",
      "Weekly 15-minute review with a decision",
    ]);
    const [post] = casePosts(h);
    const text = JSON.stringify(post?.blocks);
    expect(text).toContain("<@U0TESTER>");
    expect(text).toContain("Big goals, no guidance");
    expect(text).toContain("Faux alignment");
    expect(text).toContain("Appearance loop");
    // Each balancing loop has its own "Make this a mechanism".
    expect(text.match(/Make this a mechanism/g)).toHaveLength(3);

    // A second modal is a second case: the key is the submission, not the text.
    await postCase(h);
    expect(await h.testDb.db.hatCase.count()).toBe(2);
  });

  it("shows what people typed as text: no broadcast, no disguised link, in the post and the list", async () => {
    const hostile = {
      [HAT_BLOCK.context]: "<!channel> see <https://ev.il|your invoice> & <@U0OWNER|boss>",
      [HAT_BLOCK.symptomsOther]: "<!here> nobody says stop",
      [HAT_BLOCK.balancingOther]: "<!everyone> *retro*",
    };
    await postCase(h, hostile);
    const [post] = casePosts(h);
    const all = JSON.stringify({ text: post?.text, blocks: post?.blocks });
    for (const raw of ["<!channel>", "<!here>", "<!everyone>", "<https://ev.il", "<@U0OWNER|"]) {
      expect(all).not.toContain(raw);
    }
    expect(all).toContain("&lt;!channel&gt;");
    expect(post?.text).toContain("&lt;!channel&gt;");

    await h.sender.command("hats", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    const listed = JSON.stringify(answer);
    expect(listed).toContain("&lt;!channel&gt;");
    expect(listed).not.toContain("<!channel>");
    expect(listed).not.toContain("<!here>");
  });

  it("turns a balancing loop into a mechanism: the one-pager opens prefilled and publishes through the usual path", async () => {
    const { ts } = await postCase(h);
    await h.sender.blockAction({
      userId: "U0OWNER",
      actionId: HAT_ACTION.makeMechanism,
      blockId: hatLoopBlock(1),
      message: { channelId: "C0TEAM", ts },
    });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.mechanism);
    expect(view.title).toMatchObject({ text: "New mechanism" });
    const initial = (block: string) => {
      const input = blocksOf(view).find((x): x is InputBlock => x.type === "input" && x.block_id === block);
      return input && "initial_value" in input.element ? input.element.initial_value : undefined;
    };
    expect(initial(MECH_BLOCK.title)).toBe("Mini Prototype");
    expect(initial(MECH_BLOCK.aim)).toBe(kpiTheater[HAT_BLOCK.context]);
    expect(initial(MECH_BLOCK.statement)).toBe(
      "We believe Mini Prototype will move less faux alignment because it breaks the Appearance loop",
    );

    // The person writes the rest of the one-pager; the prefilled fields stay as drafted.
    const rest = { ...goodMechanism };
    delete rest[MECH_BLOCK.title];
    delete rest[MECH_BLOCK.aim];
    delete rest[MECH_BLOCK.statement];
    const res = await h.sender.submitView(view.id, rest, { userId: "U0OWNER" });
    expect(res.errors).toBeUndefined();
    await h.fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Mechanism:"), 5000);
    const mechanism = await eventually(() => h.testDb.db.mechanism.findFirst());
    expect(mechanism).toMatchObject({
      title: "Mini Prototype",
      aim: kpiTheater[HAT_BLOCK.context],
      statement:
        "We believe Mini Prototype will move less faux alignment because it breaks the Appearance loop",
    });
  });

  it("is in /ratchet help", async () => {
    const help = await h.sender.command("help", { channelId: "C0TEAM" });
    const text = JSON.stringify(help.body);
    expect(text).toContain("/ratchet hat");
    expect(text).toContain("/ratchet hat list");
  });

  it("lists the team's recent cases, with a helpful empty state first", async () => {
    await h.sender.command("hats", { channelId: "C0TEAM" });
    const [empty] = await h.responses(1);
    expect(JSON.stringify(empty)).toContain("No cases yet");
    expect(JSON.stringify(empty)).toContain("/ratchet hat");

    await postCase(h);
    await h.sender.command("hat list", { channelId: "C0TEAM" });
    const [, listed] = await h.responses(2);
    const text = JSON.stringify(listed);
    expect(text).toContain("Growth squad QBR");
    expect(text).toContain("Mini Prototype");
    expect(text).toContain("2026-11-25");
  });
});
