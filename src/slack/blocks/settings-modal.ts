import type { KnownBlock, ModalView } from "@slack/types";
import { parseSeverityList } from "../../incidents/coe-depth.js";
import { SEVERITIES } from "../../incidents/incident.js";
import type { Severity } from "../../incidents/types.js";
import { SETTINGS_SECTIONS, type SettingsSection } from "../../teams/settings.js";
import { type Team, WEEKDAYS } from "../../teams/team.js";
import {
  DEBRIEF_BLOCK,
  ROLLUP_SETTINGS_BLOCK,
  SETTINGS_BLOCK,
  settingsSection,
  TEAM_BLOCK,
  VIEW,
} from "../ids.js";
import {
  channelSelect,
  context,
  divider,
  header,
  modal,
  multiUsersSelect,
  numberInput,
  option,
  plain,
  radio,
  staticSelect,
  textInput,
  timepicker,
} from "./kit.js";
import { md } from "./mrkdwn.js";

/** What the settings modal carries back: the team it was opened for (none before the first setup). */
export interface SettingsMeta {
  teamId: string;
}

const SECTION_TITLES: Record<SettingsSection, string> = {
  team: "Team and review slot",
  debrief: "End-of-week debrief",
  rollup: "Weekly rollup",
  incidents: "Incidents",
};

const days = WEEKDAYS.map((d, i) => option(d, String(i + 1)));

function teamSection(t: Team | null, channelId: string, defaultTimezone: string): KnownBlock[] {
  return [
    context(
      md`Ratchet reminds this channel about 15-minute reviews at your team's local time. Cycles (for the novelty quota and alarms) are as long as your review cadence.`,
    ),
    textInput(TEAM_BLOCK.name, "Team name", {
      initial: t?.name ?? "",
      placeholder: "e.g. Checkout squad",
      maxLength: 80,
    }),
    channelSelect(TEAM_BLOCK.channel, "Team channel", { initial: t?.channelId ?? channelId }),
    textInput(TEAM_BLOCK.timezone, "Time zone (IANA)", {
      initial: t?.timezone ?? defaultTimezone,
      placeholder: "e.g. Europe/London",
      hint: "Reminders follow this zone's local time, including daylight-saving changes.",
    }),
    staticSelect(TEAM_BLOCK.weekday, "Review day", days, { initial: String(t?.reviewWeekday ?? 2) }),
    timepicker(TEAM_BLOCK.time, "Review time (team local)", { initial: t?.reviewTime ?? "10:00" }),
    radio(TEAM_BLOCK.cadence, "Review cadence", [option("Every week", "1"), option("Every two weeks", "2")], {
      initial: String(t?.cadenceWeeks ?? 1),
    }),
    ...(t ? adminsInput(t) : []),
  ];
}

/** Team admins (src/teams/roles.ts); a team from before roles has none, and anyone may act until one is set. */
function adminsInput(t: Team): KnownBlock[] {
  return [
    multiUsersSelect(SETTINGS_BLOCK.admins, "Team admins", {
      initial: t.admins,
      optional: true,
      hint: "Admins change these settings and may edit or stop any mechanism. At least one must remain.",
    }),
    ...(t.admins.length === 0
      ? [
          context(
            md`⚠️ This team has no admins yet, so anyone may change its settings and stop its mechanisms. Pick at least one above.`,
            SETTINGS_BLOCK.adminsHint,
          ),
        ]
      : []),
  ];
}

function debriefSection(t: Team): KnownBlock[] {
  return [
    context(
      md`Once a week Ratchet asks the channel what everyone shipped or learned, where they want input, and what blocks them — no preparation, three short lines — then posts a digest. Times are ${t.timezone} local time.`,
    ),
    radio(DEBRIEF_BLOCK.enabled, "Debrief", [option("On", "on"), option("Off", "off")], {
      initial: t.debriefEnabled ? "on" : "off",
    }),
    staticSelect(DEBRIEF_BLOCK.weekday, "Day", days, { initial: String(t.debriefWeekday) }),
    timepicker(DEBRIEF_BLOCK.time, "Prompt time", { initial: t.debriefTime }),
    timepicker(DEBRIEF_BLOCK.digestTime, "Digest time (same day)", {
      initial: t.debriefDigestTime,
      hint: "Answers are collected between the prompt and the digest.",
    }),
    radio(
      DEBRIEF_BLOCK.nudge,
      "Nudge",
      [option("Off", "off"), option("DM people who haven't shared, an hour before the digest", "on")],
      { initial: t.debriefNudge ? "on" : "off" },
    ),
  ];
}

function rollupSection(t: Team, workspaceChannelId: string | null): KnownBlock[] {
  return [
    context(
      md`Every week Ratchet posts *${t.name}*'s rollup in the team channel: outcomes that moved, mechanisms killed or changed, defaults changed, open alarms, missed reviews — with an outcome chart in the thread.`,
    ),
    staticSelect(ROLLUP_SETTINGS_BLOCK.weekday, "Rollup day", days, { initial: String(t.rollupWeekday) }),
    timepicker(ROLLUP_SETTINGS_BLOCK.time, `Rollup time (${t.timezone})`, { initial: t.rollupTime }),
    channelSelect(ROLLUP_SETTINGS_BLOCK.channel, "Workspace rollup channel (all teams)", {
      optional: true,
      initial: workspaceChannelId,
      hint: "One weekly message with every team's headline. Shared by all teams in this workspace; leave empty to turn it off.",
    }),
  ];
}

const SEVERITY_OPTIONS = SEVERITIES.map((s) =>
  option(`${s.toUpperCase()}${s === "sev1" ? " (critical)" : s === "sev4" ? " (low)" : ""}`, s),
);

function incidentsSection(t: Team): KnownBlock[] {
  const full = parseSeverityList(t.fullCoeSeverities);
  const initial = SEVERITY_OPTIONS.filter((o) => full.includes(o.value as Severity));
  return [
    context(
      md`New incidents (\`/ratchet incident\`, or the “Start a COE” shortcut) are posted here, with their COE.`,
    ),
    channelSelect(SETTINGS_BLOCK.incidentsChannel, "Incidents channel", {
      optional: true,
      initial: t.incidentsChannelId,
      hint: "Leave empty to post them in the team channel.",
    }),
    {
      type: "input",
      block_id: SETTINGS_BLOCK.fullCoeSeverities,
      label: plain("Severities that need a full COE"),
      optional: true,
      hint: plain(
        "Full: whys, contributing factors and findings before the gate opens, started within 24 h and complete within the deep-dive window, or the owner is nudged. The others get a light COE: a summary and one lesson, action items optional.",
      ),
      element: {
        type: "checkboxes",
        action_id: SETTINGS_BLOCK.fullCoeSeverities,
        options: SEVERITY_OPTIONS,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    },
    numberInput(SETTINGS_BLOCK.coeDeepDiveHours, "Deep-dive window (hours)", {
      initial: t.coeDeepDiveHours,
      hint: "A full COE not complete this many hours after the incident was detected nudges its owner and shows in the rollup.",
    }),
  ];
}

/** The sections in the order shown: `start` first (Slack can't scroll a modal to it), then the rest as usual. */
export const sectionOrder = (start: SettingsSection): SettingsSection[] => [
  start,
  ...SETTINGS_SECTIONS.filter((s) => s !== start),
];

/**
 * `/ratchet settings` and the commands that used to open their own modal: every team setting in one
 * form, each section under its header, saved together. A channel with no team yet gets the team
 * section only: the others need a team to belong to.
 */
export function buildSettingsModal(o: {
  team: Team | null;
  channelId: string;
  defaultTimezone: string;
  workspaceChannelId: string | null;
  start: SettingsSection;
}): ModalView {
  const t = o.team;
  const build: Record<SettingsSection, (team: Team) => KnownBlock[]> = {
    team: (team) => teamSection(team, o.channelId, o.defaultTimezone),
    debrief: debriefSection,
    rollup: (team) => rollupSection(team, o.workspaceChannelId),
    incidents: incidentsSection,
  };
  const titled = (s: SettingsSection, blocks: KnownBlock[]): KnownBlock[] => [
    { ...header(SECTION_TITLES[s]), block_id: settingsSection(s) },
    ...blocks,
  ];
  const blocks: KnownBlock[] = t
    ? sectionOrder(o.start).flatMap((s, i) => [...(i > 0 ? [divider()] : []), ...titled(s, build[s](t))])
    : [
        ...titled("team", teamSection(null, o.channelId, o.defaultTimezone)),
        context(
          md`The end-of-week debrief, weekly rollup and incidents settings appear here once the team is saved.`,
          SETTINGS_BLOCK.note,
        ),
      ];
  if (t && o.start !== "team") {
    blocks.unshift(
      context(
        md`*${SECTION_TITLES[o.start]}* is first; every other setting of *${t.name}* is further down. Save applies them all.`,
        SETTINGS_BLOCK.note,
      ),
    );
  }
  return modal({
    callbackId: VIEW.settings,
    title: t ? "Team settings" : "Set up your team",
    submit: "Save",
    ...(t ? { privateMetadata: JSON.stringify({ teamId: t.id } satisfies SettingsMeta) } : {}),
    blocks,
  });
}
