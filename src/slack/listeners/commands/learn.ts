import { buildLearnList, buildScheduleModal } from "../../blocks/learning.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/**
 * Learning sessions: `/ratchet learn` lists them (upcoming, past, topic ideas), `/ratchet learn <words>`
 * searches topics and speakers, `/ratchet learn schedule` opens the form at once.
 */
export function learnSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    learn: async ({ command, client, respond }, rest) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      if (rest.trim().toLowerCase() === "schedule") {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: buildScheduleModal({
            meta: { teamId: team.id, tz: team.timezone },
            teamName: team.name,
            channelId: team.channelId,
          }),
        });
        return;
      }
      const overview = await deps.learning.overview(team, rest);
      await respond(ephemeral(buildLearnList({ overview, teamId: team.id })));
    },
  };
}
