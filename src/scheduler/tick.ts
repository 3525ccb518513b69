import type { Logger } from "pino";
import { isDatabaseBusy } from "../shared/errors.js";
import { yieldToEventLoop } from "../shared/yield.js";
import type { Job } from "./job.js";

/**
 * One pass over every job. Jobs look up due work in the database by due time,
 * so a tick costs what is due, not what exists. A failing job is logged and
 * does not stop the others, except a busy database (another process holds the
 * SQLite lock): the jobs after it would only wait for the same lock, and every
 * job catches up on the next tick. Between jobs the tick yields to the event loop.
 */
export async function runTick(jobs: readonly Job[], now: Date, log: Logger): Promise<void> {
  for (const [i, job] of jobs.entries()) {
    if (i > 0) await yieldToEventLoop();
    try {
      const result = await job.run(now);
      log.debug({ job: job.name, result }, "job ran");
    } catch (err) {
      if (isDatabaseBusy(err)) {
        log.warn({ err, job: job.name }, "database busy; this tick stops here and the next one catches up");
        return;
      }
      log.error({ err, job: job.name }, "job failed; it will run again on the next tick");
    }
  }
}
