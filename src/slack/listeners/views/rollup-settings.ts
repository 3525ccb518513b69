import type { App } from "@slack/bolt";
import { buildRollupSettingsSaved } from "../../blocks/confirmations.js";
import type { RollupSettingsMeta } from "../../blocks/rollup-settings-modal.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { ROLLUP_SETTINGS_BLOCK, ROLLUP_VIEW } from "../../ids.js";
import { readMeta } from "../../parsers/metadata.js";
import { parseRollupSettings } from "../../parsers/rollup-settings.js";
import type { StateValues } from "../../parsers/view-state.js";

/** Rollup settings: parse → save → ack (errors inline) → tell the saver privately. */
export function register(app: App, deps: SlackDeps): void {
  app.view(ROLLUP_VIEW.settings, async ({ ack, body, view }) => {
    const meta = readMeta<RollupSettingsMeta>(view.private_metadata);
    const parsed = parseRollupSettings(view.state.values as StateValues);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    let saved: Awaited<ReturnType<typeof deps.rollups.saveSettings>>;
    try {
      saved = await deps.rollups.saveSettings({
        ...parsed.value,
        teamId: meta.teamId ?? "",
        slackTeamId: body.team?.id ?? body.user.team_id ?? "",
      });
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, ROLLUP_SETTINGS_BLOCK.weekday, deps.log, {
          view: ROLLUP_VIEW.settings,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    const t = saved.team;
    const msg = buildRollupSettingsSaved(saved);
    // Ephemeral in the team channel; if Ratchet (or the saver) isn't there, a DM instead.
    await deps.notifier
      .ephemeral(t.channelId, body.user.id, msg)
      .catch(() => deps.notifier.dm(body.user.id, msg))
      .catch((err: unknown) =>
        deps.log.warn({ err, teamId: t.id }, "rollup settings saved but the saver could not be told"),
      );
  });
}
