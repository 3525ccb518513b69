import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { derivePostgresSchema } from "../../scripts/derive-postgres-schema.js";
import { diffSql, isEmptySql, type SchemaFile } from "../../scripts/schema-engine.js";
import { migrate } from "../../src/db/migrate.js";
import { createTestDb, describeDb, type TestDb, testProvider } from "../support/test-db.js";

const root = join(import.meta.dirname, "..", "..");
const committedDir = join(root, "prisma", "migrations", testProvider);
const committed = readdirSync(committedDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function schemaFiles(extra = ""): SchemaFile[] {
  const source = readFileSync(join(root, "prisma", "schema.prisma"), "utf8") + extra;
  return testProvider === "sqlite"
    ? [{ path: "prisma/schema.prisma", content: source }]
    : [{ path: "prisma/.generated/postgres.prisma", content: derivePostgresSchema(source) }];
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  applied_steps_count: number | bigint;
  logs: string | null;
}

function historyRows(t: TestDb): Promise<Row[]> {
  return t.db.$queryRawUnsafe<Row[]>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name',
  );
}

/** A writable copy of the committed migrations, for tampering with. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), "ratchet-migrations-"));
  cpSync(committedDir, dir, { recursive: true });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function testDb(opts?: { migrated?: boolean }): Promise<TestDb> {
  const t = await createTestDb(opts);
  cleanup.push(() => t.close());
  return t;
}

describeDb("committed migrations", () => {
  it("exist for this provider, each in a <timestamp>_<name> folder", () => {
    expect(committed.length).toBeGreaterThan(0);
    for (const name of committed) expect(name).toMatch(/^\d{14}_[A-Za-z0-9_]+$/);
  });

  it("produce exactly prisma/schema.prisma: a migrated database has nothing left to diff", async () => {
    const t = await testDb();
    const sql = await diffSql({
      provider: testProvider,
      from: { databaseUrl: t.url },
      schemaFiles: schemaFiles(),
    });
    expect(isEmptySql(sql), `the migrations do not match the schema; missing:\n${sql}`).toBe(true);
  });

  it("replayed by Prisma's engine leave nothing to diff either (what db:new-migration checks)", async () => {
    const sql = await diffSql({
      provider: testProvider,
      from: { migrationsDir: committedDir },
      schemaFiles: schemaFiles(),
      shadowDatabaseUrl: process.env.TEST_DATABASE_URL,
    });
    expect(isEmptySql(sql), `the migrations do not match the schema; missing:\n${sql}`).toBe(true);
  });

  it("would be caught drifting: a model they do not create shows up in the diff", async () => {
    const t = await testDb();
    const canary = "\nmodel DriftCanary {\n  id String @id\n}\n";
    const sql = await diffSql({
      provider: testProvider,
      from: { databaseUrl: t.url },
      schemaFiles: schemaFiles(canary),
    });
    expect(isEmptySql(sql)).toBe(false);
    expect(sql).toContain('CREATE TABLE "DriftCanary"');
  });
});

describeDb("migrate()", () => {
  it("applies every migration once, then finds nothing to do", async () => {
    const t = await testDb({ migrated: false });
    expect(await migrate(t.url)).toEqual({ applied: committed });
    expect(await migrate(t.url)).toEqual({ applied: [] });
  });

  it("records each migration the way the Prisma CLI does", async () => {
    const t = await testDb({ migrated: false });
    await migrate(t.url);
    await migrate(t.url);
    const rows = await historyRows(t);
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    for (const row of rows) {
      const script = readFileSync(join(committedDir, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(sha256(script));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
    }
  });

  it("lets two migrators started at once apply each migration exactly once", async () => {
    const t = await testDb({ migrated: false });
    const [a, b] = await Promise.all([migrate(t.url), migrate(t.url)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(committed);
    expect(await historyRows(t)).toHaveLength(committed.length);
  });

  it("refuses to run when an applied migration's file was edited, naming the migration", async () => {
    const t = await testDb({ migrated: false });
    const dir = copyOfMigrations();
    await migrate(t.url, { migrationsDir: dir });
    const first = committed[0]!;
    const file = join(dir, first, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited after it was applied\n`);
    await expect(migrate(t.url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration ${first} was modified after it was applied`),
    );
  });

  it("accepts an applied migration checked out with CRLF line endings, as Prisma does", async () => {
    const t = await testDb({ migrated: false });
    const dir = copyOfMigrations();
    await migrate(t.url, { migrationsDir: dir });
    const file = join(dir, committed[0]!, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    await expect(migrate(t.url, { migrationsDir: dir })).resolves.toEqual({ applied: [] });
  });

  it("rolls a failing migration back, records it as failed, and refuses to continue until resolved", async () => {
    const t = await testDb({ migrated: false });
    const dir = copyOfMigrations();
    const broken = "99990101000000_broken";
    mkdirSync(join(dir, broken));
    writeFileSync(
      join(dir, broken, "migration.sql"),
      'CREATE TABLE "Half" ("id" TEXT);\nCREATE TABLE oops (;\n',
    );
    await expect(migrate(t.url, { migrationsDir: dir })).rejects.toThrow(`Migration ${broken} failed`);

    const rows = await historyRows(t);
    const failed = rows.find((r) => r.migration_name === broken);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.logs).toContain(broken);
    // Nothing of the failed script stayed behind.
    await expect(t.db.$queryRawUnsafe('SELECT * FROM "Half"')).rejects.toThrow();

    await expect(migrate(t.url, { migrationsDir: dir })).rejects.toThrow(
      `Migration ${broken} failed earlier`,
    );
  });

  it("will not adopt a database that has tables but no migration history", async () => {
    const t = await testDb({ migrated: false });
    await t.db.$executeRawUnsafe('CREATE TABLE "Stray" ("id" TEXT PRIMARY KEY)');
    await expect(migrate(t.url)).rejects.toThrow(/already has tables \(Stray\) but no _prisma_migrations/);
  });
});

describeDb("createTestDb()", () => {
  it("hands out a migrated database the Prisma client can write to and read from", async () => {
    const t = await testDb();
    await t.db.workspace.create({ data: { slackTeamId: "T1", createdAt: new Date("2026-11-23T09:00:00Z") } });
    expect(await t.db.workspace.findUnique({ where: { slackTeamId: "T1" } })).toMatchObject({
      slackTeamId: "T1",
    });
  });

  it("gives every call its own database", async () => {
    const a = await testDb();
    const b = await testDb();
    expect(a.url).not.toBe(b.url);
    await a.db.workspace.create({ data: { slackTeamId: "T1", createdAt: new Date("2026-11-23T09:00:00Z") } });
    expect(await b.db.workspace.count()).toBe(0);
  });
});
