import { cycleOf } from "../../../deviations/deviation.js";
import { buildDeviationLog, buildDeviationModal, cycleLabel, LOG_CAP } from "../../blocks/deviations.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** The novelty quota: `/ratchet deviate` logs a deviation, `/ratchet deviations` shows the log. */
export function deviationSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    deviate: async ({ command, client }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const { current, next } = deps.deviations.cyclesFor(team);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildDeviationModal({
          meta: { teamId: team.id },
          teamName: team.name,
          tz: team.timezone,
          current,
          next,
        }),
      });
    },
    deviations: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const log = await deps.deviations.logFor(team, LOG_CAP);
      await respond(
        ephemeral(
          buildDeviationLog({
            team,
            ...log,
            cycleLabel: (index) => cycleLabel(cycleOf(team, index), team.timezone),
          }),
        ),
      );
    },
  };
}
