import type { App } from "@slack/bolt";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { ALARM_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/**
 * Acknowledge / Snooze one cycle on a posted alarm; the service updates the message in place (the one
 * clicked, so even before its ts is stored).
 */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, ALARM_ACTION.acknowledge, async (click) => {
    const changed = await deps.alarms.acknowledge(click.value, click.userId, click.message ?? undefined);
    if (!changed) await click.answer(md`This alarm was already acknowledged, snoozed or resolved.`);
  });

  onButton(app, deps, ALARM_ACTION.snooze, async (click) => {
    const changed = await deps.alarms.snooze(click.value, click.userId, click.message ?? undefined);
    if (!changed) await click.answer(md`This alarm was already snoozed or resolved.`);
  });
}
