import { within } from "../../../shared/within.js";
import type { SettingsSection } from "../../../teams/settings.js";
import { buildSettingsModal } from "../../blocks/settings-modal.js";
import type { SlackDeps } from "../../deps.js";
import type { CommandArgs } from "./subcommand.js";

/**
 * Opens the settings modal with `start` first. `/ratchet setup` and `/ratchet settings` (start
 * "team") open this channel's team, or a new one's form when it has none; the others act on the team
 * the command resolves to, as they always have.
 */
export async function openSettings(
  deps: SlackDeps,
  { command, client }: CommandArgs,
  start: SettingsSection,
) {
  // The caller's zone is only a new team's default: it gets at most a second of the trigger's three.
  const [caller, team] = await Promise.all([
    start === "team" ? within(deps.notifier.userInfo(command.user_id), 1000, null) : null,
    start === "team"
      ? deps.teams.findByChannel(command.team_id, command.channel_id)
      : deps.teams.resolve(command.team_id, command.channel_id),
  ]);
  const workspaceChannelId = team ? await deps.settings.workspaceChannel(command.team_id) : null;
  await client.views.open({
    trigger_id: command.trigger_id,
    view: buildSettingsModal({
      team,
      channelId: command.channel_id,
      defaultTimezone: caller?.tz ?? "UTC",
      workspaceChannelId,
      start,
    }),
  });
}
