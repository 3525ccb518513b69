import { md } from "../../blocks/mrkdwn.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet calendar <mechanism>`: the mechanism's review series as an .ics file, DMed to the caller. */
export const calendarSubcommands: SubcommandSet = (deps) => ({
  calendar: async ({ command, respond }, rest) => {
    if (!rest.trim()) {
      await respond(ephemeral(md`Name a mechanism: \`/ratchet calendar <mechanism name>\`.`));
      return;
    }
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const mechanism = await deps.mechanisms.find(team, rest);
    await deps.people.requestCalendar(mechanism.id, command.user_id);
    await respond(ephemeral(md`Sending you the review calendar for *${mechanism.title}* by DM.`));
  },
});
