import type { App } from "@slack/bolt";
import { buildDeviationModal, buildOutcomeModal } from "../../blocks/deviations.js";
import type { SlackDeps } from "../../deps.js";
import { DEVIATION_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

export function register(app: App, deps: SlackDeps): void {
  // The mid-cycle reminder's button: the same modal as /ratchet deviate.
  onButton(app, deps, DEVIATION_ACTION.open, async (click) => {
    const team = await deps.deviations.team(click.value);
    const { current, next } = deps.deviations.cyclesFor(team);
    await click.openModal(
      buildDeviationModal({
        meta: { teamId: team.id },
        teamName: team.name,
        tz: team.timezone,
        current,
        next,
      }),
    );
  });

  // The cycle-end DM's button (the DM is updated once decided); an already decided deviation is
  // refused with an ephemeral note.
  onButton(app, deps, DEVIATION_ACTION.recordOutcome, async (click) => {
    const deviation = await deps.deviations.openOutcome(click.value);
    const prompt = click.message ? { prompt: click.message } : {};
    await click.openModal(buildOutcomeModal({ meta: { deviationId: deviation.id, ...prompt }, deviation }));
  });
}
