import type { HomeView } from "@slack/types";
import { WebAPIPlatformError } from "@slack/web-api";
import { EMPTY } from "../../../src/slack/blocks/mrkdwn.js";
import type { Notifier, SlackMessage, SlackUser, UploadFile } from "../../../src/slack/notifier.js";

export type NotifierMethod = keyof Notifier;

export interface RecordedPost {
  channel: string;
  ts: string;
  msg: SlackMessage;
  threadTs?: string;
  key?: string;
}
export interface RecordedUpdate {
  channel: string;
  ts: string;
  msg: SlackMessage;
}
export interface RecordedEphemeral {
  channel: string;
  user: string;
  msg: SlackMessage;
}
export interface RecordedDm {
  user: string;
  channel: string;
  ts: string;
  msg: SlackMessage;
}
export interface RecordedUpload extends UploadFile {
  fileId: string;
}

/**
 * A `Notifier` for service unit tests: records what would have been said in Slack,
 * hands out increasing message ts values, answers `userInfo` from seeded users, and
 * fails on demand with the same error the WebClient throws for an `ok: false` answer.
 *
 * `update` of a message it never posted fails with `message_not_found`, as Slack does,
 * so a service that loses track of a ts is caught; `seedMessage` marks one as existing
 * (e.g. a one-pager posted before the test started).
 */
export class RecordingNotifier implements Notifier {
  readonly posts: RecordedPost[] = [];
  readonly updates: RecordedUpdate[] = [];
  readonly ephemerals: RecordedEphemeral[] = [];
  readonly dms: RecordedDm[] = [];
  readonly uploads: RecordedUpload[] = [];
  /** Every call in order, including refused ones. */
  readonly calls: { method: NotifierMethod; failed: boolean }[] = [];

  private counter = 0;
  private readonly failures: { method: NotifierMethod | undefined; error: string }[] = [];
  private readonly users = new Map<string, SlackUser | null>();
  private readonly members = new Map<string, string[]>();
  /** The current content of every message, keyed by `channel/ts`, after updates. */
  private readonly messages = new Map<string, SlackMessage>();

  constructor(opts: { users?: SlackUser[] } = {}) {
    for (const u of opts.users ?? []) this.users.set(u.id, u);
  }

  /**
   * The next call (to `method`, or to any method when omitted) throws a WebAPIPlatformError
   * carrying `error`, as `chat.postMessage` answering `{ ok: false, error }` would. Queued failures run in order.
   */
  failNext(method?: NotifierMethod, error = "fatal_error"): void {
    this.failures.push({ method, error });
  }

  /** What `userInfo(id)` answers; unseeded users answer null (Slack's user_not_found). */
  seedUser(id: string, answer: SlackUser | null): void {
    this.users.set(id, answer);
  }

  /** What `channelMembers(channel)` answers (the channel's people); unseeded channels answer channel_not_found. */
  seedMembers(channel: string, people: string[]): void {
    this.members.set(channel, [...people]);
  }

  /** Marks a message as existing in Slack so `update` may edit it. */
  seedMessage(channel: string, ts: string, msg: SlackMessage = { text: EMPTY, blocks: [] }): void {
    this.messages.set(key(channel, ts), msg);
  }

  /** The message as Slack would show it now (after any updates), or undefined if never posted. */
  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.get(key(channel, ts));
  }

  /** Top-level and threaded posts in a channel, oldest first. */
  postsIn(channel: string): RecordedPost[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  async post(channel: string, msg: SlackMessage, opts: { threadTs?: string; key?: string } = {}) {
    this.begin("post");
    const ts = this.nextTs();
    this.posts.push({
      channel,
      ts,
      msg,
      ...(opts.threadTs ? { threadTs: opts.threadTs } : {}),
      ...(opts.key ? { key: opts.key } : {}),
    });
    this.messages.set(key(channel, ts), msg);
    return { channel, ts };
  }

  async openDm(user: string) {
    this.begin("openDm");
    return `D${user}`;
  }

  async findPosted(o: { channel: string; key: string; since: Date; threadTs?: string }) {
    this.begin("findPosted");
    const found = this.posts.find((p) => p.channel === o.channel && p.key === o.key);
    return found?.ts ?? null;
  }

  async update(channel: string, ts: string, msg: SlackMessage) {
    this.begin("update");
    if (!this.messages.has(key(channel, ts))) {
      this.calls[this.calls.length - 1] = { method: "update", failed: true };
      throw new WebAPIPlatformError({ ok: false, error: "message_not_found" });
    }
    this.updates.push({ channel, ts, msg });
    this.messages.set(key(channel, ts), msg);
  }

  async ephemeral(channel: string, user: string, msg: SlackMessage) {
    this.begin("ephemeral");
    this.ephemerals.push({ channel, user, msg });
  }

  async dm(user: string, msg: SlackMessage) {
    this.begin("dm");
    // conversations.open answers a D… channel id for the bot's DM with the user.
    const channel = `D${user}`;
    const ts = this.nextTs();
    this.dms.push({ user, channel, ts, msg });
    this.messages.set(key(channel, ts), msg);
    return { channel, ts };
  }

  async userInfo(user: string) {
    this.begin("userInfo");
    const u = this.users.get(user);
    return u ? { ...u } : null;
  }

  async channelMembers(channel: string) {
    this.begin("channelMembers");
    const people = this.members.get(channel);
    if (!people) {
      this.calls[this.calls.length - 1] = { method: "channelMembers", failed: true };
      throw new WebAPIPlatformError({ ok: false, error: "channel_not_found" });
    }
    return [...people];
  }

  async permalink(channel: string, ts: string) {
    // SlackNotifier.permalink answers null instead of throwing, so a queued failure does the same here.
    try {
      this.begin("permalink");
    } catch {
      return null;
    }
    if (!this.messages.has(key(channel, ts))) return null;
    return `https://ratchet-test.slack.com/archives/${channel}/p${ts.replace(".", "")}`;
  }

  readonly homes: { user: string; view: HomeView }[] = [];

  async publishHome(user: string, view: HomeView) {
    this.begin("publishHome");
    this.homes.push({ user, view });
  }

  async uploadFile(file: UploadFile) {
    this.begin("uploadFile");
    const fileId = `F${String(this.uploads.length + 1).padStart(8, "0")}`;
    this.uploads.push({ ...file, fileId });
    return { fileId };
  }

  /** Records the call and throws when a failure is queued for it. */
  private begin(method: NotifierMethod): void {
    const at = this.failures.findIndex((f) => f.method === undefined || f.method === method);
    const failure = at === -1 ? undefined : this.failures.splice(at, 1)[0];
    this.calls.push({ method, failed: failure !== undefined });
    if (failure) throw new WebAPIPlatformError({ ok: false, error: failure.error });
  }

  /** Slack's ts format ("seconds.micros"), strictly increasing so thread and order checks can compare them. */
  private nextTs(): string {
    return `1700000000.${String(++this.counter).padStart(6, "0")}`;
  }
}

const key = (channel: string, ts: string) => `${channel}/${ts}`;
