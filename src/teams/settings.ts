import type { Team, TeamSetupInput } from "./team.js";

/**
 * A team's settings, as one surface edits them: the team and its review slot, the end-of-week
 * debrief, the weekly rollup (with the workspace's all-teams channel) and where incidents go.
 */
export type SettingsSection = "team" | "debrief" | "rollup" | "incidents";
export const SETTINGS_SECTIONS: readonly SettingsSection[] = ["team", "debrief", "rollup", "incidents"];

type DebriefSection = Pick<
  Team,
  "debriefEnabled" | "debriefWeekday" | "debriefTime" | "debriefDigestTime" | "debriefNudge"
>;
interface RollupSection {
  rollupWeekday: number;
  rollupTime: string;
  /** the workspace's all-teams rollup channel (shared by every team); null turns it off */
  workspaceChannelId: string | null;
}
type IncidentsSection = Pick<Team, "incidentsChannelId" | "fullCoeSeverities" | "coeDeepDiveHours">;

/**
 * One save of the settings. The team section is always there (it names the channel a new team is set
 * up in); the others are null when the form did not carry them (a team not set up yet has none).
 */
export interface SettingsInput {
  team: TeamSetupInput;
  debrief: DebriefSection | null;
  rollup: RollupSection | null;
  incidents: IncidentsSection | null;
  /** the Team admins select; null when the form did not carry it (a team not set up yet) */
  admins?: string[] | null;
}

/** The team-row fields each section owns (the rollup's workspace channel lives on the workspace). */
const FIELDS: Record<SettingsSection, readonly (keyof Omit<Team, "id">)[]> = {
  team: ["name", "channelId", "timezone", "reviewWeekday", "reviewTime", "cadenceWeeks"],
  debrief: ["debriefEnabled", "debriefWeekday", "debriefTime", "debriefDigestTime", "debriefNudge"],
  rollup: ["rollupWeekday", "rollupTime"],
  incidents: ["incidentsChannelId", "fullCoeSeverities", "coeDeepDiveHours"],
};

/** The sections whose team-row fields differ; a team not saved before counts as its team section. */
export function changedRowSections(before: Team | null, after: Omit<Team, "id">): SettingsSection[] {
  if (!before) return ["team"];
  return SETTINGS_SECTIONS.filter((s) => FIELDS[s].some((k) => before[k] !== after[k]));
}
