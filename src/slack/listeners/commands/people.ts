import { buildPrefsModal, buildQuietDaysList, buildQuietDaysModal } from "../../blocks/people.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/**
 * Reminders that reach the person: `/ratchet remind` (channel, DM or both) and `/ratchet away` (quiet
 * days: list, `away add` opens the form). `/ratchet calendar` is in calendar.ts.
 */
export const peopleSubcommands: SubcommandSet = (deps) => ({
  remind: async ({ command, client }) => {
    const prefs = await deps.people.prefs(command.team_id, command.user_id);
    await client.views.open({ trigger_id: command.trigger_id, view: buildPrefsModal(prefs) });
  },
  away: async ({ command, client, respond }, rest) => {
    const form = await deps.people.quietDaysForm(command.team_id, command.channel_id, command.user_id);
    if (rest.trim().toLowerCase() === "add") {
      const meta = { teamId: form.team?.id ?? null, tz: form.tz };
      const view = buildQuietDaysModal(meta, { teamName: form.team?.name ?? null, today: form.today });
      await client.views.open({ trigger_id: command.trigger_id, view });
      return;
    }
    const list = await deps.people.listQuietDays(command.team_id, form.team, command.user_id);
    await respond(
      ephemeral(
        buildQuietDaysList({
          ...list,
          teamName: form.team?.name ?? null,
          slackTeamId: command.team_id,
          channelId: command.channel_id,
        }),
      ),
    );
  },
});
