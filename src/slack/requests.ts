import type { Clock } from "../shared/clock.js";
import type { JobRuns } from "../shared/job-runs.js";

const JOB = "slack-request";
/** A claim older than this belongs to a request that died mid-way (Slack gives up after 3 s). */
const ABANDONED_AFTER_MS = 60_000;
/** Failed handlings (a domain error shown inline) may be retried by the person this many times. */
const MAX_ATTEMPTS = 50;

export type Once<T> = { first: true; value: T } | { first: false };

/**
 * Slack delivers the same request more than once: a slow ack is retried (`X-Slack-Retry-Num`), an
 * event reaches every replica's retry, a person double-clicks Submit. Each request's work is claimed
 * under a key of what Slack considers the same request (an event's `event_id`, a command's
 * `trigger_id`, a view's id and hash), so only the first delivery does the work; the others are
 * acknowledged and do nothing. Work that throws is released, so the person can correct and resubmit.
 */
export class Requests {
  constructor(private readonly deps: { runs: JobRuns; clock: Clock }) {}

  async once<T>(key: string, work: () => Promise<T>): Promise<Once<T>> {
    const at = this.deps.clock.now();
    const abandonedBefore = new Date(at.getTime() - ABANDONED_AFTER_MS);
    if (!(await this.deps.runs.claim(JOB, key, { at, maxAttempts: MAX_ATTEMPTS, abandonedBefore }))) {
      return { first: false };
    }
    let value: T;
    try {
      value = await work();
    } catch (err) {
      await this.deps.runs.finish(JOB, key, "failed", { at: this.deps.clock.now() }).catch(() => {});
      throw err;
    }
    // The work is done: failing to mark it so must not turn into an error shown to the person. A
    // claim left "claimed" still turns redeliveries away until it counts as abandoned.
    await this.deps.runs.finish(JOB, key, "done", { at: this.deps.clock.now() }).catch(() => {});
    return { first: true, value };
  }
}

/** A modal's submission: the same view id and hash is the same click (a double-click, a retry). */
export const viewKey = (view: { id: string; hash?: string }): string => `view:${view.id}:${view.hash ?? ""}`;
