import pino from "pino";
import { describe, expect, it } from "vitest";
import { bindJobs, type JobDefinition } from "../../../src/scheduler/job.js";
import { JOBS, type JobDeps } from "../../../src/scheduler/jobs.js";
import { runTick } from "../../../src/scheduler/tick.js";

/** Deps whose every sweep records which service ran, and with which instant. */
function recordingDeps() {
  const calls: string[] = [];
  const sweeper = (name: string) => ({
    sweep: async (now: Date) => {
      calls.push(`${name}@${now.toISOString()}`);
    },
  });
  const deps: JobDeps = {
    dueIndex: {
      beforeTick: async (now: Date) => {
        calls.push(`dueIndex@${now.toISOString()}`);
      },
    },
    reviews: sweeper("reviews"),
    deviations: sweeper("deviations"),
    debriefs: sweeper("debriefs"),
    alarms: sweeper("alarms"),
    actionItems: sweeper("actionItems"),
    incidents: {
      sweepCoeDeadlines: async (now: Date) => {
        calls.push(`incidents@${now.toISOString()}`);
      },
    },
    rollups: sweeper("rollups"),
    wbr: sweeper("wbr"),
    quarterlyReviews: sweeper("quarterlyReviews"),
    learning: sweeper("learning"),
    home: sweeper("home"),
    deliveries: {
      pass: async (now: Date) => {
        calls.push(`deliveries@${now.toISOString()}`);
      },
    },
  };
  return { deps, calls };
}

describe("the job list", () => {
  it("runs every ritual's sweep once per tick with the tick's instant, posting what they queued last", async () => {
    const { deps, calls } = recordingDeps();
    const log = pino({ level: "silent" });
    await runTick(bindJobs(JOBS, deps, log), new Date("2026-11-24T10:00:00Z"), log);
    expect(calls).toEqual(
      [
        "dueIndex",
        "reviews",
        "deviations",
        "debriefs",
        "alarms",
        "actionItems",
        "incidents",
        "rollups",
        "quarterlyReviews",
        "wbr",
        "learning",
        "deliveries",
        "home",
      ].map((s) => `${s}@2026-11-24T10:00:00.000Z`),
    );
  });

  it("names each job by a unique id, which the logs and /metrics carry", () => {
    const ids = JOBS.map((j) => j.id);
    expect(ids).toEqual([
      "due-index",
      "reviews",
      "deviations",
      "debriefs",
      "alarms",
      "action-items",
      "coe-deadlines",
      "rollups",
      "quarterly-reviews",
      "wbr",
      "learning-sessions",
      "deliveries",
      "home",
      "installations",
    ]);
    expect(JOBS.every((j) => j.every === "minute")).toBe(true);
  });
});

describe("bindJobs", () => {
  it("hands each definition its deps and a logger tagged with its id", async () => {
    const lines: { job?: string; msg: string }[] = [];
    const log = pino({ level: "info" }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const def: JobDefinition<{ greeting: string }> = {
      id: "greeter",
      every: "minute",
      run: async ({ now, deps, log }) => {
        log.info(`${deps.greeting} at ${now.toISOString()}`);
        return "done";
      },
    };
    const [job] = bindJobs([def], { greeting: "hello" }, log);
    expect(job?.name).toBe("greeter");
    expect(await job?.run(new Date("2026-11-24T10:00:00Z"))).toBe("done");
    expect(lines).toEqual([
      expect.objectContaining({ job: "greeter", msg: "hello at 2026-11-24T10:00:00.000Z" }),
    ]);
  });
});
