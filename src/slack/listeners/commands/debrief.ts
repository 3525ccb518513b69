import { openSettings } from "../kit/settings.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet debrief`: the settings modal, opened at the end-of-week debrief. */
export const debriefSubcommands: SubcommandSet = (deps) => ({
  debrief: (args) => openSettings(deps, args, "debrief"),
});
