import type { App } from "@slack/bolt";
import { within } from "../../../shared/within.js";
import { buildIntakeModal } from "../../blocks/incident.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_SHORTCUT } from "../../ids.js";
import { onMessageShortcut } from "../kit/shortcut.js";

/** "Start a COE from this message": the intake, prefilled with the message and linked back to it. */
export function register(app: App, deps: SlackDeps): void {
  onMessageShortcut(app, deps, INCIDENT_SHORTCUT, async ({ body, client }) => {
    const team = await deps.teams.resolve(body.team?.id ?? "", body.channel.id);
    // A missing permalink (message deleted meanwhile) should not stop the COE from starting.
    // Both are nice-to-haves; the trigger_id is not: each gets at most a second.
    const [permalink, workspaceTags] = await Promise.all([
      within(
        client.chat
          .getPermalink({ channel: body.channel.id, message_ts: body.message_ts })
          .then((r) => r.permalink ?? null),
        1000,
        null,
      ),
      within(deps.incidents.listTags(team.slackTeamId), 1000, []),
    ]);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildIntakeModal({
        meta: { teamId: team.id, incidentId: null, sourceLink: permalink },
        workspaceTags,
        prefillDescription: body.message.text ?? "",
      }),
    });
  });
}
