import pino from "pino";
import { describe, expect, it } from "vitest";
import { postOnce } from "../../../src/shared/post-once.js";

function recordingLog() {
  const lines: { level: number; msg: string; err?: { message: string }; reviewId?: string }[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** A post whose steps record themselves; `fail` names the steps that throw. */
function post(fail: ("send" | "record" | "release")[] = []) {
  const steps: string[] = [];
  const step = (name: "send" | "record" | "release") => {
    steps.push(name);
    if (fail.includes(name)) throw new Error(`${name} broke`);
  };
  const { log, lines } = recordingLog();
  const run = () =>
    postOnce({
      send: async () => {
        step("send");
        return { ts: "1700000000.000001" };
      },
      record: async (sent) => {
        step("record");
        steps.push(`recorded ${sent.ts}`);
      },
      release: async () => step("release"),
      log,
      what: "review reminder",
      context: { reviewId: "r1" },
    });
  return { run, steps, lines };
}

describe("postOnce", () => {
  it("sends, then records what Slack answered", async () => {
    const p = post();
    expect(await p.run()).toBe(true);
    expect(p.steps).toEqual(["send", "record", "recorded 1700000000.000001"]);
    expect(p.lines).toEqual([]);
  });

  it("gives the claim back when the send fails, so a later tick retries", async () => {
    const p = post(["send"]);
    expect(await p.run()).toBe(false);
    expect(p.steps).toEqual(["send", "release"]);
    expect(p.lines).toEqual([
      expect.objectContaining({
        msg: "review reminder not posted; will retry",
        reviewId: "r1",
        err: expect.objectContaining({ message: "send broke" }),
      }),
    ]);
  });

  it("logs a claim it could not give back instead of throwing", async () => {
    const p = post(["send", "release"]);
    expect(await p.run()).toBe(false);
    expect(p.lines.map((l) => [l.msg, l.reviewId, l.err?.message])).toEqual([
      ["review reminder not posted; will retry", "r1", "send broke"],
      ["review reminder: could not release the claim", "r1", "release broke"],
    ]);
  });

  it("keeps the claim when the post went out but could not be recorded, so it never posts twice", async () => {
    const p = post(["record"]);
    expect(await p.run()).toBe(true);
    expect(p.steps).toEqual(["send", "record"]);
    expect(p.lines.map((l) => [l.msg, l.reviewId, l.err?.message])).toEqual([
      ["review reminder posted but not recorded; not retried, so it cannot post twice", "r1", "record broke"],
    ]);
  });
});
