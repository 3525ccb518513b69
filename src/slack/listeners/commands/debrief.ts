import { md } from "../../blocks/mrkdwn.js";
import { ephemeral } from "../kit/reply.js";
import { openSettings } from "../kit/settings.js";
import type { SubcommandSet } from "../kit/subcommand.js";

const SWITCH: Record<string, boolean> = { on: false, off: true };

/**
 * `/ratchet debrief`: the settings modal, opened at the end-of-week debrief.
 * `/ratchet debrief nudges on|off`: whether the team's debrief nudges you by DM (just you).
 */
export const debriefSubcommands: SubcommandSet = (deps) => ({
  debrief: async (args, rest) => {
    const [word = "", value = "", ...extra] = rest.toLowerCase().split(/\s+/).filter(Boolean);
    if (word !== "nudges" && word !== "nudge") return openSettings(deps, args, "debrief");
    const optedOut = Object.hasOwn(SWITCH, value) && extra.length === 0 ? SWITCH[value] : undefined;
    if (optedOut === undefined) {
      await args.respond(
        ephemeral(
          md`Say \`/ratchet debrief nudges on\` or \`/ratchet debrief nudges off\` in your team's channel.`,
        ),
      );
      return;
    }
    const { command } = args;
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    await deps.debriefs.setTeamNudges(team.id, command.user_id, optedOut);
    const said = optedOut
      ? md`🔕 *${team.name}*'s debrief won't nudge you by DM any more. \`/ratchet debrief nudges on\` turns it back on.`
      : md`🔔 *${team.name}*'s debrief will DM you an hour before the digest when you haven't shared${team.debriefNudge ? "" : " (once the team turns nudges on in `/ratchet debrief`)"}.`;
    await args.respond(ephemeral(said));
  },
});
