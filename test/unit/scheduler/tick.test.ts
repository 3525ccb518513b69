import pino from "pino";
import { describe, expect, it } from "vitest";
import { runTick } from "../../../src/scheduler/tick.js";
import { DatabaseBusyError } from "../../../src/shared/errors.js";

/** A logger whose lines the test can read, as an operator reads the bot's log. */
function recordingLog() {
  const lines: { level: number; msg: string; job?: string; result?: unknown; err?: { message: string } }[] =
    [];
  const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("runTick", () => {
  it("runs every job with the tick's instant, in order, and logs what each returned", async () => {
    const { log, lines } = recordingLog();
    const seen: string[] = [];
    const now = new Date("2026-11-24T10:00:00Z");
    const job = (name: string) => ({
      name,
      run: async (at: Date) => {
        seen.push(`${name}@${at.toISOString()}`);
        return { posted: name.length };
      },
    });
    await runTick([job("reviews"), job("alarms")], now, log);
    expect(seen).toEqual(["reviews@2026-11-24T10:00:00.000Z", "alarms@2026-11-24T10:00:00.000Z"]);
    expect(lines.map((l) => [l.msg, l.job, l.result])).toEqual([
      ["job ran", "reviews", { posted: 7 }],
      ["job ran", "alarms", { posted: 6 }],
    ]);
  });

  it("lets the event loop serve waiting work between jobs, so a request is acked mid-tick", async () => {
    const order: string[] = [];
    const job = (name: string, queue?: () => void) => ({
      name,
      run: async () => {
        order.push(name);
        queue?.();
      },
    });
    // What a request waiting for the loop stands for: queued while the first job runs.
    const request = () => setImmediate(() => order.push("ack"));
    await runTick(
      [job("reviews", request), job("alarms")],
      new Date("2026-11-24T10:00:00Z"),
      pino({ level: "silent" }),
    );
    expect(order).toEqual(["reviews", "ack", "alarms"]);
  });

  it("logs a failing job by name and still runs the jobs after it", async () => {
    const { log, lines } = recordingLog();
    const ran: string[] = [];
    await runTick(
      [
        {
          name: "digests",
          run: async () => {
            throw new Error("database is locked");
          },
        },
        { name: "alarms", run: async () => ran.push("alarms") },
      ],
      new Date("2026-11-24T10:00:00Z"),
      log,
    );
    expect(ran).toEqual(["alarms"]);
    const failure = lines.find((l) => l.level === 50);
    expect(failure).toMatchObject({
      msg: "job failed; it will run again on the next tick",
      job: "digests",
      err: { message: "database is locked" },
    });
  });

  it("stops at a busy database with a warning, and the next tick runs every job again", async () => {
    const { log, lines } = recordingLog();
    const ran: string[] = [];
    let locked = true;
    const jobs = [
      {
        name: "reviews",
        run: async () => {
          ran.push("reviews");
          if (locked) throw new DatabaseBusyError(1000);
        },
      },
      { name: "alarms", run: async () => ran.push("alarms") },
    ];
    await runTick(jobs, new Date("2026-11-24T10:00:00Z"), log);
    // The jobs after it would only wait out the same lock.
    expect(ran).toEqual(["reviews"]);
    expect(lines.filter((l) => l.level >= 40).map((l) => [l.level, l.msg, l.job])).toEqual([
      [40, "database busy; this tick stops here and the next one catches up", "reviews"],
    ]);

    locked = false;
    await runTick(jobs, new Date("2026-11-24T10:01:00Z"), log);
    expect(ran).toEqual(["reviews", "reviews", "alarms"]);
  });
});
