// Mutation testing: `npm run mutation`. Not part of CI (.ci/run): a run takes minutes, not seconds.
// The script adds --ignoreStatic: a "static" mutant changes a module-level constant (a word list, a
// lookup table, a regex), which only runs when the module loads, so every test importing it reruns
// for each one; they are ~15% of the mutants and ~90% of the time. `npx stryker run` includes them
// (about three hours on two cores).
// StrykerJS changes the code under test one small edit (a "mutant") at a time and runs the tests that
// cover it; a mutant no test notices shows an assertion that is missing. Reports land in
// reports/mutation/ (mutation.html to browse, mutation.json for tools); the clear-text table prints to
// the terminal. `npm run mutation -- --mutate src/scheduler/schedule.ts` runs one file.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  // The modules whose behaviour the unit tests pin down; every folder and file here aims at ≥ 85%.
  mutate: [
    "src/alarms/**/*.ts",
    "src/scheduler/**/*.ts",
    "src/db/job-runs.ts",
    // src/shared/post-once.ts was here until the delivery outbox replaced it (17c814a).
    "src/mechanisms/checkpoint-rule.ts",
    "src/incidents/integration-gate.ts",
  ],

  testRunner: "vitest",
  vitest: {
    // Unit tests plus the SQLite JobRuns contract, without the slow end-to-end HTTP suite.
    configFile: "vitest.mutation.config.ts",
    // Only the test files that import a mutated file, directly or not, run for it.
    related: true,
  },
  // Records which tests reach which mutant, so each mutant runs only the tests that cover it.
  coverageAnalysis: "perTest",

  // No @stryker-mutator/typescript-checker: it type-checks the whole project and refuses to start
  // while the shared tree does not compile, and costs a tsc pass per batch on two cores. Mutants
  // that would not type-check mostly crash a test anyway; the rest are listed as equivalent.

  // The machine has two cores, shared: two test processes at most.
  concurrency: 2,
  // Generous: the first runs of a process pay for Prisma's client and SQLite migrations.
  timeoutMS: 10_000,

  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowEmojis: false, reportScoreTable: true },

  // Colours of the score table; the goal is ≥ 85% per folder or file. No `break`: a report, not a gate.
  thresholds: { high: 85, low: 70, break: null },

  // Sandboxes (a copy of the project per run) live here; .gitignore'd, and outside Biome's files.
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
