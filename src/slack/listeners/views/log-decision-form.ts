import type { App } from "@slack/bolt";
import { DomainError } from "../../../shared/errors.js";
import type { SlackDeps } from "../../deps.js";
import { REVIEW_BLOCK, VIEW } from "../../ids.js";
import { parseDecisionForm } from "../../parsers/decision-form.js";
import { onSubmit } from "../kit/submit.js";

/** `/ratchet log` and a one-pager's button: the same path as a review's decision, outside a review. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<{ teamId: string; mechanismId: string | null }>(app, deps)(VIEW.logDecision, {
    fallbackBlock: REVIEW_BLOCK.entry,
    parse: async (s) => {
      const parsed = parseDecisionForm(s.values, {
        signals: [],
        reviewQuestions: false,
        needsMechanism: !s.meta.mechanismId,
      });
      if (!parsed.ok) return parsed;
      const mechanism = await deps.mechanisms.get(s.meta.mechanismId ?? parsed.value.mechanismId ?? "");
      if (s.meta.teamId && mechanism.teamId !== s.meta.teamId) {
        throw new DomainError("forbidden", "That mechanism belongs to another team.");
      }
      return { ok: true, value: { mechanism, decision: parsed.value } };
    },
    save: async ({ mechanism, decision }, s) => {
      const recorded = await deps.reviews.decide(
        { ...decision, mechanismId: mechanism.id, reviewId: null, decidedBy: s.userId },
        mechanism,
      );
      return { label: "announce decision", run: () => deps.reviews.announce(recorded) };
    },
  });
}
