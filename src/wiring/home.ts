import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { PrismaHomeRepository } from "../home/home-repository.js";
import { HomeService } from "../home/home-service.js";
import { currentWorkspace, inWorkspace } from "../installations/workspace-scope.js";
import type { Clock } from "../shared/clock.js";
import type { NewDelivery, Outbox } from "../shared/deliveries.js";
import { buildHomeView } from "../slack/blocks/home.js";
import type { Notifier } from "../slack/notifier.js";

/** A DM's target is the person's user id; a channel's starts with C or G. */
const isUserId = (target: string) => /^[UW][A-Z0-9]+$/.test(target);

/** The Home service over its repository, publishing through Slack's views.publish. */
export function composeHome(o: { db: Db; notifier: Notifier; clock: Clock; log: Logger }): HomeService {
  const { notifier } = o;
  return new HomeService({
    homes: new PrismaHomeRepository(o.db),
    surface: {
      // The `home` job runs in no workspace's scope: the Home's own workspace is the one to speak for
      // (OAuth mode; a request's scope, already set, is kept; with one bot token a scope changes nothing).
      publish: (userId, home, slackTeamId) => {
        const publish = () => notifier.publishHome(userId, buildHomeView(home));
        return currentWorkspace() ? publish() : inWorkspace({ workspace: slackTeamId }, publish);
      },
    },
    slack: {
      channelMembers: (channel) => notifier.channelMembers(channel),
      permalink: (channel, ts) => notifier.permalink(channel, ts),
    },
    clock: o.clock,
    log: o.log,
  });
}

/**
 * The outbox, telling the Home service what each queued post concerns (the person it DMs, the team
 * whose channel it goes to), so those Homes are re-published, throttled, by the `home` job. The
 * service is attached once composed; a failure to mark is logged, never the queueing's failure.
 */
export function homeWatchingOutbox(inner: Outbox, log: Logger) {
  let home: HomeService | null = null;
  const touch = async (ds: readonly NewDelivery[]) => {
    if (!home || ds.length === 0) return;
    try {
      await home.touch({
        userIds: [...new Set(ds.map((d) => d.target).filter(isUserId))],
        teamIds: [...new Set(ds.flatMap((d) => (d.teamId ? [d.teamId] : [])))],
      });
    } catch (err) {
      log.warn({ err }, "could not mark Homes stale after queueing posts");
    }
  };
  const outbox: Outbox = {
    enqueue: async (d) => {
      const fresh = await inner.enqueue(d);
      if (fresh) await touch([d]);
      return fresh;
    },
    enqueueMany: async (ds) => {
      const n = await inner.enqueueMany(ds);
      if (n > 0) await touch(ds);
      return n;
    },
    statuses: (keys) => inner.statuses(keys),
  };
  return {
    outbox,
    attach: (h: HomeService) => {
      home = h;
    },
  };
}
