/**
 * `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits.
 * The app runs the same `migrate()` at start; this is for deploy steps and ops.
 */
import { migrate } from "./migrate.js";

// An entry point like main.ts: it reads the one variable it needs (same default as src/config.ts),
// without the Slack settings loadConfig would insist on.
const databaseUrl = process.env.DATABASE_URL || "file:./data/ratchet.db";

migrate(databaseUrl, { log: (msg) => console.log(msg) }).then(
  ({ applied }) => {
    if (applied.length) console.log(applied.map((name) => `  ${name}`).join("\n"));
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
