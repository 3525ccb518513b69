import type { App } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { isDomainError } from "../../../shared/errors.js";
import type { SlackDeps } from "../../deps.js";
import { routes } from "./routes.js";
import { workspaceOf } from "./workspace-of.js";

/** A button inside an open modal, as its handler sees it. */
interface ModalClick {
  value: string;
  userId: string;
  slackTeamId: string;
}

/**
 * A button inside a modal that redraws that modal in place (paging): acked first, then the view is
 * updated with `redraw`'s. A failure is logged; the modal stays as it was, so nothing is lost.
 */
export function onModalButton(
  app: App,
  deps: SlackDeps,
  actionId: string,
  redraw: (click: ModalClick) => Promise<ModalView>,
): void {
  routes(app).action(actionId, async ({ ack, body, action, client }) => {
    await ack();
    const view = "view" in body ? body.view : undefined;
    if (!view) return;
    try {
      const next = await redraw({
        value: "value" in action ? String(action.value ?? "") : "",
        userId: body.user.id,
        slackTeamId: workspaceOf(body),
      });
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    } catch (err) {
      // A stale or forged paging value is the person's input, not our fault: noted, the modal stays.
      if (isDomainError(err))
        deps.log.info({ action: actionId, reason: err.message }, "modal button refused");
      else deps.log.error({ err, action: actionId }, "could not redraw the modal");
    }
  });
}
