import { afterEach, beforeEach, expect, it } from "vitest";
import { APOLOGY, TRIGGER_EXPIRED } from "../../src/slack/error-mapper.js";
import {
  ALARM_ACTION,
  DEBRIEF_BLOCK,
  DEBRIEF_VIEW,
  INCIDENT_ACTION,
  INCIDENT_SHORTCUT,
  REVIEW_BLOCK,
  ROLLUP_SETTINGS_BLOCK,
  readingBlock,
  TEAM_BLOCK,
  VIEW,
} from "../../src/slack/ids.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { FORM, formPayload, postSigned, type RawResult } from "../support/raw-request.js";
import { describeDb } from "../support/test-db.js";

type Json = Record<string, unknown>;

/**
 * A state element whose value can't be turned into text: String() on it throws, because JSON gave it
 * a `toString` that is not a function. Slack never sends one; a parser must treat it as no answer.
 */
const UNREADABLE = { type: "plain_text_input", value: { toString: 1 } };

describeDb("listeners given input Slack never sends", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  const envelope = (): Json => ({
    team: { id: h.fake.teamId, domain: h.fake.teamDomain },
    user: { id: "U0TESTER", username: "tess", name: "tess", team_id: h.fake.teamId },
    api_app_id: h.fake.appId,
    token: "fake-verification-token",
    is_enterprise_install: false,
    enterprise: null,
  });
  const send = (payload: Json): Promise<RawResult> =>
    postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM });
  const submit = (callbackId: string, values: Json, privateMetadata = ""): Promise<RawResult> =>
    send({
      ...envelope(),
      type: "view_submission",
      trigger_id: h.fake.newTriggerId(),
      response_urls: [],
      view: {
        id: "V0STRAY",
        type: "modal",
        callback_id: callbackId,
        private_metadata: privateMetadata,
        hash: "1.abc",
        state: { values },
      },
    });
  /** A button click from inside a modal: Slack sends no response_url and no channel then. */
  const clickInModal = (actionId: string, value: string, userId = "U0TESTER"): Promise<RawResult> =>
    send({
      ...envelope(),
      user: { id: userId, username: "someone", name: "someone", team_id: h.fake.teamId },
      type: "block_actions",
      trigger_id: h.fake.newTriggerId(),
      container: { type: "view", view_id: "V0STRAY" },
      view: { id: "V0STRAY", type: "modal", callback_id: VIEW.review, state: { values: {} } },
      actions: [{ action_id: actionId, block_id: "b", type: "button", value, action_ts: "1" }],
    });
  const errorsOf = (res: RawResult): Json => {
    const body = JSON.parse(res.text) as Json;
    expect(body.response_action).toBe("errors");
    return body.errors as Json;
  };
  const stacks = () => h.logs.filter((l) => JSON.stringify(l).includes("    at "));

  it("answers a team setup whose inputs can't be read with inline errors, and saves nothing", async () => {
    const res = await submit(VIEW.settings, {
      [TEAM_BLOCK.name]: { [TEAM_BLOCK.name]: UNREADABLE },
      [TEAM_BLOCK.channel]: {
        [TEAM_BLOCK.channel]: { type: "conversations_select", selected_conversation: 7 },
      },
    });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2000);
    expect(errorsOf(res)).toHaveProperty(TEAM_BLOCK.name);
    expect(await h.testDb.db.team.count()).toBe(0);
    expect(stacks()).toEqual([]);
  });

  it("answers a debrief answer whose inputs can't be read with inline errors, and saves nothing", async () => {
    const res = await submit(
      DEBRIEF_VIEW.answer,
      { [DEBRIEF_BLOCK.shipped]: { [DEBRIEF_BLOCK.shipped]: UNREADABLE } },
      JSON.stringify({ roundId: "no-such-round" }),
    );
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2000);
    expect(errorsOf(res)).toHaveProperty(DEBRIEF_BLOCK.shipped);
    expect(await h.testDb.db.debriefAnswer.count()).toBe(0);
    expect(stacks()).toEqual([]);
  });

  it("answers debrief settings whose inputs can't be read with inline errors", async () => {
    const res = await submit(
      VIEW.settings,
      {
        [DEBRIEF_BLOCK.time]: {
          [DEBRIEF_BLOCK.time]: { type: "timepicker", selected_time: { toString: 1 } },
        },
      },
      "{not json",
    );
    expect(res.status).toBe(200);
    expect(errorsOf(res)).toHaveProperty(DEBRIEF_BLOCK.time);
    expect(stacks()).toEqual([]);
  });

  it("answers rollup settings whose inputs can't be read with inline errors, and changes nothing", async () => {
    const team = await setupTeam(h);
    const res = await submit(
      VIEW.settings,
      {
        [ROLLUP_SETTINGS_BLOCK.weekday]: { [ROLLUP_SETTINGS_BLOCK.weekday]: { selected_option: "3" } },
        [ROLLUP_SETTINGS_BLOCK.time]: { [ROLLUP_SETTINGS_BLOCK.time]: UNREADABLE },
      },
      JSON.stringify({ teamId: team.id }),
    );
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(2000);
    expect(errorsOf(res)).toHaveProperty(ROLLUP_SETTINGS_BLOCK.time);
    const after = await h.testDb.db.team.findUniqueOrThrow({ where: { id: team.id } });
    expect(after).toEqual(team);
    expect(stacks()).toEqual([]);
  });

  it("tells the person privately when a button inside a modal fails (a modal has no response_url)", async () => {
    const res = await clickInModal(INCIDENT_ACTION.edit, "no-such-incident");
    expect(res.status).toBe(200);
    await h.fake.waitFor("chat.postMessage", undefined, 3000);
    const dms = h.fake.dmsTo("U0TESTER");
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).not.toContain("Sorry — something went wrong");
    expect(JSON.stringify(h.logs)).not.toContain("is not a function");
  });

  it("tells the person privately when an alarm button inside a modal fails too", async () => {
    const res = await clickInModal(ALARM_ACTION.acknowledge, "no-such-alarm");
    expect(res.status).toBe(200);
    await h.fake.waitFor("chat.postMessage", undefined, 3000);
    expect(h.fake.dmsTo("U0TESTER")).toHaveLength(1);
    expect(JSON.stringify(h.logs)).not.toContain("is not a function");
  });

  it("logs a DM Slack refuses for a failed click in a modal as one line, without a stack", async () => {
    // Someone Slack won't DM (unknown here; deactivated or DMs off in real life).
    const res = await clickInModal(INCIDENT_ACTION.edit, "no-such-incident", "U0NOBODY");
    expect(res.status).toBe(200);
    await h.fake.waitFor("conversations.open", undefined, 3000);
    await new Promise((r) => setTimeout(r, 100));
    const loud = h.logs.filter((l) => l.level >= 40);
    expect(loud).toMatchObject([{ level: 40, code: "user_not_found" }]);
    expect(stacks()).toEqual([]);
  });

  it("refreshes nothing and logs one quiet line when a review modal's mechanism is gone", async () => {
    const res = await send({
      ...envelope(),
      type: "block_actions",
      trigger_id: h.fake.newTriggerId(),
      container: { type: "view", view_id: "V0STRAY" },
      view: {
        id: "V0STRAY",
        type: "modal",
        callback_id: VIEW.review,
        private_metadata: JSON.stringify({ mechanismId: "gone", reviewId: null }),
        hash: "1.abc",
        state: { values: {} },
      },
      actions: [
        {
          action_id: readingBlock("proxy"),
          block_id: readingBlock("proxy"),
          type: "number_input",
          value: "3",
        },
      ],
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.callsTo("views.update")).toHaveLength(0);
    expect(h.logs.filter((l) => l.level >= 40)).toEqual([]);
    expect(stacks()).toEqual([]);
  });

  it("answers a one-pager whose metadata names no team inline, without logging an error", async () => {
    const res = await submit(VIEW.mechanism, {}, JSON.stringify({ teamId: 42 }));
    expect(res.status).toBe(200);
    expect(Object.values(errorsOf(res)).join(" ")).toContain("team no longer exists");
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("refuses a decision on another team's mechanism inline, writing nothing and logging no error", async () => {
    await setupTeam(h);
    const { mechanism } = await createMechanism(h);
    const decisions = await h.testDb.db.decision.count();
    const res = await submit(
      VIEW.logDecision,
      {
        [REVIEW_BLOCK.decision]: {
          [REVIEW_BLOCK.decision]: { type: "radio_buttons", selected_option: { value: "continue" } },
        },
        [REVIEW_BLOCK.entry]: { [REVIEW_BLOCK.entry]: { type: "plain_text_input", value: "Keep going." } },
      },
      JSON.stringify({ teamId: "ZOTHERTEAM", mechanismId: mechanism.id }),
    );
    expect(res.status).toBe(200);
    expect(errorsOf(res)).toEqual({ [REVIEW_BLOCK.entry]: "That mechanism belongs to another team." });
    expect(await h.testDb.db.decision.count()).toBe(decisions);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it("tells the person to try again when Slack refuses the trigger, in one line without a stack", async () => {
    await setupTeam(h);
    h.fake.failNext("views.open", { error: "expired_trigger_id" });
    await h.sender.command("new", { channelId: "C0TEAM" });
    const answers = await h.responses(1);
    expect(JSON.stringify(answers.at(-1))).toContain(TRIGGER_EXPIRED.text);
    expect(h.logs.filter((l) => l.level >= 40)).toMatchObject([{ level: 40, code: "expired_trigger_id" }]);
    expect(stacks()).toEqual([]);
  });

  it("acknowledges a global shortcut that borrows the message shortcut's id, and does nothing", async () => {
    const res = await send({
      ...envelope(),
      type: "shortcut",
      callback_id: INCIDENT_SHORTCUT,
      trigger_id: h.fake.newTriggerId(),
      action_ts: "1.2",
    });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(h.fake.callsTo("views.open")).toHaveLength(0);
  });

  it("answers a modal and a command whose listener throws before its ack with an apology, in time", async () => {
    // Stand-ins for a listener with a bug: the real app, its middleware, and one more listener.
    h.composed.app.view("broken_modal", async () => {
      throw new Error("bug before the ack");
    });
    h.composed.app.command("/broken", async () => {
      throw new Error("bug before the ack");
    });
    const modal = await submit("broken_modal", {});
    expect(modal.status).toBe(200);
    expect(modal.ms).toBeLessThan(1000);
    const ack = JSON.parse(modal.text) as { response_action: string; view: { blocks: unknown[] } };
    expect(ack.response_action).toBe("update");
    expect(JSON.stringify(ack.view.blocks)).toContain(APOLOGY.text);
    const command = await postSigned(
      h.appUrl,
      new URLSearchParams({
        command: "/broken",
        text: "",
        team_id: h.fake.teamId,
        channel_id: "C0TEAM",
        user_id: "U0TESTER",
        trigger_id: h.fake.newTriggerId(),
        response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: "U0TESTER" }),
      }).toString(),
      { contentType: FORM },
    );
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(1000);
    expect(JSON.parse(command.text)).toMatchObject({ response_type: "ephemeral", text: APOLOGY.text });
    // Each bug is still logged, once.
    expect(h.logs.filter((l) => l.msg === "unhandled error in Bolt")).toHaveLength(2);
  });

  it.each([
    [
      "a button no listener knows",
      () =>
        send({
          ...envelope(),
          type: "block_actions",
          trigger_id: h.fake.newTriggerId(),
          channel: { id: "C0TEAM", name: "checkout-squad" },
          container: { type: "message", message_ts: "1.000", channel_id: "C0TEAM" },
          message: { ts: "1.000", text: "old message" },
          response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: "U0TESTER" }),
          actions: [{ action_id: "retired_button", block_id: "b", type: "button", value: "x" }],
        }),
    ],
    ["a modal no listener knows", () => submit("retired_modal", {})],
    [
      "a shortcut no listener knows",
      () => send({ ...envelope(), type: "shortcut", callback_id: "retired_shortcut", trigger_id: "1.2.x" }),
    ],
    [
      "a slash command no listener knows",
      () =>
        postSigned(
          h.appUrl,
          new URLSearchParams({
            command: "/retired",
            text: "",
            team_id: h.fake.teamId,
            channel_id: "C0TEAM",
            user_id: "U0TESTER",
            trigger_id: h.fake.newTriggerId(),
            response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: "U0TESTER" }),
          }).toString(),
          { contentType: FORM },
        ),
    ],
  ])("acknowledges %s at once (not a 404 after Bolt's 3 seconds)", async (_name, request) => {
    const res = await request();
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(h.logs.filter((l) => l.msg === "no listener for this request; acknowledged it")).toHaveLength(1);
  });
});
