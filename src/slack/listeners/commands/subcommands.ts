import type { SlackDeps } from "../../deps.js";
import { pickSubcommand, type Subcommand } from "../kit/subcommand.js";
import { FEATURES } from "./features.js";

export const subcommands = (deps: SlackDeps): Record<string, Subcommand> =>
  Object.assign({}, ...FEATURES.map((f) => f(deps)));

/** Whether `/ratchet <text>` is answered by the ack alone (help, or a word no subcommand has). */
export function answeredInAck(deps: SlackDeps): (command: string, text: string) => boolean {
  const subs = subcommands(deps);
  return (command, text) => command === "/ratchet" && !pickSubcommand(subs, text).sub;
}
