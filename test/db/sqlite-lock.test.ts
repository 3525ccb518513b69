import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  claimSqliteDatabase,
  claimSqliteFile,
  DatabaseInUseError,
  type SqliteFileClaim,
} from "../../src/db/sqlite-lock.js";
import { testProvider } from "../support/test-db.js";

/**
 * One SQLite file, one process (issue 8 §5). These run in one process: SQLite keeps its locks
 * apart per connection even there. test/e2e/single-process.test.ts starts real bot processes.
 */
describe.skipIf(testProvider !== "sqlite")("claiming a SQLite file for one process", () => {
  let dir: string;
  let path: string;
  const claims: SqliteFileClaim[] = [];
  const claim = (p = path) => {
    const c = claimSqliteFile(p);
    claims.push(c);
    return c;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ratchet-lock-"));
    path = join(dir, "ratchet.db");
  });
  afterEach(() => {
    for (const c of claims.splice(0)) c.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a second claim on the same file, naming the owner's pid and PostgreSQL for replicas", () => {
    claim();
    const second = (() => {
      try {
        claim();
      } catch (err) {
        return err;
      }
    })();
    expect(second).toBeInstanceOf(DatabaseInUseError);
    expect(second).toMatchObject({ databasePath: path, ownerPid: process.pid });
    expect((second as Error).message).toBe(
      `Another Ratchet process (pid ${process.pid}) is already using the SQLite database ${path}. ` +
        "One SQLite file, one process: stop the other one first, or use PostgreSQL for replicas " +
        "(DATABASE_URL=postgresql://…).",
    );
  });

  it("keeps one lock file next to the database and nothing else", () => {
    claim();
    expect(existsSync(`${path}.lock`)).toBe(true);
    expect(existsSync(`${path}.lock-journal`)).toBe(false);
  });

  it("lets another file be claimed, and the same file again once released", () => {
    claim();
    claim(join(dir, "other.db"));
    claims.shift()?.release();
    expect(claim().previousPid).toBeNull();
  });

  it("takes over a lock file left by a process that is gone", () => {
    // A lock file naming a pid that no longer runs, as `kill -9` leaves it.
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    const stale = new Database(`${path}.lock`);
    stale.pragma(`user_version = ${gone}`);
    stale.close();

    const taken = claim();
    expect(taken.previousPid).toBe(gone);
    taken.release();
    // It now names this process.
    const lock = new Database(`${path}.lock`, { readonly: true });
    expect(lock.pragma("user_version", { simple: true })).toBe(process.pid);
    lock.close();
  });

  it("claims nothing for PostgreSQL or an in-memory database", () => {
    expect(claimSqliteDatabase("postgresql://u:p@localhost:5432/ratchet")).toBeNull();
    expect(claimSqliteDatabase("file::memory:")).toBeNull();
    const c = claimSqliteDatabase(`file:${path}`);
    if (c) claims.push(c);
    expect(c?.lockPath).toBe(`${path}.lock`);
  });
});
