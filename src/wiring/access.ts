import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import type { Clock } from "../shared/clock.js";
import { classifySlackError } from "../slack/slack-errors.js";
import { AccessGuard } from "../teams/access.js";
import { PrismaOwnershipRepository } from "../teams/ownership-repository.js";

/** conversations.members pages of 200, at most 50 (a 10,000-person channel, far past a team's). */
const PAGE = 200;
const PAGES = 50;

/**
 * The isolation guard over the database (whose is an id) and Slack (who is in a team's channel).
 * Member ids only, with no users.info per person (the notifier's `channelMembers` sorts people from
 * bots, which a membership test doesn't need and a modal's 3-second ack can't wait for). A channel
 * Slack no longer knows answers null: its team's objects stay guarded by workspace alone.
 */
export function composeAccess(o: { db: Db; client: WebClient; clock: Clock; log: Logger }): AccessGuard {
  const memberIds = async (channel: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < PAGES; page++) {
      const res = await o.client.conversations.members({
        channel,
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...(res.members ?? []));
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return ids;
  };
  return new AccessGuard({
    owners: new PrismaOwnershipRepository(o.db),
    channelMembers: async (channel) => {
      try {
        return await memberIds(channel);
      } catch (err) {
        const outcome = classifySlackError(err);
        if (outcome.kind === "refused" && outcome.code === "channel_not_found") return null;
        // A connection reset before any answer (a kept-alive socket closed under us) is worth one
        // more try: refusing the person's click over it would be a false "try again".
        if ((err as { code?: unknown }).code === "slack_webapi_request_error") return memberIds(channel);
        throw err;
      }
    },
    clock: o.clock,
    log: o.log,
  });
}
