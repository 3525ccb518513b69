import type { App } from "@slack/bolt";
import { breachRefusal, buildKeepGoingModal } from "../../blocks/guardrail-breach.js";
import type { SlackDeps } from "../../deps.js";
import { GUARDRAIL_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** The breach DM's buttons (issue 11): only whoever can say stop (or the owner) decides, once. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, GUARDRAIL_ACTION.stop, async (click) => {
    const outcome = await deps.reviews.decideBreach({
      readingId: click.value,
      decision: "stop",
      reason: "",
      by: click.userId,
    });
    if (outcome.kind === "not_allowed") return click.answer(breachRefusal(outcome));
    if (outcome.kind === "already") await click.answer(breachRefusal(outcome));
    await deps.reviews.announceBreach(outcome, click.message);
  });

  onButton(app, deps, GUARDRAIL_ACTION.keepGoing, async (click) => {
    const found = await deps.reviews.breachFor(click.value, click.userId);
    if (found.kind === "not_allowed") return click.answer(breachRefusal(found));
    if (found.kind !== "open") {
      await click.answer(breachRefusal(found));
      return deps.reviews.announceBreach(found, click.message);
    }
    const dm = click.message ? { dm: click.message } : {};
    await click.openModal(
      buildKeepGoingModal({
        meta: { readingId: found.breach.readingId, ...dm },
        breach: found.breach,
        title: found.mechanism.title,
      }),
    );
  });
}
