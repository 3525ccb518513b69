import type { Logger } from "pino";

/**
 * How often a job looks for due work. The scheduler has one tick, on the minute; a job whose posts
 * follow a local-time schedule (a team's review slot, a weekly rollup) looks every minute for what
 * has come due, so `every` is how often it looks, not when it posts. A new cadence is a type error
 * until the scheduler learns it.
 */
type Cadence = "minute";

interface JobContext<D> {
  /** the tick's instant: every job of one tick judges what is due by the same `now` */
  now: Date;
  deps: D;
  /** the composition's logger, tagged with the job's id */
  log: Logger;
}

/** A scheduled job as written in jobs.ts: safe to run twice for the same `now` (each occurrence is claimed once). */
export interface JobDefinition<D> {
  id: string;
  every: Cadence;
  run(ctx: JobContext<D>): Promise<unknown>;
}

/** A definition with its dependencies bound: what a tick runs, named by the definition's id. */
export interface Job {
  name: string;
  run(now: Date): Promise<unknown>;
}

/** Binds each definition to the composition's dependencies and logger, keeping their order. */
export function bindJobs<D>(definitions: readonly JobDefinition<D>[], deps: D, log: Logger): Job[] {
  return definitions.map((def) => {
    const jobLog = log.child({ job: def.id });
    return { name: def.id, run: (now) => def.run({ now, deps, log: jobLog }) };
  });
}
