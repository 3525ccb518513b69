import type { App } from "@slack/bolt";
import type { ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { REVIEW_BLOCK, VIEW } from "../../ids.js";
import { parseDecisionForm } from "../../parsers/decision-form.js";
import { onSubmit } from "../kit/submit.js";

/** The review modal: parse (readings against the mechanism's signals) → decide → announce. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<ReviewModalMeta>(app, deps)(VIEW.review, {
    fallbackBlock: REVIEW_BLOCK.entry,
    parse: async (s) => {
      const mechanism = await deps.mechanisms.get(s.meta.mechanismId ?? "");
      const parsed = parseDecisionForm(s.values, {
        signals: mechanism.signals,
        guardrails: mechanism.guardrails ?? [],
        reviewQuestions: true,
        needsMechanism: false,
      });
      return parsed.ok ? { ok: true, value: { mechanism, decision: parsed.value } } : parsed;
    },
    save: async ({ mechanism, decision }, s) => {
      const recorded = await deps.reviews.decide(
        { ...decision, mechanismId: mechanism.id, reviewId: s.meta.reviewId ?? null, decidedBy: s.userId },
        mechanism,
      );
      return { label: "announce decision", run: () => deps.reviews.announce(recorded) };
    },
  });
}
