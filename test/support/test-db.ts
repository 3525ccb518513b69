import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe } from "vitest";
import { createDb, type Db, type Provider, postgresConnection } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

/**
 * The provider this test process runs against: the vitest "postgres" project
 * sets RATCHET_TEST_PROVIDER=postgresql, everything else runs on SQLite.
 */
export const testProvider: Provider =
  process.env.RATCHET_TEST_PROVIDER === "postgresql" ? "postgresql" : "sqlite";

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export const postgresSkipReason: string | undefined =
  testProvider === "postgresql" && !process.env.TEST_DATABASE_URL
    ? "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://… to run them"
    : undefined;

export interface TestDb {
  db: Db;
  url: string;
  provider: Provider;
  close(): Promise<void>;
}

/**
 * A fresh database with the committed migrations applied: a temp SQLite file,
 * or a new `t_<random>` schema on TEST_DATABASE_URL (dropped on close).
 * `{ migrated: false }` leaves it empty, for tests of the migrator itself.
 */
export async function createTestDb(opts: { migrated?: boolean } = {}): Promise<TestDb> {
  const migrated = opts.migrated ?? true;
  return testProvider === "postgresql" ? createPostgresTestDb(migrated) : createSqliteTestDb(migrated);
}

/**
 * `describe` for suites that need a database: names the provider, and skips
 * visibly (instead of failing on a connection error) when PostgreSQL is
 * requested but TEST_DATABASE_URL is unset.
 */
export function describeDb(name: string, fn: () => void): void {
  if (postgresSkipReason) {
    console.warn(`${name}: ${postgresSkipReason}`);
    describe.skip(`${name} [${testProvider}]`, fn);
    return;
  }
  describe(`${name} [${testProvider}]`, fn);
}

async function createSqliteTestDb(migrated: boolean): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "ratchet-test-"));
  const url = `file:${join(dir, "test.db")}`;
  if (migrated) await migrate(url);
  const db = await createDb(url);
  return {
    db,
    url,
    provider: "sqlite",
    close: async () => {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresTestDb(migrated: boolean): Promise<TestDb> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error(postgresSkipReason);
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const parsed = new URL(base);
  parsed.searchParams.set("schema", schema);
  const url = parsed.toString();
  const admin = new pg.Client({ connectionString: postgresConnection(base).connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  if (migrated) await migrate(url);
  const db = await createDb(url);
  return {
    db,
    url,
    provider: "postgresql",
    close: async () => {
      await db.$disconnect();
      const admin = new pg.Client({ connectionString: postgresConnection(base).connectionString });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
