import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import { guardrailReadings } from "../mechanisms/guardrail.js";
import type {
  BreachDecision,
  Decision,
  GuardrailBreach,
  LatestReadings,
  Mechanism,
} from "../mechanisms/mechanism.js";
import type { DueMechanism, MechanismRepository } from "../mechanisms/mechanism-repository.js";
import { evaluateRule, type MechanismService, reviewSlot } from "../mechanisms/mechanism-service.js";
import type { Announcer, Notices } from "../notices.js";
import type { PeopleRepository } from "../people/people-repository.js";
import { wantsChannel, wantsDm } from "../people/person-prefs.js";
import { addDays, isAwayAt, isQuietDate, nextOpenSlot, type QuietDay } from "../people/quiet-days.js";
import { localDateKey, nextWeeklySlot, slotsBetween } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import {
  type DeliveryHandler,
  enqueueAfterSave,
  type NewDelivery,
  type Outbox,
} from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { yieldToEventLoop } from "../shared/yield.js";
import { assertMayActAsOwner } from "../teams/roles.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import { breachDeciders, breachEntry, breachStopOwner } from "./guardrail-breach.js";
import type { DecisionInput, Review } from "./review.js";
import type { ClaimRequest, ReviewRepository } from "./review-repository.js";

export interface RecordedDecision {
  decision: Decision;
  mechanism: Mechanism;
  review: Review | null;
  checkpointLines: string[];
}

/** What became of a click on a breached guardrail's DM. */
export type BreachOutcome =
  | { kind: "open"; breach: GuardrailBreach; mechanism: Mechanism }
  | { kind: "decided"; breach: GuardrailBreach; mechanism: Mechanism; recorded: RecordedDecision }
  /** someone decided first (or the mechanism had already ended) */
  | { kind: "already"; breach: GuardrailBreach; mechanism: Mechanism }
  /** the clicker may not decide: `deciders` may */
  | { kind: "not_allowed"; deciders: string[] };

/** A reminder posted more than this after its slot says it is late (the bot was down). */
const LATE_AFTER_MS = 15 * 60_000;
const SWEEP_BATCH = 2000;
/** Claims per transaction, and per yield to Slack's acks. */
const CLAIM_BATCH = 100;
const YIELD_EVERY = 25;

/** The outbox key of a review's reminder: one reminder per occurrence. */
export const reminderKey = (reviewId: string) => `review:${reviewId}`;

/** The outbox key of a reminder's copy in its owner's DM (their preference says both). */
const reminderDmKey = (reviewId: string) => `review-dm:${reviewId}`;

/** A review's reminder: it expires when the mechanism's next occurrence comes, when it is moot. */
const reminderDelivery = (
  reviewId: string,
  team: Team,
  expiresAt: Date | null,
  now: Date,
): NewDelivery<"review_due"> => ({
  key: reminderKey(reviewId),
  kind: "review_due",
  ref: { reviewId },
  target: team.channelId,
  teamId: team.id,
  notBefore: now,
  expiresAt,
  at: now,
});

/** A date safely before "today" in any zone: quiet-day reads keep ranges that end from then on. */
const sinceDate = (now: Date) => addDays(now.toISOString().slice(0, 10), -2);

/** What became of "Skip this one": the occurrence moved to `movedTo`, or merged into the next regular one. */
export interface SkippedReview {
  review: Review;
  mechanism: Mechanism;
  movedTo: Date | null;
  nextRegular: Date | null;
  timezone: string;
  by: string;
}
/** The outbox key of a decision's log entry. */
const decisionKey = (decisionId: string) => `decision:${decisionId}`;
/** The outbox key of a breached guardrail's DM to whoever can say stop: one per reading. */
const breachKey = (readingId: string) => `guardrail-breach:${readingId}`;

export class ReviewService {
  constructor(
    private readonly deps: {
      mechanisms: MechanismRepository;
      reviews: ReviewRepository;
      teams: TeamRepository;
      mechanismService: MechanismService;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /** Told after a decision is announced, so rules that read decisions (alarms) can re-check. */
      onDataChanged?: (teamId: string) => Promise<void>;
      /** Reminder preferences and quiet days (src/people/); absent: every reminder goes to the channel. */
      people?: PeopleRepository;
    },
  ) {}

  /**
   * The review job. Claims every due occurrence exactly once and posts its reminder.
   * Catch-up policy: when several occurrences passed while Ratchet was down, only
   * the most recent is posted (marked late); the older ones are recorded as missed.
   * Safe to run twice for the same `now`: the claim is a unique row.
   */
  async sweep(now: Date): Promise<{ claimed: number; queued: number }> {
    const due = await this.deps.mechanisms.findDue(now, SWEEP_BATCH);
    // One read for the teams of everything due, not one per team.
    const teams = new Map(
      due.length === 0
        ? []
        : (await this.deps.teams.findByIds([...new Set(due.map((m) => m.teamId))])).map((t) => [t.id, t]),
    );
    // Holidays of the teams with something due (none read on a quiet tick).
    const quiet =
      due.length > 0 && this.deps.people
        ? await this.deps.people.teamQuietDays([...teams.keys()], sinceDate(now))
        : [];
    const requests: { req: ClaimRequest; team: Team }[] = [];
    for (const [i, m] of due.entries()) {
      // A thousand due at once must not hold Slack's acks for the whole sweep.
      if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
      // One bad row (say, a team with a broken zone) must not stop every other team's reviews.
      try {
        const team = teams.get(m.teamId);
        if (!m.nextReviewAt || !team) continue;
        const req = this.claimRequest(m, m.nextReviewAt, team, now);
        const onHoliday = quiet.filter((q) => q.teamId === team.id);
        if (await this.movedOffHoliday(req, team, onHoliday, now)) continue;
        requests.push({ req, team });
      } catch (err) {
        this.deps.log.error({ err, mechanismId: m.id }, "review not claimed; the others go on");
      }
    }
    let claimed = 0;
    for (let i = 0; i < requests.length; i += CLAIM_BATCH) {
      if (i > 0) await yieldToEventLoop();
      claimed += await this.claimBatch(requests.slice(i, i + CLAIM_BATCH), now);
    }
    const queued = await this.queueReminders(now);
    return { claimed, queued };
  }

  /**
   * An occurrence due on one of its team's quiet days is not claimed (so never missed nor unanswered):
   * the mechanism's next review moves to the next day that isn't quiet, at the same local time, or to
   * its next regular occurrence when that comes first. True when it moved.
   */
  private async movedOffHoliday(req: ClaimRequest, team: Team, quiet: QuietDay[], now: Date) {
    const date = localDateKey(req.dueAt, team.timezone);
    if (!isQuietDate(date, quiet)) return false;
    const moved = nextOpenSlot({
      fromDate: addDays(date, 1),
      time: team.reviewTime,
      tz: team.timezone,
      quiet,
      before: req.nextReviewAt,
    });
    // Back from downtime past the moved day too: the occurrence is held now, as any late one.
    if (moved && moved.getTime() <= now.getTime()) return false;
    await this.deps.mechanisms.setNextReview(req.mechanismId, moved ?? req.nextReviewAt);
    this.deps.log.info(
      { mechanismId: req.mechanismId, dueAt: req.dueAt, movedTo: moved ?? req.nextReviewAt },
      "review falls on a team quiet day: moved",
    );
    return true;
  }

  /** The claim of a mechanism's latest passed occurrence; the ones before it are recorded as missed. */
  private claimRequest(m: DueMechanism, expected: Date, team: Team, now: Date): ClaimRequest {
    const slot = reviewSlot(team, m);
    const occurrences = [expected, ...slotsBetween(slot, expected, now)];
    const dueAt = occurrences[occurrences.length - 1] ?? expected;
    return {
      mechanismId: m.id,
      dueAt,
      late: now.getTime() - dueAt.getTime() > LATE_AFTER_MS,
      missed: occurrences.slice(0, -1),
      expectedNextReviewAt: expected,
      nextReviewAt: nextWeeklySlot(slot, now),
      at: now,
    };
  }

  /** Claims a batch in one transaction and queues the reminders of what it won in one insert. */
  private async claimBatch(batch: { req: ClaimRequest; team: Team }[], now: Date): Promise<number> {
    let reviews: Review[];
    try {
      reviews = await this.deps.reviews.claimMany(batch.map((b) => b.req));
    } catch (err) {
      // Nothing of the batch was claimed (one transaction): the next tick finds them all due again.
      const mechanismIds = batch.map((b) => b.req.mechanismId);
      this.deps.log.error({ err, mechanismIds }, "reviews not claimed; the next tick retries them");
      return 0;
    }
    const byMechanism = new Map(batch.map((b) => [b.req.mechanismId, b]));
    const claimed = reviews.flatMap((review) => {
      const b = byMechanism.get(review.mechanismId);
      if (!b) return [];
      const missed = b.req.missed.length;
      this.deps.log.info(
        { mechanismId: review.mechanismId, reviewId: review.id, dueAt: review.dueAt, missed },
        "review claimed",
      );
      return [{ review, team: b.team, expiresAt: b.req.nextReviewAt }];
    });
    // Queued at once, with what is at hand; the next tick's queueReminders heals a failure or a crash in between.
    await this.remindersFor(claimed, now)
      .then((reminders) => this.deps.outbox.enqueueMany(reminders))
      .catch((err: unknown) =>
        this.deps.log.warn(
          { err, reviews: claimed.length },
          "reminders not queued yet; the next tick queues them",
        ),
      );
    return reviews.length;
  }

  /**
   * Queues the reminder of every claimed occurrence that has none yet (idempotent: the delivery key is
   * the review's id). Run after claiming, so a crash between a claim and its enqueue heals on the next
   * tick. The reminder expires when the mechanism's next occurrence comes: then this one is moot.
   */
  async queueReminders(now: Date): Promise<number> {
    // Only what earlier ticks claimed: this sweep's claims were just queued (or warned about, and
    // healed on the next tick), and re-reading a thousand of them only to find them queued cost more
    // than the claims themselves.
    const claimed = await this.deps.reviews.listClaimed(SWEEP_BATCH, now);
    if (claimed.length === 0) return 0;
    const queued = await this.deps.outbox.statuses(claimed.map((r) => reminderKey(r.id)));
    let count = 0;
    for (const review of claimed.filter((r) => !queued.has(reminderKey(r.id)))) {
      try {
        const { mechanism, team } = await this.deps.mechanismService.getWithTeam(review.mechanismId);
        const reminders = await this.remindersFor([{ review, team, expiresAt: mechanism.nextReviewAt }], now);
        let fresh = false;
        for (const r of reminders) fresh = (await this.deps.outbox.enqueue(r)) || fresh;
        if (fresh) count++;
      } catch (err) {
        this.deps.log.error(
          { err, reviewId: review.id },
          "review reminder not queued; the next tick retries",
        );
      }
    }
    return count;
  }

  /**
   * Where each claimed review's reminder goes, by its owner's preference (src/people/): the channel, a
   * DM, or both (the DM a copy, keyed apart). An owner away today gets no DM: a DM-only reminder goes
   * to the channel instead, so the review still reaches the team. One read each for owners, prefs
   * and time away, whatever the batch size.
   */
  private async remindersFor(
    claimed: readonly { review: Review; team: Team; expiresAt: Date | null }[],
    now: Date,
  ): Promise<NewDelivery<"review_due">[]> {
    const people = this.deps.people;
    const channelOnly = () => claimed.map((c) => reminderDelivery(c.review.id, c.team, c.expiresAt, now));
    if (!people || claimed.length === 0) return channelOnly();
    const audience = await people.reviewAudience(claimed.map((c) => c.review.mechanismId));
    const byMechanism = new Map(audience.map((a) => [a.mechanismId, a]));
    const workspaces = groupOwners(audience);
    const prefs = new Map<string, Awaited<ReturnType<PeopleRepository["prefsOf"]>>[number]>();
    const away = new Set<string>();
    for (const [slackTeamId, owners] of workspaces) {
      for (const p of await people.prefsOf(slackTeamId, owners)) prefs.set(`${slackTeamId}/${p.userId}`, p);
      const wanting = owners.filter((o) => prefs.has(`${slackTeamId}/${o}`));
      const times = await people.awayOf(slackTeamId, wanting, sinceDate(now));
      for (const o of wanting) {
        if (
          isAwayAt(
            now,
            times.filter((t) => t.userId === o),
          )
        )
          away.add(`${slackTeamId}/${o}`);
      }
    }
    return claimed.flatMap((c) => {
      const base = reminderDelivery(c.review.id, c.team, c.expiresAt, now);
      const a = byMechanism.get(c.review.mechanismId);
      const who = a ? `${a.slackTeamId}/${a.owner}` : "";
      const way = prefs.get(who)?.reviewReminder ?? "channel";
      if (!a || !wantsDm(way) || away.has(who)) return [base];
      if (!wantsChannel(way)) return [{ ...base, target: a.owner }];
      return [
        base,
        {
          ...base,
          key: reminderDmKey(c.review.id),
          target: a.owner,
          ref: { reviewId: c.review.id, dmTo: a.owner },
        },
      ];
    });
  }

  /** The reminder's delivery: drawn from the review as it is when sent; cancelled once it is moot. */
  readonly reminderHandler: DeliveryHandler<"review_due", Notices["review_due"]> = {
    resolve: async ({ reviewId, dmTo }, now) => {
      const review = await this.deps.reviews.findById(reviewId);
      // Decided before its reminder went out, or already missed: nothing to remind about.
      if (review?.status !== "claimed") return null;
      const mechanism = await this.deps.mechanisms.findById(review.mechanismId);
      const team = mechanism ? await this.deps.teams.findById(mechanism.teamId) : null;
      if (!mechanism || !team || mechanism.status !== "active") {
        if (!dmTo) await this.deps.reviews.markMissed(review.id);
        return null;
      }
      // A DM copy is not sent while its person is away (the channel's reminder still goes).
      if (dmTo && this.deps.people) {
        const away = await this.deps.people.awayOf(team.slackTeamId, [dmTo], sinceDate(now));
        if (isAwayAt(now, away)) return null;
      }
      return { mechanism, reviewId, dueAt: review.dueAt, timezone: team.timezone, late: review.late };
    },
    // The channel's reminder (or the DM-only one) is the review's message; a DM copy is not.
    delivered: ({ reviewId, dmTo }, where) =>
      dmTo ? Promise.resolve() : this.deps.reviews.markPosted(reviewId, where.channel, where.ts),
  };

  /**
   * "Skip this one": the open occurrence is closed as skipped (never counted as missed or unanswered)
   * and moves to the next day after it that is no team quiet day, at the slot's local time — or merges
   * into the next regular occurrence when that comes first. Anyone who sees the reminder may skip it.
   */
  async skip(reviewId: string, by: string): Promise<SkippedReview> {
    const review = await this.deps.reviews.findById(reviewId);
    if (!review) throw new DomainError("not_found", "That review no longer exists.");
    const { mechanism, team } = await this.deps.mechanismService.getWithTeam(review.mechanismId);
    this.assertOpen(review, mechanism);
    if (review.status === "skipped")
      throw new DomainError("already_done", "This review was already skipped.");
    const now = this.deps.clock.now();
    const quiet = this.deps.people ? await this.deps.people.teamQuietDays([team.id], sinceDate(now)) : [];
    const nextRegular = mechanism.nextReviewAt;
    const movedTo = nextOpenSlot({
      fromDate: addDays(localDateKey(review.dueAt, team.timezone), 1),
      time: team.reviewTime,
      tz: team.timezone,
      quiet,
      before: nextRegular,
    });
    if (!(await this.deps.reviews.markSkipped(review.id))) {
      throw new DomainError("already_done", "This review was already recorded or skipped.");
    }
    if (movedTo && movedTo.getTime() > now.getTime())
      await this.deps.mechanisms.setNextReview(mechanism.id, movedTo);
    this.deps.log.info({ reviewId, by, movedTo }, "review skipped");
    return { review, mechanism, movedTo, nextRegular, timezone: team.timezone, by };
  }

  /** After the ack: the reminder (and the copy clicked, if another) says who skipped and where it went. */
  async announceSkip(s: SkippedReview, clicked: { channel: string; ts: string } | null): Promise<void> {
    const posted =
      s.review.messageChannelId && s.review.messageTs
        ? { channel: s.review.messageChannelId, ts: s.review.messageTs }
        : null;
    const places = [posted, clicked].filter(
      (p, i, all): p is { channel: string; ts: string } =>
        p !== null && all.findIndex((q) => q?.channel === p.channel && q.ts === p.ts) === i,
    );
    const notice = {
      mechanism: s.mechanism,
      dueAt: s.review.dueAt,
      movedTo: s.movedTo,
      nextRegular: s.nextRegular,
      timezone: s.timezone,
      by: s.by,
    };
    for (const at of places) {
      await this.deps.announcer
        .edit(at, "review_skipped", notice)
        .catch((err: unknown) =>
          this.deps.log.error({ err, reviewId: s.review.id }, "skip saved but not shown"),
        );
    }
  }

  async openContext(reviewId: string): Promise<{
    review: Review;
    mechanism: Mechanism;
    latestReadings: LatestReadings;
  }> {
    const review = await this.deps.reviews.findById(reviewId);
    if (!review) throw new DomainError("not_found", "That review no longer exists.");
    const { mechanism } = await this.deps.mechanismService.getWithTeam(review.mechanismId);
    this.assertOpen(review, mechanism);
    return { review, mechanism, latestReadings: await this.deps.mechanisms.latestReadings(mechanism.id) };
  }

  /**
   * Records a continue / change / stop decision, from a review or from /ratchet log, and queues its
   * log entry (in the one-pager's thread when that is posted). Only database writes happen here, so a
   * listener can answer Slack within its 3 seconds; `announce` edits the posted messages afterwards.
   */
  async decide(
    input: DecisionInput,
    loaded?: Mechanism,
    surface: AuditSurface = "modal",
  ): Promise<RecordedDecision> {
    const now = this.deps.clock.now();
    // Before the ack every query counts: reuse the mechanism the listener already read.
    const [mechanism, review] = await Promise.all([
      loaded?.id === input.mechanismId ? loaded : this.deps.mechanismService.get(input.mechanismId),
      input.reviewId ? this.deps.reviews.findById(input.reviewId) : null,
    ]);
    if (input.reviewId && !review) throw new DomainError("not_found", "That review no longer exists.");
    if (review) this.assertOpen(review, mechanism);
    else if (mechanism.status !== "active") {
      throw new DomainError("already_done", `“${mechanism.title}” was already ${mechanism.status}.`);
    }
    // Anyone logs continue or change; a stop outside its review is the owners' call (or an admin's).
    const team = await this.deps.teams.findById(mechanism.teamId);
    if (!team) throw new DomainError("not_found", "That mechanism's team no longer exists.");
    if (input.decision === "stop" && !review) {
      assertMayActAsOwner(team, mechanism, input.decidedBy, "stop", "decision");
    }
    const evaluation = evaluateRule(mechanism, input.readings);
    // Continuing past a failed gate is allowed, but never silently (playbook: "continue if …").
    const againstGate = input.decision === "continue" && evaluation.result === "fail";
    if (againstGate && !input.gateReason.trim()) {
      throw new DomainError(
        "invalid_input",
        "The checkpoint fails on these readings. To continue anyway, say why — it's logged as continued against its gate.",
        "gateReason",
      );
    }
    // Readings are keyed by signal id; only the mechanism's current signals take one.
    const signalIds = Object.fromEntries(mechanism.signals.map((s) => [s.id, s.id]));
    const decision = await this.deps.reviews.recordDecision(
      {
        ...input,
        gateReason: againstGate ? input.gateReason.trim() : "",
        checkpoint: evaluation.result,
        source: review ? "review" : "command",
        at: now,
      },
      signalIds,
    );
    if (!decision) throw new DomainError("already_done", "This review was already recorded by someone else.");
    // Beside the signals' readings: each guardrail's, and whether it crossed its line (issue 11).
    const guardrailRows = await this.deps.mechanisms.recordGuardrailReadings(
      guardrailReadings(mechanism.guardrails ?? [], input.guardrailReadings ?? {}),
      { reviewId: input.reviewId, by: input.decidedBy, at: now },
    );
    this.deps.log.info({ mechanismId: mechanism.id, decision: decision.decision }, "decision recorded");
    const ends = decision.decision === "stop" || decision.decision === "graduate";
    await this.deps.mechanismService.audit(
      team,
      mechanism.id,
      { userId: input.decidedBy, surface },
      decision.decision === "stop" ? "stopped" : `decided: ${decision.decision}`,
      { status: mechanism.status },
      {
        status: ends ? (decision.decision === "stop" ? "stopped" : "graduated") : mechanism.status,
        entry: decision.entry,
      },
    );
    // Threaded under the one-pager once it is posted; before that (its post still queued), top level.
    const target =
      mechanism.messageChannelId ?? (await this.deps.teams.findById(mechanism.teamId))?.channelId;
    if (target) {
      await enqueueAfterSave(this.deps.outbox, this.deps.log, {
        key: decisionKey(decision.id),
        kind: "decision_entry",
        ref: { decisionId: decision.id, checkpointLines: evaluation.lines },
        target,
        teamId: mechanism.teamId,
        threadTs: mechanism.messageTs,
        notBefore: now,
        at: now,
      });
    }
    // A breach is a signal: whoever can say stop is asked to decide (moot when this decision stops it).
    if (decision.decision !== "stop" && decision.decision !== "graduate") {
      for (const r of guardrailRows.filter((row) => row.breached)) {
        const guardrail = mechanism.guardrails?.find((g) => g.id === r.guardrailId);
        const to = guardrail ? breachStopOwner({ guardrail }, mechanism) : null;
        if (!to) continue;
        await enqueueAfterSave(this.deps.outbox, this.deps.log, {
          key: breachKey(r.id),
          kind: "guardrail_breach",
          ref: { readingId: r.id },
          target: to,
          teamId: mechanism.teamId,
          notBefore: now,
          at: now,
        });
      }
    }
    return { decision, mechanism, review, checkpointLines: evaluation.lines };
  }

  /** The breach DM, drawn from the reading as it is when sent; moot once decided or the mechanism ended. */
  readonly breachHandler: DeliveryHandler<"guardrail_breach", Notices["guardrail_breach"]> = {
    resolve: async ({ readingId }) => {
      const breach = await this.deps.mechanisms.findGuardrailBreach(readingId);
      const mechanism = breach ? await this.deps.mechanisms.findById(breach.mechanismId) : null;
      if (!breach || !mechanism || breach.decision !== null || mechanism.status !== "active") return null;
      return { mechanism, breach };
    },
  };

  /** Whether `by` may decide this breach now (the Keep going button asks before its modal opens). */
  async breachFor(readingId: string, by: string): Promise<Exclude<BreachOutcome, { kind: "decided" }>> {
    const breach = await this.deps.mechanisms.findGuardrailBreach(readingId);
    if (!breach) throw new DomainError("not_found", "That guardrail reading no longer exists.");
    const mechanism = await this.deps.mechanismService.get(breach.mechanismId);
    const deciders = breachDeciders(breach, mechanism);
    if (!deciders.includes(by)) return { kind: "not_allowed", deciders };
    if (breach.decision !== null || mechanism.status !== "active")
      return { kind: "already", breach, mechanism };
    return { kind: "open", breach, mechanism };
  }

  /**
   * Stop now / Keep going on a breached guardrail: claimed on the reading (a second click, or a second
   * person, finds it decided), then logged as a decision: a stop ends the mechanism; a continue carries
   * the reason (as its gate reason too, should the checkpoint fail). Database writes only; `announceBreach`
   * redraws after the ack.
   */
  async decideBreach(o: {
    readingId: string;
    decision: BreachDecision;
    reason: string;
    by: string;
  }): Promise<BreachOutcome> {
    const found = await this.breachFor(o.readingId, o.by);
    if (found.kind !== "open") return found;
    const reason = o.reason.trim();
    if (o.decision === "continue" && !reason) {
      throw new DomainError("invalid_input", "Say why it should keep going past its guardrail.", "reason");
    }
    const now = this.deps.clock.now();
    const claimed = await this.deps.mechanisms.decideGuardrailBreach(o.readingId, {
      decision: o.decision,
      reason,
      by: o.by,
      at: now,
    });
    const breach = await this.deps.mechanisms.findGuardrailBreach(o.readingId);
    if (!breach) throw new DomainError("not_found", "That guardrail reading no longer exists.");
    if (!claimed) return { kind: "already", breach, mechanism: found.mechanism };
    const recorded = await this.decide(
      {
        mechanismId: found.mechanism.id,
        reviewId: null,
        decision: o.decision,
        entry: breachEntry(breach, o.decision, reason),
        whatChanged: "",
        whatDidnt: "",
        why: reason,
        changeDetail: "",
        gateReason: reason,
        readings: {},
        decidedBy: o.by,
      },
      found.mechanism,
      o.decision === "stop" ? "button" : "modal",
    );
    return { kind: "decided", breach, mechanism: recorded.mechanism, recorded };
  }

  /** After the ack: the DM shows the outcome, and the decision reaches the one-pager and the alarms. */
  async announceBreach(outcome: BreachOutcome, dm: { channel: string; ts: string } | null): Promise<void> {
    if (outcome.kind !== "decided" && outcome.kind !== "already") return;
    try {
      // A breach left undecided (its mechanism ended another way) keeps its DM as it is.
      if (dm && outcome.breach.decision !== null) {
        await this.deps.announcer.edit(dm, "guardrail_breach", {
          mechanism: outcome.mechanism,
          breach: outcome.breach,
        });
      }
    } catch (err) {
      this.deps.log.error(
        { err, readingId: outcome.breach.readingId },
        "breach decided but its DM not redrawn",
      );
    }
    if (outcome.kind === "decided") await this.announce(outcome.recorded);
  }

  /** The decision's log entry, drawn from the decision and the mechanism as they are when sent. */
  readonly decisionHandler: DeliveryHandler<"decision_entry", Notices["decision_entry"]> = {
    resolve: async ({ decisionId, checkpointLines }) => {
      const decision = await this.deps.mechanisms.findDecision(decisionId);
      const mechanism = decision ? await this.deps.mechanisms.findById(decision.mechanismId) : null;
      if (!decision || !mechanism) return null;
      return { mechanism, decision, checkpointLines };
    },
  };

  private assertOpen(review: Review, mechanism: Mechanism) {
    if (review.status === "done") throw new DomainError("already_done", "This review was already recorded.");
    if (mechanism.status !== "active") {
      throw new DomainError(
        "already_done",
        `“${mechanism.title}” was ${mechanism.status}, so it has no more reviews.`,
      );
    }
  }

  /**
   * After the ack: the one-pager shows the decision, and the reminder says "Review held" (when it was
   * posted). The entry itself was queued with the decision. Failures are logged, never lose the decision.
   */
  async announce(r: RecordedDecision): Promise<void> {
    const { mechanism: m, decision: d, review } = r;
    try {
      await this.deps.mechanismService.publish(m.id);
      const team = review?.messageTs ? await this.deps.teams.findById(m.teamId) : null;
      if (team && review?.messageChannelId && review.messageTs) {
        await this.deps.announcer.edit(
          { channel: review.messageChannelId, ts: review.messageTs },
          "review_done",
          { mechanism: m, decision: d, dueAt: review.dueAt, timezone: team.timezone },
        );
      }
    } catch (err) {
      this.deps.log.error(
        { err, mechanismId: m.id, decisionId: d.id },
        "decision saved but not announced in Slack",
      );
    }
    // Not awaited: the alarm re-check settles on its own time and must not hold this announcement.
    void this.deps.onDataChanged?.(m.teamId);
  }
}

/** The owners of a batch, by workspace. */
function groupOwners(audience: readonly { slackTeamId: string; owner: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of audience) {
    const list = out.get(a.slackTeamId) ?? [];
    if (!list.includes(a.owner)) list.push(a.owner);
    out.set(a.slackTeamId, list);
  }
  return out;
}
