import type { KnownBlock } from "@slack/types";
import type { FilesUploadV2Arguments, WebClient } from "@slack/web-api";
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

export interface SlackUser {
  id: string;
  name: string;
  tz: string | null;
  deleted: boolean;
}

/**
 * Everything Ratchet says in Slack goes through here, so services depend on an
 * interface (fakes in unit tests) and never on Slack's client or its errors.
 */
export interface Notifier {
  post(
    channel: string,
    msg: SlackMessage,
    opts?: { threadTs?: string },
  ): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, msg: SlackMessage): Promise<void>;
  ephemeral(channel: string, user: string, msg: SlackMessage): Promise<void>;
  dm(user: string, msg: SlackMessage): Promise<{ channel: string; ts: string }>;
  userInfo(user: string): Promise<SlackUser | null>;
  /** A link to a message (chat.getPermalink); null when Slack can't give one (deleted, no access). */
  permalink(channel: string, ts: string): Promise<string | null>;
  /** Shares a file in a channel (or a thread) via Slack's external upload flow; returns the file id. */
  uploadFile(file: UploadFile): Promise<{ fileId: string | null }>;
}

export interface UploadFile {
  channel: string;
  filename: string;
  title: string;
  bytes: Buffer;
  altText?: string;
  threadTs?: string;
}

export class SlackNotifier implements Notifier {
  constructor(private readonly client: WebClient) {}

  async post(channel: string, msg: SlackMessage, opts: { threadTs?: string } = {}) {
    const res = await this.client.chat.postMessage({
      channel,
      ...wire(msg),
      unfurl_links: false,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    });
    return { channel: res.channel ?? channel, ts: res.ts ?? "" };
  }

  async update(channel: string, ts: string, msg: SlackMessage) {
    await this.client.chat.update({ channel, ts, ...wire(msg) });
  }

  async ephemeral(channel: string, user: string, msg: SlackMessage) {
    await this.client.chat.postEphemeral({ channel, user, ...wire(msg) });
  }

  async dm(user: string, msg: SlackMessage) {
    const open = await this.client.conversations.open({ users: user });
    const channel = open.channel?.id ?? user;
    return this.post(channel, msg);
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

  async permalink(channel: string, ts: string) {
    try {
      const res = await this.client.chat.getPermalink({ channel, message_ts: ts });
      return res.permalink ?? null;
    } catch {
      return null;
    }
  }

  async userInfo(user: string) {
    try {
      const res = await this.client.users.info({ user });
      const u = res.user;
      if (!u?.id) return null;
      return { id: u.id, name: u.real_name || u.name || u.id, tz: u.tz ?? null, deleted: u.deleted === true };
    } catch (e) {
      if ((e as { data?: { error?: string } }).data?.error === "user_not_found") return null;
      throw e;
    }
  }
}
