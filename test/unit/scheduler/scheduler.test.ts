import { describe, expect, it } from "vitest";
import { startScheduler } from "../../../src/scheduler/scheduler.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";

describe("scheduler", () => {
  it("runs a tick at start and stop() waits for it to finish its work", async () => {
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const job = {
      name: "slow",
      run: async () => {
        await gate;
        done.push("posted");
      },
    };
    const scheduler = startScheduler([job], new ManualClock("2026-11-24T10:00:00Z"), createLogger("silent"));
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(done).toEqual(["posted"]);
  });
});
