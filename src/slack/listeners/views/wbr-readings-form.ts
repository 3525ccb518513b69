import type { App } from "@slack/bolt";
import type { WbrModalMeta } from "../../blocks/wbr.js";
import type { SlackDeps } from "../../deps.js";
import { WBR_BLOCK, WBR_VIEW } from "../../ids.js";
import { parseReadingsForm, readingMetricIds } from "../../parsers/wbr-form.js";
import { onSubmit } from "../kit/submit.js";

/** "Record this week's readings": one number per typed metric; a box that isn't a number is refused inline. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<WbrModalMeta>(app, deps)(WBR_VIEW.readings, {
    fallbackBlock: WBR_BLOCK.none,
    parse: (s) => parseReadingsForm(s.values, readingMetricIds(s.values)),
    save: async (values, s) => {
      await deps.wbr.recordReadings(s.meta.teamId ?? "", values, s.userId);
      return undefined;
    },
  });
}
