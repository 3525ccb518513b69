import type { App } from "@slack/bolt";
import { DomainError } from "../../../shared/errors.js";
import type { ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { REVIEW_BLOCK, VIEW } from "../../ids.js";
import { parseDecisionForm } from "../../parsers/decision-form.js";
import { submissions } from "../submission.js";

/** The review modal and /ratchet log share one path: parse → decide → announce. */
export function register(app: App, deps: SlackDeps): void {
  submissions<ReviewModalMeta>(app, deps)(VIEW.review, {
    fallbackBlock: REVIEW_BLOCK.entry,
    parse: async (s) => {
      const mechanism = await deps.mechanisms.get(s.meta.mechanismId ?? "");
      const parsed = parseDecisionForm(s.values, {
        signals: mechanism.signals,
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

  submissions<{ teamId: string; mechanismId: string | null }>(app, deps)(VIEW.logDecision, {
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
