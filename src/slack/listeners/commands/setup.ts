import { within } from "../../../shared/within.js";
import { buildTeamSetupModal } from "../../blocks/team-setup-modal.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet setup`: the team's settings for this channel, new or as saved. */
export const setupSubcommands: SubcommandSet = (deps) => ({
  setup: async ({ command, client }) => {
    // users.info first: the default time zone is the caller's own.
    // The caller's zone is only a default: it gets at most a second of the trigger's three.
    const [caller, team] = await Promise.all([
      within(deps.notifier.userInfo(command.user_id), 1000, null),
      deps.teams.findByChannel(command.team_id, command.channel_id),
    ]);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildTeamSetupModal({
        team,
        channelId: command.channel_id,
        defaultTimezone: caller?.tz ?? "UTC",
      }),
    });
  },
});
