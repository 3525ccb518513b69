import type { App } from "@slack/bolt";
import { buildHelp } from "../../blocks/messages.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { onCommand } from "../kit/command.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand, SubcommandSet } from "../kit/subcommand.js";
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

/** `/ratchet <subcommand>`: routes by the first word; `help`, nothing or an unknown word get the help. */
export function register(app: App, deps: SlackDeps): void {
  const subs: Record<string, Subcommand> = Object.assign({}, ...FEATURES.map((f) => f(deps)));
  // The help is built from constants, so it goes back in the ack itself (see onCommand); with a
  // note when the word is one no subcommand has.
  onCommand(app, deps, "/ratchet", subs, (word) =>
    ephemeral(
      buildHelp(word && word.toLowerCase() !== "help" ? md`I don't know \`/ratchet ${word}\`.` : undefined),
    ),
  );
}
