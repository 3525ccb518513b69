import { PrismaJobRuns } from "../../src/db/job-runs.js";
import { describeJobRunsContract } from "../support/fakes/job-runs-contract.js";
import { createTestDb, postgresSkipReason, testProvider } from "../support/test-db.js";

// The JobRuns contract on a real database; the in-memory fake passes the same one (test/unit).
if (!postgresSkipReason) {
  describeJobRunsContract(`prisma [${testProvider}]`, async () => {
    const t = await createTestDb();
    return {
      jobRuns: new PrismaJobRuns(t.db),
      stored: async (job, key) => {
        const row = await t.db.jobRun.findUnique({ where: { job_key: { job, key } } });
        return row && { ...row, status: row.status };
      },
      close: () => t.close(),
    };
  });
}
