import type { App } from "@slack/bolt";
import { buildExtendModal, buildNotDoingModal } from "../../blocks/action-items.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION_ITEM_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/**
 * The buttons on a nudge DM (the DM is updated in place). Done closes at once; Extend and Not doing
 * open a modal for the reason. A click on an item already closed answers "already …" ephemerally
 * (DomainError from the service).
 */
export function register(app: App, deps: SlackDeps): void {
  const { actionItems } = deps;

  onButton(app, deps, ACTION_ITEM_ACTION.done, async (click) => {
    await actionItems.markDone(click.value, { userId: click.userId, surface: "button" });
    await actionItems.afterChange(click.value, click.message);
  });

  onButton(app, deps, ACTION_ITEM_ACTION.extend, async (click) => {
    const item = await actionItems.getOpen(click.value);
    await click.openModal(buildExtendModal({ item, meta: { actionItemId: item.id, dm: click.message } }));
  });

  onButton(app, deps, ACTION_ITEM_ACTION.notDoing, async (click) => {
    const item = await actionItems.getOpen(click.value);
    await click.openModal(buildNotDoingModal({ item, meta: { actionItemId: item.id, dm: click.message } }));
  });
}
