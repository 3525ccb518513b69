import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { routes } from "./routes.js";

export type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/** The channel an event happened in, when it names one: what a failure's log line needs to be acted on. */
const channelOf = (event: object): string | undefined =>
  "channel" in event && typeof event.channel === "string" ? event.channel : undefined;

/**
 * An Events API event (Bolt acks it before any listener runs). Nobody waits for an answer, so a
 * failure is logged with `what` the listener was doing, and never thrown.
 */
export function onEvent<E extends string>(
  app: App,
  deps: SlackDeps,
  type: E,
  what: string,
  fn: (args: EventArgs<E>) => Promise<void>,
): void {
  routes(app).event(type, async (args) => {
    try {
      await fn(args);
    } catch (err) {
      deps.log.error({ err, event: type, channel: channelOf(args.event) }, `could not ${what}`);
    }
  });
}
