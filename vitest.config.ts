import { defineConfig } from "vitest/config";

// The whole suite runs on SQLite; the tests that touch a database (test/db, test/e2e) run
// again on PostgreSQL when TEST_DATABASE_URL points at a server (CI sets it).
const postgresUrl = process.env.TEST_DATABASE_URL;
// Tests run in the host's zone when TZ is set (CI runs the suite again in Pacific/Chatham, +12:45/+13:45)
// and in UTC otherwise. Nothing may depend on it: time-zone tests set their own zones.
const TZ = process.env.TZ || "UTC";

export default defineConfig({
  test: {
    env: { TZ },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        // Here rather than at the root, which every project inherits: the notice prints once.
        test: {
          name: "sqlite",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: ["test/db/**/*.test.ts", "test/e2e/**/*.test.ts"],
                env: { TZ, RATCHET_TEST_PROVIDER: "postgresql" },
              },
            },
          ]
        : []),
    ],
  },
});
