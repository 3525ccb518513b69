import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "pino";
import type { Requests } from "../requests.js";

/** What identifies a redelivery of the same command or event, if the body has it. */
export function requestKey(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.event_id === "string" && b.event_id) return `event:${b.event_id}`;
  if (typeof b.command === "string" && typeof b.trigger_id === "string" && b.trigger_id) {
    return `command:${b.trigger_id}`;
  }
  return null;
}

/**
 * Global middleware: an event or a command is handled once across retries and replicas. Slack
 * retries an event whose ack was slow or lost (with X-Slack-Retry-Num) and may land the retry on
 * another replica; the retry is acknowledged and its work is not redone, done or in flight. View
 * submissions are claimed by their listeners (src/slack/requests.ts), after validation.
 */
export function oncePerRequest(requests: Requests, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = requestKey(args.body);
    if (!key) return args.next();
    const once = await requests.once(key, () => args.next());
    if (!once.first) {
      if ("ack" in args && typeof args.ack === "function") await args.ack();
      log.info(
        { key, retryNum: args.context.retryNum ?? null },
        "request already handled; acknowledged only",
      );
    }
  };
}
