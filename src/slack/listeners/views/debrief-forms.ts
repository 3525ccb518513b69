import type { App } from "@slack/bolt";
import type { DebriefAnswerMeta, DebriefSettingsMeta } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../../ids.js";
import { parseDebriefAnswer, parseDebriefSettings } from "../../parsers/debrief.js";
import { onSubmit } from "../kit/submit.js";

/** Debrief settings (save, tell the channel) and a member's answer (save, reply in the thread). */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<DebriefSettingsMeta>(app, deps)(DEBRIEF_VIEW.settings, {
    fallbackBlock: DEBRIEF_BLOCK.enabled,
    parse: (s) => parseDebriefSettings(s.values),
    save: async (input, s) => {
      // The channel's confirmation is queued as the settings are saved.
      await deps.debriefs.updateSettings(s.meta.teamId ?? "", input, {
        userId: s.userId,
        submission: s.key,
      });
      return undefined;
    },
  });

  onSubmit<DebriefAnswerMeta>(app, deps)(DEBRIEF_VIEW.answer, {
    fallbackBlock: DEBRIEF_BLOCK.shipped,
    parse: (s) => parseDebriefAnswer(s.values),
    save: async (input, s) => {
      const saved = await deps.debriefs.saveAnswer(s.meta.roundId ?? "", s.userId, input);
      return { label: "debrief answer", run: () => deps.debriefs.publishAnswer(saved) };
    },
  });
}
