import cron from "node-cron";
import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import { type Job, runTick } from "./tick.js";

/** Starts the minute tick. node-cron's noOverlap skips a tick while the previous one still runs. */
export function startScheduler(jobs: readonly Job[], clock: Clock, log: Logger): { stop(): void } {
  const task = cron.schedule("* * * * *", () => runTick(jobs, clock.now(), log), {
    name: "ratchet-tick",
    noOverlap: true,
  });
  // Catch up at once after a start instead of waiting for the next minute.
  void runTick(jobs, clock.now(), log);
  return { stop: () => void task.stop() };
}
