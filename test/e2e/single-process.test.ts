import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimSqliteFile } from "../../src/db/sqlite-lock.js";
import { testProvider } from "../support/test-db.js";

/**
 * `npm start`'s entry point, started for real in child processes (from source with tsx's loader,
 * so no build is needed): one SQLite file belongs to one process; a second one stops with exit
 * code 1 and says why, and a lock left by a killed process does not block a restart. Two starts
 * only: each loads the whole app (seconds on a busy machine).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "src", "main.ts");

interface Bot {
  child: ChildProcess;
  output(): string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(testProvider !== "sqlite")("one SQLite file, one bot process", () => {
  let dir: string;
  const bots: Bot[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ratchet-single-"));
  });
  afterEach(async () => {
    for (const { child } of bots.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGKILL");
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<Bot> {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), MAIN], {
      // A temp working directory: a developer's own .env must not leak in.
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: "test-signing-secret",
        // Nothing here calls Slack with an empty database; if something did, it goes nowhere.
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        PORT: String(await freePort()),
        DATABASE_URL: `file:${join(dir, "ratchet.db")}`,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const bot = { child, output: () => output };
    bots.push(bot);
    return bot;
  }

  /** Resolves when the bot has logged `text`; rejects if it exits first or takes over 20 s. */
  async function logged(bot: Bot, text: string): Promise<void> {
    const deadline = performance.now() + 20_000;
    while (!bot.output().includes(text)) {
      if (bot.child.exitCode !== null) throw new Error(`exited ${bot.child.exitCode}:\n${bot.output()}`);
      if (performance.now() > deadline) throw new Error(`never logged "${text}":\n${bot.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function exitCode(bot: Bot): Promise<number | null> {
    if (bot.child.exitCode !== null) return bot.child.exitCode;
    const [code] = (await once(bot.child, "exit")) as [number | null];
    return code;
  }

  it("refuses a second process on the same file with exit code 1, and the lock a kill -9 leaves is taken over", async () => {
    const tStart = performance.now();
    const first = await start();
    await logged(first, "Ratchet is running");
    console.log(`the first process was running after ${Math.round(performance.now() - tStart)} ms`);

    const t0 = performance.now();
    const second = await start();
    // Without the claim it would start: fail at once rather than wait for an exit that never comes.
    const code = await Promise.race([
      exitCode(second),
      logged(second, "Ratchet is running").then(
        () => "running",
        () => exitCode(second),
      ),
    ]);
    console.log(
      `a second process on the same SQLite file stopped after ${Math.round(performance.now() - t0)} ms`,
    );
    expect(code).toBe(1);
    expect(second.output()).toContain(
      `Another Ratchet process (pid ${first.child.pid}) is already using the SQLite database ${join(dir, "ratchet.db")}.`,
    );
    expect(second.output()).toContain("One SQLite file, one process");
    expect(second.output()).toContain("use PostgreSQL for replicas");
    // The first one is unharmed.
    expect(first.child.exitCode).toBeNull();

    // Killed without a chance to clean up: its lock file stays, naming a pid that is gone. The next
    // claim (what a restart makes first; checked here rather than by starting a third bot) takes it.
    first.child.kill("SIGKILL");
    await exitCode(first);
    expect(existsSync(join(dir, "ratchet.db.lock"))).toBe(true);
    const restart = claimSqliteFile(join(dir, "ratchet.db"));
    restart.release();
    expect(restart.previousPid).toBe(first.child.pid);
  }, 60_000);
});
