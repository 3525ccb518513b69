import type { App, BlockAction } from "@slack/bolt";
import { buildDeviationModal, buildOutcomeModal } from "../../blocks/deviations.js";
import type { SlackDeps } from "../../deps.js";
import { DEVIATION_ACTION } from "../../ids.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

export function register(app: App, deps: SlackDeps): void {
  // The mid-cycle reminder's button: the same modal as /ratchet deviate.
  app.action<BlockAction>(
    DEVIATION_ACTION.open,
    guarded(deps, DEVIATION_ACTION.open, async (args) => {
      const team = await deps.deviations.team(buttonValue(args));
      const { current, next } = deps.deviations.cyclesFor(team);
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildDeviationModal({
          meta: { teamId: team.id },
          teamName: team.name,
          tz: team.timezone,
          current,
          next,
        }),
      });
    }),
  );

  // The cycle-end DM's button; an already decided deviation is refused with an ephemeral note.
  app.action<BlockAction>(
    DEVIATION_ACTION.recordOutcome,
    guarded(deps, DEVIATION_ACTION.recordOutcome, async (args) => {
      const deviation = await deps.deviations.openOutcome(buttonValue(args));
      const { channel, message } = args.body;
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildOutcomeModal({
          meta: {
            deviationId: deviation.id,
            ...(channel?.id && message?.ts ? { prompt: { channel: channel.id, ts: message.ts } } : {}),
          },
          deviation,
        }),
      });
    }),
  );
}
