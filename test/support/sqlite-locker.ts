import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

/** A separate process holding SQLite's write lock on a file, as a backup tool or a stray CLI would. */
export interface HeldLock {
  /** Rolls the other process's transaction back and waits for it to exit. */
  release(): Promise<void>;
}

const ROOT = join(import.meta.dirname, "..", "..");

// CommonJS on purpose: `node -e` resolves better-sqlite3 from the repository root without a build.
const HOLDER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1], { timeout: 0 });
db.exec(process.argv[2]);
process.stdout.write("locked\\n");
const done = () => { if (db.inTransaction) db.exec("ROLLBACK"); db.close(); process.exit(0); };
process.stdin.on("data", done);
process.stdin.on("end", done);
setTimeout(done, 60000);
`;

/**
 * Starts a child process that runs `begin` (BEGIN IMMEDIATE: the write lock, readers still read in
 * WAL mode) on the SQLite file at `path` and keeps the transaction open until `release()`.
 * A child, not a second handle in this process: the app under test shares this event loop, and a
 * lock released by a timer here could not be released while the app blocks it.
 */
export async function holdSqliteLock(path: string, begin = "BEGIN IMMEDIATE"): Promise<HeldLock> {
  const child: ChildProcess = spawn(process.execPath, ["-e", HOLDER, path, begin], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("locked")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}: ${stderr}`)));
  });
  return {
    async release() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin?.end("release\n");
      await exited;
    },
  };
}
