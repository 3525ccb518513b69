import type { App } from "@slack/bolt";
import type { ActionItemModalMeta } from "../../blocks/action-items.js";
import type { SlackDeps } from "../../deps.js";
import { ACTION_ITEM_BLOCK as B, ACTION_ITEM_VIEW as V } from "../../ids.js";
import { parseExtendForm, parseNotDoingForm } from "../../parsers/action-item-forms.js";
import { onSubmit } from "../kit/submit.js";

/** Extend and Not doing: write, then redraw the owner's DM and the incident. */
export function register(app: App, deps: SlackDeps): void {
  const { actionItems } = deps;
  const on = onSubmit<ActionItemModalMeta>(app, deps);

  on(V.extend, {
    fallbackBlock: B.newDate,
    parse: (s) => parseExtendForm(s.values),
    save: async (input, s) => {
      const id = s.meta.actionItemId ?? "";
      await actionItems.extend(id, { userId: s.userId, surface: "modal" }, input);
      const note = `Extended to ${input.toDate}: ${input.reason}`;
      return {
        label: "action item extended",
        run: () => actionItems.afterChange(id, s.meta.dm ?? null, note),
      };
    },
  });

  on(V.notDoing, {
    fallbackBlock: B.notDoingReason,
    parse: (s) => parseNotDoingForm(s.values),
    save: async (input, s) => {
      const id = s.meta.actionItemId ?? "";
      await actionItems.markNotDoing(id, { userId: s.userId, surface: "modal" }, input.reason);
      return { label: "action item closed", run: () => actionItems.afterChange(id, s.meta.dm ?? null) };
    },
  });
}
