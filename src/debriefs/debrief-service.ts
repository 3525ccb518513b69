import type { Logger } from "pino";
import { type AuditSurface, auditEntryFor } from "../audit/audit-entry.js";
import type { Announcer, Notices, PostedAt } from "../notices.js";
import type { PeopleRepository } from "../people/people-repository.js";
import { wantsDm } from "../people/person-prefs.js";
import { addDays, isAwayAt } from "../people/quiet-days.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import { sweepDueTeams } from "../teams/team-due.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type { TeamService } from "../teams/team-service.js";
import {
  type DebriefAnswer,
  type DebriefAnswerInput,
  type DebriefRound,
  type DebriefSettings,
  debriefAudience,
  LATE_AFTER_MS,
  MEMBER_ROUNDS,
  nextPromptLook,
  planRound,
  windowFor,
} from "./debrief.js";
import type { DebriefRepository } from "./debrief-repository.js";

const BATCH = 500;
const DAY_MS = 86_400_000;

const promptKey = (roundId: string) => `debrief-prompt:${roundId}`;
const digestKey = (roundId: string) => `debrief-digest:${roundId}`;
const answerKey = (answerId: string) => `debrief-answer:${answerId}`;

export interface SavedAnswer {
  answer: DebriefAnswer;
  round: DebriefRound;
}

export class DebriefService {
  constructor(
    private readonly deps: {
      debriefs: DebriefRepository;
      teams: TeamRepository;
      teamService: TeamService;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /** reminder preferences and time away (src/people/); absent: the prompt is the channel's only */
      people?: PeopleRepository;
    },
  ) {}

  /**
   * Once the channel's prompt is posted: a DM copy to each member of the channel whose preference asks
   * for the debrief by DM (or both) and who is not away. The channel's prompt is the team's and always
   * goes; keyed per round and person, so a second call queues nothing new.
   */
  private async queuePromptDms(roundId: string, teamId: string, now: Date): Promise<void> {
    const people = this.deps.people;
    const team = people ? await this.deps.teams.findById(teamId) : null;
    if (!people || !team) return;
    const members = await this.deps.announcer.channelMembers(team.channelId);
    const wanting = (await people.prefsOf(team.slackTeamId, members))
      .filter((p) => wantsDm(p.debriefReminder))
      .map((p) => p.userId);
    const away = await people.awayOf(team.slackTeamId, wanting, addDays(now.toISOString().slice(0, 10), -2));
    const round = await this.deps.debriefs.findRound(roundId);
    for (const userId of wanting.filter(
      (u) =>
        !isAwayAt(
          now,
          away.filter((a) => a.userId === u),
        ),
    )) {
      await this.deps.outbox.enqueue({
        key: `debrief-prompt-dm:${roundId}:${userId}`,
        kind: "debrief_prompt",
        ref: { roundId, dmTo: userId },
        target: userId,
        teamId: team.id,
        notBefore: now,
        expiresAt: round?.digestAt ?? null,
        at: now,
      });
    }
  }

  /**
   * The debriefs job, safe to run twice for the same `now`:
   * 1. claim each team's round for this week (the unique DebriefRound row is the claim) and queue its prompt;
   * 2. an hour before the digest, queue a DM to each member who hasn't shared (claimed with nudgedAt);
   * 3. queue the digest of every open round whose digest time has come.
   * Each message is a delivery keyed by the round (and person), so it is posted exactly once.
   * Catch-up policy (see planRound): a prompt missed while Ratchet was down is posted late if the
   * digest time has not passed yet, otherwise that week is recorded as skipped and never posted; a
   * digest more than a day late is skipped (its delivery expires).
   */
  async sweep(
    now: Date,
  ): Promise<{ claimed: number; skipped: number; queued: number; nudged: number; digests: number }> {
    const { claimed, skipped } = await this.claimRounds(now);
    const queued = await this.queuePrompts(now);
    const stale = await this.deps.debriefs.skipUnpostedPast(now);
    const nudged = await this.nudge(now);
    const digests = await this.queueDigests(now);
    return { claimed, skipped: skipped + stale, queued, nudged, digests };
  }

  private async claimRounds(now: Date) {
    let recent: Promise<DebriefRound[]> | undefined;
    let claimed = 0;
    let skipped = 0;
    await sweepDueTeams({
      index: this.deps.teams,
      job: "debriefs",
      now,
      log: this.deps.log,
      // One bad team (say, a zone this runtime lacks) throws here and stays due; the others go on.
      visit: async (team) => {
        // A week's round always has its prompt within the last 8 days, so older rounds cannot matter.
        recent ??= this.deps.debriefs.roundsSince(new Date(now.getTime() - 8 * DAY_MS));
        const weeks = new Set(
          (await recent).filter((r) => r.teamId === team.id).map((r) => windowFor(team, r.promptAt).week),
        );
        const plan = planRound(team, now, weeks);
        if (plan.kind !== "none") {
          const status = plan.kind === "claim" ? "pending" : "skipped";
          const round = await this.deps.debriefs.createRound(team.id, plan.window, status, now);
          if (round && plan.kind === "claim") claimed++;
          if (round && plan.kind === "skip") {
            skipped++;
            this.deps.log.warn(
              { teamId: team.id, promptAt: round.promptAt },
              "debrief prompt skipped: Ratchet was down past the digest time",
            );
          }
        }
        return nextPromptLook(team, now);
      },
    });
    return { claimed, skipped };
  }

  /** Queues the prompt of every pending round that has none yet; a prompt expires at the digest time. */
  private async queuePrompts(now: Date): Promise<number> {
    const pending = (await this.deps.debriefs.listPending(BATCH)).filter((r) => r.digestAt > now);
    const have = await this.deps.outbox.statuses(pending.map((r) => promptKey(r.id)));
    let queued = 0;
    for (const round of pending.filter((r) => !have.has(promptKey(r.id)))) {
      const team = await this.deps.teams.findById(round.teamId);
      if (!team) continue;
      const fresh = await this.deps.outbox.enqueue({
        key: promptKey(round.id),
        kind: "debrief_prompt",
        ref: { roundId: round.id },
        target: team.channelId,
        teamId: team.id,
        notBefore: now,
        expiresAt: round.digestAt,
        at: now,
      });
      if (fresh) queued++;
    }
    return queued;
  }

  /**
   * One DM per member who has not shared and has not opted out, once per round. The audience is read
   * before the claim (nudgedAt), so a failure there leaves the round due for the next tick.
   */
  private async nudge(now: Date): Promise<number> {
    let queued = 0;
    for (const round of await this.deps.debriefs.listDueNudges(now, BATCH)) {
      const team = await this.deps.teams.findById(round.teamId);
      // The setting is read at nudge time, so turning the nudge off stops this week's too.
      if (!team?.debriefNudge || !round.messageChannelId) continue;
      const { toNudge } = await this.audience(round, "nudge");
      if (!(await this.deps.debriefs.claimNudge(round.id, now))) continue;
      for (const userId of toNudge) {
        const fresh = await this.deps.outbox.enqueue({
          key: `debrief-nudge:${round.id}:${userId}`,
          kind: "debrief_nudge",
          ref: { roundId: round.id, userId },
          target: userId,
          teamId: team.id,
          notBefore: now,
          expiresAt: round.digestAt,
          at: now,
        });
        if (fresh) queued++;
      }
    }
    return queued;
  }

  /**
   * Queues the digest of every open round whose digest time has come; after downtime, digests less
   * than a day late are still posted, older ones expire (a week-old digest helps nobody) and their
   * rounds are marked skipped.
   */
  private async queueDigests(now: Date): Promise<number> {
    await this.deps.debriefs.expireDigests(new Date(now.getTime() - DAY_MS));
    const due = await this.deps.debriefs.listDueDigests(now, BATCH);
    const have = await this.deps.outbox.statuses(due.map((r) => digestKey(r.id)));
    let queued = 0;
    for (const round of due.filter((r) => !have.has(digestKey(r.id)))) {
      const team = await this.deps.teams.findById(round.teamId);
      if (!team) continue;
      const fresh = await this.deps.outbox.enqueue({
        key: digestKey(round.id),
        kind: "debrief_digest",
        ref: { roundId: round.id },
        target: round.messageChannelId ?? team.channelId,
        teamId: team.id,
        notBefore: now,
        expiresAt: new Date(round.digestAt.getTime() + DAY_MS),
        at: now,
      });
      if (fresh) queued++;
    }
    return queued;
  }

  /** The week's prompt; cancelled if the round was skipped meanwhile or the digest time has passed. */
  readonly promptHandler: DeliveryHandler<"debrief_prompt", Notices["debrief_prompt"]> = {
    resolve: async ({ roundId, dmTo }, now) => {
      const round = await this.deps.debriefs.findRound(roundId);
      // A DM copy follows the channel's prompt (the round is open then); not once they shared or are away.
      const open = dmTo ? round?.status === "open" : round?.status === "pending";
      if (!round || !open || round.digestAt <= now) return null;
      if (dmTo && (await this.deps.debriefs.findAnswer(roundId, dmTo))) return null;
      const team = await this.deps.teams.findById(round.teamId);
      if (!team) return null;
      if (dmTo && this.deps.people) {
        const away = await this.deps.people.awayOf(
          team.slackTeamId,
          [dmTo],
          addDays(now.toISOString().slice(0, 10), -2),
        );
        if (isAwayAt(now, away)) return null;
      }
      const late = now.getTime() - round.promptAt.getTime() > LATE_AFTER_MS;
      return { roundId, digestAt: round.digestAt, timezone: team.timezone, late };
    },
    delivered: async ({ roundId, dmTo }, where, now) => {
      if (dmTo) return;
      await this.deps.debriefs.markPosted(roundId, where.channel, where.ts);
      const round = await this.deps.debriefs.findRound(roundId);
      if (round) {
        await this.queuePromptDms(roundId, round.teamId, now).catch((err: unknown) =>
          this.deps.log.warn({ err, roundId }, "debrief prompt DMs not queued"),
        );
      }
    },
  };

  /** A nudge to one person; cancelled when they shared or opted out meanwhile, or the round moved on. */
  readonly nudgeHandler: DeliveryHandler<"debrief_nudge", Notices["debrief_nudge"]> = {
    resolve: async ({ roundId, userId }) => {
      const round = await this.deps.debriefs.findRound(roundId);
      if (round?.status !== "open" || !round.messageChannelId) return null;
      if (await this.deps.debriefs.findAnswer(roundId, userId)) return null;
      const team = await this.deps.teams.findById(round.teamId);
      if (!team) return null;
      if ((await this.deps.debriefs.nudgeOptOuts(team.id)).includes(userId)) return null;
      return this.nudgeNotice(round, team, false);
    },
  };

  /** The digest, drawn from every answer saved by the time it is sent. */
  readonly digestHandler: DeliveryHandler<"debrief_digest", Notices["debrief_digest"]> = {
    resolve: async ({ roundId }) => {
      const round = await this.deps.debriefs.findRound(roundId);
      if (round?.status !== "open") return null;
      const team = await this.deps.teams.findById(round.teamId);
      if (!team) return null;
      const answers = await this.deps.debriefs.listAnswers(round.id);
      const { members } = await this.audience(round, "digest", answers);
      return {
        promptAt: round.promptAt,
        localDate: round.localDate,
        timezone: team.timezone,
        answers,
        memberCount: members.length,
      };
    },
    delivered: ({ roundId }, where) => this.deps.debriefs.markDigested(roundId, where.ts),
  };

  /**
   * Who the round is for (see debriefAudience): the people in the channel the prompt went to. When
   * the chat surface can't list them, the people seen before (recent sharers, mechanism owners), so a
   * nudge or a count is never lost to a Slack hiccup; the fallback is logged with its cause.
   */
  private async audience(round: DebriefRound, purpose: "nudge" | "digest", answers?: DebriefAnswer[]) {
    const current = answers ?? (await this.deps.debriefs.listAnswers(round.id));
    const channel = round.messageChannelId;
    let channelPeople: string[] | null = null;
    if (channel) {
      try {
        channelPeople = await this.deps.announcer.channelMembers(channel);
      } catch (err) {
        this.deps.log.warn(
          { err, teamId: round.teamId, roundId: round.id, channel, purpose },
          "debrief: could not list the channel's members; using recent sharers and mechanism owners instead",
        );
      }
    }
    const [recentSharers, owners, optedOut] = await Promise.all([
      channelPeople ? [] : this.deps.debriefs.recentSharers(round.teamId, MEMBER_ROUNDS),
      channelPeople ? [] : this.deps.debriefs.mechanismOwners(round.teamId),
      purpose === "nudge" ? this.deps.debriefs.nudgeOptOuts(round.teamId) : [],
    ]);
    return debriefAudience({
      channelPeople,
      recentSharers,
      owners,
      sharedNow: current.map((a) => a.userId),
      optedOut,
    });
  }

  /**
   * "Stop nudging me" (optedOut true) or "Nudge me again" on a nudge DM: records the person's choice
   * for the round's team, then redraws the DM at `at` to show it (and the way back). The choice is
   * saved even when the redraw fails. Returns the team, for the confirmation.
   */
  async setNudges(roundId: string, userId: string, optedOut: boolean, at: PostedAt | null): Promise<Team> {
    const round = await this.deps.debriefs.findRound(roundId);
    if (!round) throw new DomainError("not_found", "That debrief no longer exists.");
    const team = await this.setTeamNudges(round.teamId, userId, optedOut, "button");
    if (at && round.messageChannelId) {
      try {
        await this.deps.announcer.edit(at, "debrief_nudge", this.nudgeNotice(round, team, optedOut));
      } catch (err) {
        this.deps.log.error(
          { err, roundId, userId, optedOut },
          "debrief nudge choice saved but the DM was not redrawn",
        );
      }
    }
    return team;
  }

  /** `/ratchet debrief nudges on|off`: the same choice, for a team named by its channel. */
  async setTeamNudges(
    teamId: string,
    userId: string,
    optedOut: boolean,
    surface: AuditSurface = "command",
  ): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    const now = this.deps.clock.now();
    // In the team's log; turning nudges on again deletes the opt-out, so the entry goes with it.
    const entry = auditEntryFor(
      {
        team,
        subject: { type: "team", id: team.id },
        actor: { userId, surface },
        action: optedOut ? "debrief nudges turned off" : "debrief nudges turned on",
        before: { debriefNudgesFor: userId, optedOut: !optedOut },
        after: { debriefNudgesFor: userId, optedOut },
      },
      now,
    );
    await this.deps.debriefs.setNudgeOptOut(team.id, userId, optedOut, now, entry);
    return team;
  }

  private nudgeNotice(round: DebriefRound, team: Team, optedOut: boolean): Notices["debrief_nudge"] {
    return {
      roundId: round.id,
      channelId: round.messageChannelId ?? team.channelId,
      digestAt: round.digestAt,
      timezone: team.timezone,
      teamName: team.name,
      optedOut,
    };
  }

  /** What the "Share my week" modal needs: the round, the person's answer so far, and whether the digest is out. */
  async answerContext(
    roundId: string,
    userId: string,
  ): Promise<{ round: DebriefRound; answer: DebriefAnswer | null; digested: boolean }> {
    const round = await this.openRound(roundId);
    const answer = await this.deps.debriefs.findAnswer(roundId, userId);
    return { round, answer, digested: round.status === "digested" };
  }

  /**
   * Saves a person's answer (one row per round and person) and, the first time, queues its reply in the
   * prompt's thread; `publishAnswer` edits that reply after a resubmission. Only database writes happen
   * here, so the listener answers Slack in time. Late answers after the digest are accepted: they go in
   * the thread, and the modal says they miss the digest.
   */
  async saveAnswer(roundId: string, userId: string, input: DebriefAnswerInput): Promise<SavedAnswer> {
    const round = await this.openRound(roundId);
    const now = this.deps.clock.now();
    const answer = await this.deps.debriefs.upsertAnswer(round.id, userId, input, now);
    if (!answer.threadTs && round.messageChannelId && round.messageTs) {
      await enqueueAfterSave(this.deps.outbox, this.deps.log, {
        key: answerKey(answer.id),
        kind: "debrief_answer",
        ref: { answerId: answer.id, roundId: round.id, userId },
        target: round.messageChannelId,
        teamId: round.teamId,
        threadTs: round.messageTs,
        notBefore: now,
        at: now,
      });
    }
    return { answer, round };
  }

  /**
   * Edits the answer's reply in place after a resubmission; failures are logged, the answer stays
   * saved. A reply not posted yet needs nothing: its delivery draws the answer as it is when sent.
   */
  async publishAnswer({ answer, round }: SavedAnswer): Promise<void> {
    if (!round.messageChannelId || !answer.threadTs) return;
    try {
      await this.deps.announcer.edit(
        { channel: round.messageChannelId, ts: answer.threadTs },
        "debrief_answer",
        { answer, afterDigest: round.status === "digested" },
      );
    } catch (err) {
      this.deps.log.error(
        { err, roundId: round.id, userId: answer.userId },
        "debrief answer saved but its reply was not updated",
      );
    }
  }

  /** The answer's reply in the prompt's thread; cancelled when it is already posted (edits update it). */
  readonly answerHandler: DeliveryHandler<"debrief_answer", Notices["debrief_answer"]> = {
    resolve: async ({ roundId, userId }) => {
      const [round, answer] = await Promise.all([
        this.deps.debriefs.findRound(roundId),
        this.deps.debriefs.findAnswer(roundId, userId),
      ]);
      if (!round || !answer || answer.threadTs) return null;
      return { answer, afterDigest: round.status === "digested" };
    },
    delivered: ({ answerId }, where) => this.deps.debriefs.setAnswerThreadTs(answerId, where.ts),
  };

  /** Saves the team's debrief settings and queues the channel's confirmation (once per submission). */
  async updateSettings(
    teamId: string,
    settings: DebriefSettings,
    by: { userId: string; submission: string },
  ): Promise<Team> {
    const team = await this.deps.teamService.updateSettings(teamId, settings);
    const now = this.deps.clock.now();
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: `debrief-settings:${by.submission}`,
      kind: "debrief_settings_saved",
      ref: { teamId: team.id, by: by.userId },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      at: now,
    });
    return team;
  }

  /** "<who> updated the debrief: <schedule>", with the schedule as it is when sent. */
  readonly settingsHandler: DeliveryHandler<"debrief_settings_saved", Notices["debrief_settings_saved"]> = {
    resolve: async ({ teamId, by }) => {
      const team = await this.deps.teams.findById(teamId);
      return team ? { team, by } : null;
    },
  };

  private async openRound(roundId: string): Promise<DebriefRound> {
    const round = await this.deps.debriefs.findRound(roundId);
    if (!round) throw new DomainError("not_found", "That debrief no longer exists.");
    if (!round.messageTs) throw new DomainError("not_found", "That debrief was never opened.");
    return round;
  }
}
