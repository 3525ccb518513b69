import type { App, BlockAction } from "@slack/bolt";
import { evaluateRule } from "../../../mechanisms/mechanism-service.js";
import { isDomainError } from "../../../shared/errors.js";
import { buildReviewModal, type ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { READING_ACTIONS } from "../../ids.js";
import { parseReadings } from "../../parsers/decision-form.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

/**
 * Each reading input dispatches an action when it changes, so the review modal
 * shows the checkpoint rule evaluated against what the team just typed.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(READING_ACTIONS, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    try {
      const read = readMeta<ReviewModalMeta>(view.private_metadata);
      const mechanism = await deps.mechanisms.get(read.mechanismId ?? "");
      const meta: ReviewModalMeta = { mechanismId: mechanism.id, reviewId: read.reviewId ?? null };
      const readings = parseReadings((view.state?.values ?? {}) as StateValues, mechanism.signals);
      const latestReadings = await deps.mechanisms.latestReadings(mechanism.id);
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: buildReviewModal({
          meta,
          mechanism,
          latestReadings,
          checkpoint: evaluateRule(mechanism, readings),
        }),
      });
    } catch (err) {
      // A stale hash means the person typed again and the newer action refreshes the view; the
      // live checkpoint is a convenience (submitting evaluates it again), so other failures are logged.
      // A mechanism that is gone (or a modal whose metadata names none) is no fault of ours: one line.
      const stale = (err as { data?: { error?: string } }).data?.error === "hash_conflict";
      if (stale) deps.log.debug({ viewId: view.id }, "review checkpoint refresh superseded");
      else if (isDomainError(err)) {
        deps.log.info({ viewId: view.id, reason: err.message }, "review checkpoint not refreshed");
      } else deps.log.error({ err, viewId: view.id }, "could not refresh the review checkpoint");
    }
  });
}
