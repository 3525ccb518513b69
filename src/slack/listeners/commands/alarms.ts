import { buildAlarmList } from "../../blocks/alarm.js";
import type { SlackDeps } from "../../deps.js";
import { ephemeral } from "../kit/reply.js";
import type { Subcommand } from "../kit/subcommand.js";

/** `/ratchet alarms`: the team's unresolved thrash alarms and pilot-purgatory smells, ephemeral. */
export function alarmSubcommands(deps: SlackDeps): Record<string, Subcommand> {
  return {
    alarms: async ({ command, respond }) => {
      const team = await deps.teams.resolve(command.team_id, command.channel_id);
      const alarms = await deps.alarms.list(team.id);
      await respond(ephemeral(buildAlarmList({ teamName: team.name, alarms })));
    },
  };
}
