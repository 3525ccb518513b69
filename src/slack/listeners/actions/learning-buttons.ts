import type { App } from "@slack/bolt";
import { buildLinksModal, buildScheduleModal } from "../../blocks/learning.js";
import type { SlackDeps } from "../../deps.js";
import { LEARN_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

export function register(app: App, deps: SlackDeps): void {
  // "Schedule a session" under /ratchet learn's list.
  onButton(app, deps, LEARN_ACTION.schedule, async (click) => {
    const team = await deps.learning.team(click.value);
    await click.openModal(
      buildScheduleModal({
        meta: { teamId: team.id, tz: team.timezone },
        teamName: team.name,
        channelId: team.channelId,
      }),
    );
  });

  // The speaker's DM after the session: only the speaker (or whoever scheduled it) may add links.
  onButton(app, deps, LEARN_ACTION.links, async (click) => {
    const session = await deps.learning.openLinks(click.value, click.userId);
    await click.openModal(buildLinksModal({ meta: { sessionId: session.id }, session }));
  });
}
