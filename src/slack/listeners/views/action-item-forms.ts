import type { App, SlackViewAction, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { ActionItemModalMeta } from "../../blocks/action-items.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { ACTION_ITEM_BLOCK as B, ACTION_ITEM_VIEW as V } from "../../ids.js";
import { parseExtendForm, parseNotDoingForm } from "../../parsers/action-item-forms.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

type ViewArgs = SlackViewMiddlewareArgs<SlackViewAction>;

const metaOf = (args: ViewArgs): Partial<ActionItemModalMeta> =>
  readMeta<ActionItemModalMeta>(args.view.private_metadata);

/** Extend and Not doing: parse → write (errors inline, nothing written) → ack → redraw DM and incident. */
export function register(app: App, deps: SlackDeps): void {
  const { followThrough } = deps;

  app.view(V.extend, async (args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    const id = meta.actionItemId ?? "";
    let note: string;
    try {
      const parsed = parseExtendForm(view.state.values as StateValues);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      await followThrough.extend(id, body.user.id, parsed.value);
      note = `Extended to ${parsed.value.toDate}: ${parsed.value.reason}`;
    } catch (err) {
      const ctx = { view: V.extend, meta, user: body.user.id };
      await ack({ response_action: "errors", errors: viewErrors(err, B.newDate, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("action item extended", () => followThrough.afterChange(id, meta.dm ?? null, note));
  });

  app.view(V.notDoing, async (args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    const id = meta.actionItemId ?? "";
    try {
      const parsed = parseNotDoingForm(view.state.values as StateValues);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      await followThrough.markNotDoing(id, body.user.id, parsed.value.reason);
    } catch (err) {
      const ctx = { view: V.notDoing, meta, user: body.user.id };
      await ack({ response_action: "errors", errors: viewErrors(err, B.notDoingReason, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("action item closed", () => followThrough.afterChange(id, meta.dm ?? null));
  });
}
