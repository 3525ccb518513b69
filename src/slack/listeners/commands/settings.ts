import { openSettings } from "../kit/settings.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet settings` (and `/ratchet setup`, its old name): every setting of this channel's team, in one modal. */
export const settingsSubcommands: SubcommandSet = (deps) => ({
  settings: (args) => openSettings(deps, args, "team"),
  setup: (args) => openSettings(deps, args, "team"),
});
