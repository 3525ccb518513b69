import { buildDebriefSettingsModal } from "../../blocks/debrief.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet debrief`: the end-of-week debrief settings for the channel's team. */
export const debriefSubcommands: SubcommandSet = (deps) => ({
  debrief: async ({ command, client }) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildDebriefSettingsModal({
        meta: { teamId: team.id, channelId: command.channel_id },
        settings: team,
        timezone: team.timezone,
      }),
    });
  },
});
