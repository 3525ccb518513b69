import type { Logger } from "pino";
import { instantToLocalParts, localTimeLabel } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import { postOnce } from "../shared/post-once.js";
import {
  buildDebriefAnswerReply,
  buildDebriefDigest,
  buildDebriefNudge,
  buildDebriefPrompt,
} from "../slack/blocks/debrief.js";
import type { Notifier } from "../slack/notifier.js";
import { type Team, weekdayName } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type { TeamService } from "../teams/team-service.js";
import {
  type DebriefAnswer,
  type DebriefAnswerInput,
  type DebriefRound,
  type DebriefSettings,
  LATE_AFTER_MS,
  MEMBER_ROUNDS,
  planRound,
  teamMembers,
  windowFor,
} from "./debrief.js";
import type { DebriefRepository } from "./debrief-repository.js";

const BATCH = 200;
const DAY_MS = 86_400_000;

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
      notifier: Notifier;
      log: Logger;
    },
  ) {}

  /**
   * The debriefs job, safe to run twice for the same `now`:
   * 1. claim each team's round for this week (the unique DebriefRound row is the claim) and post its prompt;
   * 2. DM non-sharers an hour before the digest (claimed with nudgedAt);
   * 3. post the digest of every round whose digest time has come (claimed by the status open → digesting).
   * Catch-up policy (see planRound): a prompt missed while Ratchet was down is posted late if the
   * digest time has not passed yet, otherwise that week is recorded as skipped and never posted.
   */
  async sweep(
    now: Date,
  ): Promise<{ claimed: number; skipped: number; posted: number; nudged: number; digested: number }> {
    const { claimed, skipped } = await this.claimRounds(now);
    const posted = await this.postPending(now);
    const stale = await this.deps.debriefs.skipUnpostedPast(now);
    const nudged = await this.nudge(now);
    const digested = await this.digest(now);
    return { claimed, skipped: skipped + stale, posted, nudged, digested };
  }

  private async claimRounds(now: Date) {
    // A week's round always has its prompt within the last 8 days, so older rounds cannot matter.
    const recent = await this.deps.debriefs.roundsSince(new Date(now.getTime() - 8 * DAY_MS));
    const teams = await this.deps.teams.listAll();
    let claimed = 0;
    let skipped = 0;
    for (const team of teams) {
      try {
        const weeks = new Set(
          recent.filter((r) => r.teamId === team.id).map((r) => windowFor(team, r.promptAt).week),
        );
        const plan = planRound(team, now, weeks);
        if (plan.kind === "none") continue;
        const round = await this.deps.debriefs.createRound(
          team.id,
          plan.window,
          plan.kind === "claim" ? "pending" : "skipped",
          now,
        );
        if (!round) continue;
        if (plan.kind === "claim") claimed++;
        else {
          skipped++;
          this.deps.log.warn(
            { teamId: team.id, promptAt: round.promptAt },
            "debrief prompt skipped: Ratchet was down past the digest time",
          );
        }
      } catch (err) {
        // One team's bad settings (e.g. a zone this runtime lacks) must not stop the others.
        this.deps.log.error({ err, teamId: team.id }, "could not plan the debrief round");
      }
    }
    return { claimed, skipped };
  }

  /** Posts claimed prompts; marked posting first so a crash mid-post never posts twice, and a Slack error retries next tick. */
  async postPending(now: Date): Promise<number> {
    let posted = 0;
    for (const round of await this.deps.debriefs.listPending(BATCH)) {
      if (round.digestAt <= now) continue; // too late to collect anything: skipUnpostedPast records it
      if (!(await this.deps.debriefs.markPosting(round.id))) continue;
      const ok = await postOnce({
        send: async () => {
          const team = await this.team(round.teamId);
          const msg = buildDebriefPrompt({
            roundId: round.id,
            digestTime: localTimeLabel(round.digestAt, team.timezone),
            late: now.getTime() - round.promptAt.getTime() > LATE_AFTER_MS,
          });
          return this.deps.notifier.post(team.channelId, msg);
        },
        record: (res) => this.deps.debriefs.markPosted(round.id, res.channel, res.ts),
        release: () => this.deps.debriefs.markPostFailed(round.id),
        log: this.deps.log,
        what: "debrief prompt",
        context: { roundId: round.id },
      });
      if (ok) posted++;
    }
    return posted;
  }

  /** One DM per member who has not shared, once per round (nudgedAt is claimed before sending). */
  private async nudge(now: Date): Promise<number> {
    let sent = 0;
    for (const round of await this.deps.debriefs.listDueNudges(now, BATCH)) {
      const team = await this.deps.teams.findById(round.teamId);
      // The setting is read at nudge time, so turning the nudge off stops this week's too.
      if (!team?.debriefNudge || !round.messageChannelId) continue;
      if (!(await this.deps.debriefs.claimNudge(round.id, now))) continue;
      const { members, sharers } = await this.audience(round);
      const shared = new Set(sharers);
      const msg = buildDebriefNudge({
        roundId: round.id,
        channelId: round.messageChannelId,
        digestTime: localTimeLabel(round.digestAt, team.timezone),
      });
      for (const userId of members.filter((m) => !shared.has(m))) {
        try {
          await this.deps.notifier.dm(userId, msg);
          sent++;
        } catch (err) {
          // At most once: a failed DM is not retried, so nobody is nudged twice.
          this.deps.log.warn({ err, roundId: round.id, userId }, "debrief nudge not delivered");
        }
      }
    }
    return sent;
  }

  /**
   * Digests due now are posted; one that Slack refuses is retried every tick for a day, after which
   * the round is marked skipped (a week-old digest helps nobody, and a channel Ratchet was removed
   * from would otherwise be retried forever). After downtime, digests less than a day late are posted.
   */
  private async digest(now: Date): Promise<number> {
    let posted = 0;
    await this.deps.debriefs.expireDigests(new Date(now.getTime() - DAY_MS));
    for (const round of await this.deps.debriefs.listDueDigests(now, BATCH)) {
      if (!(await this.deps.debriefs.markDigesting(round.id))) continue;
      const ok = await postOnce({
        send: async () => {
          const team = await this.team(round.teamId);
          const answers = await this.deps.debriefs.listAnswers(round.id);
          const { members } = await this.audience(round, answers);
          const msg = buildDebriefDigest({
            dateLabel: `${weekdayName(instantToLocalParts(round.promptAt, team.timezone).weekday)} ${round.localDate}`,
            answers,
            memberCount: members.length,
          });
          return this.deps.notifier.post(round.messageChannelId ?? team.channelId, msg);
        },
        record: (res) => this.deps.debriefs.markDigested(round.id, res.ts),
        release: () => this.deps.debriefs.markDigestFailed(round.id),
        log: this.deps.log,
        what: "debrief digest",
        context: { roundId: round.id },
      });
      if (ok) posted++;
    }
    return posted;
  }

  /** Members = who shared in the team's last rounds + active mechanism owners + who shared now. */
  private async audience(round: DebriefRound, answers?: DebriefAnswer[]) {
    const current = answers ?? (await this.deps.debriefs.listAnswers(round.id));
    const sharers = current.map((a) => a.userId);
    const [recent, owners] = await Promise.all([
      this.deps.debriefs.recentSharers(round.teamId, MEMBER_ROUNDS),
      this.deps.debriefs.mechanismOwners(round.teamId),
    ]);
    return { members: teamMembers(recent, owners, sharers), sharers };
  }

  /** What the "Share my week" modal needs: the round, the person's answer so far, and whether the digest is out. */
  async answerContext(
    roundId: string,
    userId: string,
  ): Promise<{ round: DebriefRound; answer: DebriefAnswer | null; digested: boolean }> {
    const round = await this.openRound(roundId);
    const answer = await this.deps.debriefs.findAnswer(roundId, userId);
    return { round, answer, digested: round.status === "digested" || round.status === "digesting" };
  }

  /**
   * Saves a person's answer (one row per round and person). Only the database write happens here,
   * so the listener answers Slack in time; `publishAnswer` does the thread reply afterwards.
   * Late answers after the digest are accepted: they go in the thread, and the modal says they miss the digest.
   */
  async saveAnswer(roundId: string, userId: string, input: DebriefAnswerInput): Promise<SavedAnswer> {
    const round = await this.openRound(roundId);
    const answer = await this.deps.debriefs.upsertAnswer(round.id, userId, input, this.deps.clock.now());
    return { answer, round };
  }

  /** Posts the answer in the prompt's thread, or edits the earlier reply in place; failures are logged, the answer stays saved. */
  async publishAnswer({ answer, round }: SavedAnswer): Promise<void> {
    if (!round.messageChannelId || !round.messageTs) return;
    const msg = buildDebriefAnswerReply({
      answer,
      afterDigest: round.status === "digested" || round.status === "digesting",
    });
    try {
      if (answer.threadTs) {
        await this.deps.notifier.update(round.messageChannelId, answer.threadTs, msg);
        return;
      }
      const res = await this.deps.notifier.post(round.messageChannelId, msg, { threadTs: round.messageTs });
      await this.deps.debriefs.setAnswerThreadTs(answer.id, res.ts);
    } catch (err) {
      this.deps.log.error(
        { err, roundId: round.id, userId: answer.userId },
        "debrief answer saved but not posted in the thread",
      );
    }
  }

  async updateSettings(teamId: string, settings: DebriefSettings): Promise<Team> {
    return this.deps.teamService.updateSettings(teamId, settings);
  }

  private async openRound(roundId: string): Promise<DebriefRound> {
    const round = await this.deps.debriefs.findRound(roundId);
    if (!round) throw new DomainError("not_found", "That debrief no longer exists.");
    if (!round.messageTs) throw new DomainError("not_found", "That debrief was never opened.");
    return round;
  }

  private async team(id: string): Promise<Team> {
    const team = await this.deps.teams.findById(id);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    return team;
  }
}
