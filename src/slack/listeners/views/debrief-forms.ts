import type { App } from "@slack/bolt";
import type { DebriefAnswerMeta } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../../ids.js";
import { parseDebriefAnswer } from "../../parsers/debrief.js";
import { onSubmit } from "../kit/submit.js";

/** A member's debrief answer: save, reply in the thread. (The debrief's settings are in the settings modal.) */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<DebriefAnswerMeta>(app, deps)(DEBRIEF_VIEW.answer, {
    fallbackBlock: DEBRIEF_BLOCK.shipped,
    parse: (s) => parseDebriefAnswer(s.values),
    save: async (input, s) => {
      const saved = await deps.debriefs.saveAnswer(s.meta.roundId ?? "", s.userId, input);
      return { label: "debrief answer", run: () => deps.debriefs.publishAnswer(saved) };
    },
  });
}
