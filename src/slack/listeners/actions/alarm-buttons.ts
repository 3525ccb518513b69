import type { App, BlockAction } from "@slack/bolt";
import type { MessageRef } from "../../../alarms/alarm-service.js";
import { type Mrkdwn, md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { ALARM_ACTION } from "../../ids.js";
import { type ActionArgs, answerClick } from "../reply.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

/** The alarm message the button was on, so it is updated even before its ts is stored. */
const clickedMessage = ({ body }: ActionArgs): MessageRef | undefined =>
  body.channel?.id && body.message?.ts ? { channel: body.channel.id, ts: body.message.ts } : undefined;

/** Acknowledge / Snooze one cycle on a posted alarm; the service updates the message in place. */
export function register(app: App, deps: SlackDeps): void {
  const already = (args: ActionArgs, text: Mrkdwn) => answerClick(args, deps.notifier, text);
  app.action<BlockAction>(
    ALARM_ACTION.acknowledge,
    guarded(deps, ALARM_ACTION.acknowledge, async (args) => {
      const changed = await deps.alarms.acknowledge(
        buttonValue(args),
        args.body.user.id,
        clickedMessage(args),
      );
      if (!changed) await already(args, md`This alarm was already acknowledged, snoozed or resolved.`);
    }),
  );

  app.action<BlockAction>(
    ALARM_ACTION.snooze,
    guarded(deps, ALARM_ACTION.snooze, async (args) => {
      const changed = await deps.alarms.snooze(buttonValue(args), args.body.user.id, clickedMessage(args));
      if (!changed) await already(args, md`This alarm was already snoozed or resolved.`);
    }),
  );
}
