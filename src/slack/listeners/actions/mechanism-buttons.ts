import type { App } from "@slack/bolt";
import { buildMechanismModal } from "../../blocks/mechanism-modal.js";
import { buildLogDecisionModal, buildReviewModal } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** The one-pager's buttons: open its review, edit it, log a decision on it. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ACTION.openReview, async (click) => {
    const { review, mechanism, latestReadings } = await deps.reviews.openContext(click.value);
    const meta = { mechanismId: mechanism.id, reviewId: review.id };
    await click.openModal(buildReviewModal({ meta, mechanism, latestReadings, checkpoint: null }));
  });

  onButton(app, deps, ACTION.editMechanism, async (click) => {
    await deps.mechanisms.assertMayEdit(click.value, click.userId);
    const { mechanism, team } = await deps.mechanisms.getWithTeam(click.value);
    await click.openModal(
      buildMechanismModal({
        meta: { teamId: team.id, mechanismId: mechanism.id },
        mechanism,
        defaultOwnerId: click.userId,
        defaultCadence: mechanism.cadenceWeeks,
      }),
    );
  });

  onButton(app, deps, ACTION.logDecision, async (click) => {
    const { mechanism, team } = await deps.mechanisms.getWithTeam(click.value);
    await click.openModal(
      buildLogDecisionModal({ teamId: team.id, mechanisms: [mechanism], preset: mechanism }),
    );
  });
}
