import type { Db } from "../db/client.js";
import { isRecordNotFound, isUniqueViolation } from "../db/prisma-errors.js";
import type { Decision } from "../mechanisms/mechanism.js";
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
   * Claims an occurrence exactly once: inserts the (mechanism, dueAt) row and
   * moves the mechanism's nextReviewAt in one transaction. Returns null when
   * another tick or process already claimed it.
   */
  claim(req: ClaimRequest): Promise<Review | null>;
  /** Claimed occurrences whose reminder is not posted yet, earliest due first. */
  listClaimed(limit: number): Promise<Review[]>;
  markPosted(id: string, channelId: string, ts: string): Promise<void>;
  /** A claimed reminder that will never be posted (its mechanism was stopped). */
  markMissed(id: string): Promise<void>;
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
const toReview = (r: Row): Review => ({ ...r, status: r.status as ReviewStatus });

export class PrismaReviewRepository implements ReviewRepository {
  constructor(private readonly db: Db) {}

  async claim(req: ClaimRequest) {
    try {
      return await this.db.$transaction(async (tx) => {
        const moved = await tx.mechanism.updateMany({
          where: { id: req.mechanismId, status: "active", nextReviewAt: req.expectedNextReviewAt },
          data: { nextReviewAt: req.nextReviewAt },
        });
        if (moved.count !== 1) return null;
        // The previous reminder went unanswered if it is still open when the next one is due;
        // one that was claimed but never reached the channel was missed, not ignored.
        const earlier = { mechanismId: req.mechanismId, dueAt: { lt: req.dueAt } };
        await tx.review.updateMany({
          where: { ...earlier, status: "reminded" },
          data: { status: "unanswered" },
        });
        await tx.review.updateMany({ where: { ...earlier, status: "claimed" }, data: { status: "missed" } });
        // Occurrences that already have a row (an edit moved the schedule back) are skipped, so
        // the schedule still moves forward instead of failing on the unique key every tick.
        const existing = new Set(
          (
            await tx.review.findMany({
              where: { mechanismId: req.mechanismId, dueAt: { in: [...req.missed, req.dueAt] } },
              select: { dueAt: true },
            })
          ).map((r) => r.dueAt.getTime()),
        );
        for (const dueAt of req.missed) {
          if (existing.has(dueAt.getTime())) continue;
          await tx.review.create({
            data: { mechanismId: req.mechanismId, dueAt, status: "missed", createdAt: req.at },
          });
        }
        if (existing.has(req.dueAt.getTime())) return null;
        const row = await tx.review.create({
          data: {
            mechanismId: req.mechanismId,
            dueAt: req.dueAt,
            status: "claimed",
            late: req.late,
            createdAt: req.at,
          },
        });
        return toReview(row);
      });
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  async listClaimed(limit: number) {
    const rows = await this.db.review.findMany({
      where: { status: "claimed", messageTs: null },
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
        ...(input.decision === "stop"
          ? [
              this.db.mechanism.update({
                where: { id: input.mechanismId },
                data: { status: "stopped", stoppedAt: input.at, nextReviewAt: null },
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
