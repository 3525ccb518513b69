import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "pino";
import { isDatabaseBusy } from "../../shared/errors.js";
import type { Requests } from "../requests.js";

/** What identifies a redelivery of the same command or event, if the body has it. */
function requestKey(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.event_id === "string" && b.event_id) return `event:${b.event_id}`;
  if (typeof b.command === "string" && typeof b.trigger_id === "string" && b.trigger_id) {
    return `command:${b.trigger_id}`;
  }
  return null;
}

function isAnsweredInAck(body: unknown, answeredInAck: (command: string, text: string) => boolean) {
  const b = body as Record<string, unknown>;
  return typeof b.command === "string" && answeredInAck(b.command, typeof b.text === "string" ? b.text : "");
}

/**
 * Global middleware: an event or a command is handled once across retries and replicas. Slack
 * retries an event whose ack was slow or lost (with X-Slack-Retry-Num) and may land the retry on
 * another replica; the retry is acknowledged and its work is not redone, done or in flight. View
 * submissions are claimed by their listeners (src/slack/requests.ts), after validation.
 */
export function oncePerRequest(
  requests: Requests,
  log: Logger,
  /**
   * Commands whose whole answer is the ack (the help): pure, so a redelivery answered twice harms
   * nothing, and skipping the claim's two writes keeps the commonest request off the database.
   */
  answeredInAck: (command: string, text: string) => boolean = () => false,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = requestKey(args.body);
    if (!key || isAnsweredInAck(args.body, answeredInAck)) return args.next();
    let handling = false;
    let once: Awaited<ReturnType<Requests["once"]>>;
    try {
      once = await requests.once(key, () => {
        handling = true;
        return args.next();
      });
    } catch (err) {
      // Another process holds SQLite's lock, so the claim could not be written: handle the request
      // unclaimed rather than leave it unanswered. The listener acks and answers (reads still work;
      // a write gets the busy apology); at worst a redelivery meanwhile is handled twice.
      if (handling || !isDatabaseBusy(err)) throw err;
      log.warn({ key, err }, "database busy: request handled without its once-only claim");
      return args.next();
    }
    if (!once.first) {
      if ("ack" in args && typeof args.ack === "function") await args.ack();
      log.info(
        { key, retryNum: args.context.retryNum ?? null },
        "request already handled; acknowledged only",
      );
    }
  };
}
