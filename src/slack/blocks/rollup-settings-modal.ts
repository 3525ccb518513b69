import type { ModalView } from "@slack/types";
import { WEEKDAYS } from "../../teams/team.js";
import { ROLLUP_SETTINGS_BLOCK, ROLLUP_VIEW } from "../ids.js";
import { channelSelect, context, modal, option, staticSelect, timepicker } from "./kit.js";
import { md } from "./mrkdwn.js";

export interface RollupSettingsMeta {
  teamId: string;
}

/** `/ratchet rollup settings`: the team's rollup day and time, and the workspace's rollup channel. */
export function buildRollupSettingsModal(o: {
  meta: RollupSettingsMeta;
  team: { name: string; timezone: string; rollupWeekday: number; rollupTime: string };
  workspaceChannelId: string | null;
}): ModalView {
  return modal({
    callbackId: ROLLUP_VIEW.settings,
    title: "Rollup settings",
    submit: "Save",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      context(
        md`Every week Ratchet posts *${o.team.name}*'s rollup in the team channel: outcomes that moved, mechanisms killed or changed, defaults changed, open alarms, missed reviews — with an outcome chart in the thread.`,
      ),
      staticSelect(
        ROLLUP_SETTINGS_BLOCK.weekday,
        "Rollup day",
        WEEKDAYS.map((d, i) => option(d, String(i + 1))),
        { initial: String(o.team.rollupWeekday) },
      ),
      timepicker(ROLLUP_SETTINGS_BLOCK.time, `Rollup time (${o.team.timezone})`, {
        initial: o.team.rollupTime,
      }),
      channelSelect(ROLLUP_SETTINGS_BLOCK.channel, "Workspace rollup channel (all teams)", {
        optional: true,
        initial: o.workspaceChannelId,
        hint: "One weekly message with every team's headline. Shared by all teams in this workspace; leave empty to turn it off.",
      }),
    ],
  });
}
