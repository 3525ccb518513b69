import type { App } from "@slack/bolt";
import type { QuarterModalMeta } from "../../blocks/quarterly-review.js";
import type { SlackDeps } from "../../deps.js";
import { QUARTER_BLOCK, QUARTER_VIEW } from "../../ids.js";
import { parseQuarterlyReview, parseQuarterSettings } from "../../parsers/quarterly-review.js";
import { onSubmit } from "../kit/submit.js";

/** The quarterly review's date, and the review itself (kept, and its one post queued, as it saves). */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<{ teamId: string }>(app, deps)(QUARTER_VIEW.settings, {
    fallbackBlock: QUARTER_BLOCK.date,
    parse: (s) => parseQuarterSettings(s.values),
    save: async (input, s) => {
      await deps.quarterlyReviews.setSchedule(s.meta.teamId ?? "", input, s.userId);
      return undefined;
    },
  });

  onSubmit<QuarterModalMeta>(app, deps)(QUARTER_VIEW.review, {
    fallbackBlock: QUARTER_BLOCK.stopItems,
    parse: (s) => parseQuarterlyReview(s.values, Number(s.meta.stops ?? "0") || 0),
    save: async (input, s) => {
      await deps.quarterlyReviews.submit(s.meta.teamId ?? "", s.meta.quarter ?? "", input, s.userId);
      return undefined;
    },
  });
}
