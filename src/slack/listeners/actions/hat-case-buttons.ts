import type { App } from "@slack/bolt";
import { buildMechanismModal } from "../../blocks/mechanism-modal.js";
import type { SlackDeps } from "../../deps.js";
import { HAT_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** "Make this a mechanism" beside a case's balancing loop: the one-pager, prefilled from the case. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, HAT_ACTION.makeMechanism, async (click) => {
    // value = "<case id>:<loop index>"
    const [caseId = "", index = ""] = click.value.split(":");
    const { team, draft } = await deps.hatCases.draftFor(caseId, Number.parseInt(index, 10));
    await click.openModal(
      buildMechanismModal({
        meta: { teamId: team.id },
        mechanism: null,
        defaultOwnerId: click.userId,
        defaultCadence: team.cadenceWeeks,
        prefill: draft,
      }),
    );
  });
}
