import type { Db } from "../db/client.js";
import { groupBy } from "../db/group-by.js";
import { isRecordNotFound, isUniqueViolation } from "../db/prisma-errors.js";
import { type Decision, ENDING_DECISIONS } from "../mechanisms/mechanism.js";
import { toDecision } from "../mechanisms/mechanism-repository.js";
import type { DecisionInput, Review, ReviewStatus } from "./review.js";

export interface ClaimRequest {
  mechanismId: string;
  /** the occurrence to post now */
  dueAt: Date;
  late: boolean;
  /** earlier occurrences that passed while nobody was running: recorded as missed, never posted */
  missed: Date[];
  /** the mechanism's nextReviewAt as the claimer read it (optimistic concurrency) */
  expectedNextReviewAt: Date;
  nextReviewAt: Date;
  /** when the claim is made (the claimer's clock) */
  at: Date;
}

export interface ReviewRepository {
  /**
   * Claims each occurrence exactly once: inserts its (mechanism, dueAt) row and moves the mechanism's
   * nextReviewAt, a batch per transaction. Returns the reviews this call claimed; a request another
   * tick or process already claimed (or whose mechanism moved or stopped) is left out.
   */
  claimMany(reqs: readonly ClaimRequest[]): Promise<Review[]>;
  /** Claimed occurrences whose reminder is not posted yet, earliest due first; only those claimed before `claimedBefore` when given. */
  listClaimed(limit: number, claimedBefore?: Date): Promise<Review[]>;
  markPosted(id: string, channelId: string, ts: string): Promise<void>;
  /** A claimed reminder that will never be posted (its mechanism was stopped). */
  markMissed(id: string): Promise<void>;
  /** "Skip this one": closes an open (claimed or reminded) occurrence as skipped; false when it was not open. */
  markSkipped(id: string): Promise<boolean>;
  findById(id: string): Promise<Review | null>;
  listByMechanism(mechanismId: string): Promise<Review[]>;
  /**
   * Saves readings and the decision; closes the review; stops the mechanism on "stop". All or
   * nothing. Null when the review was already closed (someone else recorded it first).
   */
  recordDecision(
    input: DecisionInput & { checkpoint: Decision["checkpoint"]; source: Decision["source"]; at: Date },
    signalIds: Partial<Record<string, string>>,
  ): Promise<Decision | null>;
}

type Row = Awaited<ReturnType<Db["review"]["findUniqueOrThrow"]>>;
/** Requests per claim transaction: its OR lists stay far below SQLite's parameter limit. */
const CLAIM_BATCH = 100;
/** Missed rows per insert statement (five parameters each). */
const INSERT_BATCH = 150;
const occurrence = (mechanismId: string, dueAt: Date) => `${mechanismId}@${dueAt.getTime()}`;
const lostRace = (e: unknown): Review[] => {
  if (isUniqueViolation(e)) return [];
  throw e;
};
const toReview = (r: Row): Review => ({ ...r, status: r.status as ReviewStatus });

export class PrismaReviewRepository implements ReviewRepository {
  constructor(private readonly db: Db) {}

  async claimMany(reqs: readonly ClaimRequest[]) {
    // One request per mechanism: the first wins, as it would claiming one by one.
    const seen = new Set<string>();
    const firsts = reqs.filter((r) => !seen.has(r.mechanismId) && seen.add(r.mechanismId));
    const out: Review[] = [];
    for (let i = 0; i < firsts.length; i += CLAIM_BATCH) {
      const batch = firsts.slice(i, i + CLAIM_BATCH);
      try {
        out.push(...(await this.claimBatch(batch)));
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        // A row raced in for one of them (an edit moved a schedule back meanwhile): the batch rolled
        // back whole, so claim each alone and let only that one lose.
        for (const req of batch) out.push(...(await this.claimBatch([req]).catch(lostRace)));
      }
    }
    return out;
  }

  /**
   * One transaction of a handful of statements whatever the batch size (1,000 due reviews used to be
   * 1,000 transactions of seven statements each): move every schedule still as read, mark the earlier
   * open rows, insert the missed and the claimed rows.
   */
  private claimBatch(batch: readonly ClaimRequest[]): Promise<Review[]> {
    return this.db.$transaction(async (tx) => {
      // Optimistic concurrency, set-wise: a schedule moves only if it still holds the instant the
      // claimer read. Requests that read the same instant and move to the same one share a statement.
      const moved = new Set<string>();
      const groups = groupBy(batch, (r) => `${r.expectedNextReviewAt.getTime()}>${r.nextReviewAt.getTime()}`);
      for (const group of groups.values()) {
        const [first] = group;
        if (!first) continue;
        const rows = await tx.mechanism.updateManyAndReturn({
          where: {
            id: { in: group.map((r) => r.mechanismId) },
            status: "active",
            nextReviewAt: first.expectedNextReviewAt,
          },
          data: { nextReviewAt: first.nextReviewAt },
          select: { id: true },
        });
        for (const row of rows) moved.add(row.id);
      }
      const won = batch.filter((r) => moved.has(r.mechanismId));
      if (won.length === 0) return [];
      // The previous reminder went unanswered if it is still open when the next one is due;
      // one that was claimed but never reached the channel was missed, not ignored.
      const earlier = won.map((r) => ({ mechanismId: r.mechanismId, dueAt: { lt: r.dueAt } }));
      await tx.review.updateMany({
        where: { OR: earlier, status: "reminded" },
        data: { status: "unanswered" },
      });
      await tx.review.updateMany({ where: { OR: earlier, status: "claimed" }, data: { status: "missed" } });
      // Occurrences that already have a row (an edit moved the schedule back) are skipped, so the
      // schedule still moves forward instead of failing on the unique key every tick.
      const since = won.map((r) => ({
        mechanismId: r.mechanismId,
        dueAt: { gte: new Date(Math.min(r.dueAt.getTime(), ...r.missed.map((d) => d.getTime()))) },
      }));
      const existing = new Set(
        (await tx.review.findMany({ where: { OR: since }, select: { mechanismId: true, dueAt: true } })).map(
          (r) => occurrence(r.mechanismId, r.dueAt),
        ),
      );
      const missed = won.flatMap((r) =>
        r.missed
          .filter((dueAt) => !existing.has(occurrence(r.mechanismId, dueAt)))
          .map((dueAt) => ({ mechanismId: r.mechanismId, dueAt, status: "missed", createdAt: r.at })),
      );
      for (let i = 0; i < missed.length; i += INSERT_BATCH) {
        await tx.review.createMany({ data: missed.slice(i, i + INSERT_BATCH) });
      }
      const claimed = won.filter((r) => !existing.has(occurrence(r.mechanismId, r.dueAt)));
      if (claimed.length === 0) return [];
      const rows = await tx.review.createManyAndReturn({
        data: claimed.map((r) => ({
          mechanismId: r.mechanismId,
          dueAt: r.dueAt,
          status: "claimed",
          late: r.late,
          createdAt: r.at,
        })),
      });
      // In the requests' order, whatever order the database returned them in.
      const byMechanism = new Map(rows.map((row) => [row.mechanismId, toReview(row)]));
      return claimed.flatMap((r) => byMechanism.get(r.mechanismId) ?? []);
    });
  }

  async listClaimed(limit: number, claimedBefore?: Date) {
    const rows = await this.db.review.findMany({
      where: {
        status: "claimed",
        messageTs: null,
        ...(claimedBefore ? { createdAt: { lt: claimedBefore } } : {}),
      },
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: limit,
    });
    return rows.map(toReview);
  }

  async markPosted(id: string, channelId: string, ts: string) {
    // Two conditional updates because the status only moves from "claimed": a review decided
    // (done) while its reminder was in flight keeps its status but still records the message,
    // so the decision can update the reminder in place.
    await this.db.review.updateMany({
      where: { id, status: "claimed" },
      data: { status: "reminded", messageChannelId: channelId, messageTs: ts },
    });
    await this.db.review.updateMany({
      where: { id, messageTs: null },
      data: { messageChannelId: channelId, messageTs: ts },
    });
  }

  async markMissed(id: string) {
    await this.db.review.updateMany({ where: { id, status: "claimed" }, data: { status: "missed" } });
  }

  async markSkipped(id: string) {
    const { count } = await this.db.review.updateMany({
      where: { id, status: { in: ["claimed", "reminded"] } },
      data: { status: "skipped" },
    });
    return count > 0;
  }

  async findById(id: string) {
    const row = await this.db.review.findUnique({ where: { id } });
    return row ? toReview(row) : null;
  }

  async listByMechanism(mechanismId: string) {
    const rows = await this.db.review.findMany({ where: { mechanismId }, orderBy: { dueAt: "asc" } });
    return rows.map(toReview);
  }

  async recordDecision(
    input: DecisionInput & { checkpoint: Decision["checkpoint"]; source: Decision["source"]; at: Date },
    signalIds: Partial<Record<string, string>>,
  ) {
    const readings = Object.entries(input.readings).flatMap(([kind, value]) => {
      const signalId = signalIds[kind];
      if (signalId === undefined || value === undefined) return [];
      return [
        { signalId, reviewId: input.reviewId, value, recordedBy: input.decidedBy, recordedAt: input.at },
      ];
    });
    const data = {
      mechanismId: input.mechanismId,
      reviewId: input.reviewId,
      decision: input.decision,
      entry: input.entry,
      whatChanged: input.whatChanged,
      whatDidnt: input.whatDidnt,
      why: input.why,
      changeDetail: input.changeDetail,
      checkpoint: input.checkpoint,
      gateReason: input.gateReason,
      source: input.source,
      decidedBy: input.decidedBy,
      decidedAt: input.at,
    };
    // One batch transaction (not an interactive one): this runs before the ack, and a batch is
    // one round of statements. Closing the review is conditional: if someone else recorded it
    // meanwhile it finds no row (P2025) and the whole batch, decision included, rolls back.
    try {
      const [row] = await this.db.$transaction([
        this.db.decision.create({ data }),
        ...(input.reviewId
          ? [
              this.db.review.update({
                where: { id: input.reviewId, status: { not: "done" } },
                data: { status: "done", completedAt: input.at },
              }),
            ]
          : []),
        ...(readings.length > 0 ? [this.db.reading.createMany({ data: readings })] : []),
        ...(ENDING_DECISIONS.has(input.decision)
          ? [
              this.db.mechanism.update({
                where: { id: input.mechanismId },
                data: {
                  status: input.decision === "graduate" ? "graduated" : "stopped",
                  stoppedAt: input.at,
                  nextReviewAt: null,
                },
              }),
            ]
          : []),
      ]);
      return toDecision(row);
    } catch (e) {
      if (input.reviewId && isRecordNotFound(e)) return null;
      throw e;
    }
  }
}
