import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { ephemeral } from "./reply.js";
import type { CommandArgs } from "./subcommand.js";

/**
 * A slash command: acked at once (its answers go through `respond`, which outlives the ack), then
 * `fn` with the command's text. Nothing throws out of it: a failure answers the caller ephemerally.
 */
export function onCommand(
  app: App,
  deps: SlackDeps,
  name: string,
  fn: (args: CommandArgs, text: string) => Promise<void>,
): void {
  app.command(name, async (args) => {
    const { ack, command, respond } = args;
    await ack();
    const text = command.text.trim();
    try {
      await fn(args, text);
    } catch (err) {
      const context = { command: text, user: command.user_id, channel: command.channel_id };
      await respond(ephemeral(userMessage(err, deps.log, context))).catch((e: unknown) =>
        deps.log.error({ err: e }, "could not answer a failed command"),
      );
    }
  });
}
