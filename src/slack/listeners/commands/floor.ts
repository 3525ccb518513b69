import { buildBarbellPlan } from "../../blocks/floor.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** `/ratchet floor`: the barbell plan — the Floor beside the Ceiling and this cycle's quota — ephemeral. */
export function floorSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    floor: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const plan = await deps.floor.plan(team);
      await respond(ephemeral(buildBarbellPlan({ team, plan })));
    },
  };
}
