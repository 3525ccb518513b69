import type { App } from "@slack/bolt";
import { buildDebriefAnswerModal } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

export function register(app: App, deps: SlackDeps): void {
  // "Share my week", on the channel prompt and in the nudge DM: the modal prefilled with this round's answer.
  onButton(app, deps, DEBRIEF_ACTION.share, async (click) => {
    const { round, answer, digested } = await deps.debriefs.answerContext(click.value, click.userId);
    await click.openModal(buildDebriefAnswerModal({ meta: { roundId: round.id }, answer, digested }));
  });
}
