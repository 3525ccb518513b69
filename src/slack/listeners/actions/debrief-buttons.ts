import type { App } from "@slack/bolt";
import { buildDebriefAnswerModal } from "../../blocks/debrief.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

export function register(app: App, deps: SlackDeps): void {
  // "Share my week", on the channel prompt and in the nudge DM: the modal prefilled with this round's answer.
  onButton(app, deps, DEBRIEF_ACTION.share, async (click) => {
    const { round, answer, digested } = await deps.debriefs.answerContext(click.value, click.userId);
    await click.openModal(buildDebriefAnswerModal({ meta: { roundId: round.id }, answer, digested }));
  });
  // "Stop nudging me" / "Nudge me again" in the nudge DM: saved for the round's team; the DM is redrawn.
  for (const [actionId, optedOut] of [
    [DEBRIEF_ACTION.nudgesOff, true],
    [DEBRIEF_ACTION.nudgesOn, false],
  ] as const) {
    onButton(app, deps, actionId, async (click) => {
      const team = await deps.debriefs.setNudges(click.value, click.userId, optedOut, click.message);
      // Without a message to redraw (a click from elsewhere), say it in words.
      if (!click.message) {
        await click.answer(md`Debrief nudges from *${team.name}* are ${optedOut ? "off" : "on"} for you.`);
      }
    });
  }
}
