import { cycleIndex, firstSlotOnOrAfter, weeksBefore } from "../scheduler/schedule.js";
import type { Team, TeamSetupInput } from "./team.js";

/** What decides when a team's reviews fall: changing any of it moves the cycle anchor. */
type Slot = Pick<TeamSetupInput, "timezone" | "reviewWeekday" | "reviewTime" | "cadenceWeeks">;

/** True for a new team, or one whose review slot (zone, day, time or cadence) changes. */
export function slotChanged(existing: Team | null, next: Slot): boolean {
  return (
    !existing ||
    existing.reviewWeekday !== next.reviewWeekday ||
    existing.reviewTime !== next.reviewTime ||
    existing.cadenceWeeks !== next.cadenceWeeks ||
    existing.timezone !== next.timezone
  );
}

/**
 * Where cycle 0 starts. A new team starts counting at its first review slot. A team that changes
 * its slot keeps its numbering: the current cycle keeps its index and the next one starts at the
 * new slot — deviations, alarms and claims are keyed by cycle index, so restarting at 0 would
 * collide with cycles already run.
 */
export function anchorFor(next: Slot, existing: Team | null, now: Date): Date {
  const first = firstSlotOnOrAfter(
    { tz: next.timezone, weekday: next.reviewWeekday, time: next.reviewTime },
    now,
  );
  if (!existing) return first;
  const current = cycleIndex(existing.cycleAnchor, existing.cadenceWeeks, existing.timezone, now);
  return current < 0 ? first : weeksBefore(first, (current + 1) * next.cadenceWeeks, next.timezone);
}

/** A new team's ritual settings until someone changes them. */
export function newTeamDefaults(
  createdBy: string,
): Omit<
  Team,
  | "id"
  | "slackTeamId"
  | "name"
  | "channelId"
  | "timezone"
  | "reviewWeekday"
  | "reviewTime"
  | "cadenceWeeks"
  | "cycleAnchor"
  | "createdAt"
> {
  return {
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
    // The person who sets the team up is its first admin.
    admins: [createdBy],
    createdBy,
  };
}
