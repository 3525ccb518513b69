import { type ClaimOptions, isJobRunStatus, type JobRunStatus, type JobRuns } from "../shared/job-runs.js";
import type { Db } from "./client.js";
import { isUniqueViolation } from "./prisma-errors.js";

/** JobRuns on the JobRun table: the unique (job, key) row is the claim. */
export class PrismaJobRuns implements JobRuns {
  constructor(private readonly db: Db) {}

  async claim(job: string, key: string, o: ClaimOptions): Promise<boolean> {
    try {
      await this.db.jobRun.create({
        data: { job, key, status: "claimed", createdAt: o.at, updatedAt: o.at },
      });
      return true;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    const run = await this.db.jobRun.findUnique({ where: { job_key: { job, key } } });
    if (!run || run.attempts >= o.maxAttempts) return false;
    const abandoned =
      run.status === "claimed" && o.abandonedBefore !== undefined && run.updatedAt < o.abandonedBefore;
    if (run.status !== "failed" && !abandoned) return false;
    // Compare-and-set on the status and attempt count, so two workers retrying at once cannot both win.
    const taken = await this.db.jobRun.updateMany({
      where: { id: run.id, status: run.status, attempts: run.attempts },
      data: { status: "claimed", attempts: run.attempts + 1, updatedAt: o.at },
    });
    return taken.count === 1;
  }

  async finish(
    job: string,
    key: string,
    status: "done" | "failed",
    o: { at: Date; detail?: string },
  ): Promise<void> {
    await this.db.jobRun.updateMany({
      where: { job, key },
      data: {
        status,
        updatedAt: o.at,
        ...(o.detail !== undefined ? { detail: o.detail.slice(0, 2000) } : {}),
      },
    });
  }

  async statuses(job: string, keys: readonly string[]): Promise<Map<string, JobRunStatus>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.jobRun.findMany({
      where: { job, key: { in: [...keys] } },
      select: { key: true, status: true },
    });
    return new Map(rows.flatMap((r) => (isJobRunStatus(r.status) ? [[r.key, r.status] as const] : [])));
  }
}
