import { type AnyMiddlewareArgs, ErrorCode, type Middleware } from "@slack/bolt";
import type { Logger } from "pino";
import { buildApologyModal } from "../blocks/confirmations.js";
import { APOLOGY } from "../error-mapper.js";

const isMultipleAck = (err: unknown): boolean =>
  (err as { code?: unknown }).code === ErrorCode.ReceiverMultipleAckError;

/** The id a request was routed by, for the log line: action_id, callback_id, command or event type. */
function routedBy(body: Record<string, unknown>): string | undefined {
  const first = Array.isArray(body.actions)
    ? (body.actions[0] as Record<string, unknown> | undefined)
    : undefined;
  const view = body.view as Record<string, unknown> | undefined;
  const found = first?.action_id ?? view?.callback_id ?? body.callback_id ?? body.command;
  return typeof found === "string" ? found.slice(0, 100) : undefined;
}

/**
 * Global middleware, first in the chain: once every listener has run, a request nobody acknowledged is
 * acknowledged here. Without it an action, view or shortcut no listener matches (an old message's
 * button, a stale modal after a deploy) waits for Bolt's 3-second timer and gets a 404, which Slack
 * shows as an error. A listener that failed before its ack gets an apology where Slack can show one
 * (the modal, or the command's reply); its error still goes on to app.error to be logged.
 * Events need nothing: Bolt acknowledges them before any listener runs.
 */
export function ackUnhandled(log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const ack = "ack" in args && typeof args.ack === "function" ? args.ack : undefined;
    const body = args.body as unknown as Record<string, unknown>;
    /** Acks with `response`; false when a listener already had. */
    const ackOnce = async (response?: unknown): Promise<boolean> => {
      if (!ack) return false;
      try {
        await (ack as (r?: unknown) => Promise<void>)(response);
        return true;
      } catch (err) {
        if (isMultipleAck(err)) return false;
        throw err;
      }
    };
    try {
      await args.next();
    } catch (err) {
      const apology =
        body.type === "view_submission"
          ? { response_action: "update", view: buildApologyModal(APOLOGY) }
          : typeof body.command === "string"
            ? { response_type: "ephemeral", text: APOLOGY.text }
            : undefined;
      await ackOnce(apology).catch(() => {});
      throw err;
    }
    if (await ackOnce()) {
      log.info(
        { type: body.type ?? "command", id: routedBy(body) },
        "no listener for this request; acknowledged it",
      );
    }
  };
}
