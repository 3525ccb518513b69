import { buildTeamAudit } from "../../blocks/audit.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** `/ratchet audit`: the team's most recent changes, only to the person who asked. */
export function auditSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    audit: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const entries = await deps.audit.recent(team.id);
      await respond(ephemeral(buildTeamAudit({ teamName: team.name, entries, timezone: team.timezone })));
    },
  };
}
