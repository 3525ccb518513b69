import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { createTestDb, describeDb, type TestDb, testProvider } from "../support/test-db.js";

const committedDir = join(import.meta.dirname, "..", "..", "prisma", "migrations", testProvider);
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A database migrated up to (not including) `first`, as one deployed before that migration was. */
async function databaseBefore(first: string): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), "ratchet-migrations-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(committedDir, dir, { recursive: true });
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name >= first) rmSync(join(dir, entry.name), { recursive: true });
  }
  const t = await createTestDb({ migrated: false });
  cleanup.push(() => t.close());
  await migrate(t.url, { migrationsDir: dir });
  return t;
}

const AT = "'2026-11-01T09:00:00.000Z'";

async function seedMechanism(t: TestDb, id: string, guardrail = "Errors <= 0.1%", stopOwner = "NULL") {
  await t.db.$executeRawUnsafe(
    `INSERT INTO "Workspace" ("slackTeamId", "createdAt") VALUES ('T1', ${AT}) ON CONFLICT DO NOTHING`,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO "Team" ("id", "slackTeamId", "name", "channelId", "timezone", "reviewWeekday", "reviewTime",
       "cadenceWeeks", "cycleAnchor", "createdBy", "createdAt")
     VALUES ('team-${id}', 'T1', 'Squad', 'C-${id}', 'Europe/London', 2, '10:00', 1, ${AT}, 'U1', ${AT})`,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO "Mechanism" ("id", "teamId", "title", "aim", "aimForWhom", "aimFrom", "aimTo", "aimBy",
       "statement", "checkpointRule", "guardrail", "stopOwnerId", "rollbackPath", "cadenceWeeks", "createdBy", "createdAt")
     VALUES ('${id}', 'team-${id}', 'Bet', 'Aim', 'Us', 1, 2, '2027-01-01', 'X because Y',
       'continue if proxy >= 1', '${guardrail}', ${stopOwner}, 'Flag off', 1, 'U1', ${AT})`,
  );
}

async function seedSignal(t: TestDb, id: string, mechanismId: string, kind: string, name: string) {
  await t.db.$executeRawUnsafe(
    `INSERT INTO "Signal" ("id", "mechanismId", "kind", "name", "baseline", "target", "unit")
     VALUES ('${id}', '${mechanismId}', '${kind}', '${name}', 1, 2, '')`,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO "Reading" ("id", "signalId", "value", "recordedBy", "recordedAt")
     VALUES ('r-${id}', '${id}', 5, 'U1', ${AT})`,
  );
}

describeDb("migration signals_by_name", () => {
  it("keeps every signal and reading, and renames a name two roles shared so names are unique", async () => {
    const t = await databaseBefore("20261202102015_signals_by_name");
    await seedMechanism(t, "m1");
    await seedSignal(t, "s-proxy", "m1", "proxy", "Activation");
    await seedSignal(t, "s-outcome", "m1", "outcome", "activation");
    await seedSignal(t, "s-leading", "m1", "leading", "time to value");
    await seedMechanism(t, "m2");
    await seedSignal(t, "s-other", "m2", "outcome", "Activation");

    await migrate(t.url);

    const signals = await t.db.signal.findMany({ orderBy: { id: "asc" } });
    expect(signals.map((s) => [s.id, s.name, s.position, s.archivedAt])).toEqual([
      ["s-leading", "time to value", 0, null],
      ["s-other", "Activation", 0, null],
      ["s-outcome", "activation (outcome)", 0, null],
      ["s-proxy", "Activation", 0, null],
    ]);
    expect(await t.db.reading.count()).toBe(4);
    // Two signals of one role may now coexist; one name may not.
    await t.db.signal.create({
      data: { mechanismId: "m1", kind: "outcome", name: "timeouts", baseline: 1, target: 0.5, position: 1 },
    });
    await expect(
      t.db.signal.create({
        data: { mechanismId: "m1", kind: "outcome", name: "timeouts", baseline: 1, target: 0 },
      }),
    ).rejects.toThrow();
  });
});

describeDb("migration guardrails", () => {
  it("makes each mechanism's guardrail text a guardrail with no threshold and the mechanism's stop owner", async () => {
    const t = await databaseBefore("20261202105538_guardrails");
    await seedMechanism(t, "m1", "Error rate ≤ 0.1% on checkout", "'U0STOP'");
    await seedMechanism(t, "m2", "Documented rollback plan");
    await seedMechanism(t, "m3", "  ");

    await migrate(t.url);

    const guardrails = await t.db.guardrail.findMany({ orderBy: { mechanismId: "asc" } });
    expect(guardrails.map((g) => [g.mechanismId, g.name, g.comparison, g.threshold, g.stopOwnerId])).toEqual([
      ["m1", "Error rate ≤ 0.1% on checkout", "", null, "U0STOP"],
      ["m2", "Documented rollback plan", "", null, null],
    ]);
    // The old columns stay until nothing reads them.
    expect((await t.db.mechanism.findUniqueOrThrow({ where: { id: "m1" } })).guardrail).toBe(
      "Error rate ≤ 0.1% on checkout",
    );
  });
});
