import { existsSync } from "node:fs";
import { compose } from "./compose.js";
import { ConfigError, loadConfig } from "./config.js";
import { createDb, providerOf } from "./db/client.js";
import { databaseAnswers } from "./db/health.js";
import { migrate } from "./db/migrate.js";
import { claimSqliteDatabase } from "./db/sqlite-lock.js";
import { startScheduler } from "./scheduler/scheduler.js";
import { systemClock } from "./shared/clock.js";
import { createLogger } from "./shared/logger.js";
import { installProcessGuards } from "./shared/process-guards.js";

/** Composition root: config → migrations → db → services → Slack app → scheduler. */
async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `Ratchet cannot start — configuration:\n${err.problems.map((p) => `  • ${p}`).join("\n")}\nSee README.md → Configuration.\n`,
      );
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  // One request must never take the process down: log what escaped and keep serving. Named case:
  // Bolt 5.1.0's HTTPReceiver crashes on a signed body of `null` / `payload=null` (see process-guards.ts).
  installProcessGuards(process, log);
  // One SQLite file, one process (src/db/sqlite-lock.ts), claimed before migrating so a second
  // process never touches the file; it stops with a message naming the first one's pid.
  const claim = claimSqliteDatabase(config.databaseUrl);
  if (claim?.previousPid) {
    log.info({ previousPid: claim.previousPid }, "took over the SQLite lock from a process that is gone");
  }
  const { applied } = await migrate(config.databaseUrl, { log: (msg) => log.info(msg) });
  log.info({ provider: providerOf(config.databaseUrl), applied: applied.length }, "database ready");
  const db = await createDb(config.databaseUrl);
  // Load Prisma's query engine now, so the first Slack request (3-second budget) doesn't pay for it.
  await databaseAnswers(db);
  const { app, jobs, deps, deliverer, metrics } = compose({ config, db, clock: systemClock, log });
  await app.start(config.port);
  const scheduler = startScheduler(jobs, systemClock, log);
  log.info({ mode: config.slack.mode, port: config.port }, "Ratchet is running");

  const shutdown = async (signal: string) => {
    log.info({ signal }, "shutting down");
    // Let a running tick finish its posts (bounded, like the rest of the shutdown).
    await Promise.race([scheduler.stop(), new Promise((r) => setTimeout(r, 20_000))]);
    await app.stop().catch(() => {});
    // No scrape can come any more: stop timing the event loop.
    metrics.stop();
    // Finish the edits already acked and the running delivery pass (bounded: Kubernetes-style 30 s
    // grace periods). Posts not sent yet stay in the outbox for the next process.
    const drained = deps.afterAck
      .idle()
      .then(() => deps.alarms.settled())
      .then(() => deliverer.stop());
    await Promise.race([drained, new Promise((r) => setTimeout(r, 20_000))]);
    const dropped = deps.afterAck.stop();
    if (dropped.length > 0) log.warn({ dropped }, "shut down before some after-ack work ran");
    await db.$disconnect();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`Ratchet failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
