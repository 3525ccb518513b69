import type { ModalView } from "@slack/types";
import { type Team, WEEKDAYS } from "../../teams/team.js";
import { TEAM_BLOCK, VIEW } from "../ids.js";
import { channelSelect, context, modal, option, radio, staticSelect, textInput, timepicker } from "./kit.js";
import { md } from "./mrkdwn.js";

export function buildTeamSetupModal(o: {
  team: Team | null;
  channelId: string;
  defaultTimezone: string;
}): ModalView {
  const t = o.team;
  return modal({
    callbackId: VIEW.teamSetup,
    title: t ? "Team settings" : "Set up your team",
    submit: "Save",
    blocks: [
      context(
        md`Ratchet reminds this channel about 15-minute reviews at your team's local time. Cycles (for the novelty quota and alarms) are as long as your review cadence.`,
      ),
      textInput(TEAM_BLOCK.name, "Team name", {
        initial: t?.name ?? "",
        placeholder: "e.g. Checkout squad",
        maxLength: 80,
      }),
      channelSelect(TEAM_BLOCK.channel, "Team channel", { initial: t?.channelId ?? o.channelId }),
      textInput(TEAM_BLOCK.timezone, "Time zone (IANA)", {
        initial: t?.timezone ?? o.defaultTimezone,
        placeholder: "e.g. Europe/London",
        hint: "Reminders follow this zone's local time, including daylight-saving changes.",
      }),
      staticSelect(
        TEAM_BLOCK.weekday,
        "Review day",
        WEEKDAYS.map((d, i) => option(d, String(i + 1))),
        { initial: String(t?.reviewWeekday ?? 2) },
      ),
      timepicker(TEAM_BLOCK.time, "Review time (team local)", { initial: t?.reviewTime ?? "10:00" }),
      radio(
        TEAM_BLOCK.cadence,
        "Review cadence",
        [option("Every week", "1"), option("Every two weeks", "2")],
        {
          initial: String(t?.cadenceWeeks ?? 1),
        },
      ),
    ],
  });
}
