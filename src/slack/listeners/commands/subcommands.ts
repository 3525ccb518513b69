import type { SlackDeps } from "../../deps.js";
import { pickSubcommand, type Subcommand, type SubcommandSet } from "../kit/subcommand.js";
import { alarmSubcommands } from "./alarms.js";
import { debriefSubcommands } from "./debrief.js";
import { decisionSubcommands } from "./decisions.js";
import { deviationSubcommands } from "./deviations.js";
import { incidentSubcommands } from "./incident.js";
import { mechanismSubcommands } from "./mechanisms.js";
import { rollupSubcommands } from "./rollup.js";
import { settingsSubcommands } from "./settings.js";

/** Each feature contributes its `/ratchet` subcommands here. */
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

export const subcommands = (deps: SlackDeps): Record<string, Subcommand> =>
  Object.assign({}, ...FEATURES.map((f) => f(deps)));

/** Whether `/ratchet <text>` is answered by the ack alone (help, or a word no subcommand has). */
export function answeredInAck(deps: SlackDeps): (command: string, text: string) => boolean {
  const subs = subcommands(deps);
  return (command, text) => command === "/ratchet" && !pickSubcommand(subs, text).sub;
}
