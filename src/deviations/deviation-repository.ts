import type { Db } from "../db/client.js";
import { asVerdict, type Deviation, type DeviationInput, type OutcomeInput } from "./deviation.js";

export interface DeviationRepository {
  create(input: DeviationInput & { teamId: string; ownerId: string; createdAt: Date }): Promise<Deviation>;
  findById(id: string): Promise<Deviation | null>;
  /** Newest cycle first, then newest logged first. */
  listByTeam(teamId: string, opts?: { sinceCycle?: number; limit?: number }): Promise<Deviation[]>;
  countByTeam(teamId: string): Promise<number>;
  countInCycle(teamId: string, cycleIndex: number): Promise<number>;
  /** Open deviations filed under a cycle before `cycleIndex` (those cycles have ended). */
  listOpenBefore(teamId: string, cycleIndex: number): Promise<Deviation[]>;
  /** Records the verdict only if the deviation is still open; null when someone already did. */
  decide(id: string, input: OutcomeInput & { at: Date }): Promise<Deviation | null>;
}

type Row = Awaited<ReturnType<Db["deviation"]["findUniqueOrThrow"]>>;
const toDeviation = (r: Row): Deviation => ({ ...r, verdict: asVerdict(r.verdict) });

const newestFirst = [{ cycleIndex: "desc" as const }, { createdAt: "desc" as const }];

export class PrismaDeviationRepository implements DeviationRepository {
  constructor(private readonly db: Db) {}

  async create(input: DeviationInput & { teamId: string; ownerId: string; createdAt: Date }) {
    const row = await this.db.deviation.create({
      data: {
        teamId: input.teamId,
        area: input.area,
        deviation: input.deviation,
        hypothesis: input.hypothesis,
        benefit: input.benefit,
        risk: input.risk,
        cycleIndex: input.cycleIndex,
        sensitive: input.sensitive,
        approverId: input.approverId,
        ownerId: input.ownerId,
        createdAt: input.createdAt,
      },
    });
    return toDeviation(row);
  }

  async findById(id: string) {
    const row = await this.db.deviation.findUnique({ where: { id } });
    return row ? toDeviation(row) : null;
  }

  async listByTeam(teamId: string, opts: { sinceCycle?: number; limit?: number } = {}) {
    const rows = await this.db.deviation.findMany({
      where: { teamId, ...(opts.sinceCycle !== undefined ? { cycleIndex: { gte: opts.sinceCycle } } : {}) },
      orderBy: newestFirst,
      ...(opts.limit !== undefined ? { take: opts.limit } : {}),
    });
    return rows.map(toDeviation);
  }

  countByTeam(teamId: string) {
    return this.db.deviation.count({ where: { teamId } });
  }

  countInCycle(teamId: string, cycleIndex: number) {
    return this.db.deviation.count({ where: { teamId, cycleIndex } });
  }

  async listOpenBefore(teamId: string, cycleIndex: number) {
    const rows = await this.db.deviation.findMany({
      where: { teamId, verdict: "open", cycleIndex: { lt: cycleIndex } },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toDeviation);
  }

  async decide(id: string, input: OutcomeInput & { at: Date }) {
    // Conditional update: of two people saving at once, exactly one wins.
    const res = await this.db.deviation.updateMany({
      where: { id, verdict: "open" },
      data: { verdict: input.verdict, outcome: input.outcome, decidedAt: input.at },
    });
    return res.count === 1 ? this.findById(id) : null;
  }
}
