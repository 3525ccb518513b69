import type { App } from "@slack/bolt";
import { evaluateRule } from "../../../mechanisms/mechanism-service.js";
import { buildReviewModal, type ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { READING_ACTIONS } from "../../ids.js";
import { parseGuardrailReadings, parseReadings } from "../../parsers/decision-form.js";
import { onModalInput } from "../kit/modal-input.js";

/**
 * Each reading input dispatches an action when it changes, so the review modal
 * shows the checkpoint rule evaluated against what the team just typed.
 */
export function register(app: App, deps: SlackDeps): void {
  onModalInput<ReviewModalMeta>(app, deps, READING_ACTIONS, {
    label: "review checkpoint",
    redraw: async ({ values, meta: read }) => {
      const mechanism = await deps.mechanisms.get(read.mechanismId ?? "");
      const meta: ReviewModalMeta = { mechanismId: mechanism.id, reviewId: read.reviewId ?? null };
      const readings = parseReadings(values, mechanism.signals);
      const latestReadings = await deps.mechanisms.latestReadings(mechanism.id);
      return buildReviewModal({
        meta,
        mechanism,
        latestReadings,
        checkpoint: evaluateRule(mechanism, readings),
        guardrailReadings: parseGuardrailReadings(values, mechanism.guardrails ?? []),
      });
    },
  });
}
