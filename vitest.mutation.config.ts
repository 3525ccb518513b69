import { defineConfig } from "vitest/config";

// The tests `npm run mutation` (stryker.config.mjs) runs against every mutant: the unit tests, and the
// SQLite half of the two contracts whose Prisma side is mutated, JobRuns (src/db/job-runs.ts) and
// AlarmRepository (src/alarms/alarm-repository.ts); the in-memory fakes run the same contracts in
// test/unit. No end-to-end HTTP tests: each mutant reruns every test that reaches it, and those would
// stretch a run to hours on two cores. Not used by `npm test` or CI.
//
// Like vitest.config.ts: tests run in the host's zone when TZ is set, in UTC otherwise, and must not
// depend on it.
const TZ = process.env.TZ || "UTC";
const HOST_ZONE_TESTS = "test/unit/scheduler/schedule.test.ts";

const shared = {
  // SQLite even when the shell asks for PostgreSQL: the mutation run is local.
  env: { TZ, RATCHET_TEST_PROVIDER: "sqlite" },
  testTimeout: 20_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/db/job-runs.test.ts", "test/db/alarms-contract.test.ts"],
          exclude: [HOST_ZONE_TESTS],
        },
      },
      {
        // Stryker's vitest runner runs tests in worker threads (cheaper per mutant than processes),
        // but a thread cannot change its time zone, and the schedule tests set process.env.TZ to
        // prove the host zone never leaks in: only a process honours that. The runner's pool
        // overrides the config's, so this project takes its processes back once it is resolved.
        plugins: [
          {
            name: "ratchet:host-zone-tests-in-processes",
            configureVitest({ project }) {
              project.config.pool = "forks";
            },
          },
        ],
        test: { ...shared, name: "host-zones", include: [HOST_ZONE_TESTS] },
      },
    ],
  },
});
