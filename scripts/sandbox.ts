// `npm run sandbox`: Ratchet against a local Slack stand-in, with a page to use it as a person would.
// The clock is simulated (the page moves it); it is kept beside the database so a restart goes on from it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { startSandbox } from "../src/sandbox/sandbox-app.js";
import { startSandboxServer } from "../src/sandbox/server.js";
import { createLogger } from "../src/shared/logger.js";

const dbFile = process.env.SANDBOX_DB ?? "./data/sandbox.db";
const clockFile = `${dbFile}.clock`;
const port = Number(process.env.PORT ?? 3000);

mkdirSync(dirname(dbFile), { recursive: true });
const saved = existsSync(clockFile) ? new Date(readFileSync(clockFile, "utf8").trim()) : undefined;
const start = saved && !Number.isNaN(saved.getTime()) ? saved : new Date();
start.setUTCSeconds(0, 0);
const log = createLogger(process.env.LOG_LEVEL ?? "warn");
const sandbox = await startSandbox({ databaseUrl: `file:${dbFile}`, now: start, log });
const { url } = await startSandboxServer(sandbox, {
  port,
  onClock: (now) => writeFileSync(clockFile, now.toISOString()),
});
process.stdout.write(
  `Ratchet sandbox: ${url}\n  database ${dbFile} (delete it to start over), simulated clock ${start.toISOString()}\n`,
);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
