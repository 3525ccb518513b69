import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../../src/sandbox/fake-slack.js";
import { SlackSender, signRequest } from "./sender.js";
import { buildViewState } from "./view-state.js";

const SECRET = "test-signing-secret";
const plain = (text: string) => ({ type: "plain_text" as const, text });
const option = (value: string) => ({ text: plain(`Option ${value}`), value });
const input = (block_id: string, element: Record<string, unknown>, optional = false) => ({
  type: "input" as const,
  block_id,
  label: plain(block_id),
  optional,
  element: { action_id: `${block_id}_input`, ...element },
});

/** A review modal using most input kinds Ratchet needs. */
const reviewModal = {
  type: "modal" as const,
  callback_id: "review",
  private_metadata: "mechanism-7",
  title: plain("Weekly review"),
  submit: plain("Save"),
  blocks: [
    input("summary", { type: "plain_text_input", multiline: true }),
    input("rating", { type: "static_select", options: ["1", "2", "3"].map(option) }),
    input("flags", { type: "checkboxes", options: ["late", "blocked"].map(option) }, true),
    input("due", { type: "datepicker", initial_date: "2026-01-05" }),
    input("owner", { type: "users_select" }),
    input("at", { type: "timepicker" }, true),
    input("count", { type: "number_input", is_decimal_allowed: false }, true),
  ],
};

describe("signRequest", () => {
  it("matches Slack's documented known-answer vector", () => {
    const vector = JSON.parse(
      readFileSync(
        "/work/shared/slack-fixtures/payloads/signing/slack-docs-signing-test-vector.json",
        "utf8",
      ),
    ) as { signing_secret: string; raw_body: string; headers: Record<string, string> };
    const ts = vector.headers["X-Slack-Request-Timestamp"] ?? "";
    expect(signRequest(vector.signing_secret, ts, vector.raw_body)).toBe(vector.headers["X-Slack-Signature"]);
    expect(signRequest(`${vector.signing_secret}x`, ts, vector.raw_body)).not.toBe(
      vector.headers["X-Slack-Signature"],
    );
  });
});

describe("buildViewState", () => {
  const build = (answers: Parameters<typeof buildViewState>[1]) =>
    buildViewState(reviewModal, answers, { timezone: "Europe/Berlin", requireAnswers: true });

  it("fills state.values the way Slack reports each element kind", () => {
    const values = build({
      summary: "Shipped on time",
      rating: "2",
      flags: ["blocked"],
      owner: "U0TESTER",
      at: "09:30",
      count: 4,
    });
    expect(values).toEqual({
      summary: { summary_input: { type: "plain_text_input", value: "Shipped on time" } },
      rating: { rating_input: { type: "static_select", selected_option: option("2") } },
      flags: { flags_input: { type: "checkboxes", selected_options: [option("blocked")] } },
      due: { due_input: { type: "datepicker", selected_date: "2026-01-05" } },
      owner: { owner_input: { type: "users_select", selected_user: "U0TESTER" } },
      at: { at_input: { type: "timepicker", selected_time: "09:30", timezone: "Europe/Berlin" } },
      count: { count_input: { type: "number_input", value: "4" } },
    });
  });

  it("leaves unanswered optional inputs empty, as Slack does", () => {
    const values = build({ summary: "ok", rating: "1", owner: "U1" });
    expect(values.flags?.flags_input).toEqual({ type: "checkboxes", selected_options: [] });
    expect(values.at?.at_input).toMatchObject({ selected_time: null });
  });

  it("refuses answers a person could not give", () => {
    expect(() => build({ nope: "x" })).toThrow(
      /no input block "nope"; its input blocks are: summary, rating/,
    );
    expect(() => build({ summary: "ok", rating: "9", owner: "U1" })).toThrow(
      /offers no option "9"; options are: "1"/,
    );
    expect(() => build({ rating: "1", owner: "U1" })).toThrow(
      /block "summary" \(plain_text_input\) is required/,
    );
    expect(() => build({ summary: "ok", rating: "1", owner: "U1", due: "5 Jan" })).toThrow(
      /expects YYYY-MM-DD/,
    );
  });
});

describe("SlackSender against a Bolt app", () => {
  let fake: FakeSlack;
  let app: App;
  let sender: SlackSender;
  let appUrl: string;
  const submissions: { values: unknown; metadata: string }[] = [];

  beforeAll(async () => {
    fake = await FakeSlack.start();
    app = new App({
      token: fake.botToken,
      receiver: new HTTPReceiver({ signingSecret: SECRET }),
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command("/ratchet", async ({ ack, command, client, respond, say }) => {
      await ack();
      if (command.text === "review")
        await client.views.open({ trigger_id: command.trigger_id, view: reviewModal });
      if (command.text === "help") await respond({ text: "Try /ratchet review" });
      if (command.text === "post") {
        const button = {
          type: "button" as const,
          action_id: "approve",
          text: plain("Approve"),
          value: "deviation-3",
        };
        await say({
          text: "Approve?",
          blocks: [{ type: "actions", block_id: "decide", elements: [button] }],
        });
      }
    });
    app.view("review", async ({ ack, view }) => {
      submissions.push({ values: view.state.values, metadata: view.private_metadata });
      const summary = view.state.values.summary?.summary_input?.value ?? "";
      if (summary.length < 5) await ack({ response_action: "errors", errors: { summary: "Say a bit more" } });
      else await ack();
    });
    app.action("approve", async ({ ack, body, client, action }) => {
      await ack();
      if (body.type !== "block_actions" || action.type !== "button" || !body.container.message_ts) return;
      const text = `Approved ${action.value} by <@${body.user.id}>`;
      await client.chat.update({ channel: body.container.channel_id, ts: body.container.message_ts, text });
    });
    app.action("add_step", async ({ ack, body, client }) => {
      await ack();
      if (body.type !== "block_actions") return;
      await client.views.push({ trigger_id: body.trigger_id, view: { ...reviewModal, callback_id: "step" } });
    });
    app.event("app_mention", async ({ event, say }) => {
      await say(`Hi <@${event.user}>`);
    });
    app.shortcut("log_deviation", async ({ ack, shortcut, client }) => {
      await ack();
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: { ...reviewModal, callback_id: "deviation" },
      });
    });
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    const { port } = server.address() as AddressInfo;
    appUrl = `http://127.0.0.1:${port}/slack/events`;
    sender = new SlackSender({ appUrl, signingSecret: SECRET, fake });
  });

  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it("sends a signed slash command the app accepts, which opens a modal with a fresh trigger", async () => {
    const result = await sender.command("review");
    expect(result).toEqual({ status: 200, body: "" });
    const open = await fake.waitFor("views.open");
    expect(open.response).toMatchObject({ ok: true });
    expect(fake.lastOpenedView()).toMatchObject({ callback_id: "review", private_metadata: "mechanism-7" });
  });

  it("is refused by the app when signed with the wrong secret", async () => {
    const impostor = new SlackSender({ appUrl, signingSecret: "x", fake });
    expect((await impostor.command("review")).status).toBe(401);
  });

  it("submits the modal, shows the app's inline errors, then closes it on a good answer", async () => {
    await sender.command("review");
    await fake.waitFor("views.open");
    const viewId = fake.lastOpenedView()?.id ?? "";

    const rejected = await sender.submitView(viewId, { summary: "meh", rating: "3", owner: "U0TESTER" });
    expect(rejected.errors).toEqual({ summary: "Say a bit more" });
    expect(fake.isViewOpen(viewId)).toBe(true);
    expect(submissions.at(-1)).toEqual({
      metadata: "mechanism-7",
      values: expect.objectContaining({
        summary: { summary_input: { type: "plain_text_input", value: "meh" } },
        rating: { rating_input: { type: "static_select", selected_option: option("3") } },
        due: { due_input: { type: "datepicker", selected_date: "2026-01-05" } },
      }),
    });

    const accepted = await sender.submitView(viewId, {
      summary: "Shipped on time",
      rating: "3",
      owner: "U0TESTER",
    });
    expect(accepted.errors).toBeUndefined();
    expect(fake.isViewOpen(viewId)).toBe(false);
  });

  it("answers through the response_url the fake issued", async () => {
    await sender.command("help");
    const post = await fake.waitFor("response_url");
    expect(post.args).toMatchObject({ text: "Try /ratchet review" });
    expect(fake.ephemeralsFor("U0TESTER").map((m) => m.text)).toContain("Try /ratchet review");
  });

  it("clicks a button in a posted message with the button's own value", async () => {
    await sender.command("post");
    const posted = await fake.waitFor("chat.postMessage", (args) => args.text === "Approve?");
    const message = { channelId: "C0GENERAL", ts: String((posted.response as { ts: string }).ts) };
    await sender.clickButton({ userId: "U0TESTER", message, actionId: "approve" });
    await fake.waitFor("chat.update");
    expect(fake.message(message.channelId, message.ts)?.text).toBe("Approved deviation-3 by <@U0TESTER>");
  });

  it("sends a block action from inside a modal, whose trigger can push onto that modal's stack", async () => {
    const trigger_id = fake.newTriggerId();
    const addStep = { type: "button" as const, action_id: "add_step", text: plain("Add step") };
    const section = { type: "section" as const, block_id: "steps", text: plain("Steps"), accessory: addStep };
    const opened = await app.client.views.open({ trigger_id, view: { ...reviewModal, blocks: [section] } });
    const viewId = opened.view?.id ?? "";
    await sender.blockAction({ userId: "U0TESTER", actionId: "add_step", viewId });
    const pushed = await fake.waitFor("views.push");
    expect(pushed.response).toMatchObject({ ok: true, view: { callback_id: "step", root_view_id: viewId } });
    expect(fake.viewStack(viewId)).toHaveLength(2);
  });

  it("delivers events and shortcuts", async () => {
    await sender.event({
      type: "app_mention",
      user: "U0TESTER",
      channel: "C0GENERAL",
      text: "<@U0RATCHET> hi",
    });
    expect(
      (await fake.waitFor("chat.postMessage", (args) => args.text === "Hi <@U0TESTER>")).response,
    ).toMatchObject({
      ok: true,
    });
    const isDeviationModal = (args: Record<string, unknown>) =>
      JSON.stringify(args.view).includes('"deviation"');
    await sender.shortcut({ callbackId: "log_deviation" });
    await fake.waitFor("views.open", isDeviationModal);
    const ts = fake.messagesIn("C0GENERAL").at(-1)?.ts ?? "";
    await sender.shortcut({ callbackId: "log_deviation", message: { channelId: "C0GENERAL", ts } });
    await fake.waitFor("views.open", isDeviationModal);
  });
});
