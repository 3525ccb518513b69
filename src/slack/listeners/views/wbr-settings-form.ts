import type { App } from "@slack/bolt";
import type { WbrModalMeta } from "../../blocks/wbr.js";
import type { SlackDeps } from "../../deps.js";
import { WBR_BLOCK, WBR_VIEW } from "../../ids.js";
import { parseWbrSettings } from "../../parsers/wbr-form.js";
import { onSubmit } from "../kit/submit.js";

/** WBR settings: the workspace's one WBR (channel, day, time, zone), opened from a team's `/ratchet wbr`. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<WbrModalMeta>(app, deps)(WBR_VIEW.settings, {
    fallbackBlock: WBR_BLOCK.channel,
    parse: (s) => parseWbrSettings(s.values),
    save: async (input, s) => {
      await deps.wbr.saveSettings(s.meta.teamId ?? "", input, s.userId);
      return undefined;
    },
  });
}
