import { afterEach, beforeEach, expect, it } from "vitest";
import {
  ALARM_ACTION,
  DEBRIEF_BLOCK,
  DEBRIEF_VIEW,
  INCIDENT_ACTION,
  ROLLUP_SETTINGS_BLOCK,
  ROLLUP_VIEW,
  TEAM_BLOCK,
  VIEW,
} from "../../src/slack/ids.js";
import { setupTeam } from "../support/fixtures.js";
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
  const clickInModal = (actionId: string, value: string): Promise<RawResult> =>
    send({
      ...envelope(),
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
    const res = await submit(VIEW.teamSetup, {
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
      DEBRIEF_VIEW.settings,
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
      ROLLUP_VIEW.settings,
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
