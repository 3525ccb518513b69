import { InMemoryJobRuns } from "../../support/fakes/in-memory-job-runs.js";
import { describeJobRunsContract } from "../../support/fakes/job-runs-contract.js";

// The fake keeps the contract PrismaJobRuns keeps on both databases (test/db/job-runs.test.ts).
describeJobRunsContract("in-memory fake", async () => {
  const jobRuns = new InMemoryJobRuns();
  return { jobRuns, stored: async (job, key) => jobRuns.stored(job, key), close: async () => {} };
});
