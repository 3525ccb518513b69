import { randomUUID } from "node:crypto";
import type { App, ReceiverEvent } from "@slack/bolt";
import type { Logger } from "pino";
import type { Metrics, Surface } from "../ops/metrics.js";
import { RequestScope } from "../shared/request-context.js";

/**
 * Wraps the app's `processEvent`, the one call every receiver (HTTP and Socket Mode) makes for
 * every request, so that Bolt's authorization, the global middleware, the listener and the work
 * it queues all run inside one request context: each log line carries the requestId, surface and
 * callbackId (src/shared/logger.ts). When the request ends it is timed by surface and outcome and
 * logged once. The outcome is "rejected" when the ack carried inline form errors or a rule said no
 * (the error mapper notes it), "error" when something failed unexpectedly.
 */
export function observeRequests(app: App, o: { metrics: Metrics; log: Logger }): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const { surface, callbackId } = describeRequest(event.body);
    const scope = new RequestScope({
      requestId: randomUUID(),
      surface,
      ...(callbackId ? { callbackId } : {}),
      ...(event.retryNum ? { retryNum: event.retryNum } : {}),
    });
    const started = performance.now();
    let ackedAfter: number | null = null;
    const observed: ReceiverEvent = {
      ...event,
      ack: (response?: unknown) => {
        ackedAfter ??= (performance.now() - started) / 1000;
        if (hasInlineErrors(response)) scope.note("rejected");
        return event.ack(response);
      },
    };
    await scope.run(async () => {
      try {
        await processEvent(observed);
      } catch (err) {
        scope.note("error");
        throw err;
      } finally {
        const seconds = (performance.now() - started) / 1000;
        o.metrics.request(surface, scope.outcome, seconds, ackedAfter);
        o.log.info(
          { outcome: scope.outcome, ms: Math.round(seconds * 1000), ackMs: ms(ackedAfter) },
          "slack request",
        );
      }
    });
  };
}

const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000));

type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const obj = (v: unknown): Body => (typeof v === "object" && v !== null ? (v as Body) : {});

/** Which surface a request body comes from, and the id that picks its listener. */
function describeRequest(body: Body): { surface: Surface; callbackId: string | undefined } {
  if (str(body.command)) return { surface: "command", callbackId: str(body.command) };
  switch (body.type) {
    case "event_callback":
      return { surface: "event", callbackId: str(obj(body.event).type) };
    case "block_actions":
    case "interactive_message": {
      const first = Array.isArray(body.actions) ? obj(body.actions[0]) : {};
      return { surface: "action", callbackId: str(first.action_id) ?? str(body.callback_id) };
    }
    case "view_submission":
    case "view_closed":
      return { surface: "view", callbackId: str(obj(body.view).callback_id) };
    case "shortcut":
    case "message_action":
      return { surface: "shortcut", callbackId: str(body.callback_id) };
    case "block_suggestion":
    case "dialog_suggestion":
      return { surface: "options", callbackId: str(body.action_id) ?? str(body.callback_id) };
    default:
      return { surface: "other", callbackId: undefined };
  }
}

/** A view submission acked with `response_action: "errors"`: the form was sent back to be fixed. */
function hasInlineErrors(response: unknown): boolean {
  return obj(response).response_action === "errors";
}
