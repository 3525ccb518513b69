import type { Clock } from "../shared/clock.js";
import type { Job } from "./job.js";

const MINUTE_MS = 60_000;

/** One run of a job as the metrics see it. */
export interface JobRunObservation {
  job: string;
  /** how long after its tick's scheduled minute the job started (earlier jobs and a late tick add up) */
  lagSeconds: number;
  seconds: number;
  outcome: "ok" | "error";
}

/**
 * The job, reporting each run: lag against the minute the tick was scheduled for (the tick's
 * `now`, cut to the minute, as the cron fires on the minute), and its duration. The job itself,
 * and runTick's handling of its failures, are unchanged.
 */
export function observeJob(job: Job, clock: Clock, report: (o: JobRunObservation) => void): Job {
  return {
    name: job.name,
    async run(now) {
      const scheduled = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
      const lagSeconds = (clock.now().getTime() - scheduled) / 1000;
      // A duration, not an instant: the monotonic clock, which a test's ManualClock can't stand for.
      const started = performance.now();
      let outcome: "ok" | "error" = "error";
      try {
        const result = await job.run(now);
        outcome = "ok";
        return result;
      } finally {
        report({ job: job.name, lagSeconds, seconds: (performance.now() - started) / 1000, outcome });
      }
    },
  };
}
