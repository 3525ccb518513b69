import { buildIncidentStats } from "../../blocks/action-items.js";
import { buildIncidentChannel } from "../../blocks/confirmations.js";
import { buildIntakeModal } from "../../blocks/incident.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../reply.js";
import type { CommandArgs, Subcommand, SubcommandSet } from "./ratchet.js";

/** "<#C123|name>", "<#C123>" or a bare id; a plain "#name" can't be resolved without channels:read. */
export function parseChannelArg(text: string): string | null {
  const mention = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(text.trim());
  if (mention?.[1]) return mention[1];
  return /^[CG][A-Z0-9]{6,}$/.test(text.trim()) ? text.trim() : null;
}

const USAGE = md`\`/ratchet incident\` starts a COE · \`/ratchet incident channel #channel\` sets where this team's incidents are posted · \`/ratchet incident stats\` shows this team's learning-loop stats.`;

/** `/ratchet incident …`: intake, and the team's incidents channel. */
export const incidentSubcommands: SubcommandSet = (deps: SlackDeps) => {
  const intake = async ({ command, client }: CommandArgs) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const workspaceTags = await deps.incidents.listTags(team.slackTeamId);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildIntakeModal({
        meta: { teamId: team.id, incidentId: null, sourceLink: null },
        workspaceTags,
      }),
    });
  };

  const channel = async ({ command, respond }: CommandArgs, rest: string) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    if (rest.trim() === "") {
      await respond(ephemeral(buildIncidentChannel({ team, changed: false })));
      return;
    }
    const channelId = parseChannelArg(rest);
    if (!channelId) {
      await respond(
        ephemeral(
          md`Pick the channel from the list as you type \`#\`, so it shows as a link: \`/ratchet incident channel #incidents\`.`,
        ),
      );
      return;
    }
    const updated = await deps.teams.updateSettings(team.id, { incidentsChannelId: channelId });
    await respond(ephemeral(buildIncidentChannel({ team: updated, changed: true })));
  };

  // Per team, not per workspace: the team that runs the COEs is the one that can act on its loop.
  const stats = async ({ command, respond }: CommandArgs) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const metrics = await deps.followThrough.stats(team.id);
    await respond(ephemeral(buildIncidentStats({ teamName: team.name, metrics })));
  };

  const subs: Record<string, Subcommand> = { channel, stats };

  const incident: Subcommand = async (args, rest) => {
    const [word = "", ...more] = rest.trim().split(/\s+/);
    if (word === "") return intake(args);
    const key = word.toLowerCase();
    const sub = Object.hasOwn(subs, key) ? subs[key] : undefined;
    if (!sub) {
      await args.respond(ephemeral(md`I don't know \`/ratchet incident ${word}\`. ${USAGE}`));
      return;
    }
    await sub(args, more.join(" "));
  };

  return { incident };
};
