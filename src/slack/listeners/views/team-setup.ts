import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { TEAM_BLOCK, VIEW } from "../../ids.js";
import { parseTeamSetup } from "../../parsers/team-setup.js";
import { onSubmit } from "../kit/submit.js";

/**
 * Team setup: save the team; its confirmation is queued with it (in a channel Ratchet isn't in, the
 * outbox tells the team's admin what was saved and to invite @Ratchet, and posts it once invited).
 */
export function register(app: App, deps: SlackDeps): void {
  onSubmit(app, deps)(VIEW.teamSetup, {
    fallbackBlock: TEAM_BLOCK.name,
    parse: (s) => parseTeamSetup(s.values, { slackTeamId: s.slackTeamId, userId: s.userId }),
    save: async (input, s) => {
      await deps.teams.setup(input, { submission: s.key });
      return undefined;
    },
  });
}
