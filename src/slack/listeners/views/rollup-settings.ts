import type { App } from "@slack/bolt";
import { buildRollupSettingsSaved } from "../../blocks/confirmations.js";
import type { RollupSettingsMeta } from "../../blocks/rollup-settings-modal.js";
import type { SlackDeps } from "../../deps.js";
import { ROLLUP_SETTINGS_BLOCK, ROLLUP_VIEW } from "../../ids.js";
import { parseRollupSettings } from "../../parsers/rollup-settings.js";
import { onSubmit } from "../kit/submit.js";

/** Rollup settings: save, then tell the saver privately. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<RollupSettingsMeta>(app, deps)(ROLLUP_VIEW.settings, {
    fallbackBlock: ROLLUP_SETTINGS_BLOCK.weekday,
    parse: (s) => parseRollupSettings(s.values),
    save: async (input, s) => {
      const saved = await deps.rollups.saveSettings({
        ...input,
        teamId: s.meta.teamId ?? "",
        slackTeamId: s.slackTeamId,
      });
      const msg = buildRollupSettingsSaved(saved);
      // Ephemeral in the team channel; if Ratchet (or the saver) isn't there, a DM instead.
      return {
        label: "rollup settings saved",
        run: () =>
          deps.notifier
            .ephemeral(saved.team.channelId, s.userId, msg)
            .catch(() => deps.notifier.dm(s.userId, msg)),
      };
    },
  });
}
