import { md } from "../../blocks/mrkdwn.js";
import { buildRollupPreview } from "../../blocks/rollup.js";
import { ephemeral } from "../kit/reply.js";
import { openSettings } from "../kit/settings.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet rollup` previews this week's rollup (only to the caller); `… settings` opens the settings at the rollup. */
export const rollupSubcommands: SubcommandSet = (deps) => ({
  rollup: async (args, rest) => {
    const { command, respond } = args;
    const word = rest.trim().toLowerCase();
    if (word === "settings") return openSettings(deps, args, "rollup");
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    if (word !== "" && word !== "preview") {
      await respond(
        ephemeral(
          md`Try \`/ratchet rollup\` for a private preview of this week's rollup, or \`/ratchet rollup settings\`.`,
        ),
      );
      return;
    }
    await respond(ephemeral(buildRollupPreview(await deps.rollups.preview(team.id))));
  },
});
