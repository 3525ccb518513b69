import {
  type Announcer,
  ChannelUnreachable,
  type NoticeKind,
  type Notices,
  type Person,
  type PostedAt,
} from "../notices.js";
import type { Drawers } from "./delivery/draw.js";
import type { Notifier } from "./notifier.js";

/** Slack's answers that mean the channel itself can't be reached: the person is told to invite Ratchet. */
const UNREACHABLE = new Set(["not_in_channel", "channel_not_found"]);

const slackCode = (err: unknown): string | undefined => {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === "string" ? code : undefined;
};

/**
 * The services' `Announcer` in Slack: every notice is drawn through the same table the outbox uses
 * (src/slack/delivery/draw.ts), then edited with chat.update or sent with the notifier.
 */
export class SlackAnnouncer implements Announcer {
  constructor(
    private readonly notifier: Notifier,
    private readonly draw: Drawers,
  ) {}

  async edit<K extends NoticeKind>(at: PostedAt, kind: K, notice: Notices[K]): Promise<void> {
    const drawn = await this.draw[kind](notice);
    // A file has no message to edit: asking for one is a programming error, not Slack's.
    if (drawn.type !== "message") throw new Error(`a ${kind} notice is drawn as a file and can't be edited`);
    await this.notifier.update(at.channel, at.ts, drawn.message);
  }

  async send<K extends NoticeKind>(
    to: { channel: string; threadTs?: string | null },
    kind: K,
    notice: Notices[K],
  ): Promise<void> {
    const drawn = await this.draw[kind](notice);
    const thread = to.threadTs ? { threadTs: to.threadTs } : {};
    try {
      if (drawn.type === "message") await this.notifier.post(to.channel, drawn.message, thread);
      else await this.notifier.uploadFile({ channel: to.channel, ...drawn.file, ...thread });
    } catch (err) {
      const code = slackCode(err);
      if (code && UNREACHABLE.has(code)) throw new ChannelUnreachable(to.channel, code);
      throw err;
    }
  }

  person(id: string): Promise<Person | null> {
    return this.notifier.userInfo(id);
  }

  channelMembers(channel: string): Promise<string[]> {
    return this.notifier.channelMembers(channel);
  }

  link(at: PostedAt): Promise<string | null> {
    return this.notifier.permalink(at.channel, at.ts);
  }
}
