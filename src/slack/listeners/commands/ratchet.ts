import type { App } from "@slack/bolt";
import { buildHelp } from "../../blocks/messages.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { onCommand } from "../kit/command.js";
import { ephemeral } from "../kit/reply.js";
import { pickSubcommand, type Subcommand, type SubcommandSet } from "../kit/subcommand.js";
import { alarmSubcommands } from "./alarms.js";
import { debriefSubcommands } from "./debrief.js";
import { decisionSubcommands } from "./decisions.js";
import { deviationSubcommands } from "./deviations.js";
import { incidentSubcommands } from "./incident.js";
import { mechanismSubcommands } from "./mechanisms.js";
import { rollupSubcommands } from "./rollup.js";
import { settingsSubcommands } from "./settings.js";

/** Each feature contributes its subcommands here. */
const FEATURES: SubcommandSet[] = [
  settingsSubcommands,
  mechanismSubcommands,
  decisionSubcommands,
  deviationSubcommands,
  debriefSubcommands,
  alarmSubcommands,
  rollupSubcommands,
  incidentSubcommands,
];

const subcommands = (deps: SlackDeps): Record<string, Subcommand> =>
  Object.assign({}, ...FEATURES.map((f) => f(deps)));

/** Whether `/ratchet <text>` is answered by the ack alone (help, or a word no subcommand has). */
export function answeredInAck(deps: SlackDeps): (command: string, text: string) => boolean {
  const subs = subcommands(deps);
  return (command, text) => command === "/ratchet" && !pickSubcommand(subs, text).sub;
}

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
