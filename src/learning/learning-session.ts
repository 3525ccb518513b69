/**
 * Learning sessions (`/ratchet learn`): a monthly 30–45 minute talk plus Q&A, scheduled in the
 * audience's time zone, reminded a day and an hour before, and its speaker asked for the recording
 * and slides once it has ended. Types and pure rules; no clock, no database.
 */
import { instantToLocalParts, localDateTimeToInstant } from "../scheduler/schedule.js";

/** The talk's length before Q&A: the seed's 30–45 minutes, in steps a select can offer. */
export const DURATIONS = [30, 35, 40, 45] as const;
export type Duration = (typeof DURATIONS)[number];
export const isDuration = (n: number): n is Duration => (DURATIONS as readonly number[]).includes(n);

/** Longest topic accepted: a title people read in a reminder, not an abstract. */
export const TOPIC_MAX = 150;
/** Most audience channels one session is announced in. */
export const MAX_CHANNELS = 10;

export interface LearningSession {
  id: string;
  teamId: string;
  slackTeamId: string;
  topic: string;
  speakerId: string;
  startsAt: Date;
  /** the audience's IANA zone when it was scheduled */
  timezone: string;
  durationMinutes: number;
  /** audience channel ids */
  channels: string[];
  recordingUrl: string;
  slidesUrl: string;
  createdBy: string;
  createdAt: Date;
  nextDueAt: Date | null;
}

/** What the schedule form gives the service (already in the audience's zone). */
export interface SessionInput {
  topic: string;
  speakerId: string;
  /** local "yyyy-MM-dd" and "HH:mm" in the team's zone */
  date: string;
  time: string;
  durationMinutes: number;
  /** empty: the team's channel */
  channels: string[];
}

export interface LinksInput {
  recordingUrl: string;
  slidesUrl: string;
}

/** Each thing the job does for a session, in the order they fall due. */
export type Stage = "day" | "hour" | "ask";

/**
 * When each stage falls due.
 * - day: the same wall time on the previous local day ("a day before" as people read it: a 10:00
 *   session the day after clocks change is reminded at 10:00 the day before, 23 or 25 real hours).
 * - hour: 60 real minutes before the start.
 * - ask: when the talk and its Q&A end (the duration plus a quarter of an hour of Q&A).
 */
export function stageMoments(s: Pick<LearningSession, "startsAt" | "timezone" | "durationMinutes">): {
  stage: Stage;
  at: Date;
}[] {
  const { date, time } = instantToLocalParts(s.startsAt, s.timezone);
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const dayBefore = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return [
    { stage: "day", at: localDateTimeToInstant(dayBefore, time, s.timezone) },
    { stage: "hour", at: new Date(s.startsAt.getTime() - 60 * 60_000) },
    { stage: "ask", at: endsAt(s) },
  ];
}

/** Q&A after the talk, so the speaker is asked for links once the room has emptied. */
const QA_MINUTES = 15;

export const endsAt = (s: Pick<LearningSession, "startsAt" | "durationMinutes">): Date =>
  new Date(s.startsAt.getTime() + (s.durationMinutes + QA_MINUTES) * 60_000);

/** The first stage at or after `from` (a new session skips moments already past); null: none left. */
export function firstDueFrom(
  s: Pick<LearningSession, "startsAt" | "timezone" | "durationMinutes">,
  from: Date,
): Date | null {
  return stageMoments(s).find((m) => m.at.getTime() >= from.getTime())?.at ?? null;
}

/**
 * What a sweep at `now` does for a session whose due index is `dueAt`: the stages in [dueAt, now],
 * and the next due instant after `now`. Catch-up policy: a reminder whose moment passed while Ratchet
 * was down is sent late only if the session hasn't started, and of two reminders due at once only the
 * later (the hour one) is sent; the links ask is always sent, however late.
 */
export function stagesDue(
  s: Pick<LearningSession, "startsAt" | "timezone" | "durationMinutes">,
  dueAt: Date,
  now: Date,
): { send: Stage[]; next: Date | null } {
  const moments = stageMoments(s);
  const due = moments.filter((m) => m.at >= dueAt && m.at <= now).map((m) => m.stage);
  const started = now >= s.startsAt;
  const reminders = started ? [] : due.filter((st) => st !== "ask").slice(-1);
  const send: Stage[] = [...reminders, ...(due.includes("ask") ? (["ask"] as const) : [])];
  const next = moments.find((m) => m.at > now)?.at ?? null;
  return { send, next };
}

/** A reminder is wanted until the session starts; after that it is cancelled, never posted late. */
export const reminderExpiry = (s: Pick<LearningSession, "startsAt">): Date => s.startsAt;

/**
 * Whether a session matches `/ratchet learn <words>`: every word is found in its topic
 * (case-insensitive) or names its speaker (a mention as Slack sends it, `<@U123|name>`, or the id).
 */
export function matchesSearch(s: Pick<LearningSession, "topic" | "speakerId">, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const topic = s.topic.toLowerCase();
  return words.every((w) => {
    const mentioned = /^<@([a-z0-9]+)(\|[^>]*)?>$/.exec(w)?.[1];
    if (mentioned) return mentioned === s.speakerId.toLowerCase();
    return topic.includes(w) || w.replace(/^@/, "") === s.speakerId.toLowerCase();
  });
}

/** A topic worth a session: a lesson from a COE or a promoted deviation. */
export interface TopicSuggestion {
  source: "coe" | "deviation";
  title: string;
  detail: string;
  at: Date;
}

/** What `/ratchet learn [words]` shows. */
export interface LearningOverview {
  upcoming: LearningSession[];
  past: LearningSession[];
  suggestions: TopicSuggestion[];
  /** the words searched for, or "" for the plain list */
  query: string;
}

/** How far back a lesson or a promoted deviation still counts as recent: about a quarter. */
const SUGGESTION_DAYS = 90;

/** The newest few of each source from the last SUGGESTION_DAYS, so neither crowds the other out. */
export function pickSuggestions(
  all: readonly TopicSuggestion[],
  now: Date,
  perSource = 3,
): TopicSuggestion[] {
  const since = now.getTime() - SUGGESTION_DAYS * 86_400_000;
  const newest = all.filter((x) => x.at.getTime() >= since).sort((a, b) => b.at.getTime() - a.at.getTime());
  return [
    ...newest.filter((x) => x.source === "coe").slice(0, perSource),
    ...newest.filter((x) => x.source === "deviation").slice(0, perSource),
  ];
}
