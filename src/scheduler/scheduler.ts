import cron from "node-cron";
import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import type { Job } from "./job.js";
import { runTick } from "./tick.js";

/**
 * Starts the minute tick, and runs one at once so a restart catches up without waiting a minute.
 * Ticks never overlap (the start-up one included), and `stop()` waits for a running tick: jobs
 * claim before they post, and a claim abandoned mid-post is never retried, so a deploy must not
 * cut a tick short.
 */
export function startScheduler(jobs: readonly Job[], clock: Clock, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return running;
    running = runTick(jobs, clock.now(), log).finally(() => {
      running = null;
    });
    return running;
  };
  const task = cron.schedule("* * * * *", () => void tick(), { name: "ratchet-tick" });
  void tick();
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
