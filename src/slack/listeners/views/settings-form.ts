import type { App } from "@slack/bolt";
import { buildSettingsNotes } from "../../blocks/confirmations.js";
import type { SettingsMeta } from "../../blocks/settings-modal.js";
import type { SlackDeps } from "../../deps.js";
import { TEAM_BLOCK, VIEW } from "../../ids.js";
import { parseSettings } from "../../parsers/settings.js";
import { onSubmit } from "../kit/submit.js";

/**
 * The settings modal: every section validated, then saved at once. The channel's confirmations (team,
 * debrief) are queued with the save; the rollup's and incidents' go to the saver, privately.
 */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<SettingsMeta>(app, deps)(VIEW.settings, {
    fallbackBlock: TEAM_BLOCK.name,
    parse: (s) => parseSettings(s.values, { slackTeamId: s.slackTeamId, userId: s.userId }),
    save: async (input, s) => {
      const saved = await deps.settings.save(input, { teamId: s.meta.teamId ?? null, submission: s.key });
      const notes = buildSettingsNotes(saved);
      if (notes.length === 0) return undefined;
      // Ephemeral in the team channel; if Ratchet (or the saver) isn't there, a DM instead.
      const tell = (msg: (typeof notes)[number]) =>
        deps.notifier
          .ephemeral(saved.team.channelId, s.userId, msg)
          .catch(() => deps.notifier.dm(s.userId, msg));
      return { label: "settings saved", run: () => Promise.all(notes.map(tell)) };
    },
  });
}
