import type { App } from "@slack/bolt";
import { describeSchedule } from "../../../debriefs/debrief.js";
import type { SavedAnswer } from "../../../debriefs/debrief-service.js";
import type { Team } from "../../../teams/team.js";
import { weekdayName } from "../../../teams/team.js";
import { buildDebriefSettingsSaved } from "../../blocks/confirmations.js";
import type { DebriefAnswerMeta, DebriefSettingsMeta } from "../../blocks/debrief.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../../ids.js";
import { parseDebriefAnswer, parseDebriefSettings } from "../../parsers/debrief.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.view(DEBRIEF_VIEW.settings, async ({ ack, body, view }) => {
    const meta = readMeta<DebriefSettingsMeta>(view.private_metadata);
    const parsed = parseDebriefSettings(view.state.values as StateValues);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    let team: Team;
    try {
      team = await deps.debriefs.updateSettings(meta.teamId ?? "", parsed.value);
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, DEBRIEF_BLOCK.enabled, deps.log, {
          view: DEBRIEF_VIEW.settings,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    const msg = buildDebriefSettingsSaved({
      team,
      by: body.user.id,
      schedule: describeSchedule(team, weekdayName),
    });
    try {
      await deps.notifier.post(team.channelId, msg);
    } catch (err) {
      // Not in the channel: the saver still learns the new schedule, privately.
      deps.log.warn({ err, teamId: team.id }, "debrief settings saved but the channel could not be told");
      await deps.notifier
        .dm(body.user.id, msg)
        .catch((e: unknown) => deps.log.error({ err: e }, "could not DM the debrief settings either"));
    }
  });

  app.view(DEBRIEF_VIEW.answer, async ({ ack, body, view }) => {
    const meta = readMeta<DebriefAnswerMeta>(view.private_metadata);
    const parsed = parseDebriefAnswer(view.state.values as StateValues);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    let saved: SavedAnswer;
    try {
      saved = await deps.debriefs.saveAnswer(meta.roundId ?? "", body.user.id, parsed.value);
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, DEBRIEF_BLOCK.shipped, deps.log, {
          view: DEBRIEF_VIEW.answer,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    deps.afterAck.run("debrief answer", () => deps.debriefs.publishAnswer(saved));
  });
}
