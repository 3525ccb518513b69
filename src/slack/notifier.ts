import type { HomeView, KnownBlock } from "@slack/types";
import type { FilesUploadV2Arguments, WebClient } from "@slack/web-api";
import type { Person } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import type { Mrkdwn } from "./blocks/mrkdwn.js";

/** A message as builders make it (blocks/kit.ts `message()`): its text is escaped Mrkdwn. */
export interface SlackMessage {
  text: Mrkdwn;
  blocks: KnownBlock[];
}

/** What the Web API and response_url take: the message with its text as a string. */
export const wire = (msg: SlackMessage): { text: string; blocks: KnownBlock[] } => ({
  text: msg.text.text,
  blocks: msg.blocks,
});

/** users.info as Ratchet reads it: the domain's Person. */
export type SlackUser = Person;

/**
 * Everything Ratchet says in Slack goes through here, so services depend on an
 * interface (fakes in unit tests) and never on Slack's client or its errors.
 */
export interface Notifier {
  /**
   * Posts a message. With `key`, the message carries it as metadata, so `findPosted` can find it
   * when Slack's answer was lost. Never retried here: a post whose outcome is unknown must be looked
   * up before it is sent again (the outbox does that).
   */
  post(
    channel: string,
    msg: SlackMessage,
    opts?: { threadTs?: string; key?: string },
  ): Promise<{ channel: string; ts: string }>;
  /** The DM channel with a person (conversations.open). */
  openDm(user: string): Promise<string>;
  /**
   * The ts of a message posted with `key` since `since` (in a thread when `threadTs` is given), or
   * null when the channel has none: the lookup before re-sending a post whose answer was lost.
   */
  findPosted(o: { channel: string; key: string; since: Date; threadTs?: string }): Promise<string | null>;
  update(channel: string, ts: string, msg: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, msg: SlackMessage): Promise<void>;
  dm(user: string, msg: SlackMessage): Promise<{ channel: string; ts: string }>;
  userInfo(user: string): Promise<SlackUser | null>;
  /**
   * A channel's people (conversations.members, every page, then users.info of each): bots, apps and
   * deactivated accounts left out. Throws Slack's error when it can't be read.
   */
  channelMembers(channel: string): Promise<string[]>;
  /** A link to a message (chat.getPermalink); null when Slack can't give one (deleted, no access). */
  permalink(channel: string, ts: string): Promise<string | null>;
  /** Shares a file in a channel (or a thread) via Slack's external upload flow; returns the file id. */
  uploadFile(file: UploadFile): Promise<{ fileId: string | null }>;
  /** Publishes a person's Home tab (views.publish); the same view twice is harmless. */
  publishHome(user: string, view: HomeView): Promise<void>;
}

export interface UploadFile {
  channel: string;
  filename: string;
  title: string;
  bytes: Buffer;
  altText?: string;
  threadTs?: string;
}

/** Message metadata `event_type` on every keyed post (the outbox's idempotency marker). */
const DELIVERY_EVENT_TYPE = "ratchet_delivery";
/** How far before an attempt's start a lookup searches: clocks differ, and Slack stamps the ts. */
const LOOKUP_MARGIN_S = 120;
const LOOKUP_PAGES = 5;
/** conversations.members pages of 200: 50 pages is a 10,000-person channel, far past a team's. */
const MEMBER_PAGE = 200;
const MEMBER_PAGES = 50;
/** users.info calls in flight at once while sorting people from bots (Tier 4: 100+ a minute). */
const LOOKUPS_AT_ONCE = 4;
/** Slackbot is in every channel and is no bot by users.info's flags. */
const SLACKBOT = "USLACKBOT";
/**
 * How long "a person, not a bot" from users.info is trusted when listing a channel's people, so the
 * digest an hour after the nudge, or another team's channel, costs no lookups. Bots don't become
 * people; a deactivation is seen within a day.
 */
const KIND_TTL_MS = 24 * 3_600_000;
const KIND_CACHE_MAX = 10_000;

type SlackUserJson = {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  tz?: string;
  profile?: { real_name?: string; display_name?: string };
};

export class SlackNotifier implements Notifier {
  /** user id → whether they are a person (see KIND_TTL_MS), and until when that holds */
  private readonly kinds = new Map<string, { person: boolean; until: number }>();

  constructor(
    private readonly client: WebClient,
    private readonly clock: Clock,
  ) {}

  async post(channel: string, msg: SlackMessage, opts: { threadTs?: string; key?: string } = {}) {
    const res = await this.client.chat.postMessage({
      channel,
      ...wire(msg),
      unfurl_links: false,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
      ...(opts.key
        ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: opts.key } } }
        : {}),
    });
    return { channel: res.channel ?? channel, ts: res.ts ?? "" };
  }

  async openDm(user: string) {
    const open = await this.client.conversations.open({ users: user });
    const id = open.channel?.id;
    if (!id) throw new Error(`conversations.open gave no channel for ${user}`);
    return id;
  }

  async findPosted(o: { channel: string; key: string; since: Date; threadTs?: string }) {
    const oldest = (Math.floor(o.since.getTime() / 1000) - LOOKUP_MARGIN_S).toString();
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const args = {
        channel: o.channel,
        oldest,
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      };
      const res = o.threadTs
        ? await this.client.conversations.replies({ ...args, ts: o.threadTs })
        : await this.client.conversations.history(args);
      for (const m of res.messages ?? []) {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } })
          .metadata;
        if (meta?.event_type === DELIVERY_EVENT_TYPE && meta.event_payload?.key === o.key && m.ts)
          return m.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  async update(channel: string, ts: string, msg: SlackMessage) {
    await this.client.chat.update({ channel, ts, ...wire(msg) });
  }

  async ephemeral(channel: string, user: string, msg: SlackMessage) {
    await this.client.chat.postEphemeral({ channel, user, ...wire(msg) });
  }

  async dm(user: string, msg: SlackMessage) {
    return this.post(await this.openDm(user), msg);
  }

  async uploadFile(f: UploadFile) {
    // filesUploadV2 = files.getUploadURLExternal → upload the bytes → files.completeUploadExternal.
    const res = await this.client.filesUploadV2({
      channel_id: f.channel,
      file: f.bytes,
      filename: f.filename,
      title: f.title,
      ...(f.altText ? { alt_text: f.altText } : {}),
      ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
    } as FilesUploadV2Arguments);
    return { fileId: res.files[0]?.files?.[0]?.id ?? null };
  }

  async publishHome(user: string, view: HomeView) {
    await this.client.views.publish({ user_id: user, view });
  }

  async permalink(channel: string, ts: string) {
    try {
      const res = await this.client.chat.getPermalink({ channel, message_ts: ts });
      return res.permalink ?? null;
    } catch {
      return null;
    }
  }

  async userInfo(user: string) {
    const u = await this.lookUp(user);
    if (!u?.id) return null;
    // The name people know them by: full name, else display name, else the handle.
    const name = u.real_name || u.profile?.real_name || u.profile?.display_name || u.name || u.id;
    return { id: u.id, name, tz: u.tz ?? null, deleted: u.deleted === true };
  }

  async channelMembers(channel: string) {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MEMBER_PAGES; page++) {
      const res = await this.client.conversations.members({
        channel,
        limit: MEMBER_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...(res.members ?? []));
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    const unique = [...new Set(ids)].filter((id) => id !== SLACKBOT);
    const people: string[] = [];
    for (let i = 0; i < unique.length; i += LOOKUPS_AT_ONCE) {
      const batch = unique.slice(i, i + LOOKUPS_AT_ONCE);
      const kinds = await Promise.all(batch.map((id) => this.isPerson(id)));
      people.push(...batch.filter((_, j) => kinds[j]));
    }
    return people;
  }

  /** A person, not a bot, an app or a deactivated account (users.info, trusted for a day). */
  private async isPerson(id: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const known = this.kinds.get(id);
    if (known && known.until > now) return known.person;
    const u = await this.lookUp(id);
    const person = Boolean(u?.id && !u.deleted && !u.is_bot && !u.is_app_user);
    if (this.kinds.size >= KIND_CACHE_MAX) this.kinds.clear();
    this.kinds.set(id, { person, until: now + KIND_TTL_MS });
    return person;
  }

  /** users.info; null for someone the workspace doesn't know. */
  private async lookUp(user: string): Promise<SlackUserJson | null> {
    try {
      const res = await this.client.users.info({ user });
      return (res.user as SlackUserJson | undefined) ?? null;
    } catch (e) {
      if ((e as { data?: { error?: string } }).data?.error === "user_not_found") return null;
      throw e;
    }
  }
}
