import type { App, RespondArguments } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { ephemeral } from "./reply.js";
import { routes } from "./routes.js";
import { pickSubcommand, type Subcommand } from "./subcommand.js";

/**
 * A slash command routed by its first word to one of `subs`: acked at once (a subcommand answers
 * through `respond`, which outlives the ack), then run with the words after its word. Nothing throws
 * out of it: a failure answers the caller ephemerally. A word no subcommand has (or none) gets
 * `otherwise(word)` in the ack itself, so that answer must need no database or Slack call (the help
 * doesn't): one HTTP response, no response_url post queued behind other work.
 */
export function onCommand(
  app: App,
  deps: SlackDeps,
  name: string,
  subs: Record<string, Subcommand>,
  otherwise: (word: string) => RespondArguments,
): void {
  routes(app).command(name, async (args) => {
    const { ack, command, respond } = args;
    const text = command.text.trim();
    const { word, sub, rest } = pickSubcommand(subs, text);
    if (!sub) {
      await ack(otherwise(word));
      return;
    }
    await ack();
    try {
      await sub(args, rest);
    } catch (err) {
      const context = { command: text, user: command.user_id, channel: command.channel_id };
      await respond(ephemeral(userMessage(err, deps.log, context))).catch((e: unknown) =>
        deps.log.error({ err: e }, "could not answer a failed command"),
      );
    }
  });
}
