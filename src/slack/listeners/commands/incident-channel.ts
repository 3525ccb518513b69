import { buildIncidentChannel } from "../../blocks/confirmations.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** "<#C123|name>", "<#C123>" or a bare id; a plain "#name" can't be resolved without channels:read. */
function parseChannelArg(text: string): string | null {
  const mention = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(text.trim());
  if (mention?.[1]) return mention[1];
  return /^[CG][A-Z0-9]{6,}$/.test(text.trim()) ? text.trim() : null;
}

/** `/ratchet incident channel [#channel]`: shows, or sets, where this team's incidents are posted. */
export const incidentChannel =
  (deps: SlackDeps): Subcommand =>
  async ({ command, respond }, rest) => {
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
