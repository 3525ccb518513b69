import type {
  DebriefAnswer,
  DebriefAnswerInput,
  DebriefRound,
  DebriefRoundStatus,
  RoundWindow,
} from "../../../src/debriefs/debrief.js";
import type { DebriefRepository } from "../../../src/debriefs/debrief-repository.js";
import type { DebriefAnswerModel, DebriefRoundModel } from "../../../src/generated/sqlite/models.js";
import { copy, FakePrismaError, type InMemoryStore, type Row, strip } from "./store.js";

type RoundRow = Row<DebriefRoundModel>;

/**
 * PrismaDebriefRepository in memory, over the shared store; held to the same contract
 * (test/support/fakes/debriefs-contract.ts). The round's status moves only by compare-and-set
 * (check and write with no `await` in between), the unique (teamId, promptAt) row is the week's
 * claim, and every instant is the caller's. Where Prisma gives no order (ties, `distinct`), the fake
 * answers in insertion order, which the contract does not pin.
 */
export class InMemoryDebriefRepository implements DebriefRepository {
  constructor(readonly store: InMemoryStore) {}

  async roundsSince(since: Date): Promise<DebriefRound[]> {
    return this.rounds((r) => r.promptAt.getTime() >= since.getTime());
  }

  async createRound(
    teamId: string,
    w: RoundWindow,
    status: "pending" | "skipped",
    at: Date,
  ): Promise<DebriefRound | null> {
    if (!this.store.teams.has(teamId)) throw new FakePrismaError("P2003", "Foreign key: DebriefRound.teamId");
    const taken = [...this.store.debriefRounds.values()].some(
      (r) => r.teamId === teamId && r.promptAt.getTime() === w.promptAt.getTime(),
    );
    if (taken) return null;
    const row: RoundRow = {
      id: this.store.newId("round_"),
      teamId,
      promptAt: new Date(w.promptAt),
      digestAt: new Date(w.digestAt),
      nudgeAt: w.nudgeAt ? new Date(w.nudgeAt) : null,
      localDate: w.localDate,
      status,
      messageChannelId: null,
      messageTs: null,
      digestTs: null,
      nudgedAt: null,
      createdAt: new Date(at),
      seq: this.store.nextSeq(),
    };
    this.store.debriefRounds.set(row.id, row);
    return toRound(row);
  }

  async listPending(limit: number): Promise<DebriefRound[]> {
    return this.rounds(
      (r) => r.status === "pending",
      (r) => r.promptAt,
    ).slice(0, limit);
  }

  async markPosted(id: string, channelId: string, ts: string): Promise<void> {
    this.transition(id, (r) => r.status === "pending", {
      status: "open",
      messageChannelId: channelId,
      messageTs: ts,
    });
  }

  async skipUnpostedPast(now: Date): Promise<number> {
    return this.updateMany((r) => r.status === "pending" && r.digestAt.getTime() <= now.getTime(), {
      status: "skipped",
    });
  }

  async listDueDigests(now: Date, limit: number): Promise<DebriefRound[]> {
    return this.rounds(
      (r) => r.status === "open" && r.digestAt.getTime() <= now.getTime(),
      (r) => r.digestAt,
    ).slice(0, limit);
  }

  async expireDigests(cutoff: Date): Promise<number> {
    return this.updateMany((r) => r.status === "open" && r.digestAt.getTime() < cutoff.getTime(), {
      status: "skipped",
    });
  }

  async markDigested(id: string, ts: string): Promise<void> {
    this.transition(id, (r) => r.status === "open", { status: "digested", digestTs: ts });
  }

  async listDueNudges(now: Date, limit: number): Promise<DebriefRound[]> {
    const t = now.getTime();
    return this.rounds(
      (r) =>
        r.status === "open" &&
        r.nudgedAt === null &&
        r.nudgeAt !== null &&
        r.nudgeAt.getTime() <= t &&
        r.digestAt.getTime() > t,
      (r) => r.nudgeAt ?? r.promptAt,
    ).slice(0, limit);
  }

  async claimNudge(id: string, at: Date): Promise<boolean> {
    return this.transition(id, (r) => r.nudgedAt === null, { nudgedAt: new Date(at) });
  }

  async findRound(id: string): Promise<DebriefRound | null> {
    const row = this.store.debriefRounds.get(id);
    return row ? toRound(row) : null;
  }

  async findAnswer(roundId: string, userId: string): Promise<DebriefAnswer | null> {
    const row = this.answerOf(roundId, userId);
    return row ? strip(row) : null;
  }

  async upsertAnswer(
    roundId: string,
    userId: string,
    input: DebriefAnswerInput,
    at: Date,
  ): Promise<DebriefAnswer> {
    const data = {
      shipped: input.shipped,
      input: input.input,
      blockers: input.blockers,
      updatedAt: new Date(at),
    };
    // One synchronous step: the create/update race Prisma resolves by retrying as an update cannot
    // happen here, and it ends the same way (one row, the last writer's text).
    const existing = this.answerOf(roundId, userId);
    if (existing) {
      Object.assign(existing, data);
      return strip(existing);
    }
    if (!this.store.debriefRounds.has(roundId))
      throw new FakePrismaError("P2003", "Foreign key: DebriefAnswer.roundId");
    const row: Row<DebriefAnswerModel> = {
      id: this.store.newId("answer_"),
      roundId,
      userId,
      threadTs: null,
      ...data,
      seq: this.store.nextSeq(),
    };
    this.store.debriefAnswers.set(row.id, row);
    return strip(row);
  }

  async setAnswerThreadTs(answerId: string, ts: string): Promise<void> {
    const row = this.store.debriefAnswers.get(answerId);
    if (!row) throw new FakePrismaError("P2025", `No DebriefAnswer ${answerId} to update`);
    row.threadTs = ts;
  }

  async listAnswers(roundId: string): Promise<DebriefAnswer[]> {
    return [...this.store.debriefAnswers.values()]
      .filter((a) => a.roundId === roundId)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.seq - b.seq)
      .map(strip);
  }

  async recentSharers(teamId: string, rounds: number): Promise<string[]> {
    // Skipped rounds were never posted, so nobody could share in them: they do not count.
    const recent = new Set(
      [...this.store.debriefRounds.values()]
        .filter((r) => r.teamId === teamId && POSTED.has(r.status))
        .sort((a, b) => b.promptAt.getTime() - a.promptAt.getTime())
        .slice(0, rounds)
        .map((r) => r.id),
    );
    const sharers = [...this.store.debriefAnswers.values()]
      .filter((a) => recent.has(a.roundId))
      .sort((a, b) => a.seq - b.seq)
      .map((a) => a.userId);
    return [...new Set(sharers)];
  }

  async mechanismOwners(teamId: string): Promise<string[]> {
    const owners = [...this.store.mechanisms.values()]
      .filter((m) => m.teamId === teamId && m.status === "active")
      .sort((a, b) => a.seq - b.seq)
      .flatMap((m) => (m.ownerId ? [m.ownerId] : []));
    return [...new Set(owners)];
  }

  async nudgeOptOuts(teamId: string): Promise<string[]> {
    return [...this.store.debriefNudgeOptOuts.values()]
      .filter((o) => o.teamId === teamId)
      .map((o) => o.userId)
      .sort();
  }

  async setNudgeOptOut(teamId: string, userId: string, optedOut: boolean, at: Date): Promise<void> {
    const key = `${teamId}:${userId}`;
    if (!optedOut) {
      this.store.debriefNudgeOptOuts.delete(key);
      return;
    }
    if (!this.store.teams.has(teamId))
      throw new FakePrismaError("P2003", "Foreign key: DebriefNudgeOptOut.teamId");
    if (this.store.debriefNudgeOptOuts.has(key)) return;
    this.store.debriefNudgeOptOuts.set(key, {
      teamId,
      userId,
      createdAt: copy(at),
      seq: this.store.nextSeq(),
    });
  }

  /** Rounds matching `where`, by `order` ascending (insertion order for ties and when there is none). */
  private rounds(where: (r: RoundRow) => boolean, order?: (r: RoundRow) => Date): DebriefRound[] {
    return [...this.store.debriefRounds.values()]
      .filter(where)
      .sort((a, b) => (order ? order(a).getTime() - order(b).getTime() : 0) || a.seq - b.seq)
      .map(toRound);
  }

  /** `updateMany({ where: { id, …when } })`: true when the one row matched and changed. */
  private transition(id: string, when: (r: RoundRow) => boolean, data: Partial<DebriefRoundModel>): boolean {
    const row = this.store.debriefRounds.get(id);
    if (!row || !when(row)) return false;
    Object.assign(row, data);
    return true;
  }

  private updateMany(where: (r: RoundRow) => boolean, data: Partial<DebriefRoundModel>): number {
    const rows = [...this.store.debriefRounds.values()].filter(where);
    for (const row of rows) Object.assign(row, data);
    return rows.length;
  }

  private answerOf(roundId: string, userId: string) {
    return [...this.store.debriefAnswers.values()].find((a) => a.roundId === roundId && a.userId === userId);
  }
}

const POSTED: ReadonlySet<string> = new Set<DebriefRoundStatus>(["open", "digested"]);

/** The Prisma repository's toRound: the row without createdAt, as a copy. */
function toRound(r: RoundRow): DebriefRound {
  const row = copy(r);
  return {
    id: row.id,
    teamId: row.teamId,
    promptAt: row.promptAt,
    digestAt: row.digestAt,
    nudgeAt: row.nudgeAt,
    localDate: row.localDate,
    status: row.status as DebriefRoundStatus,
    messageChannelId: row.messageChannelId,
    messageTs: row.messageTs,
    digestTs: row.digestTs,
    nudgedAt: row.nudgedAt,
  };
}
