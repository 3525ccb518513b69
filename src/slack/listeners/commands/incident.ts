import { buildIncidentStats } from "../../blocks/action-items.js";
import { buildIntakeModal } from "../../blocks/incident.js";
import { md } from "../../blocks/mrkdwn.js";
import { ephemeral } from "../kit/reply.js";
import { type CommandArgs, dispatch, type SubcommandSet } from "../kit/subcommand.js";
import { incidentChannel } from "./incident-channel.js";

const USAGE = md`\`/ratchet incident\` starts a COE · \`/ratchet incident channel #channel\` sets where this team's incidents are posted · \`/ratchet incident stats\` shows this team's learning-loop stats.`;

/** `/ratchet incident …`: intake, the team's incidents channel, and its learning-loop stats. */
export const incidentSubcommands: SubcommandSet = (deps) => {
  const intake = async ({ command, client }: CommandArgs) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const workspaceTags = await deps.incidents.listTags(team.slackTeamId);
    const meta = { teamId: team.id, incidentId: null, sourceLink: null };
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildIntakeModal({ meta, workspaceTags }),
    });
  };

  // Per team, not per workspace: the team that runs the COEs is the one that can act on its loop.
  const stats = async ({ command, respond }: CommandArgs) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const { metrics, quarters } = await deps.actionItems.stats(team.id, team.timezone);
    await respond(ephemeral(buildIncidentStats({ teamName: team.name, metrics, quarters })));
  };

  const subs = { channel: incidentChannel(deps), stats };
  return {
    incident: (args, rest) =>
      dispatch(subs, args, rest, async (word) => {
        if (word === "") return intake(args);
        await args.respond(ephemeral(md`I don't know \`/ratchet incident ${word}\`. ${USAGE}`));
      }),
  };
};
