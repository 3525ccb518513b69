import type { App } from "@slack/bolt";
import { describeSchedule } from "../../../debriefs/debrief.js";
import { weekdayName } from "../../../teams/team.js";
import { buildDebriefSettingsSaved } from "../../blocks/confirmations.js";
import type { DebriefAnswerMeta, DebriefSettingsMeta } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../../ids.js";
import { parseDebriefAnswer, parseDebriefSettings } from "../../parsers/debrief.js";
import { submissions } from "../submission.js";

/** Debrief settings (save, tell the channel) and a member's answer (save, post it in the thread). */
export function register(app: App, deps: SlackDeps): void {
  submissions<DebriefSettingsMeta>(app, deps)(DEBRIEF_VIEW.settings, {
    fallbackBlock: DEBRIEF_BLOCK.enabled,
    parse: (s) => parseDebriefSettings(s.values),
    save: async (input, s) => {
      const team = await deps.debriefs.updateSettings(s.meta.teamId ?? "", input);
      const msg = buildDebriefSettingsSaved({
        team,
        by: s.userId,
        schedule: describeSchedule(team, weekdayName),
      });
      return {
        label: "debrief settings saved",
        // Not in the channel: the saver still learns the new schedule, privately.
        run: () =>
          deps.notifier.post(team.channelId, msg).catch(async (err: unknown) => {
            deps.log.warn(
              { err, teamId: team.id },
              "debrief settings saved but the channel could not be told",
            );
            await deps.notifier.dm(s.userId, msg);
          }),
      };
    },
  });

  submissions<DebriefAnswerMeta>(app, deps)(DEBRIEF_VIEW.answer, {
    fallbackBlock: DEBRIEF_BLOCK.shipped,
    parse: (s) => parseDebriefAnswer(s.values),
    save: async (input, s) => {
      const saved = await deps.debriefs.saveAnswer(s.meta.roundId ?? "", s.userId, input);
      return { label: "debrief answer", run: () => deps.debriefs.publishAnswer(saved) };
    },
  });
}
