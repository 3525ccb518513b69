import type { App, BlockAction } from "@slack/bolt";
import type { DmRef } from "../../../follow-through/action-item.js";
import { buildExtendModal, buildNotDoingModal } from "../../blocks/action-items.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION_ITEM_ACTION } from "../../ids.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

/** The nudge DM the button sits in, so it can be updated in place. */
const dmOf = (body: BlockAction): DmRef | null =>
  body.channel?.id && body.message?.ts ? { channel: body.channel.id, ts: body.message.ts } : null;

/**
 * The buttons on a nudge DM. Done closes at once; Extend and Not doing open a modal for the reason.
 * A click on an item already closed answers "already …" ephemerally (DomainError from the service).
 */
export function register(app: App, deps: SlackDeps): void {
  const { followThrough } = deps;

  app.action<BlockAction>(
    ACTION_ITEM_ACTION.done,
    guarded(deps, ACTION_ITEM_ACTION.done, async (args) => {
      const id = buttonValue(args);
      await followThrough.markDone(id, args.body.user.id);
      await followThrough.afterChange(id, dmOf(args.body));
    }),
  );

  app.action<BlockAction>(
    ACTION_ITEM_ACTION.extend,
    guarded(deps, ACTION_ITEM_ACTION.extend, async (args) => {
      const item = await followThrough.getOpen(buttonValue(args));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildExtendModal({ item, meta: { actionItemId: item.id, dm: dmOf(args.body) } }),
      });
    }),
  );

  app.action<BlockAction>(
    ACTION_ITEM_ACTION.notDoing,
    guarded(deps, ACTION_ITEM_ACTION.notDoing, async (args) => {
      const item = await followThrough.getOpen(buttonValue(args));
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: buildNotDoingModal({ item, meta: { actionItemId: item.id, dm: dmOf(args.body) } }),
      });
    }),
  );
}
