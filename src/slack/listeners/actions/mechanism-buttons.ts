import type { App, BlockAction } from "@slack/bolt";
import { buildMechanismModal } from "../../blocks/mechanism-modal.js";
import { buildLogDecisionModal, buildReviewModal } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { ACTION } from "../../ids.js";
import { classifySlackError } from "../../slack-errors.js";
import { type ActionArgs, answerClick } from "../reply.js";

/** The button's value, which carries the id of what it acts on. */
export const buttonValue = (args: ActionArgs): string =>
  "value" in args.action ? String(args.action.value ?? "") : "";

/** Runs a button handler after acking; a failure is told to the person who clicked. */
export function guarded(deps: SlackDeps, name: string, fn: (args: ActionArgs) => Promise<void>) {
  return async (args: ActionArgs) => {
    await args.ack();
    try {
      await fn(args);
    } catch (err) {
      const text = userMessage(err, deps.log, { action: name, user: args.body.user.id });
      await answerClick(args, deps.notifier, text).catch((e: unknown) => {
        // Someone Slack won't DM (deactivated, DMs off) is told nowhere: worth a line, not a stack.
        const outcome = classifySlackError(e);
        if (outcome.kind === "refused" && outcome.scope === "user") {
          deps.log.warn({ code: outcome.code, action: name }, "could not tell the person an action failed");
        } else deps.log.error({ err: e }, "could not answer a failed action");
      });
    }
  };
}

export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(
    ACTION.openReview,
    guarded(deps, ACTION.openReview, async (args) => {
      const { review, mechanism, latestReadings } = await deps.reviews.openContext(buttonValue(args));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildReviewModal({
          meta: { mechanismId: mechanism.id, reviewId: review.id },
          mechanism,
          latestReadings,
          checkpoint: null,
        }),
      });
    }),
  );

  app.action<BlockAction>(
    ACTION.editMechanism,
    guarded(deps, ACTION.editMechanism, async (args) => {
      const { mechanism, team } = await deps.mechanisms.getWithTeam(buttonValue(args));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildMechanismModal({
          meta: { teamId: team.id, mechanismId: mechanism.id },
          mechanism,
          defaultOwnerId: args.body.user.id,
          defaultCadence: mechanism.cadenceWeeks,
        }),
      });
    }),
  );

  app.action<BlockAction>(
    ACTION.logDecision,
    guarded(deps, ACTION.logDecision, async (args) => {
      const { mechanism, team } = await deps.mechanisms.getWithTeam(buttonValue(args));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildLogDecisionModal({ teamId: team.id, mechanisms: [mechanism], preset: mechanism }),
      });
    }),
  );
}
