import { closeSync, mkdirSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { providerOf, sqlitePath } from "./client.js";

/**
 * One SQLite file, one process. Two bots on one file would fight over its write lock (each one's
 * waits stall the other) and run two schedulers; replicas need PostgreSQL.
 *
 * The claim is an operating-system lock, taken through SQLite on `<database>.lock` and held by a
 * connection that stays open until the process exits: the OS drops it however the process ends
 * (a crash or `kill -9` included), so a lock file left behind never blocks a restart, and a pid
 * reused by another program can't fake an owner. The owner writes its pid into the file's header
 * (`user_version`, bytes 60–63), which a refused process reads for its message. The file itself
 * stays: deleting a lock file that another process may be opening would let two of them "hold" it.
 */
export interface SqliteFileClaim {
  /** `<database>.lock` */
  lockPath: string;
  /** pid the lock file named before this process took it (a process that is gone), or null */
  previousPid: number | null;
  /** Lets the file go before the process exits (tests); exiting does the same. */
  release(): void;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly databasePath: string,
    /** pid of the process holding the file, when its lock file names one */
    readonly ownerPid: number | null,
  ) {
    super(
      `${ownerPid ? `Another Ratchet process (pid ${ownerPid})` : "Another process"} is already using the SQLite ` +
        `database ${databasePath}. One SQLite file, one process: stop the other one first, or use PostgreSQL ` +
        "for replicas (DATABASE_URL=postgresql://…).",
    );
    this.name = "DatabaseInUseError";
  }
}

/** Connections holding claims: referenced here so they live (and hold the lock) as long as the process. */
const held = new Set<Database.Database>();

/** How long a starting process waits for the lock: enough for two starting at once to settle who wins. */
const CLAIM_WAIT_MS = 500;

/** Claims the database for this process when it is a SQLite file; null for PostgreSQL and `:memory:`. */
export function claimSqliteDatabase(databaseUrl: string): SqliteFileClaim | null {
  if (providerOf(databaseUrl) !== "sqlite") return null;
  const path = sqlitePath(databaseUrl);
  return path === ":memory:" ? null : claimSqliteFile(path);
}

/** Claims the SQLite database at `databasePath` for this process, or throws DatabaseInUseError. */
export function claimSqliteFile(databasePath: string): SqliteFileClaim {
  const lockPath = `${databasePath}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  const db = new Database(lockPath, { timeout: CLAIM_WAIT_MS });
  let previousPid: number | null;
  try {
    // No journal file beside the lock file. Set before EXCLUSIVE locking mode, which would keep the
    // shared lock this read takes, and two processes starting together would then lock each other out.
    db.pragma("journal_mode = MEMORY");
    db.pragma("locking_mode = EXCLUSIVE");
    // The exclusive lock is taken here, and EXCLUSIVE locking mode keeps it after COMMIT.
    db.exec("BEGIN EXCLUSIVE");
    const before = Number(db.pragma("user_version", { simple: true }));
    db.pragma(`user_version = ${process.pid}`);
    db.exec("COMMIT");
    previousPid = before > 0 && before !== process.pid ? before : null;
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === "SQLITE_BUSY") {
      throw new DatabaseInUseError(databasePath, pidIn(lockPath));
    }
    throw new Error(`Cannot lock ${lockPath} (${(err as Error).message}); if no Ratchet runs, delete it`, {
      cause: err,
    });
  }
  held.add(db);
  return {
    lockPath,
    previousPid,
    release() {
      if (held.delete(db)) db.close();
    },
  };
}

/** The owner's pid from the lock file's header, read as plain bytes (the owner's lock forbids SQL). */
function pidIn(lockPath: string): number | null {
  try {
    const fd = openSync(lockPath, "r");
    try {
      const bytes = Buffer.alloc(4);
      const pid = readSync(fd, bytes, 0, 4, 60) === 4 ? bytes.readUInt32BE(0) : 0;
      return pid > 0 ? pid : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}
