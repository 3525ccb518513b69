import type { DeliveryHandlers } from "../../src/notices.js";
import type { Clock } from "../../src/shared/clock.js";
import { DELIVERY_KINDS, type DeliveryKind, type Outbox } from "../../src/shared/deliveries.js";
import { createLogger } from "../../src/shared/logger.js";
import { ROLLUP_SECTIONS } from "../../src/slack/blocks/rollup-sections.js";
import { Deliverer, type DelivererOptions } from "../../src/slack/delivery/deliverer.js";
import { type Drawers, deliveryRoutes, slackDrawers } from "../../src/slack/delivery/draw.js";
import type { Notifier } from "../../src/slack/notifier.js";
import { SlackAnnouncer } from "../../src/slack/slack-announcer.js";
import { InMemoryDeliveryStore } from "./fakes/in-memory-deliveries.js";

/**
 * The outbox and a real Deliverer over an in-memory store, for service unit tests: services enqueue
 * into `outbox`, and `deliver(now)` runs one pass through the given handlers and Slack's drawings.
 * Kinds a test gives no handler for fail loudly if they are ever delivered.
 */
export function testDelivery(o: {
  notifier: Notifier;
  clock: Clock;
  /** Services need the outbox before they exist: hand their handlers over later with `handle()`. */
  handlers?: Partial<DeliveryHandlers>;
  options?: Partial<DelivererOptions>;
  /** Another process's store: two deliverers over one database. */
  store?: InMemoryDeliveryStore;
}) {
  const store = o.store ?? new InMemoryDeliveryStore();
  let given: Partial<DeliveryHandlers> = { ...o.handlers };
  const handlerOf = <K extends DeliveryKind>(kind: K): DeliveryHandlers[K] => {
    const h = given[kind];
    if (!h) throw new Error(`no handler for ${kind} deliveries in this test`);
    return h as DeliveryHandlers[K];
  };
  // Late-bound: each call looks up the handler given by then.
  const handlers = Object.fromEntries(
    DELIVERY_KINDS.map((k) => [
      k,
      {
        resolve: (ref: never, now: Date) => handlerOf(k).resolve(ref, now),
        delivered: (ref: never, where: { channel: string; ts: string }, now: Date) =>
          handlerOf(k).delivered?.(ref, where, now) ?? Promise.resolve(),
      },
    ]),
  ) as unknown as DeliveryHandlers;
  const deliverer = new Deliverer({
    store,
    notifier: o.notifier,
    routes: deliveryRoutes(handlers, testDrawers()),
    clock: o.clock,
    log: createLogger("silent"),
    options: { channelPaceMs: 0, ...o.options },
  });
  const outbox: Outbox = {
    enqueue: (d) => store.enqueue(d),
    enqueueMany: (ds) => store.enqueueMany(ds),
    statuses: (keys) => store.statuses(keys),
  };
  return {
    store,
    outbox,
    deliverer,
    deliver: (now: Date) => deliverer.pass(now),
    handle: (h: Partial<DeliveryHandlers>) => {
      given = { ...given, ...h };
    },
  };
}

/** Slack's drawings with the built-in rollup sections and a stub chart (no worker, no vega). */
function testDrawers(): Drawers {
  return slackDrawers({
    sections: ROLLUP_SECTIONS,
    renderChart: async () => ({ png: Buffer.from(""), alt: "chart", width: 1, height: 1 }),
  });
}

/** The services' Announcer over a (recording) notifier, drawing as the app does. */
export const testAnnouncer = (notifier: Notifier): SlackAnnouncer =>
  new SlackAnnouncer(notifier, testDrawers());
