import type { App } from "@slack/bolt";
import {
  buildQuarterReviewModal,
  buildQuarterSettingsModal,
  readStartValue,
} from "../../blocks/quarterly-review.js";
import type { SlackDeps } from "../../deps.js";
import { QUARTER_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** "Start the quarterly review" (the opening post, /ratchet quarter) and "Set the review date". */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, QUARTER_ACTION.start, async (click) => {
    const { teamId, quarter } = readStartValue(click.value);
    const d = await deps.quarterlyReviews.draft(teamId, quarter);
    await click.openModal(buildQuarterReviewModal({ ...d, teamId: d.team.id, teamName: d.team.name }));
  });

  onButton(app, deps, QUARTER_ACTION.settings, async (click) => {
    const { team, schedule } = await deps.quarterlyReviews.schedule(click.value, click.userId);
    await click.openModal(
      buildQuarterSettingsModal({ teamId: team.id, teamName: team.name, timezone: team.timezone, schedule }),
    );
  });
}
