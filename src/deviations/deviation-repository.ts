import type { Db } from "../db/client.js";
import { claimJobRun, finishJobRun, jobRunStatuses } from "../db/job-runs.js";
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

  /**
   * Claims a scheduled post exactly once through the unique JobRun(job, key). A claim whose post
   * failed may be re-claimed up to `maxAttempts` times in all. False when it is (being) handled.
   */
  claim(job: string, key: string, maxAttempts: number): Promise<boolean>;
  /** Keys of `keys` that already have a live (claimed or done) claim, so sweeps skip them cheaply. */
  claimedKeys(job: string, keys: string[]): Promise<Set<string>>;
  markDone(job: string, key: string): Promise<void>;
  markFailed(job: string, key: string): Promise<void>;
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

  claim(job: string, key: string, maxAttempts: number) {
    return claimJobRun(this.db, job, key, maxAttempts);
  }

  async claimedKeys(job: string, keys: string[]) {
    const statuses = await jobRunStatuses(this.db, job, keys);
    return new Set([...statuses].filter(([, status]) => status !== "failed").map(([key]) => key));
  }

  async markDone(job: string, key: string) {
    await finishJobRun(this.db, job, key, "done");
  }

  async markFailed(job: string, key: string) {
    await finishJobRun(this.db, job, key, "failed");
  }
}
