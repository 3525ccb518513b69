import { buildIncidentChannel } from "../../blocks/confirmations.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import { openSettings } from "../kit/settings.js";
import type { Subcommand } from "../kit/subcommand.js";

/** "<#C123|name>", "<#C123>" or a bare id; a plain "#name" can't be resolved without channels:read. */
function parseChannelArg(text: string): string | null {
  const mention = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(text.trim());
  if (mention?.[1]) return mention[1];
  return /^[CG][A-Z0-9]{6,}$/.test(text.trim()) ? text.trim() : null;
}

/**
 * `/ratchet incident channel #channel` sets where this team's incidents are posted, a shortcut for
 * the settings modal, which the bare `/ratchet incident channel` opens at its incidents section.
 */
export const incidentChannel =
  (deps: SlackDeps): Subcommand =>
  async (args, rest) => {
    if (rest.trim() === "") return openSettings(deps, args, "incidents");
    const { command, respond } = args;
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const channelId = parseChannelArg(rest);
    if (!channelId) {
      await respond(
        ephemeral(
          md`Pick the channel from the list as you type \`#\`, so it shows as a link: \`/ratchet incident channel #incidents\`.`,
        ),
      );
      return;
    }
    const actor = { userId: command.user_id, surface: "command" as const };
    const updated = await deps.teams.updateSettings(team.id, { incidentsChannelId: channelId }, actor);
    await respond(ephemeral(buildIncidentChannel({ team: updated, changed: true })));
  };
