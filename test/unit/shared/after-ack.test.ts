import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AfterAck } from "../../../src/shared/after-ack.js";
import { createLogger } from "../../../src/shared/logger.js";
import { RequestScope, requestLogFields } from "../../../src/shared/request-context.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

/**
 * Lets the queue's pending setImmediate pumps run. Immediates run in the order they were queued, so a
 * few turns after a gate opens the queue has started what it will start: unlike setTimeout(0), whose
 * order against setImmediate Node leaves undefined, this cannot race.
 */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("after-ack queue", () => {
  it("runs at most `concurrency` side effects at once, in order, and reports idle when drained", async () => {
    const q = new AfterAck(createLogger("silent"), 2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    for (const [i, g] of gates.entries()) {
      q.run(`job ${i}`, async () => {
        started.push(i);
        await g.promise;
      });
    }
    await turns();
    expect(started).toEqual([0, 1]);
    gates[0]?.resolve();
    await turns();
    expect(started).toEqual([0, 1, 2]);
    let idle = false;
    const waiting = q.idle().then(() => {
      idle = true;
    });
    gates[1]?.resolve();
    await turns();
    expect(idle).toBe(false);
    gates[2]?.resolve();
    await waiting;
    expect(idle).toBe(true);
  });

  it("on stop, lets running work finish, drops and names what has not started, and takes no more", async () => {
    const q = new AfterAck(createLogger("silent"), 1);
    const gate = deferred();
    const ran: string[] = [];
    q.run("running", async () => {
      await gate.promise;
      ran.push("running");
    });
    q.run("queued", async () => {
      ran.push("queued");
    });
    await turns();
    expect(q.stop()).toEqual(["queued"]);
    q.run("late", async () => {
      ran.push("late");
    });
    gate.resolve();
    await q.idle();
    await turns();
    expect(ran).toEqual(["running"]);
  });

  it("keeps going after a failing side effect", async () => {
    const q = new AfterAck(createLogger("silent"), 1);
    const ran: string[] = [];
    q.run("fails", async () => {
      throw new Error("slack said no");
    });
    q.run("next", async () => {
      ran.push("next");
    });
    await q.idle();
    expect(ran).toEqual(["next"]);
  });

  it("runs queued work, and logs its failure, as the request that queued it, whichever request's turn runs it", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      "info",
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
          done();
        },
      }),
    );
    const q = new AfterAck(log, 1);
    const gate = deferred();
    const seen: unknown[] = [];
    const a = new RequestScope({ requestId: "req-a", surface: "view" });
    const b = new RequestScope({ requestId: "req-b", surface: "action" });
    a.run(() =>
      q.run("a", async () => {
        seen.push(requestLogFields().requestId);
        await gate.promise;
      }),
    );
    // B's work waits behind A's; A finishing is what starts it.
    b.run(() =>
      q.run("b", async () => {
        seen.push(requestLogFields().requestId);
        throw new Error("slack said no");
      }),
    );
    await turns();
    gate.resolve();
    await q.idle();
    expect(seen).toEqual(["req-a", "req-b"]);
    expect(lines.find((l) => l.msg === "after-ack work failed")).toMatchObject({
      requestId: "req-b",
      surface: "action",
      work: "b",
    });
  });
});
