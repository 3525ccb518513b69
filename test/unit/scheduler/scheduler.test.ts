import { afterEach, describe, expect, it, vi } from "vitest";
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

  describe("on the minute", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("ticks every minute, never starting a tick while one is still running", async () => {
      vi.useFakeTimers({ now: new Date("2026-11-24T10:00:30Z") });
      const clock = new ManualClock("2026-11-24T10:00:30Z");
      const starts: string[] = [];
      let release: () => void = () => {};
      const job = {
        name: "slow",
        run: async (now: Date) => {
          starts.push(now.toISOString());
          await new Promise<void>((r) => {
            release = r;
          });
        },
      };
      const scheduler = startScheduler([job], clock, createLogger("silent"));
      expect(starts).toEqual(["2026-11-24T10:00:30.000Z"]); // the start-up tick
      clock.set("2026-11-24T10:01:00Z");
      await vi.advanceTimersByTimeAsync(31_000); // 10:01 fires while the start-up tick still runs
      expect(starts).toHaveLength(1);
      release();
      await vi.advanceTimersByTimeAsync(0);
      clock.set("2026-11-24T10:02:00Z");
      await vi.advanceTimersByTimeAsync(60_000); // 10:02: the next tick runs, with the clock's now
      expect(starts).toEqual(["2026-11-24T10:00:30.000Z", "2026-11-24T10:02:00.000Z"]);
      release();
      await scheduler.stop();
    });
  });
});
