// A local stand-in for slack.com: the Web API methods Ratchet calls, answered in the shapes of the real
// samples in /work/shared/slack-fixtures/web-api, with Slack's limits enforced so tests fail where Slack would.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateBlocks, validateView } from "./block-kit-limits.js";
import { pngSize } from "./png-size.js";

export { pngSize } from "./png-size.js";

type Json = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: Json;
  at: Date;
  /** What the fake answered, so a test can see an error the app swallowed. */
  response: unknown;
  /** When the answer was written (later than `at` for a slow answer; unset if the client gave up first). */
  answeredAt?: Date;
  /** The bearer token the call carried (OAuth tests check which workspace's token a call used). */
  token?: string;
}

/** A workspace (or org-wide) install the fake granted through oauth.v2.access (OAuth mode). */
export interface FakeInstall {
  teamId: string;
  enterpriseId?: string;
  orgWide?: boolean;
  /** token rotation: the bot token expires and comes with a refresh token */
  rotation?: boolean;
  token: string;
  refreshToken?: string;
  revoked: boolean;
}
/**
 * How a call can go wrong, as slack.com's do:
 * - `{ status: 429, retryAfter }` rate limited; nothing happened.
 * - `{ error }` an `ok: false` answer; nothing happened unless `afterStore` (internal_error after the
 *   message was stored, which Slack documents as possible).
 * - `{ status: 500 }` an HTTP error; with `afterStore` the call took effect first (a 500 after storing).
 * - `{ delayMs }` the call takes effect at once but the answer comes `delayMs` later (a slow Slack
 *   that stores a post and answers after the client gave up). With `untilNextCall` the answer is
 *   written as soon as another call of the same method arrives (at most `delayMs` later), so a test
 *   can prove two calls overlapped without depending on how fast the machine is.
 */
export type Failure =
  | { status: 429; retryAfter: number }
  | { error: string; afterStore?: boolean }
  | { status: 500; afterStore?: boolean }
  | { delayMs: number; untilNextCall?: boolean };
export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_offset: number;
  deleted: boolean;
  is_bot: boolean;
}
export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  /** Set for DM channels: the person on the other side. */
  user?: string;
  /** Whether the bot is in the channel; posting elsewhere answers not_in_channel. */
  botMember: boolean;
  archived: boolean;
  /**
   * People in the channel (conversations.members). Unset means every active user of the fake, so
   * channels made before their users need no bookkeeping; the bot is listed while it is a member.
   */
  members?: string[];
}
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  user: string;
  bot_id: string;
  files?: { id: string; name: string; title: string }[];
  /** Message metadata (chat.postMessage `metadata`), returned by history with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Json };
}
export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
}
export type StoredView = Json & {
  id: string;
  type: string;
  hash: string;
  callback_id: string;
  private_metadata: string;
  blocks: unknown[];
  root_view_id: string;
};
export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  length: number;
  bytes?: Uint8Array;
  channel?: string;
  threadTs?: string;
  initialComment?: string;
  completed: boolean;
}
export interface ResponseUrlContext {
  channelId: string;
  userId: string;
  /** The message an interaction came from, for replace_original / delete_original. */
  messageTs?: string;
}

/** Thrown by a method handler; becomes Slack's `{ ok: false, error, ...extra }` answer. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Json = {},
  ) {
    super(Object.keys(extra).length > 0 ? `${code} ${JSON.stringify(extra)}` : code);
  }
}

const TRIGGER_LIFETIME_MS = 3000;
/** Where slack.com starts answering msg_blocks_too_long (undocumented; bolt-js#2509 saw ~12–13k). */
const MAX_BLOCK_TEXT = 12_000;
const MAX_VIEW_BYTES = 250_000;
const MAX_VIEW_STACK = 3;
const JSON_ARGS = new Set(["blocks", "view", "attachments", "files", "metadata"]);

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function errorFor(problems: string[], code: "invalid_blocks" | "invalid_arguments"): SlackApiError {
  const messages = problems.map((p) => `[ERROR] ${p}`);
  return code === "invalid_blocks"
    ? new SlackApiError(code, { errors: problems, response_metadata: { messages } })
    : new SlackApiError(code, { response_metadata: { messages } });
}

function currentOffsetSeconds(tz: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
    .formatToParts(new Date())
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly botToken: string;
  readonly teamId: string;
  readonly teamDomain = "ratchet-test";
  readonly botUserId = "U0RATCHET";
  readonly botId = "B0RATCHET";
  readonly appId = "A0RATCHET";
  readonly ephemerals: EphemeralMessage[] = [];
  readonly files: UploadedFile[] = [];
  readonly responseUrlPosts: { url: string; body: Json; context: ResponseUrlContext }[] = [];

  private readonly server: Server;
  private baseUrl = "";
  private clockOffsetMs = 0;
  private counter = 0;
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly views = new Map<string, StoredView>();
  private readonly stacks: string[][] = [];
  private readonly openedOrder: string[] = [];
  private readonly homes = new Map<string, string>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; viewId?: string }>();
  private readonly responseUrls = new Map<string, ResponseUrlContext>();
  private readonly failures = new Map<string, Failure[]>();
  /**
   * Called for every Web API call after queued failures: return a Failure to inject it. Chaos tests
   * set this to fail a share of calls at random (slow answers, 429s, 500s after storing).
   */
  chaos: ((method: string, args: Json) => Failure | undefined) | undefined;
  /**
   * The most items one page of a paginated method answers, whatever `limit` asked for: slack.com may
   * answer fewer than `limit` and says so only through next_cursor, so a test sets this low to prove
   * the app follows every cursor.
   */
  pageCap = 1000;
  private readonly claimed = new Set<RecordedCall>();
  /** OAuth mode: codes handed out by `grantInstall`, and installs by their current bot token */
  private readonly oauthCodes = new Map<string, Omit<FakeInstall, "token" | "revoked">>();
  readonly installs = new Map<string, FakeInstall>();
  private callingTeam: string | undefined;
  readonly clientId = "1111.2222";
  readonly clientSecret = "fake-client-secret";
  private readonly waiters = new Set<() => void>();

  private constructor(opts: { botToken?: string; teamId?: string }) {
    this.botToken = opts.botToken ?? "xoxb-fake-ratchet-token";
    this.teamId = opts.teamId ?? "T0RATCHET";
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      });
    });
    this.addUser({ id: this.botUserId, name: "ratchet", real_name: "Ratchet", is_bot: true });
    this.addUser({ id: "U0TESTER", name: "tester", real_name: "Test Person" });
    this.addChannel({ id: "C0GENERAL", name: "general" });
  }

  static async start(opts: { botToken?: string; teamId?: string } = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** What the app passes as WebClient `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- clock, seeding, failure injection -------------------------------------------------------

  /** The fake's own clock; trigger ids expire by it, so tests can age them without sleeping. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    const tz = user.tz ?? "America/New_York";
    const stored: FakeUser = {
      name: user.id.toLowerCase(),
      real_name: user.name ?? user.id,
      tz_offset: currentOffsetSeconds(tz),
      deleted: false,
      is_bot: false,
      ...user,
      tz,
    };
    this.users.set(user.id, stored);
    return stored;
  }

  addChannel(channel: {
    id: string;
    name: string;
    is_private?: boolean;
    botMember?: boolean;
    members?: string[];
  }): void {
    this.channels.set(channel.id, { is_private: false, botMember: true, archived: false, ...channel });
  }

  /** Who conversations.members lists: the channel's people, and the bot while it is in the channel. */
  membersOf(channelId: string): string[] {
    const c = this.requireChannel(channelId);
    const people =
      c.members ??
      [...this.users.values()].filter((u) => !u.deleted && u.id !== this.botUserId).map((u) => u.id);
    return [...people.filter((m) => m !== this.botUserId), ...(c.botMember ? [this.botUserId] : [])];
  }

  /** Removes the bot from a channel (as `/kick @Ratchet` would); posting there answers not_in_channel. */
  removeBot(channelId: string): void {
    this.requireChannel(channelId).botMember = false;
  }

  /** Invites the bot back; the test then sends member_joined_channel as Slack would. */
  inviteBot(channelId: string): void {
    this.requireChannel(channelId).botMember = true;
  }

  archive(channelId: string): void {
    this.requireChannel(channelId).archived = true;
  }

  private requireChannel(id: string): FakeChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`unknown channel ${id}`);
    return c;
  }

  user(id: string): FakeUser | undefined {
    return this.users.get(id);
  }

  channel(id: string): FakeChannel | undefined {
    return this.channels.get(id);
  }

  /** The next call to `method` fails this way; queue several by calling again. */
  failNext(method: string, failure: Failure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  // ---- ids Slack hands out --------------------------------------------------------------------

  /** A trigger id in Slack's format; `viewId` says which modal the interaction came from (for views.push). */
  newTriggerId(opts: { viewId?: string } = {}): string {
    const id = `${Math.floor(this.now() / 1000)}${++this.counter}.${this.teamNumber()}.${randomBytes(16).toString("hex")}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false, ...opts });
    return id;
  }

  /** A response_url on the fake; posts to it are recorded as calls to the method "response_url". */
  newResponseUrl(context: ResponseUrlContext): string {
    const url = `${this.baseUrl}/commands/${this.teamId}/${++this.counter}/${randomBytes(12).toString("hex")}`;
    this.responseUrls.set(new URL(url).pathname, context);
    return url;
  }

  private teamNumber(): string {
    return String(this.teamId.split("").reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1e11, 7));
  }

  /**
   * Where message timestamps come from. Slack stamps messages with its own clock, which the app's
   * clock follows; the harness points this at the test's clock so lookups by time ("messages since
   * this attempt started") see what they would see in production.
   */
  messageClock: () => number = () => this.now();

  private nextTs(): string {
    return `${Math.floor(this.messageClock() / 1000)}.${String(++this.counter).padStart(6, "0")}`;
  }

  private nextId(prefix: string): string {
    return `${prefix}0${(++this.counter).toString(36).toUpperCase().padStart(8, "0")}`;
  }

  // ---- what tests read ------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  /**
   * Resolves with the first call to `method` matching `predicate` that no earlier waitFor returned,
   * including calls that already arrived (the app often calls Slack before the test starts waiting).
   */
  waitFor(
    method: string,
    predicate: (args: Json, call: RecordedCall) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const claim = (): boolean => {
        const call = this.calls.find(
          (c) => c.method === method && !this.claimed.has(c) && predicate(c.args, c),
        );
        if (!call) return false;
        this.claimed.add(call);
        resolve(call);
        return true;
      };
      if (claim()) return;
      const waiter = (): void => {
        if (!claim()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.map((c) => c.method).join(", ") || "none";
        reject(new Error(`waitFor("${method}") timed out after ${timeoutMs} ms; calls so far: ${seen}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** A message a person wrote (not the bot), for tests of message shortcuts. Returns its ts. */
  addUserMessage(o: { channel: string; user: string; text: string }): string {
    if (!this.channels.has(o.channel)) throw new Error(`unknown channel ${o.channel}; call addChannel first`);
    const ts = this.nextTs();
    this.pushMessage({ channel: o.channel, ts, text: o.text, user: o.user, bot_id: "" });
    return ts;
  }

  /** Top-level messages in a channel, oldest first (thread replies are in repliesTo). */
  /** Every message the bot or a person posted, in every channel and thread (DMs included). */
  allMessages(): StoredMessage[] {
    return [...this.messages.values()].flat();
  }

  messagesIn(channel: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter(
      (m) => m.thread_ts === undefined || m.thread_ts === m.ts,
    );
  }

  repliesTo(channel: string, threadTs: string): StoredMessage[] {
    return (this.messages.get(channel) ?? []).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  ephemeralsFor(userId: string): EphemeralMessage[] {
    return this.ephemerals.filter((m) => m.user === userId);
  }

  ephemeral(channel: string, ts: string): EphemeralMessage | undefined {
    return this.ephemerals.find((m) => m.channel === channel && m.ts === ts);
  }

  dmChannelFor(userId: string): string | undefined {
    return [...this.channels.values()].find((c) => c.user === userId)?.id;
  }

  /** Messages the bot sent to a person's DM. */
  dmsTo(userId: string): StoredMessage[] {
    const channel = this.dmChannelFor(userId);
    return channel ? this.messagesIn(channel) : [];
  }

  viewById(id: string): StoredView | undefined {
    return this.views.get(id);
  }

  /** The modal most recently opened or pushed, whether or not it is still open. */
  lastOpenedView(): StoredView | undefined {
    const id = this.openedOrder.at(-1);
    return id ? this.views.get(id) : undefined;
  }

  /** The open modal stack holding this view, bottom first; empty when the view is closed. */
  viewStack(viewId: string): string[] {
    return [...(this.stacks.find((stack) => stack.includes(viewId)) ?? [])];
  }

  isViewOpen(viewId: string): boolean {
    return this.viewStack(viewId).length > 0;
  }

  /** Every open modal stack, oldest first (each bottom first): what the sandbox page shows. */
  openStacks(): string[][] {
    return this.stacks.map((stack) => [...stack]);
  }

  homeViewFor(userId: string): StoredView | undefined {
    const id = this.homes.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  // ---- what the Slack client does when a view_submission is acked (used by SlackSender) --------

  closeView(viewId: string): void {
    const stack = this.stacks.find((s) => s.includes(viewId));
    if (!stack) return;
    stack.splice(stack.indexOf(viewId));
    if (stack.length === 0) this.stacks.splice(this.stacks.indexOf(stack), 1);
  }

  clearViewStack(viewId: string): void {
    const stack = this.stacks.find((s) => s.includes(viewId));
    if (stack) this.stacks.splice(this.stacks.indexOf(stack), 1);
  }

  replaceView(viewId: string, view: unknown): StoredView {
    const current = this.requireView(viewId);
    this.checkView(view);
    return this.storeView(view as Json, current);
  }

  pushView(fromViewId: string, view: unknown): StoredView {
    const stack = this.stacks.find((s) => s.includes(fromViewId));
    if (!stack) throw new SlackApiError("not_found");
    if (stack.length >= MAX_VIEW_STACK) throw new SlackApiError("push_limit_reached");
    this.checkView(view);
    const stored = this.storeView(view as Json, { root_view_id: stack[0], previous_view_id: stack.at(-1) });
    stack.push(stored.id);
    this.openedOrder.push(stored.id);
    return stored;
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", this.baseUrl).pathname;
    const contentType = req.headers["content-type"] ?? "";
    if (path.startsWith("/api/")) {
      const method = path.slice("/api/".length);
      const args = parseArgs(raw, contentType);
      const { status, body, headers, delayMs, untilNextCall } = this.answer(
        method,
        args,
        req.headers.authorization,
      );
      const call = this.record(method, args, body);
      const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, "");
      if (bearer) call.token = bearer;
      if (delayMs) await this.hold(method, call, delayMs, untilNextCall === true);
      if (res.destroyed) return; // the client gave up; the call still took effect
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
      call.answeredAt = new Date(this.now());
    } else if (path.startsWith("/upload/")) {
      const bytes = await uploadedBytes(raw, contentType);
      const file = this.files.find((f) => f.id === path.slice("/upload/".length));
      if (file) file.bytes = bytes;
      this.record("upload", { file_id: file?.id, length: bytes.length }, file ? "OK" : "not found");
      res.writeHead(file ? 200 : 404, { "content-type": "text/plain" });
      res.end(file ? `OK - ${bytes.length}` : "Not Found");
    } else if (this.responseUrls.has(path)) {
      const body = parseArgs(raw, contentType);
      const answer = this.respondToResponseUrl(path, body);
      this.record("response_url", { ...body, url: `${this.baseUrl}${path}` }, answer);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
    }
  }

  /** Waits `ms`, or (with `untilNextCall`) only until another `method` call follows `call`. */
  private hold(method: string, call: RecordedCall, ms: number, untilNextCall: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const waiter = () => {
        const later = this.calls.slice(this.calls.indexOf(call) + 1);
        if (untilNextCall && later.some((c) => c.method === method)) done();
      };
      this.waiters.add(waiter);
    });
  }

  private record(method: string, args: Json, response: unknown): RecordedCall {
    const call: RecordedCall = { method, args, at: new Date(this.now()), response };
    this.calls.push(call);
    for (const waiter of [...this.waiters]) waiter();
    return call;
  }

  private answer(
    method: string,
    args: Json,
    authorization: string | undefined,
  ): {
    status: number;
    body: Json;
    headers?: Record<string, string>;
    delayMs?: number;
    untilNextCall?: boolean;
  } {
    const failure = this.failures.get(method)?.shift() ?? this.chaos?.(method, args);
    if (failure && "retryAfter" in failure) {
      const headers = { "retry-after": String(failure.retryAfter) };
      return { status: 429, body: { ok: false, error: "ratelimited" }, headers };
    }
    const afterStore = failure !== undefined && "afterStore" in failure && failure.afterStore === true;
    if (failure && "error" in failure && !afterStore)
      return { status: 200, body: { ok: false, error: failure.error } };
    if (failure && "status" in failure && !afterStore) {
      return { status: 500, body: { ok: false, error: "internal_server_error" } };
    }
    const result = this.handle(method, args, authorization);
    if (failure && "delayMs" in failure)
      return { ...result, delayMs: failure.delayMs, untilNextCall: failure.untilNextCall };
    if (failure && "error" in failure) return { status: 200, body: { ok: false, error: failure.error } };
    if (failure && "status" in failure)
      return { status: 500, body: { ok: false, error: "internal_server_error" } };
    return result;
  }

  private handle(
    method: string,
    args: Json,
    authorization: string | undefined,
  ): { status: number; body: Json } {
    // The OAuth exchange authenticates with the app's client id and secret, not a token.
    if (method === "oauth.v2.access") return this.oauthAccess(args);
    const token = authorization?.replace(/^Bearer\s+/i, "") ?? str(args.token);
    if (!token) return { status: 200, body: { ok: false, error: "not_authed" } };
    const install = this.installs.get(token);
    if (install?.revoked) return { status: 200, body: { ok: false, error: "token_revoked" } };
    if (token !== this.botToken && !install)
      return { status: 200, body: { ok: false, error: "invalid_auth" } };
    if (install && method === "auth.test") {
      const { teamId, enterpriseId, orgWide } = install;
      const auth = {
        ...this.handlers["auth.test"]?.(args),
        team_id: teamId,
        is_enterprise_install: orgWide === true,
      };
      return {
        status: 200,
        body: { ok: true, ...auth, ...(enterpriseId ? { enterprise_id: enterpriseId } : {}) },
      };
    }
    const handler = this.handlers[method];
    if (!handler) return { status: 200, body: { ok: false, error: "unknown_method" } };
    // The workspace a call speaks for (its install's, in OAuth mode): views it opens belong to it.
    this.callingTeam = install?.teamId;
    try {
      return { status: 200, body: { ok: true, ...handler(args) } };
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      return { status: 200, body: { ok: false, error: error.code, ...error.extra } };
    }
  }

  // ---- OAuth (many workspaces) ----------------------------------------------------------------

  /**
   * What Slack's authorize page does when a person approves the install: a one-time code the app's
   * /slack/oauth_redirect exchanges through oauth.v2.access.
   */
  grantInstall(o: { teamId: string; enterpriseId?: string; orgWide?: boolean; rotation?: boolean }): string {
    const code = `code-${randomBytes(6).toString("hex")}`;
    this.oauthCodes.set(code, o);
    return code;
  }

  /** Revokes the bot token of an install (what an admin's uninstall does before app_uninstalled). */
  revoke(teamOrEnterpriseId: string): void {
    for (const i of this.installs.values())
      if ((i.orgWide ? i.enterpriseId : i.teamId) === teamOrEnterpriseId) i.revoked = true;
  }

  /** The current bot token of an install (workspace id, or the enterprise id of an org-wide one). */
  tokenOf(teamOrEnterpriseId: string): string | undefined {
    return [...this.installs.values()].find(
      (i) => !i.revoked && (i.orgWide ? i.enterpriseId : i.teamId) === teamOrEnterpriseId,
    )?.token;
  }

  /** oauth.v2.access: a code (grant) or a refresh token (rotation), in the real samples' shape. */
  private oauthAccess(args: Json): { status: number; body: Json } {
    const fail = (error: string) => ({ status: 200, body: { ok: false, error } });
    if (str(args.client_id) !== this.clientId) return fail("invalid_client_id");
    if (str(args.client_secret) !== this.clientSecret) return fail("bad_client_secret");
    let grant: Omit<FakeInstall, "token" | "revoked">;
    if (str(args.grant_type) === "refresh_token") {
      const old = [...this.installs.values()].find((i) => i.refreshToken === str(args.refresh_token));
      if (!old || old.revoked) return fail("invalid_refresh_token");
      // A refresh token works once; the old access token stops working.
      this.installs.delete(old.token);
      grant = old;
    } else {
      const code = str(args.code) ?? "";
      const granted = this.oauthCodes.get(code);
      if (!granted) return fail("invalid_code");
      this.oauthCodes.delete(code);
      grant = granted;
    }
    const token = `${grant.rotation ? "xoxe.xoxb" : "xoxb"}-${grant.teamId}-${randomBytes(6).toString("hex")}`;
    const refreshToken = grant.rotation ? `xoxe-1-${randomBytes(8).toString("hex")}` : undefined;
    const { refreshToken: _old, ...rest } = grant;
    this.installs.set(token, { ...rest, token, ...(refreshToken ? { refreshToken } : {}), revoked: false });
    const enterprise = grant.enterpriseId
      ? { id: grant.enterpriseId, name: `Org ${grant.enterpriseId}` }
      : null;
    const body: Json = {
      ok: true,
      access_token: token,
      token_type: "bot",
      scope: "commands,chat:write",
      bot_user_id: this.botUserId,
      app_id: this.appId,
      ...(refreshToken ? { expires_in: 43200, refresh_token: refreshToken } : {}),
      team: grant.orgWide ? null : { id: grant.teamId, name: `Workspace ${grant.teamId}` },
      enterprise,
      is_enterprise_install: grant.orgWide === true,
      authed_user: { id: "U0TESTER" },
    };
    return { status: 200, body };
  }

  // ---- Web API methods ------------------------------------------------------------------------

  private readonly handlers: Record<string, (args: Json) => Json> = {
    "auth.test": () => ({
      url: `https://${this.teamDomain}.slack.com/`,
      team: "Ratchet Test",
      user: "ratchet",
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }),
    "chat.postMessage": (args) => {
      const channel = this.resolveChannel(args.channel);
      this.checkPostable(channel);
      this.checkMessage(args, 40_000);
      const metadata = parseMetadata(args.metadata);
      const message: StoredMessage = {
        channel,
        ts: this.nextTs(),
        text: str(args.text) ?? "",
        user: this.botUserId,
        bot_id: this.botId,
        ...(Array.isArray(args.blocks) ? { blocks: withSlackIds(args.blocks) } : {}),
        ...(typeof args.thread_ts === "string" ? { thread_ts: args.thread_ts } : {}),
        ...(metadata ? { metadata } : {}),
      };
      this.pushMessage(message);
      return { channel, ts: message.ts, message: this.toMessageJson(message) };
    },
    "chat.postEphemeral": (args) => {
      const channel = this.resolveChannel(args.channel);
      const user = str(args.user);
      if (!user || !this.users.has(user)) throw new SlackApiError("user_not_in_channel");
      this.checkMessage(args, 40_000);
      const ts = this.nextTs();
      const blocks = Array.isArray(args.blocks) ? { blocks: withSlackIds(args.blocks) } : {};
      this.ephemerals.push({ channel, user, ts, text: str(args.text) ?? "", ...blocks });
      return { message_ts: ts };
    },
    "chat.update": (args) => {
      const channel = this.resolveChannel(args.channel);
      const message = this.message(channel, str(args.ts) ?? "");
      if (!message) throw new SlackApiError("message_not_found");
      this.checkMessage(args, 4000);
      message.text = str(args.text) ?? "";
      if (Array.isArray(args.blocks)) message.blocks = withSlackIds(args.blocks);
      else delete message.blocks;
      return { channel, ts: message.ts, text: message.text, message: this.toMessageJson(message) };
    },
    "chat.delete": (args) => {
      const channel = this.resolveChannel(args.channel);
      const list = this.messages.get(channel) ?? [];
      const index = list.findIndex((m) => m.ts === args.ts);
      if (index < 0) throw new SlackApiError("message_not_found");
      list.splice(index, 1);
      return { channel, ts: args.ts };
    },
    "chat.getPermalink": (args) => {
      const channel = this.resolveChannel(args.channel);
      const message = this.message(channel, str(args.message_ts) ?? "");
      if (!message) throw new SlackApiError("message_not_found");
      const base = `https://${this.teamDomain}.slack.com/archives/${channel}/p${message.ts.replace(".", "")}`;
      const thread = message.thread_ts ? `?thread_ts=${message.thread_ts}&cid=${channel}` : "";
      return { channel, permalink: base + thread };
    },
    "conversations.open": (args) => {
      const users = (str(args.users) ?? "").split(",").filter(Boolean);
      if (users.length === 0) throw new SlackApiError("users_list_not_supplied");
      if (users.length > 1) throw new SlackApiError("method_not_supported_for_channel_type");
      const userId = users[0] ?? "";
      if (!this.users.has(userId)) throw new SlackApiError("user_not_found");
      const already = this.dmChannelFor(userId) !== undefined;
      const id = this.openDm(userId);
      if (args.return_im !== "true" && args.return_im !== true) return { channel: { id } };
      return { no_op: already, already_open: already, channel: this.channelJson(this.channels.get(id)) };
    },
    "conversations.history": (args) => {
      const channel = this.channels.get(str(args.channel) ?? "");
      if (!channel) throw new SlackApiError("channel_not_found");
      if (!channel.user && !channel.botMember) throw new SlackApiError("not_in_channel");
      const oldest = Number(args.oldest ?? 0);
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      const withMeta = args.include_all_metadata === true || args.include_all_metadata === "true";
      const all = this.messagesIn(channel.id)
        .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
        .reverse();
      return this.page(all, args, (m) => this.historyJson(m, withMeta), "messages");
    },
    "conversations.replies": (args) => {
      const channel = this.channels.get(str(args.channel) ?? "");
      if (!channel) throw new SlackApiError("channel_not_found");
      const ts = str(args.ts) ?? "";
      const parent = this.message(channel.id, ts);
      if (!parent) throw new SlackApiError("thread_not_found");
      const oldest = Number(args.oldest ?? 0);
      const withMeta = args.include_all_metadata === true || args.include_all_metadata === "true";
      const thread = [parent, ...this.repliesTo(channel.id, ts).filter((m) => Number(m.ts) > oldest)];
      return this.page(thread, args, (m) => this.historyJson(m, withMeta), "messages");
    },
    "conversations.members": (args) => {
      const channel = this.channels.get(str(args.channel) ?? "");
      if (!channel) throw new SlackApiError("channel_not_found");
      return this.page(this.membersOf(channel.id), args, (m) => m, "members");
    },
    "conversations.info": (args) => {
      const channel = this.channels.get(str(args.channel) ?? "");
      if (!channel) throw new SlackApiError("channel_not_found");
      return { channel: this.channelJson(channel) };
    },
    "users.info": (args) => {
      const user = this.users.get(str(args.user) ?? "");
      if (!user) throw new SlackApiError("user_not_found");
      return { user: this.userJson(user) };
    },
    "views.open": (args) => {
      const trigger = this.checkTrigger(args.trigger_id);
      this.checkView(args.view);
      trigger.used = true;
      const view = this.storeView(args.view as Json, {});
      this.stacks.push([view.id]);
      this.openedOrder.push(view.id);
      return { view };
    },
    "views.push": (args) => {
      const trigger = this.checkTrigger(args.trigger_id);
      const from = trigger.viewId ?? this.stacks.at(-1)?.at(-1);
      if (!from || !this.isViewOpen(from)) throw new SlackApiError("not_found");
      const view = this.pushView(from, args.view);
      trigger.used = true;
      return { view };
    },
    "views.update": (args) => {
      const externalId = str(args.external_id);
      const id =
        str(args.view_id) ??
        [...this.views.values()].find((v) => externalId && v.external_id === externalId)?.id;
      const current = id ? this.views.get(id) : undefined;
      if (!current) throw new SlackApiError("not_found");
      if (args.hash !== undefined && args.hash !== current.hash) throw new SlackApiError("hash_conflict");
      return { view: this.replaceView(current.id, args.view) };
    },
    "views.publish": (args) => {
      const userId = str(args.user_id) ?? "";
      if (!this.users.has(userId)) throw new SlackApiError("user_not_found");
      const current = this.homeViewFor(userId);
      if (args.hash !== undefined && current && args.hash !== current.hash) {
        throw new SlackApiError("hash_conflict");
      }
      this.checkView(args.view);
      const view = this.storeView(args.view as Json, current ?? {});
      this.homes.set(userId, view.id);
      return { view };
    },
    "files.getUploadURLExternal": (args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename || !Number.isInteger(length) || length <= 0) throw new SlackApiError("invalid_arguments");
      const id = this.nextId("F");
      this.files.push({ id, filename, length, completed: false });
      return { upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
    },
    "files.completeUploadExternal": (args) => {
      const wanted = Array.isArray(args.files) ? args.files.filter(isObject) : [];
      if (wanted.length === 0) throw new SlackApiError("invalid_arguments");
      const rawChannel = str(args.channel_id) ?? str(args.channels)?.split(",")[0];
      const channel = rawChannel ? this.resolveChannel(rawChannel) : undefined;
      const files = wanted.map((w) => this.completeFile(w, channel, args));
      if (channel) {
        this.pushMessage({
          channel,
          ts: this.nextTs(),
          text: str(args.initial_comment) ?? "",
          user: this.botUserId,
          bot_id: this.botId,
          files: files.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename })),
          ...(typeof args.thread_ts === "string" ? { thread_ts: args.thread_ts } : {}),
        });
      }
      return { files: files.map((f) => this.fileJson(f)) };
    },
  };

  // ---- rules shared by the methods ------------------------------------------------------------

  private resolveChannel(id: unknown): string {
    const channel = str(id) ?? "";
    if (this.channels.has(channel)) return channel;
    // Posting to a user id lands in the DM with that person, as on slack.com.
    if (this.users.has(channel)) return this.openDm(channel);
    throw new SlackApiError("channel_not_found");
  }

  private openDm(userId: string): string {
    const existing = this.dmChannelFor(userId);
    if (existing) return existing;
    const id = `D${userId.slice(1)}`;
    this.channels.set(id, {
      id,
      name: id,
      is_private: true,
      user: userId,
      botMember: true,
      archived: false,
      members: [userId],
    });
    return id;
  }

  /** Where the bot may post: a DM, or a channel it is in that isn't archived. */
  private checkPostable(channelId: string): void {
    const c = this.channels.get(channelId);
    if (!c || c.user) return;
    if (c.archived) throw new SlackApiError("is_archived");
    if (!c.botMember) throw new SlackApiError("not_in_channel");
  }

  /** Cursor pagination as slack.com does it: `limit` (default 100) and an opaque next_cursor. */
  private page<T>(all: T[], args: Json, toJson: (item: T) => unknown, field: string): Json {
    const limit = Math.max(1, Math.min(Number(args.limit ?? 100) || 100, 1000, this.pageCap));
    const start = args.cursor ? Number(Buffer.from(String(args.cursor), "base64").toString("utf8")) : 0;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString("base64") : "";
    return { [field]: items.map(toJson), has_more: next !== "", response_metadata: { next_cursor: next } };
  }

  private historyJson(m: StoredMessage, withMeta: boolean): Json {
    const { metadata, ...rest } = this.toMessageJson(m);
    return withMeta && metadata ? { ...rest, metadata } : rest;
  }

  private checkMessage(args: Json, maxText: number): void {
    const text = str(args.text) ?? "";
    const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
    if (args.blocks !== undefined && !Array.isArray(args.blocks))
      throw new SlackApiError("invalid_blocks_format");
    if (text === "" && !hasBlocks && args.attachments === undefined) throw new SlackApiError("no_text");
    if (text.length > maxText) throw new SlackApiError("msg_too_long");
    if (args.blocks !== undefined) {
      const problems = validateBlocks(args.blocks, "message");
      if (problems.length > 0) throw errorFor(problems, "invalid_blocks");
      if (blockTextLength(args.blocks) > MAX_BLOCK_TEXT) throw new SlackApiError("msg_blocks_too_long");
    }
  }

  private checkTrigger(triggerId: unknown): { used: boolean; viewId?: string } {
    const trigger = this.triggers.get(str(triggerId) ?? "");
    if (!trigger) throw new SlackApiError("invalid_trigger_id");
    if (trigger.used) throw new SlackApiError("exchanged_trigger_id");
    if (this.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) throw new SlackApiError("expired_trigger_id");
    return trigger;
  }

  /** Views.* answer schema problems as invalid_arguments with `[ERROR] …` messages, like slack.com does. */
  private checkView(view: unknown): void {
    if (JSON.stringify(view ?? null).length > MAX_VIEW_BYTES) throw new SlackApiError("view_too_large");
    const problems = validateView(view);
    if (problems.length > 0) throw errorFor(problems, "invalid_arguments");
  }

  private requireView(viewId: string): StoredView {
    const view = this.views.get(viewId);
    if (!view) throw new SlackApiError("not_found");
    return view;
  }

  private storeView(
    input: Json,
    place: { id?: string; root_view_id?: string; previous_view_id?: unknown },
  ): StoredView {
    const id = place.id ?? this.nextId("V");
    const view: StoredView = {
      id,
      team_id: this.callingTeam ?? this.teamId,
      type: str(input.type) ?? "modal",
      close: null,
      submit: null,
      ...input,
      blocks: Array.isArray(input.blocks) ? withSlackIds(input.blocks) : [],
      private_metadata: str(input.private_metadata) ?? "",
      callback_id: str(input.callback_id) ?? "",
      external_id: str(input.external_id) ?? "",
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString("hex")}`,
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      root_view_id: place.root_view_id ?? id,
      previous_view_id: place.previous_view_id ?? null,
      app_id: this.appId,
      app_installed_team_id: this.callingTeam ?? this.teamId,
      bot_id: this.botId,
    };
    this.views.set(id, view);
    return view;
  }

  private completeFile(wanted: Json, channel: string | undefined, args: Json): UploadedFile {
    const file = this.files.find((f) => f.id === wanted.id);
    if (!file?.bytes) throw new SlackApiError("file_not_found");
    if (file.filename.toLowerCase().endsWith(".png")) {
      try {
        pngSize(file.bytes);
      } catch {
        throw new SlackApiError("invalid_file");
      }
    }
    file.completed = true;
    file.title = str(wanted.title) ?? file.filename;
    if (channel) file.channel = channel;
    if (typeof args.thread_ts === "string") file.threadTs = args.thread_ts;
    if (typeof args.initial_comment === "string") file.initialComment = args.initial_comment;
    return file;
  }

  private respondToResponseUrl(path: string, body: Json): Json {
    const context = this.responseUrls.get(path);
    if (!context) return { ok: false, error: "expired_url" };
    this.responseUrlPosts.push({ url: `${this.baseUrl}${path}`, body, context });
    const original = context.messageTs ? this.message(context.channelId, context.messageTs) : undefined;
    if (body.delete_original === true && original) {
      const list = this.messages.get(context.channelId) ?? [];
      list.splice(list.indexOf(original), 1);
      return { ok: true };
    }
    try {
      this.checkMessage(body, 40_000);
    } catch (error) {
      if (error instanceof SlackApiError) return { ok: false, error: error.code, ...error.extra };
      throw error;
    }
    const text = str(body.text) ?? "";
    const blocks = Array.isArray(body.blocks) ? { blocks: withSlackIds(body.blocks) } : {};
    if (body.replace_original === true && original) {
      Object.assign(original, { text, blocks: blocks.blocks });
    } else if (body.response_type === "in_channel") {
      const ts = this.nextTs();
      this.pushMessage({
        channel: context.channelId,
        ts,
        text,
        user: this.botUserId,
        bot_id: this.botId,
        ...blocks,
      });
    } else {
      this.ephemerals.push({
        channel: context.channelId,
        user: context.userId,
        ts: this.nextTs(),
        text,
        ...blocks,
      });
    }
    return { ok: true };
  }

  private pushMessage(message: StoredMessage): void {
    this.messages.set(message.channel, [...(this.messages.get(message.channel) ?? []), message]);
  }

  // ---- response shapes (after the fixtures in slack-fixtures/web-api) --------------------------

  /** A stored message as Slack shows it in API answers and interaction payloads. */
  toMessageJson(message: StoredMessage): Json {
    const { channel: _channel, ...rest } = message;
    return { type: "message", app_id: this.appId, team: this.teamId, ...rest };
  }

  private userJson(user: FakeUser): Json {
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: user.deleted,
      real_name: user.real_name,
      tz: user.tz,
      tz_label: user.tz,
      tz_offset: user.tz_offset,
      profile: {
        real_name: user.real_name,
        real_name_normalized: user.real_name,
        display_name: user.name,
        display_name_normalized: user.name,
        team: this.teamId,
      },
      is_admin: false,
      is_owner: false,
      is_bot: user.is_bot,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
    };
  }

  private channelJson(channel: FakeChannel | undefined): Json {
    if (!channel) return {};
    const created = 1_654_868_334;
    if (channel.user) {
      return {
        id: channel.id,
        created,
        is_im: true,
        is_org_shared: false,
        user: channel.user,
        is_open: true,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.is_private,
      is_group: channel.is_private,
      is_im: false,
      is_mpim: false,
      is_private: channel.is_private,
      created,
      is_archived: false,
      is_general: channel.name === "general",
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      context_team_id: this.teamId,
      topic: { value: "", creator: "", last_set: 0 },
      purpose: { value: "", creator: "", last_set: 0 },
    };
  }

  private fileJson(file: UploadedFile): Json {
    const isPng = file.filename.toLowerCase().endsWith(".png");
    const size = isPng && file.bytes ? pngSize(file.bytes) : undefined;
    return {
      id: file.id,
      created: Math.floor(this.now() / 1000),
      name: file.filename,
      title: file.title,
      mimetype: isPng ? "image/png" : "text/plain",
      filetype: isPng ? "png" : "text",
      user: this.botUserId,
      size: file.bytes?.length ?? file.length,
      ...(size ? { original_w: size.width, original_h: size.height } : {}),
      channels: file.channel ? [file.channel] : [],
    };
  }
}

/** All text of a message's blocks, as slack.com counts it toward msg_blocks_too_long. */
function blockTextLength(blocks: unknown): number {
  let n = 0;
  const add = (t: unknown) => {
    if (isObject(t) && typeof t.text === "string") n += t.text.length;
  };
  for (const b of Array.isArray(blocks) ? blocks : []) {
    if (!isObject(b)) continue;
    add(b.text);
    for (const f of Array.isArray(b.fields) ? b.fields : []) add(f);
    if (b.type === "context") for (const e of Array.isArray(b.elements) ? b.elements : []) add(e);
  }
  return n;
}

/** chat.postMessage `metadata` arrives as JSON text; kept only when it has Slack's shape. */
function parseMetadata(value: unknown): StoredMessage["metadata"] | undefined {
  const parsed = typeof value === "string" ? parseJsonArg(value) : value;
  if (!isObject(parsed) || typeof parsed.event_type !== "string" || !isObject(parsed.event_payload)) return;
  return { event_type: parsed.event_type, event_payload: parsed.event_payload };
}

/** Slack fills in the block_id and action_id an app leaves out, so payloads always carry them. */
function withSlackIds(blocks: unknown[]): unknown[] {
  const shortId = (): string => randomBytes(4).toString("base64url").slice(0, 5);
  const withActionId = (el: unknown): unknown =>
    isObject(el) && el.type !== "image" ? { ...el, action_id: str(el.action_id) ?? shortId() } : el;
  return blocks.map((block) => {
    if (!isObject(block)) return block;
    const copy: Json = { ...block, block_id: str(block.block_id) ?? shortId() };
    if (copy.element !== undefined) copy.element = withActionId(copy.element);
    if (copy.accessory !== undefined) copy.accessory = withActionId(copy.accessory);
    if (copy.type === "actions" && Array.isArray(copy.elements))
      copy.elements = copy.elements.map(withActionId);
    return copy;
  });
}

/** @slack/web-api sends form bodies whose object-valued args (blocks, view, files) are JSON strings. */
function parseArgs(raw: Buffer, contentType: string): Json {
  if (contentType.includes("application/json")) {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : {};
    return isObject(parsed) ? parsed : {};
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw.toString("utf8"))) {
    args[key] = JSON_ARGS.has(key) ? parseJsonArg(value) : value;
  }
  return args;
}

function parseJsonArg(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value; // left as a string so the method answers invalid_*_format
  }
}

/** filesUploadV2 posts multipart/form-data with the file in a part; other clients post raw bytes. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Uint8Array> {
  if (!contentType.startsWith("multipart/form-data")) return new Uint8Array(raw);
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  for (const [, value] of form) {
    if (typeof value !== "string") return new Uint8Array(await value.arrayBuffer());
  }
  return new Uint8Array(0);
}
