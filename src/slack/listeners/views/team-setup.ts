import type { App } from "@slack/bolt";
import { buildNotInChannel, buildTeamSaved } from "../../blocks/confirmations.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { TEAM_BLOCK, VIEW } from "../../ids.js";
import { parseTeamSetup } from "../../parsers/team-setup.js";
import type { StateValues } from "../../parsers/view-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.teamSetup, async ({ ack, body, view }) => {
    const slackTeamId = body.team?.id ?? body.user.team_id ?? "";
    const parsed = parseTeamSetup(view.state.values as StateValues, { slackTeamId, userId: body.user.id });
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    let result: Awaited<ReturnType<typeof deps.teams.setup>>;
    try {
      result = await deps.teams.setup(parsed.value);
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, TEAM_BLOCK.name, deps.log, { view: VIEW.teamSetup }),
      });
      return;
    }
    await ack();
    const t = result.team;
    const confirmation = buildTeamSaved({ team: t, created: result.created, by: body.user.id });
    try {
      await deps.notifier.post(t.channelId, confirmation);
    } catch (err) {
      deps.log.warn(
        { err, teamId: t.id },
        "team saved but the channel could not be told (is Ratchet in the channel?)",
      );
      await deps.notifier
        .dm(body.user.id, buildNotInChannel({ confirmation, channelId: t.channelId }))
        .catch((e: unknown) => deps.log.error({ err: e }, "could not DM the user either"));
    }
  });
}
