/** What a scheduled job's claim is doing: taken, finished, or refused by Slack (may be retried). */
export type JobRunStatus = "claimed" | "done" | "failed";

/**
 * Exactly-once claims for scheduled work, one store for every job. A claim is a unique (job, key);
 * whoever takes it does the work. A run marked failed (Slack said no, so nothing was posted) can be
 * claimed again until `maxAttempts`. A run left "claimed" by a process that died mid-post is never
 * retried: a duplicate post is worse than a missing one. Every instant comes from the caller's clock.
 */
export interface ClaimOptions {
  at: Date;
  maxAttempts: number;
  /**
   * A run still "claimed" whose last change is before this instant was abandoned (its request died)
   * and may be taken over. Only for work that is safe to redo: a Slack request's handling, not a post.
   */
  abandonedBefore?: Date;
}

export interface JobRuns {
  claim(job: string, key: string, o: ClaimOptions): Promise<boolean>;
  /** Marks a claimed run done or failed; `detail` keeps a note (a message ts, an error). */
  finish(
    job: string,
    key: string,
    status: "done" | "failed",
    o: { at: Date; detail?: string },
  ): Promise<void>;
  /** The status of each key that has a run (keys without one are absent). */
  statuses(job: string, keys: readonly string[]): Promise<Map<string, JobRunStatus>>;
}

export const isJobRunStatus = (s: string): s is JobRunStatus =>
  s === "claimed" || s === "done" || s === "failed";
