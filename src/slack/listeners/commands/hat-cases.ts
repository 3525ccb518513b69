import { buildHatCaseList, buildHatModal, HAT_LIST_CAP } from "../../blocks/hat-cases.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { CommandArgs, Subcommand } from "../kit/subcommand.js";

/** The Anthropologist Hat: `/ratchet hat` writes a case, `/ratchet hat list` (or `hats`) lists them. */
export function hatCaseSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  const list = async ({ command, respond }: CommandArgs) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const recent = await deps.hatCases.recent(team, HAT_LIST_CAP);
    await respond(ephemeral(buildHatCaseList({ team, ...recent })));
  };
  return {
    hat: async (args, rest) => {
      if (rest.trim().toLowerCase() === "list") return list(args);
      const { command, client } = args;
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildHatModal({ meta: { teamId: team.id }, teamName: team.name }),
      });
    },
    hats: list,
  };
}
