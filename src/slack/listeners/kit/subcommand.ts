import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
/** A `/ratchet <word> …` handler; `rest` is the text after the word. */
export type Subcommand = (args: CommandArgs, rest: string) => Promise<void>;
/** A feature's subcommands, by their word. */
export type SubcommandSet = (deps: SlackDeps) => Record<string, Subcommand>;

/**
 * `text`'s first word (as typed), the subcommand it names (case-insensitive; none when no
 * subcommand has it, or there is no word) and the words after it. Own keys only: "constructor" or
 * "__proto__" is no subcommand.
 */
export function pickSubcommand(
  subs: Record<string, Subcommand>,
  text: string,
): { word: string; sub: Subcommand | undefined; rest: string } {
  const [word = "", ...rest] = text.trim().split(/\s+/);
  const key = word.toLowerCase();
  return { word, sub: Object.hasOwn(subs, key) ? subs[key] : undefined, rest: rest.join(" ") };
}

/**
 * Runs the subcommand that `text`'s first word names, with the words after it; `otherwise` answers a
 * word no subcommand has (or none).
 */
export async function dispatch(
  subs: Record<string, Subcommand>,
  args: CommandArgs,
  text: string,
  otherwise: (word: string) => Promise<void>,
): Promise<void> {
  const { word, sub, rest } = pickSubcommand(subs, text);
  if (!sub) return otherwise(word);
  await sub(args, rest);
}
