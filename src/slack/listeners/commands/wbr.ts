import { buildWbrOverview } from "../../blocks/wbr.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** The weekly business review: `/ratchet wbr` lists the team's metrics, with buttons to change them. */
export function wbrSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    wbr: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const o = await deps.wbr.overview(team.id);
      await respond(
        ephemeral(
          buildWbrOverview({
            teamId: team.id,
            teamName: team.name,
            rows: o.rows,
            schedule: o.schedule,
            wbrAt: o.wbrAt,
            timezone: o.timezone,
          }),
        ),
      );
    },
  };
}
