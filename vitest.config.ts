import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests run in UTC unless a test says otherwise; timezone tests set their own zones.
    env: { TZ: "UTC" },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
