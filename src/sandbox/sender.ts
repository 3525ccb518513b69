// Posts real-shaped, correctly signed Slack requests into the app, with trigger ids and response URLs
// issued by the FakeSlack, and applies what the app acks the way the Slack client would. The e2e tests
// and the sandbox page (`npm run sandbox`) both drive the app through it; it signs by the real clock
// because Bolt judges request timestamps by it.
import { createHmac, randomBytes } from "node:crypto";
import { systemClock } from "../shared/clock.js";
import type { FakeSlack, StoredView } from "./fake-slack.js";
import { type Answer, buildViewState, optionsOf, statefulElements } from "./view-state.js";

export type { Answer } from "./view-state.js";

type Json = Record<string, unknown>;

export interface SenderResult {
  status: number;
  /** Parsed JSON when the app answered JSON, else the raw text ("" for a bare ack). */
  body: unknown;
}
export interface MessageRef {
  channelId: string;
  ts: string;
}

/** Slack's request signature: `v0=` + hex(HMAC-SHA256(secret, "v0:{ts}:{rawBody}")). */
export function signRequest(secret: string, ts: number | string, rawBody: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${rawBody}`).digest("hex")}`;
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const nowTs = (): string => (systemClock.now().getTime() / 1000).toFixed(6);

export class SlackSender {
  private readonly appUrl: string;
  private readonly signingSecret: string;
  private readonly fake: FakeSlack;
  private readonly teamId: string;
  private readonly token = "fake-verification-token";

  constructor(opts: { appUrl: string; signingSecret: string; fake: FakeSlack; teamId?: string }) {
    this.appUrl = opts.appUrl;
    this.signingSecret = opts.signingSecret;
    this.fake = opts.fake;
    this.teamId = opts.teamId ?? opts.fake.teamId;
  }

  /**
   * Signs and posts a raw body; the timestamp is the real clock because Bolt rejects stale requests.
   * `headers` adds Slack's own, such as X-Slack-Retry-Num on a redelivery.
   */
  async post(
    rawBody: string,
    contentType: string,
    headers: Record<string, string> = {},
    o: { secondsLater?: number } = {},
  ): Promise<SenderResult> {
    // A redelivery is a new request, signed at its own time: `secondsLater` plays one sent later.
    const ts = Math.floor(systemClock.now().getTime() / 1000) + (o.secondsLater ?? 0);
    const response = await fetch(this.appUrl, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": signRequest(this.signingSecret, ts, rawBody),
        ...headers,
      },
      body: rawBody,
    });
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.includes("json") ?? false;
    return { status: response.status, body: isJson && text !== "" ? (JSON.parse(text) as unknown) : text };
  }

  /**
   * An Events API delivery (slack-fixtures/payloads/events): the event_callback envelope around
   * `event`. Pass the same `eventId` with `retryNum` to send a redelivery, as Slack does after a
   * timeout (same event_id, X-Slack-Retry-Num and X-Slack-Retry-Reason headers).
   */
  event(
    event: Json & { type: string },
    opts: { eventId?: string; retryNum?: number; retryReason?: string } = {},
  ): Promise<SenderResult> {
    const eventId = opts.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
    const body = {
      token: this.token,
      team_id: this.teamId,
      api_app_id: this.fake.appId,
      event: { event_ts: nowTs(), ...event },
      type: "event_callback",
      event_id: eventId,
      event_time: Math.floor(systemClock.now().getTime() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.fake.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    const headers: Record<string, string> =
      opts.retryNum !== undefined
        ? {
            "x-slack-retry-num": String(opts.retryNum),
            "x-slack-retry-reason": opts.retryReason ?? "http_timeout",
          }
        : {};
    return this.post(JSON.stringify(body), "application/json", headers);
  }

  /** A slash command, with every field Slack sends (slack-fixtures/payloads/slash_commands). */
  command(
    text: string,
    opts: { userId?: string; channelId?: string; command?: string } = {},
  ): Promise<SenderResult> {
    return this.post(this.commandBody(text, opts), "application/x-www-form-urlencoded");
  }

  /** A slash command's form body, to send as is (or again, as a retry with the same trigger_id). */
  commandBody(text: string, opts: { userId?: string; channelId?: string; command?: string } = {}): string {
    const userId = opts.userId ?? "U0TESTER";
    const channelId = opts.channelId ?? "C0GENERAL";
    const body = new URLSearchParams({
      token: this.token,
      team_id: this.teamId,
      team_domain: this.fake.teamDomain,
      channel_id: channelId,
      channel_name: this.channelName(channelId),
      user_id: userId,
      user_name: this.userName(userId),
      command: opts.command ?? "/ratchet",
      text,
      api_app_id: this.fake.appId,
      is_enterprise_install: "false",
      response_url: this.fake.newResponseUrl({ channelId, userId }),
      trigger_id: this.fake.newTriggerId(),
    });
    return body.toString();
  }

  /** A block_actions payload from a stored message (or ephemeral) or an open view. */
  blockAction(opts: {
    userId: string;
    actionId: string;
    blockId?: string;
    value?: string;
    selectedOption?: string;
    message?: MessageRef | undefined;
    viewId?: string;
    /** other inputs of the open view as the person has filled them so far (Slack sends them in view.state) */
    state?: Record<string, Answer>;
  }): Promise<SenderResult> {
    const view = opts.viewId ? this.requireView(opts.viewId) : undefined;
    const source = opts.message ? this.messageSource(opts.message) : undefined;
    if (!view && !source) throw new Error("blockAction needs a message or a viewId to come from");
    const blocks = view?.blocks ?? source?.blocks ?? [];
    const found = findElement(blocks, opts.actionId, opts.blockId);
    if (!found) {
      throw new Error(
        `no element with action_id "${opts.actionId}" in ${view ? `view ${view.id}` : "the message"}`,
      );
    }
    const { blockId, element } = found;
    const action: Json = {
      action_id: opts.actionId,
      block_id: blockId,
      type: element.type,
      action_ts: nowTs(),
    };
    if (element.text !== undefined) action.text = element.text;
    if (element.style !== undefined) action.style = element.style;
    const value = opts.value ?? element.value;
    if (value !== undefined) action.value = value;
    if (opts.selectedOption !== undefined) {
      const option = optionsOf(element).find((o) => o.value === opts.selectedOption);
      if (!option) throw new Error(`"${opts.selectedOption}" is not an option of action "${opts.actionId}"`);
      action.selected_option = option;
    }
    const payload: Json = {
      type: "block_actions",
      user: this.userJson(opts.userId),
      api_app_id: this.fake.appId,
      token: this.token,
      trigger_id: this.fake.newTriggerId(view ? { viewId: view.id } : {}),
      team: this.teamJson(),
      enterprise: null,
      is_enterprise_install: false,
      actions: [action],
    };
    // Like Slack, the view's state holds what is typed so far, the dispatching input's new value included.
    const typed = { ...(opts.state ?? {}) };
    const isInput = statefulElements(blocks).some((e) => e.isInput && e.blockId === blockId);
    if (view && isInput && opts.value !== undefined) typed[blockId] = opts.value;
    const state = {
      values: buildViewState({ blocks }, typed, { timezone: this.tz(opts.userId), requireAnswers: false }),
    };
    if (view) {
      payload.container = { type: "view", view_id: view.id };
      payload.view = { ...view, state };
    } else if (source && opts.message) {
      const { channelId, ts } = opts.message;
      payload.container = {
        type: "message",
        message_ts: ts,
        channel_id: channelId,
        is_ephemeral: source.ephemeral,
      };
      payload.channel = { id: channelId, name: this.channelName(channelId) };
      if (source.message) payload.message = source.message;
      payload.state = state;
      payload.response_url = this.fake.newResponseUrl({ channelId, userId: opts.userId, messageTs: ts });
    }
    return this.postPayload(payload);
  }

  /** Clicks the button with this action_id in a stored message, sending its own value and block_id. */
  clickButton(opts: { userId: string; message: MessageRef; actionId: string }): Promise<SenderResult> {
    const blocks = this.messageSource(opts.message).blocks;
    const found = findElement(blocks, opts.actionId);
    if (found?.element.type !== "button") {
      throw new Error(`no button with action_id "${opts.actionId}" in message ${opts.message.ts}`);
    }
    return this.blockAction({ ...opts, blockId: found.blockId });
  }

  /**
   * Submits the open view as a person would (answers keyed by input block_id), then applies the ack:
   * errors keep the view open, update/push/clear change the stack, an empty ack closes the view.
   */
  async submitView(
    viewId: string,
    answers: Record<string, Answer>,
    opts: { userId?: string } = {},
  ): Promise<SenderResult & { errors?: Record<string, string> }> {
    const result = await this.postPayload(this.viewSubmission(viewId, answers, opts));
    const ack = isObject(result.body) ? result.body : {};
    if (result.status !== 200) return result;
    switch (ack.response_action) {
      case "errors":
        return { ...result, errors: checkedErrors(this.requireView(viewId), ack.errors) };
      case "update":
        this.fake.replaceView(viewId, ack.view);
        break;
      case "push":
        this.fake.pushView(viewId, ack.view);
        break;
      case "clear":
        this.fake.clearViewStack(viewId);
        break;
      default:
        this.fake.closeView(viewId);
    }
    return result;
  }

  /**
   * The view_submission payload a person's Submit sends for the open view, without sending it: post it
   * with `postPayload`, twice to play a double-click or Slack's retry of the same submission.
   */
  viewSubmission(viewId: string, answers: Record<string, Answer>, opts: { userId?: string } = {}): Json {
    const view = this.requireView(viewId);
    if (this.fake.viewStack(viewId).at(-1) !== viewId) {
      throw new Error(`view ${viewId} is not the top of an open modal stack, so nobody can submit it`);
    }
    const userId = opts.userId ?? "U0TESTER";
    const values = buildViewState(view, answers, { timezone: this.tz(userId), requireAnswers: true });
    return {
      type: "view_submission",
      team: this.teamJson(),
      user: this.userJson(userId),
      api_app_id: this.fake.appId,
      token: this.token,
      trigger_id: this.fake.newTriggerId({ viewId }),
      view: { ...view, state: { values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  /** A message shortcut (`message_action`) when `message` is given, else a global shortcut. */
  shortcut(opts: { callbackId: string; userId?: string; message?: MessageRef }): Promise<SenderResult> {
    const userId = opts.userId ?? "U0TESTER";
    const common = {
      token: this.token,
      action_ts: nowTs(),
      team: this.teamJson(),
      callback_id: opts.callbackId,
      trigger_id: this.fake.newTriggerId(),
      is_enterprise_install: false,
      enterprise: null,
    };
    if (!opts.message) {
      const user = { id: userId, username: this.userName(userId), team_id: this.teamId };
      return this.postPayload({ type: "shortcut", ...common, user });
    }
    const { channelId, ts } = opts.message;
    const source = this.messageSource(opts.message);
    return this.postPayload({
      type: "message_action",
      ...common,
      user: { id: userId, name: this.userName(userId) },
      channel: { id: channelId, name: this.channelName(channelId) },
      message_ts: ts,
      message: source.message,
      response_url: this.fake.newResponseUrl({ channelId, userId, messageTs: ts }),
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Posts an interactivity payload (form-encoded `payload=`), e.g. one from `viewSubmission`, again. */
  postPayload(payload: Json, headers: Record<string, string> = {}): Promise<SenderResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.post(body.toString(), "application/x-www-form-urlencoded", headers);
  }

  private requireView(viewId: string): StoredView {
    const view = this.fake.viewById(viewId);
    if (!view) throw new Error(`the fake has no view ${viewId}; did the app open it?`);
    return view;
  }

  private messageSource(ref: MessageRef): { blocks: unknown[]; message?: Json; ephemeral: boolean } {
    const stored = this.fake.message(ref.channelId, ref.ts);
    if (stored)
      return { blocks: stored.blocks ?? [], message: this.fake.toMessageJson(stored), ephemeral: false };
    // Slack leaves `message` out of payloads from ephemeral messages.
    const ephemeral = this.fake.ephemeral(ref.channelId, ref.ts);
    if (ephemeral) return { blocks: ephemeral.blocks ?? [], ephemeral: true };
    throw new Error(`the fake has no message ${ref.ts} in ${ref.channelId}`);
  }

  private channelName(channelId: string): string {
    const channel = this.fake.channel(channelId);
    if (!channel) throw new Error(`channel ${channelId} is unknown to the fake; call fake.addChannel first`);
    return channel.user ? "directmessage" : channel.name;
  }

  private userName(userId: string): string {
    return this.fake.user(userId)?.name ?? userId.toLowerCase();
  }

  private tz(userId: string): string {
    return this.fake.user(userId)?.tz ?? "America/New_York";
  }

  private userJson(userId: string): Json {
    const name = this.userName(userId);
    return { id: userId, username: name, name, team_id: this.teamId };
  }

  private teamJson(): Json {
    return { id: this.teamId, domain: this.fake.teamDomain };
  }
}

/** Finds an interactive element by action_id in input, section accessory or actions blocks. */
function findElement(
  blocks: unknown[],
  actionId: string,
  blockId?: string,
): { blockId: string; element: Json } | undefined {
  for (const block of blocks.filter(isObject)) {
    if (blockId !== undefined && block.block_id !== blockId) continue;
    const elements = [
      block.element,
      block.accessory,
      ...(Array.isArray(block.elements) ? block.elements : []),
    ];
    const element = elements.filter(isObject).find((el) => el.action_id === actionId);
    if (element) return { blockId: String(block.block_id ?? ""), element };
  }
  return undefined;
}

/** Slack only shows errors against input blocks of the view; anything else is an app bug worth failing on. */
function checkedErrors(view: StoredView, errors: unknown): Record<string, string> {
  if (!isObject(errors))
    throw new Error(`response_action "errors" without an errors object: ${JSON.stringify(errors)}`);
  const inputIds = statefulElements(view.blocks)
    .filter((e) => e.isInput)
    .map((e) => e.blockId);
  const result: Record<string, string> = {};
  for (const [blockId, message] of Object.entries(errors)) {
    if (!inputIds.includes(blockId)) {
      throw new Error(
        `the app answered an error for "${blockId}", which is not an input block of view ${view.id}`,
      );
    }
    result[blockId] = String(message);
  }
  return result;
}
