import type { AllMiddlewareArgs, App, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { ephemeral } from "./reply.js";
import { routes } from "./routes.js";

export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * A message shortcut (a global one with the same callback_id has no message or channel, so it is not
 * matched): acked first, then `fn`. Nothing throws out of it: a failure answers the person ephemerally.
 */
export function onMessageShortcut(
  app: App,
  deps: SlackDeps,
  callbackId: string,
  fn: (args: MessageShortcutArgs) => Promise<void>,
): void {
  routes(app).messageShortcut(callbackId, async (args) => {
    await args.ack();
    try {
      await fn(args);
    } catch (err) {
      const text = userMessage(err, deps.log, { shortcut: callbackId, user: args.body.user.id });
      await args
        .respond(ephemeral(text))
        .catch((e: unknown) => deps.log.error({ err: e }, "could not answer a failed shortcut"));
    }
  });
}
