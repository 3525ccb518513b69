import type { App } from "@slack/bolt";
import type { KeepGoingMeta } from "../../blocks/guardrail-breach.js";
import type { SlackDeps } from "../../deps.js";
import { GUARDRAIL_BLOCK, GUARDRAIL_VIEW } from "../../ids.js";
import { parseKeepGoingForm } from "../../parsers/guardrail-breach.js";
import { onSubmit } from "../kit/submit.js";

const NOT_YOURS = "Only the guardrail's stop owner or the mechanism's owner can decide on it.";
const ALREADY = "Someone already decided on this breach (the DM shows what).";

/** Keep going past a breached guardrail: the reason is logged with a "continue" decision. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<KeepGoingMeta>(app, deps)(GUARDRAIL_VIEW.keepGoing, {
    fallbackBlock: GUARDRAIL_BLOCK.reason,
    parse: (s) => parseKeepGoingForm(s.values),
    save: async (input, s) => {
      const outcome = await deps.reviews.decideBreach({
        readingId: s.meta.readingId ?? "",
        decision: "continue",
        reason: input.reason,
        by: s.userId,
      });
      if (outcome.kind === "not_allowed") return { errors: { [GUARDRAIL_BLOCK.reason]: NOT_YOURS } };
      if (outcome.kind === "already") return { errors: { [GUARDRAIL_BLOCK.reason]: ALREADY } };
      return {
        label: "guardrail breach kept going",
        run: () => deps.reviews.announceBreach(outcome, s.meta.dm ?? null),
      };
    },
  });
}
