import { md } from "../../blocks/mrkdwn.js";
import { buildRollupPreview } from "../../blocks/rollup.js";
import { buildRollupSettingsModal } from "../../blocks/rollup-settings-modal.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet rollup` previews this week's rollup (only to the caller); `… settings` opens the modal. */
export const rollupSubcommands: SubcommandSet = (deps) => ({
  rollup: async ({ command, client, respond }, rest) => {
    const word = rest.trim().toLowerCase();
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    if (word === "settings") {
      const workspaceChannelId = await deps.rollups.workspaceChannel(command.team_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildRollupSettingsModal({ meta: { teamId: team.id }, team, workspaceChannelId }),
      });
      return;
    }
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
