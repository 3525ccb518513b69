import type { App } from "@slack/bolt";
import { buildAddDefaultModal, buildRetireModal, readRetireValue } from "../../blocks/floor.js";
import type { SlackDeps } from "../../deps.js";
import { FLOOR_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** The barbell plan's buttons: "Add a default", and "Retire" beside each default. */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, FLOOR_ACTION.add, async (click) => {
    const team = await deps.floor.team(click.value);
    await click.openModal(buildAddDefaultModal({ meta: { teamId: team.id }, teamName: team.name }));
  });

  // An already retired (or vanished) default is refused with an ephemeral note.
  onButton(app, deps, FLOOR_ACTION.retire, async (click) => {
    const meta = readRetireValue(click.value);
    const team = await deps.floor.team(meta?.teamId ?? "");
    const entry = await deps.floor.openRetire(team.id, meta?.ref ?? "", click.userId);
    await click.openModal(
      buildRetireModal({ meta: { teamId: team.id, ref: entry.ref }, entry, tz: team.timezone }),
    );
  });
}
