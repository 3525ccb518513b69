import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/shared/clock.js";
import type { NewDelivery } from "../../../src/shared/deliveries.js";
import { md } from "../../../src/slack/blocks/mrkdwn.js";
import { testDelivery } from "../../support/delivery.js";
import { InMemoryDeliveryStore } from "../../support/fakes/in-memory-deliveries.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

// The deliverer over the in-memory store and a recording Slack, pass by pass: what happens between a
// post and its record when a process dies, and before an ambiguous post is sent again. The e2e suite
// (test/e2e/delivery.test.ts) runs the same through HTTP and the fake Slack; the chaos run
// (scripts/chaos.ts) with real processes.

const T0 = new Date("2027-03-10T09:00:00Z");
const STUCK_MS = 180_000;
const LOOKUP_MS = 30_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const KEY = "quota:team-1:4";

const quota: NewDelivery<"quota_reminder"> = {
  key: KEY,
  kind: "quota_reminder",
  ref: { teamId: "team-1", cycle: 4 },
  target: "C0TEAM",
  teamId: "team-1",
  notBefore: T0,
  at: T0,
};

/** One database and one Slack; `process()` is a replica: its own deliverer over them. */
function world() {
  const clock = new ManualClock(T0);
  const notifier = new RecordingNotifier();
  const store = new InMemoryDeliveryStore();
  const recorded: string[] = [];
  const process = (o: { dies?: boolean } = {}) => {
    const d = testDelivery({
      notifier,
      clock,
      store,
      options: { stuckAfterMs: STUCK_MS, lookupAfterMs: LOOKUP_MS },
    });
    d.handle({
      quota_reminder: {
        resolve: async () => ({
          teamId: "team-1",
          cycle: { start: T0, end: at(7 * 86_400_000) },
          timezone: "UTC",
        }),
        // A process that dies while recording never gets past this point.
        delivered: async (_ref, where) => {
          if (o.dies) await new Promise<void>(() => {});
          recorded.push(where.ts);
        },
      },
    });
    return d;
  };
  return { clock, notifier, store, recorded, process };
}

const statusOf = async (store: InMemoryDeliveryStore) => (await store.findByKey(KEY))?.status;
const tick = () => new Promise((r) => setTimeout(r, 20));

describe("Deliverer: channels do not wait on each other", () => {
  it("serves a channel queued while another channel's post is still in flight, without waiting for it", async () => {
    const w = world();
    const stuck = w.process({ dies: true }); // C0TEAM's turn never ends
    await stuck.outbox.enqueue(quota);
    void stuck.deliver(T0);
    await tick();
    expect(w.notifier.posts.map((p) => p.channel)).toEqual(["C0TEAM"]);

    await stuck.outbox.enqueue({ ...quota, key: "quota:team-2:4", target: "C0PAY", teamId: "team-2" });
    void stuck.deliver(at(1000));
    await tick();
    expect(w.notifier.posts.map((p) => p.channel)).toEqual(["C0TEAM", "C0PAY"]);
  });
});

describe("Deliverer: a pass never waits on itself", () => {
  it("finishes when a held channel lets go while the same pass is still reading", async () => {
    const clock = new ManualClock(T0);
    const notifier = new RecordingNotifier();
    const store = new InMemoryDeliveryStore();
    const d = testDelivery({ notifier, clock, store });
    let releaseFirst = () => {};
    const firstRecorded = new Promise<void>((r) => {
      releaseFirst = r;
    });
    let first = true;
    d.handle({
      quota_reminder: {
        resolve: async () => ({
          teamId: "team-1",
          cycle: { start: T0, end: at(7 * 86_400_000) },
          timezone: "UTC",
        }),
        // The first post's record hangs until released: its channel stays held meanwhile.
        delivered: async () => {
          if (!first) return;
          first = false;
          await firstRecorded;
        },
      },
    });
    await d.outbox.enqueue(quota);
    void d.deliver(T0);
    await tick();
    await d.outbox.enqueue({ ...quota, key: "quota:team-1:5" });
    await d.outbox.enqueue({ ...quota, key: "quota:team-2:4", target: "C0PAY", teamId: "team-2" });

    // The next pass reads twice (a second call asks it to); its second read waits at a gate.
    const due = store.due.bind(store);
    let reads = 0;
    let openGate = () => {};
    const gate = new Promise<void>((r) => {
      openGate = r;
    });
    store.due = async (o) => {
      if (++reads === 2) await gate;
      return due(o);
    };
    const pass = d.deliver(at(1000));
    void d.deliver(at(1000));
    await tick();
    expect(reads).toBe(2);
    releaseFirst(); // C0TEAM lets go while that pass is still reading
    await tick();
    openGate();

    const outcome = await Promise.race([
      pass.then(() => "finished"),
      new Promise((r) => setTimeout(() => r("waiting on itself"), 2000)),
    ]);
    expect(outcome).toBe("finished");
    expect(notifier.posts.map((p) => p.channel)).toEqual(["C0TEAM", "C0PAY", "C0TEAM"]);
  });
});

describe("Deliverer: a post and its record", () => {
  it("records where a post landed before marking it sent, so a process killed in between is healed by a lookup", async () => {
    const w = world();
    const dying = w.process({ dies: true });
    await dying.outbox.enqueue(quota);
    void dying.deliver(T0);
    await tick();
    expect(w.notifier.posts).toHaveLength(1);
    // Not "sent": nothing was recorded yet.
    expect(await statusOf(w.store)).toBe("sending");

    const next = w.process();
    // Too early: the post may still be on its way.
    await next.deliver(at(STUCK_MS - 1000));
    expect(w.notifier.calls.filter((c) => c.method === "findPosted")).toHaveLength(0);
    // Stuck: looked up, found, recorded, and not posted again.
    await next.deliver(at(STUCK_MS + 1000));
    expect(w.notifier.posts).toHaveLength(1);
    expect(w.recorded).toEqual([w.notifier.posts[0]?.ts]);
    expect(await statusOf(w.store)).toBe("sent");
  });

  it("looks an ambiguous post up before sending again: found is recorded, not found is sent once more", async () => {
    const w = world();
    const p = w.process();
    await p.outbox.enqueue(quota);
    w.notifier.failNext("post", "internal_error");
    await p.deliver(T0);
    expect(await statusOf(w.store)).toBe("unknown");
    // Not looked up before Slack has had time to store it.
    await p.deliver(at(LOOKUP_MS - 1000));
    expect(w.notifier.posts).toHaveLength(0);
    await p.deliver(at(LOOKUP_MS + 1000));
    expect(w.notifier.calls.map((c) => c.method)).toEqual(["post", "findPosted", "post"]);
    expect(w.notifier.posts).toHaveLength(1);
    expect(await statusOf(w.store)).toBe("sent");

    // Slack did store it this time (its answer was lost): the lookup finds it, nothing is re-sent.
    const v = world();
    const q = v.process();
    await q.outbox.enqueue(quota);
    v.notifier.failNext("post", "internal_error");
    await q.deliver(T0);
    await v.notifier.post("C0TEAM", { text: md`Novelty quota`, blocks: [] }, { key: KEY });
    await q.deliver(at(LOOKUP_MS + 1000));
    expect(v.notifier.posts).toHaveLength(1);
    expect(v.recorded).toEqual([v.notifier.posts[0]?.ts]);
    expect(await statusOf(v.store)).toBe("sent");
  });
});

/** A process whose first post's record waits until `release()`: its worker holds that channel meanwhile. */
function heldFirstPost() {
  const w = world();
  let release = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const d = testDelivery({ notifier: w.notifier, clock: w.clock, store: w.store });
  let first = true;
  d.handle({
    quota_reminder: {
      resolve: async ({ teamId }) => ({ teamId, cycle: { start: T0, end: at(86_400_000) }, timezone: "UTC" }),
      delivered: async () => {
        if (!first) return;
        first = false;
        await gate;
      },
    },
  });
  return { w, d, release: () => release() };
}

describe("Deliverer: a busy channel's backlog", () => {
  it("is left out of the reads while a worker holds the channel, and posted once its turn ends", async () => {
    const { w, d, release } = heldFirstPost();
    const reads: string[][] = [];
    const due = w.store.due.bind(w.store);
    w.store.due = async (o) => {
      const rows = await due(o);
      reads.push(rows.map((r) => r.target));
      return rows;
    };
    const one = (i: number, target = "C0TEAM") => ({ ...quota, key: `quota:${target}:${i}`, target });
    await d.outbox.enqueue(one(0));
    const held = d.deliver(T0);
    await tick();
    expect(w.notifier.posts).toHaveLength(1);
    for (let i = 1; i <= 30; i++) await d.outbox.enqueue(one(i));
    await d.outbox.enqueue(one(0, "C0PAY"));
    // Passes a kick or a tick would run; each waits for C0TEAM's turn, so none is awaited here.
    const passes = Array.from({ length: 10 }, (_, i) => d.deliver(at(1000 + i)));
    await tick();
    // Every read during the hold left C0TEAM's 30 out; C0PAY, free, was served at once.
    expect(
      reads
        .slice(1)
        .flat()
        .filter((t) => t === "C0TEAM"),
    ).toEqual([]);
    expect(w.notifier.posts.map((p) => p.channel)).toEqual(["C0TEAM", "C0PAY"]);
    release();
    await Promise.all([held, ...passes]);
    await d.deliverer.idle();
    expect(w.notifier.posts.filter((p) => p.channel === "C0TEAM")).toHaveLength(31);
  });

  it("reads a held channel again when its turn ends while a read that left it out is under way", async () => {
    const { w, d, release } = heldFirstPost();
    const due = w.store.due.bind(w.store);
    let reads = 0;
    w.store.due = async (o) => {
      reads++;
      // The second read left C0TEAM out; its turn ends while that read is still in flight.
      if (reads === 2) {
        release();
        await new Promise((r) => setTimeout(r, 20));
      }
      return due(o);
    };
    await w.store.enqueue({ ...quota, key: "quota:a" });
    const held = d.deliver(T0);
    await tick();
    await w.store.enqueue({ ...quota, key: "quota:b" });
    const second = d.deliver(at(1000));
    await Promise.all([held, second]);
    await d.deliverer.idle();
    // Posted without another pass from a kick or a tick.
    expect(w.notifier.posts.map((p) => p.channel)).toEqual(["C0TEAM", "C0TEAM"]);
  });
});
