import type { Db } from "./client.js";

/** True when the database answers a trivial query (for GET /readyz, and to warm Prisma up at start). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  await db.$queryRawUnsafe("SELECT 1");
  return true;
}

/**
 * What `_prisma_migrations` records (src/db/migrate.ts keeps it as Prisma does): the migrations
 * applied, and those that started but failed (not rolled back), which leave the schema half-done.
 */
export async function migrationState(db: Db): Promise<{ applied: string[]; failed: string[] }> {
  const rows = await db.$queryRawUnsafe<{ migration_name: string; finished: unknown }[]>(
    `SELECT migration_name, CASE WHEN finished_at IS NULL THEN 0 ELSE 1 END AS finished
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const done = (r: { finished: unknown }) => Number(r.finished) === 1;
  return {
    applied: rows.filter(done).map((r) => r.migration_name),
    failed: rows.filter((r) => !done(r)).map((r) => r.migration_name),
  };
}
