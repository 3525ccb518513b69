import type { App, BlockAction } from "@slack/bolt";
import { evaluateRule } from "../../../mechanisms/mechanism-service.js";
import { buildReviewModal, type ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { parseReadings } from "../../parsers/decision-form.js";
import type { StateValues } from "../../parsers/view-state.js";

/**
 * Each reading input dispatches an action when it changes, so the review modal
 * shows the checkpoint rule evaluated against what the team just typed.
 */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(/^reading_(proxy|outcome|leading)$/, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    try {
      const meta = JSON.parse(view.private_metadata || "{}") as ReviewModalMeta;
      const { mechanism } = await deps.mechanisms.getWithTeam(meta.mechanismId);
      const readings = parseReadings(view.state.values as StateValues, mechanism.signals);
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
      // A stale hash means the person typed again; the newer action will refresh the view.
      deps.log.warn({ err, viewId: view.id }, "could not refresh the review checkpoint");
    }
  });
}
