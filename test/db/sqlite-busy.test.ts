import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db, sqlitePath } from "../../src/db/client.js";
import { DatabaseBusyError } from "../../src/shared/errors.js";
import { type HeldLock, holdSqliteLock } from "../support/sqlite-locker.js";
import { createTestDb, type TestDb, testProvider } from "../support/test-db.js";

/**
 * The SQLite client under another process's write lock (issue 8 §5). better-sqlite3 waits for a
 * lock synchronously, so what matters is how long the event loop is held: these tests watch its
 * delay while the app's queries wait. Bounds are generous (a shared 2-core machine).
 */
const team = (name: string) => ({
  slackTeamId: "T1",
  name,
  channelId: `C-${name}`,
  timezone: "UTC",
  reviewWeekday: 2,
  reviewTime: "10:00",
  cadenceWeeks: 1,
  cycleAnchor: new Date("2026-11-24T10:00:00Z"),
  createdBy: "U1",
  createdAt: new Date("2026-11-20T09:00:00Z"),
});

/** Runs `fn`, returning how long it took and the longest the event loop was held meanwhile. */
async function watched<T>(
  fn: () => Promise<T>,
): Promise<{ result: PromiseSettledResult<T>; ms: number; maxLagMs: number }> {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const t0 = performance.now();
  const [result] = await Promise.allSettled([fn()]);
  const ms = Math.round(performance.now() - t0);
  lag.disable();
  return { result: result!, ms, maxLagMs: Math.round(lag.max / 1e6) };
}

describe.skipIf(testProvider !== "sqlite")("SQLite client while another process holds the write lock", () => {
  let t: TestDb;
  let db: Db;
  let lock: HeldLock | undefined;
  beforeEach(async () => {
    t = await createTestDb();
    db = t.db;
    // Prisma's query engine loads on first use; keep that out of the figures.
    await db.team.findMany();
  });
  afterEach(async () => {
    await lock?.release();
    lock = undefined;
    await t?.close();
  });

  const releaseAfter = (ms: number) => new Promise((r) => setTimeout(r, ms)).then(() => lock?.release());

  it("keeps reading: in WAL mode readers don't wait for the writer", async () => {
    await db.team.create({ data: team("reader") });
    lock = await holdSqliteLock(sqlitePath(t.url));
    const read = await watched(() => db.team.findMany());
    console.log(`read under a held write lock: ${read.ms} ms, event loop held at most ${read.maxLagMs} ms`);
    expect(read.result).toMatchObject({ status: "fulfilled", value: [{ name: "reader" }] });
    expect(read.ms).toBeLessThan(500);
  });

  it("a write waits out a short lock without holding the event loop, then succeeds", async () => {
    lock = await holdSqliteLock(sqlitePath(t.url));
    const released = releaseAfter(300);
    const write = await watched(() => db.team.create({ data: team("patient") }));
    await released;
    console.log(`write through a 300 ms lock: ${write.ms} ms, event loop held at most ${write.maxLagMs} ms`);
    expect(write.result.status).toBe("fulfilled");
    expect(write.ms).toBeGreaterThanOrEqual(250);
    expect(write.maxLagMs).toBeLessThan(150);
    expect(await db.team.count()).toBe(1);
  });

  it("a write gives up with DatabaseBusyError after about a second when the lock stays, and writes nothing", async () => {
    lock = await holdSqliteLock(sqlitePath(t.url));
    const write = await watched(() => db.team.create({ data: team("impatient") }));
    console.log(
      `write under a held lock gave up after ${write.ms} ms, event loop held at most ${write.maxLagMs} ms`,
    );
    expect(write.result).toMatchObject({ status: "rejected", reason: expect.any(DatabaseBusyError) });
    expect(write.ms).toBeGreaterThanOrEqual(900);
    expect(write.ms).toBeLessThan(2500);
    expect(write.maxLagMs).toBeLessThan(150);
    await lock.release();
    expect(await db.team.count()).toBe(0);
    // The connection is fine afterwards.
    await db.team.create({ data: team("later") });
    expect(await db.team.count()).toBe(1);
  });

  it("once a write has given up, the next ones give up within a fraction of that, and work as soon as the lock is gone", async () => {
    lock = await holdSqliteLock(sqlitePath(t.url));
    const first = await watched(() => db.team.create({ data: team("first") }));
    // A request's claim and then its change, or a sweep's next item: the lock is probably still held.
    const next = await watched(() => db.team.create({ data: team("next") }));
    const tx = await watched(() => db.$transaction(async (q) => q.team.create({ data: team("in a tx") })));
    console.log(
      `under a held lock: the first write gave up after ${first.ms} ms, the next after ${next.ms} ms, a transaction after ${tx.ms} ms`,
    );
    expect(first.result).toMatchObject({ status: "rejected", reason: expect.any(DatabaseBusyError) });
    expect(next.result).toMatchObject({ status: "rejected", reason: expect.any(DatabaseBusyError) });
    expect(tx.result).toMatchObject({ status: "rejected", reason: expect.any(DatabaseBusyError) });
    expect(next.ms).toBeLessThan(500);
    expect(tx.ms).toBeLessThan(500);

    await lock.release();
    await db.team.create({ data: team("after") });
    expect((await db.team.findMany()).map((r) => r.name)).toEqual(["after"]);
  });

  it("a transaction that reads before it writes waits for the lock instead of failing at once", async () => {
    // With the adapter's plain BEGIN, SQLite refuses the upgrade from reader to writer immediately.
    lock = await holdSqliteLock(sqlitePath(t.url));
    const released = releaseAfter(300);
    const tx = await watched(() =>
      db.$transaction(async (q) => {
        const existing = await q.team.count();
        return q.team.create({ data: team(`number ${existing + 1}`) });
      }),
    );
    await released;
    console.log(
      `read-then-write transaction through a 300 ms lock: ${tx.ms} ms, loop held at most ${tx.maxLagMs} ms`,
    );
    expect(tx.result).toMatchObject({ status: "fulfilled", value: { name: "number 1" } });
    expect(tx.maxLagMs).toBeLessThan(150);
  });

  it("transactions give up with DatabaseBusyError under a lasting lock, then the next ones work", async () => {
    lock = await holdSqliteLock(sqlitePath(t.url));
    const tx = () => db.$transaction(async (q) => q.team.create({ data: team(`tx ${Math.random()}`) }));
    // Queued behind each other on the one connection: each still gives up within its own budget.
    const both = await watched(() => Promise.allSettled([tx(), tx()]));
    console.log(`two transactions under a held lock gave up after ${both.ms} ms`);
    expect(both.result).toMatchObject({
      status: "fulfilled",
      value: [
        { status: "rejected", reason: expect.any(DatabaseBusyError) },
        { status: "rejected", reason: expect.any(DatabaseBusyError) },
      ],
    });
    expect(both.ms).toBeLessThan(2500);
    await lock.release();
    await Promise.all([tx(), tx(), tx()]);
    expect(await db.team.count()).toBe(3);
  });

  it("a transaction that throws still rolls back and lets the next one in", async () => {
    await expect(
      db.$transaction(async (q) => {
        await q.team.create({ data: team("rolled back") });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await db.$transaction(async (q) => q.team.create({ data: team("kept") }));
    expect((await db.team.findMany()).map((r) => r.name)).toEqual(["kept"]);
  });
});

describe.skipIf(testProvider !== "sqlite")("SQLite client setup", () => {
  it("puts a database it opens in WAL mode, even one the migrator never touched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ratchet-wal-"));
    const db = await createDb(`file:${join(dir, "fresh.db")}`);
    try {
      const [row] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(row?.journal_mode).toBe("wal");
    } finally {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
