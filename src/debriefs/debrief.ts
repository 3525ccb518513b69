import {
  firstSlotOnOrAfter,
  isoWeekKey,
  localDateKey,
  localDateTimeToInstant,
  slotsBetween,
} from "../scheduler/schedule.js";
import type { Team } from "../teams/team.js";

/**
 * A round's life. The unique (team, promptAt) row is the claim; the status moves forward only with
 * conditional updates. The prompt, the nudges and the digest are deliveries (the outbox posts each
 * exactly once); the round records what landed.
 * - pending:  claimed, prompt queued but not posted yet
 * - open:     prompt posted, collecting answers until digestAt
 * - digested: digest posted (digestTs)
 * - skipped:  the prompt never went out before the digest time (Ratchet was down, or Slack refused it)
 */
export type DebriefRoundStatus = "pending" | "open" | "digested" | "skipped";

export interface DebriefRound {
  id: string;
  teamId: string;
  promptAt: Date;
  digestAt: Date;
  /** When non-sharers get a DM, if the team wants it; null when the window is too short or the prompt went out late. */
  nudgeAt: Date | null;
  /** The prompt's local date, "yyyy-MM-dd". */
  localDate: string;
  status: DebriefRoundStatus;
  messageChannelId: string | null;
  messageTs: string | null;
  digestTs: string | null;
  nudgedAt: Date | null;
}

export interface DebriefAnswer {
  id: string;
  roundId: string;
  userId: string;
  shipped: string;
  input: string;
  blockers: string;
  /** The answer's reply in the prompt's thread, edited in place when the person resubmits. */
  threadTs: string | null;
  updatedAt: Date;
}

export interface DebriefAnswerInput {
  shipped: string;
  input: string;
  blockers: string;
}

export interface DebriefSettings {
  debriefEnabled: boolean;
  /** ISO weekday, 1 = Monday */
  debriefWeekday: number;
  /** local "HH:mm" */
  debriefTime: string;
  /** local "HH:mm", same day, after debriefTime */
  debriefDigestTime: string;
  debriefNudge: boolean;
}

const NUDGE_BEFORE_DIGEST_MS = 60 * 60_000;
/** A prompt posted later than this after its slot says so (Ratchet was down at prompt time). */
export const LATE_AFTER_MS = 15 * 60_000;
/** How many past rounds define "the team's members" when the channel's members can't be read. */
export const MEMBER_ROUNDS = 4;

export interface RoundWindow {
  promptAt: Date;
  digestAt: Date;
  nudgeAt: Date | null;
  localDate: string;
  week: string;
}

/** The round of the local calendar day `promptAt` falls on: prompt → digest, with the nudge an hour before the digest. */
export function windowFor(team: Pick<Team, "timezone"> & DebriefSettings, promptAt: Date): RoundWindow {
  const localDate = localDateKey(promptAt, team.timezone);
  const digestAt = localDateTimeToInstant(localDate, team.debriefDigestTime, team.timezone);
  const nudge = new Date(digestAt.getTime() - NUDGE_BEFORE_DIGEST_MS);
  return {
    promptAt,
    digestAt,
    // A nudge before the prompt itself would make no sense (digest less than an hour after the prompt).
    nudgeAt: nudge > promptAt ? nudge : null,
    localDate,
    week: isoWeekKey(promptAt, team.timezone),
  };
}

/** The latest prompt slot at or before `now` in the team's zone (DST-safe: local wall time, via schedule.ts). */
function latestPromptAt(team: Pick<Team, "timezone"> & DebriefSettings, now: Date): Date | null {
  const slot = {
    tz: team.timezone,
    weekday: team.debriefWeekday,
    time: team.debriefTime,
    cadenceWeeks: 1 as const,
    anchor: now,
  };
  // Eight days back always holds one weekly slot, whatever DST did to the week's length.
  const from = new Date(now.getTime() - 8 * 86_400_000);
  return slotsBetween(slot, from, now).at(-1) ?? null;
}

export type RoundPlan =
  | { kind: "none" }
  | { kind: "claim"; window: RoundWindow }
  | { kind: "skip"; window: RoundWindow };

/**
 * What the job does for a team at `now`, given the local ISO weeks it already has a round in.
 * Catch-up policy: a prompt whose slot passed while Ratchet was down is still posted (marked late)
 * as long as the digest time has not come; once the digest time has passed the week is recorded as
 * skipped and never posted. Only the latest week is considered: older missed weeks are not replayed.
 * A team gets at most one round per local ISO week, even if its debrief day or time changes mid-week.
 */
export function planRound(
  team: Pick<Team, "timezone"> & Partial<Pick<Team, "createdAt">> & DebriefSettings,
  now: Date,
  claimedWeeks: ReadonlySet<string>,
): RoundPlan {
  if (!team.debriefEnabled) return { kind: "none" };
  const promptAt = latestPromptAt(team, now);
  if (!promptAt) return { kind: "none" };
  // A prompt time before the team existed was not missed: the first debrief is the next one.
  if (team.createdAt && promptAt < team.createdAt) return { kind: "none" };
  const window = windowFor(team, promptAt);
  if (claimedWeeks.has(window.week)) return { kind: "none" };
  if (now >= window.digestAt) return { kind: "skip", window };
  // A late prompt past the nudge time would be followed by a nudge a minute later: drop the nudge.
  const nudgeAt = window.nudgeAt && now < window.nudgeAt ? window.nudgeAt : null;
  return { kind: "claim", window: { ...window, nudgeAt } };
}

/**
 * Who a round is for. `members` are counted in the digest's "n of m shared": the channel's people
 * (no bots), or — when the chat surface couldn't say (`channelPeople` null) — the people Ratchet has
 * seen: recent sharers and mechanism owners; anyone who shared this round always counts. `toNudge`
 * are the members who have not shared and have not asked to stop the nudge: opting out of the DM
 * does not leave the team, so they are still counted.
 */
export function debriefAudience(o: {
  channelPeople: readonly string[] | null;
  recentSharers: readonly string[];
  owners: readonly string[];
  sharedNow: readonly string[];
  optedOut: readonly string[];
}): { members: string[]; toNudge: string[] } {
  const seen = o.channelPeople ?? [...o.recentSharers, ...o.owners];
  const members = [...new Set([...seen, ...o.sharedNow])].sort();
  const skip = new Set([...o.sharedNow, ...o.optedOut]);
  return { members, toNudge: members.filter((m) => !skip.has(m)) };
}

/** Human schedule line, e.g. "Friday 15:00 → digest 17:00 (America/New_York)". */
export function describeSchedule(
  team: Pick<Team, "timezone"> & DebriefSettings,
  weekdayName: (n: number) => string,
): string {
  if (!team.debriefEnabled) return "off";
  return `${weekdayName(team.debriefWeekday)}s: prompt at ${team.debriefTime}, digest at ${team.debriefDigestTime} (${team.timezone})${
    team.debriefNudge ? ", DM nudge an hour before the digest" : ""
  }`;
}

/**
 * When the debrief job next needs to look at a team to plan a round: its next prompt slot. The
 * rest of a round (prompt post, nudge, digest) is found through the round's own due instants.
 */
export function nextPromptLook(team: Pick<Team, "timezone"> & DebriefSettings, now: Date): Date {
  const slot = { tz: team.timezone, weekday: team.debriefWeekday, time: team.debriefTime };
  return firstSlotOnOrAfter(slot, new Date(now.getTime() + 1));
}
