import type { App, MessageShortcut } from "@slack/bolt";
import { within } from "../../../shared/within.js";
import { buildIntakeModal } from "../../blocks/incident.js";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { INCIDENT_SHORTCUT } from "../../ids.js";
import { ephemeral } from "../reply.js";

/** "Start a COE from this message": the intake, prefilled with the message and linked back to it. */
export function register(app: App, deps: SlackDeps): void {
  // A message shortcut only: a global shortcut with this callback_id has no message or channel.
  const only = { callback_id: INCIDENT_SHORTCUT, type: "message_action" } as const;
  app.shortcut<MessageShortcut>(only, async ({ ack, body, client, respond }) => {
    await ack();
    try {
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
    } catch (err) {
      const text = userMessage(err, deps.log, { shortcut: INCIDENT_SHORTCUT, user: body.user.id });
      await respond(ephemeral(text)).catch((e: unknown) =>
        deps.log.error({ err: e }, "could not answer a failed shortcut"),
      );
    }
  });
}
