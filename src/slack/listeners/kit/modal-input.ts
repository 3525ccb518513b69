import type { App } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import { isDomainError } from "../../../shared/errors.js";
import type { SlackDeps } from "../../deps.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";
import { routes } from "./routes.js";

/** What a change inside an open modal sees: its inputs as typed so far, and its metadata. */
export interface ModalState<M extends object> {
  values: StateValues;
  meta: Partial<M>;
}

/**
 * Inputs that dispatch an action as they change: acked first, then the open modal is redrawn with
 * `redraw`'s view. The redraw is a convenience (submitting checks everything again), so nothing is
 * shown to the person: a stale hash means they typed again and the newer action redraws; a domain
 * refusal (a modal whose metadata names nothing that exists) is one line; anything else is logged.
 */
export function onModalInput<M extends object>(
  app: App,
  deps: SlackDeps,
  actionIds: RegExp,
  o: { label: string; redraw: (s: ModalState<M>) => Promise<ModalView> },
): void {
  routes(app).action(actionIds, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    try {
      const next = await o.redraw({
        values: view.state?.values ?? {},
        meta: readMeta<M>(view.private_metadata),
      });
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    } catch (err) {
      const stale = (err as { data?: { error?: string } }).data?.error === "hash_conflict";
      if (stale) deps.log.debug({ viewId: view.id }, `${o.label} refresh superseded`);
      else if (isDomainError(err)) {
        deps.log.info({ viewId: view.id, reason: err.message }, `${o.label} not refreshed`);
      } else deps.log.error({ err, viewId: view.id }, `could not refresh the ${o.label}`);
    }
  });
}
