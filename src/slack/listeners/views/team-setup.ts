import type { App } from "@slack/bolt";
import { buildNotInChannel, buildTeamSaved } from "../../blocks/confirmations.js";
import type { SlackDeps } from "../../deps.js";
import { TEAM_BLOCK, VIEW } from "../../ids.js";
import { parseTeamSetup } from "../../parsers/team-setup.js";
import { submissions } from "../submission.js";

/** Team setup: save the team, then say so in its channel (or privately, if Ratchet isn't there). */
export function register(app: App, deps: SlackDeps): void {
  submissions(app, deps)(VIEW.teamSetup, {
    fallbackBlock: TEAM_BLOCK.name,
    parse: (s) => parseTeamSetup(s.values, { slackTeamId: s.slackTeamId, userId: s.userId }),
    save: async (input, s) => {
      const { team, created } = await deps.teams.setup(input);
      const confirmation = buildTeamSaved({ team, created, by: s.userId });
      return {
        label: "team saved",
        run: () =>
          deps.notifier.post(team.channelId, confirmation).catch(async (err: unknown) => {
            deps.log.warn({ err, teamId: team.id }, "team saved but the channel could not be told");
            await deps.notifier.dm(s.userId, buildNotInChannel({ confirmation, channelId: team.channelId }));
          }),
      };
    },
  });
}
