import type { Logger } from "pino";
import type { Decision, Mechanism, Reading, SignalKind } from "../mechanisms/mechanism.js";
import type { MechanismRepository } from "../mechanisms/mechanism-repository.js";
import { evaluateRule, type MechanismService, reviewSlot } from "../mechanisms/mechanism-service.js";
import { nextWeeklySlot, slotsBetween } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import { postOnce } from "../shared/post-once.js";
import { localLabel } from "../shared/time-format.js";
import { buildDecisionEntry, buildReviewDone, buildReviewReminder } from "../slack/blocks/review.js";
import type { Notifier } from "../slack/notifier.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type { DecisionInput, Review } from "./review.js";
import type { ReviewRepository } from "./review-repository.js";

export interface RecordedDecision {
  decision: Decision;
  mechanism: Mechanism;
  review: Review | null;
  checkpointLines: string[];
}

/** A reminder posted more than this after its slot says it is late (the bot was down). */
const LATE_AFTER_MS = 15 * 60_000;
const MAX_POST_ATTEMPTS = 5;
const SWEEP_BATCH = 200;

export class ReviewService {
  constructor(
    private readonly deps: {
      mechanisms: MechanismRepository;
      reviews: ReviewRepository;
      teams: TeamRepository;
      mechanismService: MechanismService;
      clock: Clock;
      notifier: Notifier;
      log: Logger;
      /** Told after a decision is announced, so rules that read decisions (alarms) can re-check. */
      onDataChanged?: (teamId: string) => Promise<void>;
    },
  ) {}

  /**
   * The review job. Claims every due occurrence exactly once and posts its reminder.
   * Catch-up policy: when several occurrences passed while Ratchet was down, only
   * the most recent is posted (marked late); the older ones are recorded as missed.
   * Safe to run twice for the same `now`: the claim is a unique row.
   */
  async sweep(now: Date): Promise<{ claimed: number; posted: number }> {
    const teams = new Map<string, Team | null>();
    let claimed = 0;
    for (const m of await this.deps.mechanisms.findDue(now, SWEEP_BATCH)) {
      // One bad row (say, a team with a broken zone) must not stop every other team's reviews.
      try {
        if (!m.nextReviewAt) continue;
        if (!teams.has(m.teamId)) teams.set(m.teamId, await this.deps.teams.findById(m.teamId));
        const team = teams.get(m.teamId);
        if (!team) continue;
        const slot = reviewSlot(team, m);
        const occurrences = [m.nextReviewAt, ...slotsBetween(slot, m.nextReviewAt, now)];
        const dueAt = occurrences[occurrences.length - 1] ?? m.nextReviewAt;
        const review = await this.deps.reviews.claim({
          mechanismId: m.id,
          dueAt,
          late: now.getTime() - dueAt.getTime() > LATE_AFTER_MS,
          missed: occurrences.slice(0, -1),
          expectedNextReviewAt: m.nextReviewAt,
          nextReviewAt: nextWeeklySlot(slot, now),
          at: now,
        });
        if (review) {
          claimed++;
          this.deps.log.info(
            { mechanismId: m.id, reviewId: review.id, dueAt, missed: occurrences.length - 1 },
            "review claimed",
          );
        }
      } catch (err) {
        this.deps.log.error({ err, mechanismId: m.id }, "review not claimed; the others go on");
      }
    }
    const posted = await this.postPending(now);
    return { claimed, posted };
  }

  /** Posts claimed reminders not yet posted; a Slack error leaves them for the next tick. */
  async postPending(now: Date): Promise<number> {
    let posted = 0;
    for (const review of await this.deps.reviews.listUnposted(SWEEP_BATCH, MAX_POST_ATTEMPTS)) {
      if (!(await this.deps.reviews.markPosting(review.id, now))) continue;
      // Stopped between the claim and this post: there is nothing left to review.
      const current = await this.deps.mechanisms.findById(review.mechanismId);
      if (!current || current.status === "stopped") {
        await this.deps.reviews.markMissed(review.id);
        continue;
      }
      const ok = await postOnce({
        send: async () => {
          const { mechanism, team } = await this.deps.mechanismService.getWithTeam(review.mechanismId);
          const msg = buildReviewReminder({
            mechanism,
            reviewId: review.id,
            dueLabel: localLabel(review.dueAt, team.timezone),
            late: review.late,
          });
          return this.deps.notifier.post(team.channelId, msg);
        },
        record: (res) => this.deps.reviews.markPosted(review.id, res.channel, res.ts),
        release: () => this.deps.reviews.markPostFailed(review.id),
        log: this.deps.log,
        what: "review reminder",
        context: { reviewId: review.id },
      });
      if (ok) posted++;
    }
    return posted;
  }

  async openContext(reviewId: string): Promise<{
    review: Review;
    mechanism: Mechanism;
    latestReadings: Partial<Record<SignalKind, Reading>>;
  }> {
    const review = await this.deps.reviews.findById(reviewId);
    if (!review) throw new DomainError("not_found", "That review no longer exists.");
    const { mechanism } = await this.deps.mechanismService.getWithTeam(review.mechanismId);
    this.assertOpen(review, mechanism);
    return { review, mechanism, latestReadings: await this.deps.mechanisms.latestReadings(mechanism.id) };
  }

  /**
   * Records a continue / change / stop decision, from a review or from /ratchet log.
   * Only the database write happens here, so a listener can answer Slack within
   * its 3 seconds; `announce` does the Slack side afterwards.
   */
  async decide(input: DecisionInput, loaded?: Mechanism): Promise<RecordedDecision> {
    const now = this.deps.clock.now();
    // Before the ack every query counts: reuse the mechanism the listener already read.
    const [mechanism, review] = await Promise.all([
      loaded?.id === input.mechanismId ? loaded : this.deps.mechanismService.get(input.mechanismId),
      input.reviewId ? this.deps.reviews.findById(input.reviewId) : null,
    ]);
    if (input.reviewId && !review) throw new DomainError("not_found", "That review no longer exists.");
    if (review) this.assertOpen(review, mechanism);
    else if (mechanism.status === "stopped") {
      throw new DomainError("already_done", `“${mechanism.title}” was already stopped.`);
    }
    const evaluation = evaluateRule(mechanism, input.readings);
    const signalIds = Object.fromEntries(mechanism.signals.map((s) => [s.kind, s.id]));
    const decision = await this.deps.reviews.recordDecision(
      { ...input, checkpoint: evaluation.result, source: review ? "review" : "command", at: now },
      signalIds,
    );
    if (!decision) throw new DomainError("already_done", "This review was already recorded by someone else.");
    this.deps.log.info({ mechanismId: mechanism.id, decision: decision.decision }, "decision recorded");
    return { decision, mechanism, review, checkpointLines: evaluation.lines };
  }

  private assertOpen(review: Review, mechanism: Mechanism) {
    if (review.status === "done") throw new DomainError("already_done", "This review was already recorded.");
    if (mechanism.status === "stopped") {
      throw new DomainError("already_done", `“${mechanism.title}” was stopped, so it has no more reviews.`);
    }
  }

  /** Slack side effects after the decision is safely stored; failures are logged, never lose the decision. */
  async announce(r: RecordedDecision): Promise<void> {
    const { mechanism: m, decision: d, checkpointLines: lines, review } = r;
    const { notifier, log, mechanismService } = this.deps;
    try {
      const team = await this.deps.teams.findById(m.teamId);
      if (!team) return;
      await mechanismService.publish(m.id);
      const fresh = await this.deps.mechanisms.findById(m.id);
      const entry = buildDecisionEntry({ mechanism: fresh ?? m, decision: d, checkpointLines: lines });
      await notifier.post(fresh?.messageChannelId ?? team.channelId, entry, {
        ...(fresh?.messageTs ? { threadTs: fresh.messageTs } : {}),
      });
      if (review?.messageChannelId && review.messageTs) {
        await notifier.update(
          review.messageChannelId,
          review.messageTs,
          buildReviewDone({ mechanism: m, decision: d, dueLabel: localLabel(review.dueAt, team.timezone) }),
        );
      }
    } catch (err) {
      log.error({ err, mechanismId: m.id, decisionId: d.id }, "decision saved but not announced in Slack");
    }
    // Not awaited: the alarm re-check settles on its own time and must not hold this announcement.
    void this.deps.onDataChanged?.(m.teamId);
  }
}
