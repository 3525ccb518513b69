import type { Db } from "./client.js";

/**
 * Exactly-once claims for scheduled work, shared by every repository that schedules posts.
 * A claim is a unique (job, key) row; whoever inserts it does the work. A run marked failed
 * (Slack said no, so nothing was posted) can be claimed again until `maxAttempts`. A run left
 * "claimed" by a process that died mid-post is never retried: a duplicate post is worse than
 * a missing one.
 */
export async function claimJobRun(db: Db, job: string, key: string, maxAttempts: number): Promise<boolean> {
  try {
    await db.jobRun.create({ data: { job, key, status: "claimed" } });
    return true;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const run = await db.jobRun.findUnique({ where: { job_key: { job, key } } });
  if (run?.status !== "failed" || run.attempts >= maxAttempts) return false;
  // Compare-and-set on the attempt count, so two workers retrying at once cannot both win.
  const taken = await db.jobRun.updateMany({
    where: { id: run.id, status: "failed", attempts: run.attempts },
    data: { status: "claimed", attempts: run.attempts + 1 },
  });
  return taken.count === 1;
}

/** Marks a claimed run done or failed; `detail` keeps a note (a message ts, an error). */
export async function finishJobRun(
  db: Db,
  job: string,
  key: string,
  status: "done" | "failed",
  detail?: string,
): Promise<void> {
  await db.jobRun.updateMany({
    where: { job, key },
    data: { status, ...(detail !== undefined ? { detail: detail.slice(0, 2000) } : {}) },
  });
}

/** The status of each key that has a run (keys without one are absent). */
export async function jobRunStatuses(
  db: Db,
  job: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.jobRun.findMany({
    where: { job, key: { in: [...keys] } },
    select: { key: true, status: true },
  });
  return new Map(rows.map((r) => [r.key, r.status]));
}

export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2002";

/** Prisma's "record to update not found" (a conditional update whose condition failed). */
export const isRecordNotFound = (e: unknown): boolean =>
  typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "P2025";
