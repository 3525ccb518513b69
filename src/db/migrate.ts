import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { type Provider, postgresConnection, providerOf, sqlitePath } from "./client.js";

/**
 * Applies the committed SQL migrations (prisma/migrations/<provider>/) at start.
 *
 * Why not `prisma migrate deploy`: it needs a native schema-engine binary that
 * offline installs and slim images lack. This runner keeps Prisma's
 * bookkeeping (the same `_prisma_migrations` table, rows and checksums, the same
 * PostgreSQL advisory lock key), so `prisma migrate status` on a connected
 * machine agrees with it and the two can take turns on one database.
 */
export interface MigrateOptions {
  /** Defaults to prisma/migrations/<provider> under the package root. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export async function migrate(
  databaseUrl: string,
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const dir = opts.migrationsDir ?? join(packageRoot(), "prisma", "migrations", provider);
  const log = opts.log ?? (() => {});
  const migrations = readMigrations(dir, provider);
  const store = provider === "postgresql" ? await openPostgres(databaseUrl, log) : openSqlite(databaseUrl);
  const applied: string[] = [];
  try {
    await store.locked(async () => {
      const records = await store.prepare();
      checkHistory(records, migrations, log);
      for (const migration of migrations) {
        if (records.some((r) => r.migration_name === migration.name && r.rolled_back_at === null)) continue;
        log(`Applying migration ${migration.name}`);
        if (await store.apply(migration)) applied.push(migration.name);
      }
    });
  } finally {
    await store.close();
  }
  log(applied.length ? `Applied ${applied.length} migration(s)` : "Database schema is up to date");
  return { applied };
}

/**
 * The names of the migrations this build ships for the URL's provider, in order: what /readyz
 * expects to find applied (a replica of a newer build must not serve a database missing its tables).
 */
export function shippedMigrations(databaseUrl: string, migrationsDir?: string): string[] {
  const provider = providerOf(databaseUrl);
  const dir = migrationsDir ?? join(packageRoot(), "prisma", "migrations", provider);
  return readMigrations(dir, provider).map((m) => m.name);
}

interface Migration {
  name: string;
  script: string;
  checksum: string;
}

/** A `_prisma_migrations` row, as far as this runner reads it. */
interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
}

/** sha256 hex of the script, as Prisma stores it. */
function migrationChecksum(script: string): string {
  return createHash("sha256").update(script).digest("hex");
}

/** The folder that holds package.json, found from this file so it works from src/ (tsx) and from a build. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new MigrationError(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

function readMigrations(dir: string, provider: Provider): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`Migrations folder ${dir} does not exist`);
  const lock = join(dir, "migration_lock.toml");
  const locked = existsSync(lock)
    ? /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lock, "utf8"))?.[1]
    : undefined;
  if (locked !== undefined && locked !== provider) {
    throw new MigrationError(`${lock} says provider "${locked}", but the database URL is ${provider}`);
  }
  // Same order as the Prisma CLI: folder names compared as strings (they start with a timestamp).
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const file = join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql (${file})`);
      const script = readFileSync(file, "utf8");
      return { name, script, checksum: migrationChecksum(script) };
    });
}

/**
 * Refuses to go on when history and files disagree in ways Prisma would also
 * flag: a migration that failed earlier, or an applied one whose file changed.
 */
function checkHistory(records: MigrationRecord[], migrations: Migration[], log: (msg: string) => void): void {
  const live = records.filter((r) => r.rolled_back_at === null);
  for (const record of live) {
    if (record.finished_at === null) {
      throw new MigrationError(
        `Migration ${record.migration_name} failed earlier and is marked as failed in _prisma_migrations` +
          `${record.logs ? ` (${firstLine(record.logs)})` : ""}. Fix the database by hand, then mark it resolved ` +
          `(npx prisma migrate resolve --rolled-back ${record.migration_name}, or set rolled_back_at on its row).`,
      );
    }
    const migration = migrations.find((m) => m.name === record.migration_name);
    if (!migration) {
      log(
        `Migration ${record.migration_name} is applied to the database but missing from the migrations folder`,
      );
    } else if (!scriptMatchesChecksum(migration.script, record.checksum)) {
      throw new MigrationError(
        `Migration ${record.migration_name} was modified after it was applied: the checksum of its migration.sql ` +
          `(${migration.checksum}) differs from the recorded one (${record.checksum}). Restore the original file ` +
          "and put the change in a new migration.",
      );
    }
  }
}

/** Like Prisma: line endings may differ (git on Windows), and very old rows lack zero padding. */
function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replace(/\r?\n/g, "\r\n")];
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant).digest();
    const padded = digest.toString("hex");
    const unpadded = [...digest].map((byte) => byte.toString(16)).join("");
    return checksum === (checksum.length === 64 ? padded : unpadded);
  });
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

/** The operations that differ per driver. */
interface Store {
  /** Runs `fn` holding a lock that other migrators of the same database wait for. */
  locked(fn: () => Promise<void>): Promise<void>;
  /** Creates `_prisma_migrations` if needed and returns its rows. */
  prepare(): Promise<MigrationRecord[]>;
  /**
   * Applies one migration atomically with its row; false if another process
   * applied it meanwhile. On failure records a failed row, as Prisma does, and throws.
   */
  apply(migration: Migration): Promise<boolean>;
  close(): Promise<void>;
}

function notEmptyError(tables: string[]): MigrationError {
  return new MigrationError(
    `The database already has tables (${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", …" : ""}) but no ` +
      "_prisma_migrations table, so it was not created by these migrations. Use an empty database, or baseline " +
      "it with `prisma migrate resolve --applied <migration>` first.",
  );
}

function failure(migration: Migration, error: unknown): MigrationError {
  return new MigrationError(
    `Migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

// --- SQLite ------------------------------------------------------------------

/** Same DDL as the Prisma schema engine's SQLite connector. */
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

/** The text format @prisma/adapter-better-sqlite3 writes DateTimes in, so rows read back alike. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

function openSqlite(databaseUrl: string): Store {
  const path = sqlitePath(databaseUrl);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL lets the app read while a writer works; the timeout makes a second migrator wait, not fail.
  if (path !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 30000");
  // Prisma's table-redefinition scripts switch foreign keys off, which SQLite ignores inside a
  // transaction; off for this connection up front, a DROP TABLE could cascade-delete child rows.
  // PRAGMA foreign_key_check before COMMIT keeps the guarantee.
  db.pragma("foreign_keys = OFF");

  // BEGIN IMMEDIATE takes the write lock at once, so two starting processes serialize here.
  const immediate = <T>(fn: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const result = fn();
      db.exec("COMMIT");
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  };
  const rows = (): MigrationRecord[] =>
    db
      .prepare(
        `SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at ASC`,
      )
      .all() as MigrationRecord[];

  return {
    // Each step below runs in its own BEGIN IMMEDIATE transaction and re-checks history inside it.
    locked: (fn) => fn(),
    prepare: async () =>
      immediate(() => {
        const tables = (
          db
            .prepare(
              `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
            )
            .all() as { name: string }[]
        ).map((t) => t.name);
        if (!tables.includes("_prisma_migrations")) {
          if (tables.length > 0) throw notEmptyError(tables);
          db.exec(SQLITE_MIGRATIONS_TABLE);
        }
        return rows();
      }),
    apply: async (migration) => {
      const id = randomUUID();
      try {
        return immediate(() => {
          // Another process may have applied it while we waited for the lock.
          if (rows().some((r) => r.migration_name === migration.name && r.rolled_back_at === null))
            return false;
          db.prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)`,
          ).run(id, migration.checksum, sqliteNow(), migration.name);
          db.exec(migration.script);
          const violations = db.pragma("foreign_key_check") as unknown[];
          if (violations.length > 0) {
            throw new Error(
              `leaves ${violations.length} foreign key violation(s): ${JSON.stringify(violations[0])}`,
            );
          }
          db.prepare(
            `UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = ? WHERE id = ?`,
          ).run(sqliteNow(), id);
          return true;
        });
      } catch (error) {
        const err = failure(migration, error);
        immediate(() =>
          db
            .prepare(
              `INSERT INTO "_prisma_migrations" (id, checksum, started_at, migration_name, logs) VALUES (?, ?, ?, ?, ?)`,
            )
            .run(id, migration.checksum, sqliteNow(), migration.name, err.message),
        );
        throw err;
      }
    },
    close: async () => {
      db.close();
    },
  };
}

// --- PostgreSQL --------------------------------------------------------------

/** Same DDL as the Prisma schema engine's PostgreSQL connector. */
const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

/** Prisma Migrate's advisory lock key, so this runner and `prisma migrate` exclude each other too. */
const PRISMA_MIGRATE_LOCK = 72707369;

async function openPostgres(databaseUrl: string, log: (msg: string) => void): Promise<Store> {
  const { connectionString, schema, options } = postgresConnection(databaseUrl);
  const client = new pg.Client({ connectionString, options });
  try {
    await client.connect();
  } catch (error) {
    const { hostname, port, pathname } = new URL(connectionString);
    throw new MigrationError(
      `Cannot connect to PostgreSQL at ${hostname || "localhost"}:${port || 5432}${pathname} to migrate: ${String(error)}`,
      { cause: error },
    );
  }
  // Like the Prisma CLI, create the ?schema= schema when it does not exist yet.
  if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const rows = async (): Promise<MigrationRecord[]> =>
    (
      await client.query<MigrationRecord>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at ASC",
      )
    ).rows;

  return {
    locked: async (fn) => {
      const { rows: got } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
        PRISMA_MIGRATE_LOCK,
      ]);
      if (!got[0]?.ok) {
        log("Waiting for another migrator to release the migration lock");
        await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
      }
      try {
        await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
      }
    },
    prepare: async () => {
      const { rows: tables } = await client.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
      );
      const names = tables.map((t) => t.name);
      if (!names.includes("_prisma_migrations")) {
        if (names.length > 0) throw notEmptyError(names);
        await client.query(POSTGRES_MIGRATIONS_TABLE);
      }
      return rows();
    },
    apply: async (migration) => {
      const id = randomUUID();
      try {
        // PostgreSQL DDL is transactional: the script and its row commit together or not at all.
        await client.query("BEGIN");
        await client.query(
          "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)",
          [id, migration.checksum, new Date(), migration.name],
        );
        await client.query(migration.script);
        await client.query(
          "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = $1 WHERE id = $2",
          [new Date(), id],
        );
        await client.query("COMMIT");
        return true;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        const err = failure(migration, error);
        await client.query(
          "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs) VALUES ($1, $2, $3, $4, $5)",
          [id, migration.checksum, new Date(), migration.name, err.message],
        );
        throw err;
      }
    },
    close: () => client.end(),
  };
}
