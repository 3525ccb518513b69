/** A team runs its rituals in one channel, on its own local clock. */
export interface Team {
  id: string;
  slackTeamId: string;
  name: string;
  channelId: string;
  timezone: string;
  /** ISO weekday, 1 = Monday */
  reviewWeekday: number;
  /** local "HH:mm" */
  reviewTime: string;
  cadenceWeeks: 1 | 2;
  /** start of cycle 0; cycles are cadenceWeeks long */
  cycleAnchor: Date;
  debriefEnabled: boolean;
  debriefWeekday: number;
  debriefTime: string;
  debriefDigestTime: string;
  debriefNudge: boolean;
  rollupWeekday: number;
  rollupTime: string;
  incidentsChannelId: string | null;
  /** severities whose COE is the full one, comma separated in SEVERITIES order ("sev1,sev2"); others are light */
  fullCoeSeverities: string;
  /** hours from an incident's detection within which its full COE should be complete */
  coeDeepDiveHours: number;
  /** who may change settings and act for any owner (src/teams/roles.ts); empty on teams from before roles */
  admins: string[];
  createdBy: string;
  /** when the team was set up (by the service's clock): rituals don't fire for slots before it */
  createdAt: Date;
}

export interface TeamSetupInput {
  slackTeamId: string;
  name: string;
  channelId: string;
  timezone: string;
  reviewWeekday: number;
  reviewTime: string;
  cadenceWeeks: 1 | 2;
  userId: string;
}

export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;
export const weekdayName = (isoWeekday: number): string => WEEKDAYS[isoWeekday - 1] ?? "?";

export const cadenceOf = (n: number): 1 | 2 => (n === 2 ? 2 : 1);
