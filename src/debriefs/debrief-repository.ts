import type { NewAuditEntry } from "../audit/audit-entry.js";
import { insertAuditEntry } from "../audit/audit-repository.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import type {
  DebriefAnswer,
  DebriefAnswerInput,
  DebriefRound,
  DebriefRoundStatus,
  RoundWindow,
} from "./debrief.js";

export interface DebriefRepository {
  /** Every team's rounds prompted at or after `since`, for deciding whether this week is claimed. */
  roundsSince(since: Date): Promise<DebriefRound[]>;
  /** Inserts the week's round; null when another tick or process already did (the unique row is the claim). */
  createRound(
    teamId: string,
    w: RoundWindow,
    status: "pending" | "skipped",
    at: Date,
  ): Promise<DebriefRound | null>;
  listPending(limit: number): Promise<DebriefRound[]>;
  /** pending → open with the prompt's message (the prompt was delivered). */
  markPosted(id: string, channelId: string, ts: string): Promise<void>;
  /** Rounds whose prompt never went out before their digest time become skipped; returns how many. */
  skipUnpostedPast(now: Date): Promise<number>;
  listDueDigests(now: Date, limit: number): Promise<DebriefRound[]>;
  /** Rounds still waiting for a digest whose digest time is before `cutoff` become skipped. */
  expireDigests(cutoff: Date): Promise<number>;
  /** open → digested with the digest's ts. */
  markDigested(id: string, ts: string): Promise<void>;
  listDueNudges(now: Date, limit: number): Promise<DebriefRound[]>;
  /** Sets nudgedAt if still unset; only the caller that gets true sends the DMs. */
  claimNudge(id: string, at: Date): Promise<boolean>;
  findRound(id: string): Promise<DebriefRound | null>;
  findAnswer(roundId: string, userId: string): Promise<DebriefAnswer | null>;
  upsertAnswer(roundId: string, userId: string, input: DebriefAnswerInput, at: Date): Promise<DebriefAnswer>;
  setAnswerThreadTs(answerId: string, ts: string): Promise<void>;
  listAnswers(roundId: string): Promise<DebriefAnswer[]>;
  /** Everyone who shared in the team's `rounds` most recent rounds. */
  recentSharers(teamId: string, rounds: number): Promise<string[]>;
  /** Owners of the team's active mechanisms. */
  mechanismOwners(teamId: string): Promise<string[]>;
  /** Who asked the team's debrief not to nudge them ("Stop nudging me"). */
  nudgeOptOuts(teamId: string): Promise<string[]>;
  /** Records (optedOut true) or lifts a person's opt-out; idempotent either way. */
  /**
   * `audit` is written only when the choice changed a row; turning nudges back on deletes the opt-out,
   * so there it is written in the delete's transaction: both or neither.
   */
  setNudgeOptOut(
    teamId: string,
    userId: string,
    optedOut: boolean,
    at: Date,
    audit?: NewAuditEntry | null,
  ): Promise<void>;
}

type RoundRow = Awaited<ReturnType<Db["debriefRound"]["findUniqueOrThrow"]>>;
const toRound = (r: RoundRow): DebriefRound => ({
  id: r.id,
  teamId: r.teamId,
  promptAt: r.promptAt,
  digestAt: r.digestAt,
  nudgeAt: r.nudgeAt,
  localDate: r.localDate,
  status: r.status as DebriefRoundStatus,
  messageChannelId: r.messageChannelId,
  messageTs: r.messageTs,
  digestTs: r.digestTs,
  nudgedAt: r.nudgedAt,
});

export class PrismaDebriefRepository implements DebriefRepository {
  constructor(private readonly db: Db) {}

  async roundsSince(since: Date) {
    const rows = await this.db.debriefRound.findMany({ where: { promptAt: { gte: since } } });
    return rows.map(toRound);
  }

  async createRound(teamId: string, w: RoundWindow, status: "pending" | "skipped", at: Date) {
    try {
      const row = await this.db.debriefRound.create({
        data: {
          teamId,
          promptAt: w.promptAt,
          digestAt: w.digestAt,
          nudgeAt: w.nudgeAt,
          localDate: w.localDate,
          status,
          createdAt: at,
        },
      });
      return toRound(row);
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  async listPending(limit: number) {
    const rows = await this.db.debriefRound.findMany({
      where: { status: "pending" },
      orderBy: { promptAt: "asc" },
      take: limit,
    });
    return rows.map(toRound);
  }

  async markPosted(id: string, channelId: string, ts: string) {
    await this.db.debriefRound.updateMany({
      where: { id, status: "pending" },
      data: { status: "open", messageChannelId: channelId, messageTs: ts },
    });
  }

  async skipUnpostedPast(now: Date) {
    const r = await this.db.debriefRound.updateMany({
      where: { status: "pending", digestAt: { lte: now } },
      data: { status: "skipped" },
    });
    return r.count;
  }

  async listDueDigests(now: Date, limit: number) {
    const rows = await this.db.debriefRound.findMany({
      where: { status: "open", digestAt: { lte: now } },
      orderBy: { digestAt: "asc" },
      take: limit,
    });
    return rows.map(toRound);
  }

  async expireDigests(cutoff: Date) {
    const r = await this.db.debriefRound.updateMany({
      where: { status: "open", digestAt: { lt: cutoff } },
      data: { status: "skipped" },
    });
    return r.count;
  }

  async markDigested(id: string, ts: string) {
    await this.db.debriefRound.updateMany({
      where: { id, status: "open" },
      data: { status: "digested", digestTs: ts },
    });
  }

  async listDueNudges(now: Date, limit: number) {
    const rows = await this.db.debriefRound.findMany({
      where: { status: "open", nudgedAt: null, nudgeAt: { lte: now }, digestAt: { gt: now } },
      orderBy: { nudgeAt: "asc" },
      take: limit,
    });
    return rows.map(toRound);
  }

  async claimNudge(id: string, at: Date) {
    const r = await this.db.debriefRound.updateMany({
      where: { id, nudgedAt: null },
      data: { nudgedAt: at },
    });
    return r.count === 1;
  }

  async findRound(id: string) {
    const row = await this.db.debriefRound.findUnique({ where: { id } });
    return row ? toRound(row) : null;
  }

  async findAnswer(roundId: string, userId: string) {
    return this.db.debriefAnswer.findUnique({ where: { roundId_userId: { roundId, userId } } });
  }

  async upsertAnswer(roundId: string, userId: string, input: DebriefAnswerInput, at: Date) {
    const data = { shipped: input.shipped, input: input.input, blockers: input.blockers, updatedAt: at };
    try {
      return await this.db.debriefAnswer.upsert({
        where: { roundId_userId: { roundId, userId } },
        create: { roundId, userId, ...data },
        update: data,
      });
    } catch (e) {
      // Two submissions racing on the create: the loser updates the winner's row.
      if (!isUniqueViolation(e)) throw e;
      return this.db.debriefAnswer.update({ where: { roundId_userId: { roundId, userId } }, data });
    }
  }

  async setAnswerThreadTs(answerId: string, ts: string) {
    await this.db.debriefAnswer.update({ where: { id: answerId }, data: { threadTs: ts } });
  }

  async listAnswers(roundId: string) {
    return this.db.debriefAnswer.findMany({ where: { roundId }, orderBy: { updatedAt: "asc" } });
  }

  async recentSharers(teamId: string, rounds: number) {
    // Skipped rounds were never posted, so nobody could share in them: they do not count.
    const recent = await this.db.debriefRound.findMany({
      where: { teamId, status: { in: ["open", "digested"] } },
      orderBy: { promptAt: "desc" },
      take: rounds,
      select: { id: true },
    });
    if (recent.length === 0) return [];
    const rows = await this.db.debriefAnswer.findMany({
      where: { roundId: { in: recent.map((r) => r.id) } },
      select: { userId: true },
      distinct: ["userId"],
    });
    return rows.map((r) => r.userId);
  }

  async mechanismOwners(teamId: string) {
    const rows = await this.db.mechanism.findMany({
      where: { teamId, status: "active", ownerId: { not: null } },
      select: { ownerId: true },
      distinct: ["ownerId"],
    });
    return rows.flatMap((r) => (r.ownerId ? [r.ownerId] : []));
  }

  async nudgeOptOuts(teamId: string) {
    const rows = await this.db.debriefNudgeOptOut.findMany({
      where: { teamId },
      select: { userId: true },
      orderBy: { userId: "asc" },
    });
    return rows.map((r) => r.userId);
  }

  async setNudgeOptOut(
    teamId: string,
    userId: string,
    optedOut: boolean,
    at: Date,
    audit: NewAuditEntry | null = null,
  ) {
    if (!optedOut) {
      await this.db.$transaction(async (tx) => {
        const { count } = await tx.debriefNudgeOptOut.deleteMany({ where: { teamId, userId } });
        if (count > 0 && audit) await insertAuditEntry(tx, audit);
      });
      return;
    }
    try {
      await this.db.debriefNudgeOptOut.create({ data: { teamId, userId, createdAt: at } });
    } catch (e) {
      // Pressed twice (or two clicks racing): the first opt-out stands, with its time.
      if (!isUniqueViolation(e)) throw e;
      return;
    }
    // Outside the create's statement: on PostgreSQL a unique violation would abort a transaction.
    if (audit) await insertAuditEntry(this.db, audit);
  }
}
