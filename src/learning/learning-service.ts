import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import type { DeviationSummary } from "../deviations/deviation.js";
import type { IncidentRecord } from "../incidents/types.js";
import type { Notices } from "../notices.js";
import { localDateTimeToInstant } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import {
  type DeliveryHandler,
  enqueueAfterSave,
  type NewDelivery,
  type Outbox,
} from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type { LearningRepository } from "./learning-repository.js";
import {
  firstDueFrom,
  isDuration,
  type LearningOverview,
  type LearningSession,
  type LinksInput,
  MAX_CHANNELS,
  matchesSearch,
  pickSuggestions,
  reminderExpiry,
  type SessionInput,
  stagesDue,
  TOPIC_MAX,
  type TopicSuggestion,
} from "./learning-session.js";

/** How many sessions the list shows on each side of now, and how many a search looks through. */
const LIST_CAP = 10;
const SEARCH_CAP = 100;
/** Due sessions one tick takes on; the rest stay due for the next. */
const SWEEP_BATCH = 100;

export class LearningService {
  constructor(
    private readonly deps: {
      sessions: LearningRepository;
      teams: TeamRepository;
      clock: Clock;
      outbox: Outbox;
      log: Logger;
      /** Where topics come from, read through their own services: COE lessons and promoted deviations. */
      topicSources: {
        incidents(teamId: string): Promise<Pick<IncidentRecord, "title" | "learned" | "createdAt">[]>;
        deviations(teamId: string): Promise<DeviationSummary[]>;
      };
      /** the audit log: every session scheduled and every links edit */
      audit?: AuditService;
    },
  ) {}

  async team(teamId: string): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  /**
   * Saves a session and queues its announcement in each audience channel. The form's rules are
   * checked again here (a modal can stay open past the moment it asked for).
   */
  async schedule(
    teamId: string,
    input: SessionInput,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<LearningSession> {
    const team = await this.team(teamId);
    const topic = input.topic.trim();
    if (!topic) throw new DomainError("invalid_input", "Name the topic.", "topic");
    if (topic.length > TOPIC_MAX)
      throw new DomainError("invalid_input", `Keep the topic under ${TOPIC_MAX} characters.`, "topic");
    if (!isDuration(input.durationMinutes))
      throw new DomainError("invalid_input", "Pick 30, 35, 40 or 45 minutes.", "durationMinutes");
    const now = this.deps.clock.now();
    const startsAt = localDateTimeToInstant(input.date, input.time, team.timezone);
    if (startsAt <= now)
      throw new DomainError("invalid_input", "Pick a date and time in the future.", "date");
    const channels = [...new Set(input.channels.length > 0 ? input.channels : [team.channelId])];
    if (channels.length > MAX_CHANNELS)
      throw new DomainError("invalid_input", `Pick at most ${MAX_CHANNELS} channels.`, "channels");
    const shape = { startsAt, timezone: team.timezone, durationMinutes: input.durationMinutes };
    const session = await this.deps.sessions.create({
      ...shape,
      teamId,
      slackTeamId: team.slackTeamId,
      topic,
      speakerId: input.speakerId,
      channels,
      createdBy: by,
      createdAt: now,
      nextDueAt: firstDueFrom(shape, now),
    });
    this.deps.log.info({ teamId, sessionId: session.id, startsAt }, "learning session scheduled");
    await this.audit(session, { userId: by, surface }, "scheduled", null, session);
    for (const channel of channels) {
      await enqueueAfterSave(this.deps.outbox, this.deps.log, {
        key: `learn:${session.id}:scheduled:${channel}`,
        kind: "learning_scheduled",
        ref: { sessionId: session.id },
        target: channel,
        teamId,
        notBefore: now,
        expiresAt: session.startsAt,
        at: now,
      });
    }
    return session;
  }

  /** `/ratchet learn [words]`: the workspace's upcoming and past sessions (or those matching), and topic ideas. */
  async overview(team: Team, query: string): Promise<LearningOverview> {
    const now = this.deps.clock.now();
    const words = query.trim();
    const cap = words ? SEARCH_CAP : LIST_CAP;
    const [upcoming, past, suggestions] = await Promise.all([
      this.deps.sessions.upcoming(team.slackTeamId, now, cap),
      this.deps.sessions.past(team.slackTeamId, now, cap),
      this.suggestions(team.id, now),
    ]);
    const keep = (list: LearningSession[]) =>
      words ? list.filter((s) => matchesSearch(s, words)).slice(0, LIST_CAP) : list;
    return { upcoming: keep(upcoming), past: keep(past), suggestions, query: words };
  }

  /** Topics from what the team learned the hard way (COE lessons) and the defaults it changed. */
  private async suggestions(teamId: string, now: Date): Promise<TopicSuggestion[]> {
    const [incidents, deviations] = await Promise.all([
      this.deps.topicSources.incidents(teamId),
      this.deps.topicSources.deviations(teamId),
    ]);
    return pickSuggestions(
      [
        ...incidents
          .filter((i) => i.learned.trim() !== "")
          .map((i) => ({ source: "coe" as const, title: i.title, detail: i.learned, at: i.createdAt })),
        ...deviations
          .filter((d) => d.verdict === "promote")
          .map((d) => ({
            source: "deviation" as const,
            title: d.deviation,
            detail: d.outcome,
            at: d.decidedAt ?? d.createdAt,
          })),
      ],
      now,
    );
  }

  /** The session behind "Add recording and slides"; only its speaker or whoever scheduled it may. */
  async openLinks(sessionId: string, userId: string): Promise<LearningSession> {
    const s = await this.deps.sessions.findById(sessionId);
    if (!s) throw new DomainError("not_found", "That learning session no longer exists.");
    if (userId !== s.speakerId && userId !== s.createdBy)
      throw new DomainError(
        "forbidden",
        "Only the speaker or whoever scheduled the session can add its links.",
      );
    return s;
  }

  async saveLinks(
    sessionId: string,
    links: LinksInput,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<LearningSession> {
    const before = await this.openLinks(sessionId, by);
    const saved = await this.deps.sessions.setLinks(sessionId, links);
    if (!saved) throw new DomainError("not_found", "That learning session no longer exists.");
    this.deps.log.info({ sessionId }, "learning session links saved");
    await this.audit(saved, { userId: by, surface }, "links edited", before, saved);
    return saved;
  }

  /** One audit entry for a session, in the log of the team that scheduled it. */
  private async audit(
    s: LearningSession,
    actor: { userId: string; surface: AuditSurface },
    action: string,
    before: LearningSession | null,
    after: LearningSession,
  ): Promise<void> {
    await this.deps.audit?.record({
      team: { id: s.teamId, slackTeamId: s.slackTeamId },
      subject: { type: "learning-session", id: s.id },
      actor,
      action,
      before: before ? { ...before } : null,
      after: { ...after },
      ignore: ["teamId", "slackTeamId", "createdBy", "timezone"],
    });
  }

  /**
   * The `learning-sessions` job, safe to run twice for the same `now`. Reads only sessions whose due
   * index (`nextDueAt`) has come, queues what is due (each under a unique outbox key, so a second
   * run queues nothing), then moves the index on by compare-and-set. Catch-up policy (see
   * `stagesDue`): a reminder whose moment passed while down is sent late only if the session hasn't
   * started (and it expires at the start); the links ask is sent however late.
   */
  async sweep(now: Date): Promise<{ queued: number }> {
    const due = await this.deps.sessions.due(now, SWEEP_BATCH);
    let queued = 0;
    for (const s of due) {
      if (!s.nextDueAt) continue;
      const { send, next } = stagesDue(s, s.nextDueAt, now);
      const deliveries: NewDelivery[] = send.flatMap((stage): NewDelivery[] =>
        stage === "ask"
          ? [
              {
                key: `learn:${s.id}:ask`,
                kind: "learning_links_ask",
                ref: { sessionId: s.id },
                target: s.speakerId,
                teamId: s.teamId,
                notBefore: now,
                at: now,
              },
            ]
          : s.channels.map((channel) => ({
              key: `learn:${s.id}:${stage}:${channel}`,
              kind: "learning_reminder" as const,
              ref: { sessionId: s.id, when: stage },
              target: channel,
              teamId: s.teamId,
              notBefore: now,
              expiresAt: reminderExpiry(s),
              at: now,
            })),
      );
      if (deliveries.length > 0) queued += await this.deps.outbox.enqueueMany(deliveries);
      await this.deps.sessions.advance(s.id, s.nextDueAt, next);
    }
    return { queued };
  }

  /** The announcement in each audience channel, drawn from the session as it is when sent. */
  readonly scheduledHandler: DeliveryHandler<"learning_scheduled", Notices["learning_scheduled"]> = {
    resolve: async ({ sessionId }) => {
      const session = await this.deps.sessions.findById(sessionId);
      return session ? { session } : null;
    },
  };

  /** A reminder; cancelled once the session has started (never posted late). */
  readonly reminderHandler: DeliveryHandler<"learning_reminder", Notices["learning_reminder"]> = {
    resolve: async ({ sessionId, when }, now) => {
      const session = await this.deps.sessions.findById(sessionId);
      if (!session || now >= session.startsAt) return null;
      return { session, when };
    },
  };

  /** The DM asking the speaker for links; cancelled if both were added meanwhile. */
  readonly linksAskHandler: DeliveryHandler<"learning_links_ask", Notices["learning_links_ask"]> = {
    resolve: async ({ sessionId }) => {
      const session = await this.deps.sessions.findById(sessionId);
      if (!session || (session.recordingUrl && session.slidesUrl)) return null;
      return { session };
    },
  };
}
