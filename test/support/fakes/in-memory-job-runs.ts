import type { ClaimOptions, JobRunStatus, JobRuns } from "../../../src/shared/job-runs.js";
import type { StoredRun } from "./job-runs-contract.js";

/**
 * JobRuns in memory, keeping PrismaJobRuns' contract (test/support/fakes/job-runs-contract.ts):
 * the (job, key) pair is unique, a failed run is re-claimed by compare-and-set on its attempts,
 * and every instant is the caller's. No `await` between a check and its write, so two callers
 * racing behave as two database transactions would.
 */
export class InMemoryJobRuns implements JobRuns {
  readonly runs = new Map<string, StoredRun>();

  async claim(job: string, key: string, o: ClaimOptions): Promise<boolean> {
    const id = runId(job, key);
    const run = this.runs.get(id);
    if (!run) {
      const at = new Date(o.at);
      this.runs.set(id, { status: "claimed", attempts: 1, detail: "", createdAt: at, updatedAt: at });
      return true;
    }
    if (run.attempts >= o.maxAttempts) return false;
    const abandoned =
      run.status === "claimed" && o.abandonedBefore !== undefined && run.updatedAt < o.abandonedBefore;
    if (run.status !== "failed" && !abandoned) return false;
    Object.assign(run, { status: "claimed", attempts: run.attempts + 1, updatedAt: new Date(o.at) });
    return true;
  }

  async finish(job: string, key: string, status: "done" | "failed", o: { at: Date; detail?: string }) {
    const run = this.runs.get(runId(job, key));
    if (!run) return; // updateMany on no row changes nothing
    Object.assign(run, { status, updatedAt: new Date(o.at) });
    if (o.detail !== undefined) run.detail = o.detail.slice(0, 2000);
  }

  async statuses(job: string, keys: readonly string[]): Promise<Map<string, JobRunStatus>> {
    const out = new Map<string, JobRunStatus>();
    for (const key of keys) {
      const run = this.runs.get(runId(job, key));
      if (run) out.set(key, run.status as JobRunStatus);
    }
    return out;
  }

  /** A copy of the stored run, as reading the test database would give. */
  stored(job: string, key: string): StoredRun | null {
    const run = this.runs.get(runId(job, key));
    return run ? structuredClone(run) : null;
  }
}

const runId = (job: string, key: string) => `${job}\u0000${key}`;
