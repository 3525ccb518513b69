import type { App } from "@slack/bolt";
import type { RecordedDecision } from "../../../reviews/review-service.js";
import type { ReviewModalMeta } from "../../blocks/review.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { REVIEW_BLOCK, VIEW } from "../../ids.js";
import { parseDecisionForm } from "../../parsers/decision-form.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

/** The review modal and /ratchet log share one path: parse → decide → ack → announce. */
export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.review, async ({ ack, body, view }) => {
    const meta = readMeta<ReviewModalMeta>(view.private_metadata);
    let recorded: RecordedDecision;
    try {
      const mechanism = await deps.mechanisms.get(meta.mechanismId ?? "");
      const parsed = parseDecisionForm(view.state.values as StateValues, {
        signals: mechanism.signals,
        reviewQuestions: true,
        needsMechanism: false,
      });
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      recorded = await deps.reviews.decide(
        {
          ...parsed.value,
          mechanismId: mechanism.id,
          reviewId: meta.reviewId ?? null,
          decidedBy: body.user.id,
        },
        mechanism,
      );
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, REVIEW_BLOCK.entry, deps.log, {
          view: VIEW.review,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    deps.afterAck.run("announce decision", () => deps.reviews.announce(recorded));
  });

  app.view(VIEW.logDecision, async ({ ack, body, view }) => {
    const meta = readMeta<{ teamId: string; mechanismId: string | null }>(view.private_metadata);
    let recorded: RecordedDecision;
    try {
      const parsed = parseDecisionForm(view.state.values as StateValues, {
        signals: [],
        reviewQuestions: false,
        needsMechanism: !meta.mechanismId,
      });
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      const mechanismId = meta.mechanismId ?? parsed.value.mechanismId ?? "";
      const mechanism = await deps.mechanisms.get(mechanismId);
      if (meta.teamId && mechanism.teamId !== meta.teamId) throw new Error("mechanism from another team");
      recorded = await deps.reviews.decide(
        { ...parsed.value, mechanismId, reviewId: null, decidedBy: body.user.id },
        mechanism,
      );
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, REVIEW_BLOCK.entry, deps.log, {
          view: VIEW.logDecision,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    deps.afterAck.run("announce decision", () => deps.reviews.announce(recorded));
  });
}
