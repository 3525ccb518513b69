import { defineConfig } from "vitest/config";

// The whole suite runs on SQLite; the tests that touch a database (test/db, test/e2e) run
// again on PostgreSQL when TEST_DATABASE_URL points at a server (CI sets it).
const postgresUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    // Tests run in UTC unless a test says otherwise; timezone tests set their own zones.
    env: { TZ: "UTC" },
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
                env: { TZ: "UTC", RATCHET_TEST_PROVIDER: "postgresql" },
              },
            },
          ]
        : []),
    ],
  },
});
