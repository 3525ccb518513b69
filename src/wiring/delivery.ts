import type { Logger } from "pino";
import type { PrismaDeliveryRepository } from "../db/delivery-repository.js";
import type { Metrics } from "../ops/metrics.js";
import type { Clock } from "../shared/clock.js";
import type { Outbox } from "../shared/deliveries.js";
import { outsideRequest } from "../shared/request-context.js";
import { buildChannelProblem, buildDeliveryGivenUp } from "../slack/blocks/confirmations.js";
import { Deliverer, type DelivererDeps, type DelivererOptions } from "../slack/delivery/deliverer.js";
import { deliveryRoutes, type slackDrawers } from "../slack/delivery/draw.js";
import type { Notifier, SlackMessage } from "../slack/notifier.js";
import type { TeamRepository } from "../teams/team-repository.js";
import { deliveryHandlers, type Services } from "./services.js";

/**
 * The outbox services queue into, and kicks a delivery pass when something new is queued, so what a
 * person's action queues goes out at once, not on the next minute's tick. The deliverer that serves
 * it is attached once the services (whose handlers it needs) exist.
 */
export function kickingOutbox(store: PrismaDeliveryRepository) {
  let deliverer: Deliverer | null = null;
  const outbox: Outbox = {
    enqueue: async (d) => {
      const fresh = await store.enqueue(d);
      // The pass a person's action kicks off serves everyone's deliveries: it logs as no request's.
      if (fresh && deliverer) outsideRequest(() => deliverer?.kick());
      return fresh;
    },
    // A job's batch: the tick's deliveries job posts it (see Outbox.enqueueMany), no kick.
    enqueueMany: (ds) => store.enqueueMany(ds),
    statuses: (keys) => store.statuses(keys),
  };
  const attach = (d: Deliverer) => {
    deliverer = d;
  };
  return { outbox, attach };
}

/** The deliverer over the outbox, telling the team's admin what can't be posted. */
export function composeDeliverer(o: {
  store: PrismaDeliveryRepository;
  notifier: Notifier;
  drawers: ReturnType<typeof slackDrawers>;
  services: Services;
  teams: TeamRepository;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  options: Partial<DelivererOptions>;
  /** OAuth mode: each delivery speaks as its workspace (see compose.ts) */
  inWorkspace?: DelivererDeps["inWorkspace"];
}): Deliverer {
  const { store, notifier, teams, clock, log } = o;
  /** The people to tell when something can't be posted: the team's admin, who can fix it. */
  const tellAdmins = async (teamId: string | null, msg: SlackMessage) => {
    const team = teamId ? await teams.findById(teamId) : null;
    if (!team) return false;
    await notifier.dm(team.createdBy, msg);
    return true;
  };
  return new Deliverer({
    store,
    notifier,
    routes: deliveryRoutes(deliveryHandlers(o.services), o.drawers),
    clock,
    log,
    options: o.options,
    onEvent: (event, kind) => o.metrics.deliveryEvent(event, kind),
    ...(o.inWorkspace ? { inWorkspace: o.inWorkspace } : {}),
    onChannelProblem: async (p) => {
      try {
        const team = p.teamId ? await teams.findById(p.teamId) : null;
        const msg = buildChannelProblem({ channelId: p.channel, error: p.error, team, waiting: p.waiting });
        if (await tellAdmins(p.teamId, msg)) await store.markTold(p.channel, clock.now());
      } catch (err) {
        log.error({ err, channel: p.channel, teamId: p.teamId }, "could not tell the team's admin either");
      }
    },
    onGiveUp: async (d, error) => {
      try {
        await tellAdmins(
          d.teamId,
          buildDeliveryGivenUp({ kind: d.kind, channelId: d.channel ?? d.target, error }),
        );
      } catch (err) {
        log.error({ err, key: d.key }, "could not tell the team's admin about a delivery given up");
      }
    },
  });
}
