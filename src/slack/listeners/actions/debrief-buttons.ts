import type { App, BlockAction } from "@slack/bolt";
import { buildDebriefAnswerModal } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { DEBRIEF_ACTION } from "../../ids.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

export function register(app: App, deps: SlackDeps): void {
  // "Share my week", on the channel prompt and in the nudge DM: the modal prefilled with this round's answer.
  app.action<BlockAction>(
    DEBRIEF_ACTION.share,
    guarded(deps, DEBRIEF_ACTION.share, async (args) => {
      const { round, answer, digested } = await deps.debriefs.answerContext(
        buttonValue(args),
        args.body.user.id,
      );
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildDebriefAnswerModal({ meta: { roundId: round.id }, answer, digested }),
      });
    }),
  );
}
