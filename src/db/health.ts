import type { Db } from "./client.js";

/** True when the database answers a trivial query (for GET /healthz). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  await db.$queryRawUnsafe("SELECT 1");
  return true;
}
