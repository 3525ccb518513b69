import type { Team } from "../../src/teams/team.js";

/** A complete team for unit tests: the Checkout squad, Tuesdays 10:00 London, weekly. */
export function teamFixture(o: Partial<Team> = {}): Team {
  return {
    id: "t1",
    slackTeamId: "T1",
    name: "Checkout squad",
    channelId: "C1",
    timezone: "Europe/London",
    reviewWeekday: 2,
    reviewTime: "10:00",
    cadenceWeeks: 1,
    cycleAnchor: new Date("2026-11-24T10:00:00Z"),
    debriefEnabled: true,
    debriefWeekday: 5,
    debriefTime: "15:00",
    debriefDigestTime: "17:00",
    debriefNudge: false,
    rollupWeekday: 1,
    rollupTime: "09:00",
    incidentsChannelId: null,
    fullCoeSeverities: "sev1,sev2",
    coeDeepDiveHours: 48,
    admins: [],
    createdBy: "U1",
    createdAt: new Date("2026-11-20T09:00:00Z"),
    ...o,
  };
}
