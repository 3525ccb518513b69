import { ErrorCode, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeSlack, pngSize } from "../../src/sandbox/fake-slack.js";

// A real 1x1 PNG: signature, IHDR, IDAT, IEND.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const plain = (text: string) => ({ type: "plain_text" as const, text });
const modal = (title = "Review") => ({ type: "modal" as const, title: plain(title), blocks: [] });

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await FakeSlack.start();
  client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(async () => {
  await fake.close();
});

/** The Slack error code a WebClient call was rejected with. */
async function slackError(call: Promise<unknown>): Promise<{ error?: string; [key: string]: unknown }> {
  const failure = (await call.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => error,
  )) as { code?: string; data?: { error?: string } };
  expect(failure.code).toBe(ErrorCode.PlatformError);
  return failure.data ?? {};
}

describe("FakeSlack auth", () => {
  it("answers auth.test with the bot identity and refuses bad or missing tokens", async () => {
    await expect(client.auth.test()).resolves.toMatchObject({
      ok: true,
      team_id: fake.teamId,
      user_id: "U0RATCHET",
    });
    const wrong = new WebClient("xoxb-wrong", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await slackError(wrong.auth.test())).error).toBe("invalid_auth");
    const none = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await slackError(none.auth.test())).error).toBe("not_authed");
  });
});

describe("FakeSlack messages", () => {
  it("posts a message, then edits it in place with chat.update", async () => {
    const posted = await client.chat.postMessage({ channel: "C0GENERAL", text: "Review due" });
    expect(posted).toMatchObject({
      ok: true,
      channel: "C0GENERAL",
      message: { text: "Review due", bot_id: "B0RATCHET" },
    });
    const ts = posted.ts ?? "";
    await client.chat.update({ channel: "C0GENERAL", ts, text: "Review done" });
    expect(fake.messagesIn("C0GENERAL").map((m) => [m.ts, m.text])).toEqual([[ts, "Review done"]]);
    expect(fake.lastCall("chat.update")?.args).toMatchObject({
      channel: "C0GENERAL",
      ts,
      text: "Review done",
    });
  });

  it("keeps thread replies apart from the channel's top-level messages", async () => {
    const parent = await client.chat.postMessage({ channel: "C0GENERAL", text: "Incident" });
    await client.chat.postMessage({ channel: "C0GENERAL", text: "Update 1", thread_ts: parent.ts ?? "" });
    expect(fake.messagesIn("C0GENERAL").map((m) => m.text)).toEqual(["Incident"]);
    expect(fake.repliesTo("C0GENERAL", parent.ts ?? "").map((m) => m.text)).toEqual(["Update 1"]);
  });

  it("refuses edits of unknown messages, over-long update text, empty messages and unknown channels", async () => {
    const ts = (await client.chat.postMessage({ channel: "C0GENERAL", text: "hi" })).ts ?? "";
    expect(
      (await slackError(client.chat.update({ channel: "C0GENERAL", ts: "1.000001", text: "x" }))).error,
    ).toBe("message_not_found");
    expect(
      (await slackError(client.chat.update({ channel: "C0GENERAL", ts, text: "x".repeat(4001) }))).error,
    ).toBe("msg_too_long");
    expect((await slackError(client.chat.postMessage({ channel: "C0GENERAL", text: "" }))).error).toBe(
      "no_text",
    );
    expect((await slackError(client.chat.postMessage({ channel: "C0NOWHERE", text: "hi" }))).error).toBe(
      "channel_not_found",
    );
  });

  it("answers invalid_blocks with Slack's errors and [ERROR] messages for an over-long section", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }];
    const data = await slackError(client.chat.postMessage({ channel: "C0GENERAL", text: "t", blocks }));
    expect(data).toMatchObject({
      error: "invalid_blocks",
      errors: ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      response_metadata: {
        messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      },
    });
    expect(fake.messagesIn("C0GENERAL")).toEqual([]);
  });

  it("refuses a message with 51 blocks", async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
    const data = await slackError(client.chat.postMessage({ channel: "C0GENERAL", text: "t", blocks }));
    expect(data.error).toBe("invalid_blocks");
  });

  it("fills in the block_id and action_id an app leaves out, as Slack does", async () => {
    const button = { type: "button" as const, text: plain("Go"), value: "1" };
    await client.chat.postMessage({
      channel: "C0GENERAL",
      text: "t",
      blocks: [{ type: "actions", elements: [button] }],
    });
    const [block] = (fake.messagesIn("C0GENERAL")[0]?.blocks ?? []) as {
      block_id: string;
      elements: object[];
    }[];
    expect(block?.block_id).toMatch(/^\S{5}$/);
    expect(block?.elements[0]).toMatchObject({ action_id: expect.stringMatching(/^\S{5}$/) });
  });

  it("opens a DM channel for a person and delivers posts addressed to their user id there", async () => {
    const opened = await client.conversations.open({ users: "U0TESTER" });
    expect(opened.channel?.id).toBe("D0TESTER");
    await client.chat.postMessage({ channel: "U0TESTER", text: "Your review is due" });
    expect(fake.dmsTo("U0TESTER").map((m) => m.text)).toEqual(["Your review is due"]);
    await client.chat.postEphemeral({ channel: "C0GENERAL", user: "U0TESTER", text: "psst" });
    expect(fake.ephemeralsFor("U0TESTER").map((m) => m.text)).toEqual(["psst"]);
  });

  it("links to a message with chat.getPermalink and removes it with chat.delete", async () => {
    const ts = (await client.chat.postMessage({ channel: "C0GENERAL", text: "hi" })).ts ?? "";
    const link = await client.chat.getPermalink({ channel: "C0GENERAL", message_ts: ts });
    expect(link.permalink).toBe(`https://ratchet-test.slack.com/archives/C0GENERAL/p${ts.replace(".", "")}`);
    await client.chat.delete({ channel: "C0GENERAL", ts });
    expect(fake.messagesIn("C0GENERAL")).toEqual([]);
  });
});

describe("FakeSlack users and channels", () => {
  it("answers users.info for seeded people, New York time by default, and user_not_found otherwise", async () => {
    fake.addUser({ id: "U0LONDON", name: "ada", tz: "Europe/London" });
    const tester = await client.users.info({ user: "U0TESTER" });
    expect(tester.user).toMatchObject({ id: "U0TESTER", tz: "America/New_York", deleted: false });
    expect([-18000, -14400]).toContain(tester.user?.tz_offset);
    expect((await client.users.info({ user: "U0LONDON" })).user?.tz).toBe("Europe/London");
    expect((await slackError(client.users.info({ user: "U0NOBODY" }))).error).toBe("user_not_found");
  });

  it("answers conversations.info for seeded channels and channel_not_found otherwise", async () => {
    fake.addChannel({ id: "G0SECRET", name: "secret", is_private: true });
    const info = await client.conversations.info({ channel: "G0SECRET" });
    expect(info.channel).toMatchObject({ id: "G0SECRET", name: "secret", is_private: true });
    expect((await slackError(client.conversations.info({ channel: "C0NOPE" }))).error).toBe(
      "channel_not_found",
    );
  });
});

describe("FakeSlack failure injection", () => {
  it("answers HTTP 429 with Retry-After, which WebClient surfaces as a rate-limited error", async () => {
    const limited = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    await expect(limited.chat.postMessage({ channel: "C0GENERAL", text: "hi" })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    await expect(limited.chat.postMessage({ channel: "C0GENERAL", text: "hi" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("answers a chosen error once", async () => {
    fake.failNext("users.info", { error: "fatal_error" });
    expect((await slackError(client.users.info({ user: "U0TESTER" }))).error).toBe("fatal_error");
    await expect(client.users.info({ user: "U0TESTER" })).resolves.toMatchObject({ ok: true });
  });
});

describe("FakeSlack views", () => {
  it("accepts a trigger id once, and refuses unknown and expired ones", async () => {
    const trigger = fake.newTriggerId();
    expect(trigger).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view).toMatchObject({ type: "modal", root_view_id: opened.view?.id, callback_id: "" });
    expect(fake.lastOpenedView()?.id).toBe(opened.view?.id);
    expect((await slackError(client.views.open({ trigger_id: trigger, view: modal() }))).error).toBe(
      "exchanged_trigger_id",
    );
    expect((await slackError(client.views.open({ trigger_id: "1.2.abc", view: modal() }))).error).toBe(
      "invalid_trigger_id",
    );
    const late = fake.newTriggerId();
    fake.advanceClock(3001);
    expect((await slackError(client.views.open({ trigger_id: late, view: modal() }))).error).toBe(
      "expired_trigger_id",
    );
  });

  it("refuses an invalid view the way slack.com does, with invalid_arguments and [ERROR] messages", async () => {
    const data = await slackError(
      client.views.open({ trigger_id: fake.newTriggerId(), view: modal("x".repeat(25)) }),
    );
    expect(data).toMatchObject({
      error: "invalid_arguments",
      response_metadata: {
        messages: ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"],
      },
    });
  });

  it("stacks pushed views up to three and refuses a fourth", async () => {
    const root = (await client.views.open({ trigger_id: fake.newTriggerId(), view: modal() })).view?.id ?? "";
    for (let i = 0; i < 2; i++) {
      await client.views.push({ trigger_id: fake.newTriggerId({ viewId: root }), view: modal(`Step ${i}`) });
    }
    expect(fake.viewStack(root)).toHaveLength(3);
    const data = await slackError(
      client.views.push({ trigger_id: fake.newTriggerId({ viewId: root }), view: modal() }),
    );
    expect(data.error).toBe("push_limit_reached");
  });

  it("updates a view in place and refuses a stale hash", async () => {
    const opened = (await client.views.open({ trigger_id: fake.newTriggerId(), view: modal() })).view;
    const id = opened?.id ?? "";
    const updated = await client.views.update({
      view_id: id,
      hash: opened?.hash ?? "",
      view: modal("Updated"),
    });
    expect(fake.viewById(id)?.title).toEqual(plain("Updated"));
    expect(updated.view?.hash).not.toBe(opened?.hash);
    const stale = await slackError(
      client.views.update({ view_id: id, hash: opened?.hash ?? "", view: modal() }),
    );
    expect(stale.error).toBe("hash_conflict");
  });

  it("publishes a home tab per person", async () => {
    const home = { type: "home" as const, blocks: [{ type: "section", text: plain("Your mechanisms") }] };
    await client.views.publish({ user_id: "U0TESTER", view: home });
    expect(fake.homeViewFor("U0TESTER")?.blocks).toMatchObject(home.blocks);
  });
});

describe("FakeSlack file uploads", () => {
  it("accepts a real PNG through filesUploadV2 and shares it in the channel", async () => {
    expect(pngSize(PNG)).toEqual({ width: 1, height: 1 });
    const result = await client.filesUploadV2({
      channel_id: "C0GENERAL",
      file: PNG,
      filename: "burndown.png",
      title: "Burndown",
    });
    expect(result.ok).toBe(true);
    const [file] = fake.files;
    expect(file).toMatchObject({
      filename: "burndown.png",
      title: "Burndown",
      channel: "C0GENERAL",
      completed: true,
    });
    expect(Buffer.from(file?.bytes ?? []).equals(PNG)).toBe(true);
    expect(fake.messagesIn("C0GENERAL")[0]?.files?.[0]?.name).toBe("burndown.png");
  });

  it("refuses a .png that is not a PNG, and takes markdown as is", async () => {
    const garbage = client.filesUploadV2({
      channel_id: "C0GENERAL",
      file: Buffer.from("not a png"),
      filename: "x.png",
    });
    expect((await slackError(garbage)).error).toBe("invalid_file");
    await client.filesUploadV2({ channel_id: "C0GENERAL", content: "# Rollup", filename: "rollup.md" });
    expect(Buffer.from(fake.files.at(-1)?.bytes ?? []).toString()).toBe("# Rollup");
  });
});

describe("FakeSlack waitFor", () => {
  it("resolves with a call that arrives later, and with each call only once", async () => {
    const waiting = fake.waitFor("chat.postMessage", (args) => args.text === "second");
    await client.chat.postMessage({ channel: "C0GENERAL", text: "first" });
    await client.chat.postMessage({ channel: "C0GENERAL", text: "second" });
    expect((await waiting).args.text).toBe("second");
    expect((await fake.waitFor("chat.postMessage")).args.text).toBe("first");
    await expect(fake.waitFor("chat.postMessage", undefined, 50)).rejects.toThrow(/timed out after 50 ms/);
  });
});
