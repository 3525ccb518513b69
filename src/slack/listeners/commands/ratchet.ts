import type { App } from "@slack/bolt";
import { buildHelp } from "../../blocks/messages.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { onCommand } from "../kit/command.js";
import { ephemeral } from "../kit/reply.js";
import { subcommands } from "./subcommands.js";

/** `/ratchet <subcommand>`: routes by the first word; `help`, nothing or an unknown word get the help. */
export function register(app: App, deps: SlackDeps): void {
  const subs = subcommands(deps);
  // The help is built from constants, so it goes back in the ack itself (see onCommand); with a
  // note when the word is one no subcommand has.
  // The plain help is the same every time: built once, on first use.
  let help: ReturnType<typeof ephemeral> | undefined;
  onCommand(app, deps, "/ratchet", subs, (word) => {
    if (word && word.toLowerCase() !== "help")
      return ephemeral(buildHelp(md`I don't know \`/ratchet ${word}\`.`));
    help ??= ephemeral(buildHelp());
    return help;
  });
}
