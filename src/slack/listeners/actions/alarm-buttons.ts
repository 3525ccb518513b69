import type { App, BlockAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { ALARM_ACTION } from "../../ids.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

/** Acknowledge / Snooze one cycle on a posted alarm; the service updates the message in place. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockAction>(
    ALARM_ACTION.acknowledge,
    guarded(deps, ALARM_ACTION.acknowledge, async (args) => {
      const changed = await deps.alarms.acknowledge(buttonValue(args), args.body.user.id);
      if (!changed)
        await args.respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "This alarm was already acknowledged, snoozed or resolved.",
        });
    }),
  );

  app.action<BlockAction>(
    ALARM_ACTION.snooze,
    guarded(deps, ALARM_ACTION.snooze, async (args) => {
      const changed = await deps.alarms.snooze(buttonValue(args), args.body.user.id);
      if (!changed)
        await args.respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "This alarm was already snoozed or resolved.",
        });
    }),
  );
}
