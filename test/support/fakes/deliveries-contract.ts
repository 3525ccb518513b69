import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Delivery, DeliveryStore, NewDelivery } from "../../../src/shared/deliveries.js";
import type { OpenRepositories, RepositoryImplementation } from "../repositories.js";

/**
 * The outbox's contract (DeliveryStore), run against the in-memory fake (test/unit/fakes) and the
 * Prisma repository on SQLite and PostgreSQL (test/db). Every status change is conditional, so two
 * workers (or replicas) racing for one delivery never both send it.
 */
export function describeDeliveriesContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const T0 = new Date("2031-07-15T03:04:05.678Z");
  const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

  const delivery = (o: Partial<NewDelivery> = {}): NewDelivery =>
    ({
      key: "review:r1",
      kind: "review_due",
      ref: { reviewId: "r1" },
      target: "C0TEAM",
      teamId: "team1",
      notBefore: T0,
      expiresAt: at(3600),
      at: T0,
      ...o,
    }) as NewDelivery;

  describe(`DeliveryStore contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let s: DeliveryStore;
    beforeEach(async () => {
      open = await impl.open();
      s = open.repos.deliveries;
    });
    afterEach(async () => open?.close());

    const only = async (key = "review:r1"): Promise<Delivery> => {
      const d = await s.findByKey(key);
      if (!d) throw new Error(`no delivery ${key}`);
      return d;
    };
    const due = (now: Date, o: { lookupBefore?: Date; stuckBefore?: Date; limit?: number } = {}) =>
      s.due({
        now,
        lookupBefore: o.lookupBefore ?? T0,
        stuckBefore: o.stuckBefore ?? T0,
        limit: o.limit ?? 100,
      });

    describe("enqueue", () => {
      it("stores a queued delivery with its reference and the caller's instants, and the key is its claim", async () => {
        expect(await s.enqueue(delivery())).toBe(true);
        expect(await s.enqueue(delivery({ target: "C0ELSE" }))).toBe(false);
        const d = await only();
        expect(d).toMatchObject({
          key: "review:r1",
          kind: "review_due",
          ref: { reviewId: "r1" },
          target: "C0TEAM",
          teamId: "team1",
          threadTs: null,
          status: "queued",
          attempts: 0,
          startedAt: null,
          channel: null,
          ts: null,
          error: "",
        });
        expect([d.notBefore, d.expiresAt, d.createdAt, d.updatedAt].map((x) => x?.toISOString())).toEqual([
          T0.toISOString(),
          at(3600).toISOString(),
          T0.toISOString(),
          T0.toISOString(),
        ]);
      });

      it("lets exactly one of several concurrent enqueues of a key insert it", async () => {
        const wins = await Promise.all([1, 2, 3, 4].map(() => s.enqueue(delivery())));
        expect(wins.filter(Boolean)).toHaveLength(1);
      });

      it("enqueues many at once: each key once, the existing and repeated ones skipped, as one by one", async () => {
        await s.enqueue(delivery({ key: "review:r0" }));
        const many = Array.from({ length: 200 }, (_, i) =>
          delivery({ key: `review:r${i}`, ref: { reviewId: `r${i}` }, target: `C${i}` }),
        );
        // r5 repeated with another target: the first one is the one kept.
        expect(await s.enqueueMany([...many, delivery({ key: "review:r5", target: "C0ELSE" })])).toBe(199);
        expect(await s.enqueueMany(many)).toBe(0);
        expect(await s.enqueueMany([])).toBe(0);
        expect((await s.statuses(many.map((d) => d.key))).size).toBe(200);
        expect(await only("review:r5")).toMatchObject({
          target: "C5",
          ref: { reviewId: "r5" },
          status: "queued",
        });
        expect((await only("review:r0")).target).toBe("C0TEAM");
      });

      it("lets each key in concurrent batches be inserted exactly once", async () => {
        const batch = (from: number) =>
          Array.from({ length: 30 }, (_, i) =>
            delivery({ key: `review:r${from + i}`, ref: { reviewId: "x" } }),
          );
        const counts = await Promise.all([0, 10, 20].map((from) => s.enqueueMany(batch(from))));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
      });

      it("reports statuses only for keys that have a delivery", async () => {
        await s.enqueue(delivery());
        await s.enqueue(delivery({ key: "alarm:a1", kind: "alarm", ref: { alarmId: "a1" } }));
        const statuses = await s.statuses(["review:r1", "alarm:a1", "nope"]);
        expect(Object.fromEntries(statuses)).toEqual({ "review:r1": "queued", "alarm:a1": "queued" });
        expect((await s.statuses([])).size).toBe(0);
      });
    });

    describe("due", () => {
      it("lists queued deliveries due by now, earliest first, up to the limit", async () => {
        await s.enqueue(delivery({ key: "k-late", notBefore: at(60) }));
        await s.enqueue(delivery({ key: "k-b", notBefore: at(10) }));
        await s.enqueue(delivery({ key: "k-a", notBefore: at(5) }));
        await s.enqueue(delivery({ key: "k-tie", notBefore: at(10) }));
        expect((await due(at(30))).map((d) => d.key)).toEqual(["k-a", "k-b", "k-tie"]);
        expect((await due(at(30), { limit: 2 })).map((d) => d.key)).toEqual(["k-a", "k-b"]);
        expect((await due(at(0))).map((d) => d.key)).toEqual([]);
      });

      it("lists an unknown delivery only once its attempt is older than lookupBefore", async () => {
        await s.enqueue(delivery());
        const d = await only();
        await s.start(d, at(10));
        await s.unknown(d.id, { error: "timeout", at: at(15) });
        expect(await due(at(20), { lookupBefore: at(10) })).toEqual([]);
        expect((await due(at(50), { lookupBefore: at(20) })).map((x) => x.status)).toEqual(["unknown"]);
      });

      it("lists a delivery stuck in sending only once it is older than stuckBefore (its process died)", async () => {
        await s.enqueue(delivery());
        await s.start(await only(), at(10));
        expect(await due(at(20), { stuckBefore: at(10) })).toEqual([]);
        expect((await due(at(400), { stuckBefore: at(200) })).map((x) => x.status)).toEqual(["sending"]);
      });

      it("leaves out the targets it is told to skip (channels this process is serving)", async () => {
        await s.enqueue(delivery({ key: "k-team" }));
        await s.enqueue(delivery({ key: "k-pay", target: "C0PAY" }));
        await s.enqueue(delivery({ key: "k-dm", target: "U0DM" }));
        const keys = async (skip?: string[]) =>
          (await s.due({ now: T0, lookupBefore: T0, stuckBefore: T0, limit: 10, skip })).map((d) => d.key);
        expect(await keys(["C0TEAM", "U0DM"])).toEqual(["k-pay"]);
        expect(await keys([])).toEqual(["k-team", "k-pay", "k-dm"]);
        expect(await keys()).toEqual(["k-team", "k-pay", "k-dm"]);
      });

      it("never lists sent, failed, cancelled or blocked deliveries", async () => {
        for (const [key, move] of [
          ["k-sent", (id: string) => s.sent(id, { channel: "C0TEAM", ts: "1.1" }, at(1))],
          ["k-failed", (id: string) => s.fail(id, { error: "invalid_blocks", at: at(1) })],
          ["k-cancel", (id: string) => s.cancel(id, { reason: "moot", at: at(1) })],
          ["k-block", (id: string) => s.block(id, { error: "not_in_channel", at: at(1) })],
        ] as const) {
          await s.enqueue(delivery({ key }));
          await move((await only(key)).id);
        }
        expect(await due(at(9999), { lookupBefore: at(9999), stuckBefore: at(9999) })).toEqual([]);
      });
    });

    describe("attempts", () => {
      it("lets exactly one of two workers start the same delivery, and counts the attempt", async () => {
        await s.enqueue(delivery());
        const d = await only();
        const both = await Promise.all([s.start(d, at(1)), s.start(d, at(1))]);
        expect(both.filter(Boolean)).toHaveLength(1);
        const now = await only();
        expect(now).toMatchObject({ status: "sending", attempts: 1 });
        expect(now.startedAt?.toISOString()).toBe(at(1).toISOString());
      });

      it("refuses to start a delivery whose status or attempts changed since it was read", async () => {
        await s.enqueue(delivery());
        const read = await only();
        await s.start(read, at(1));
        await s.retry(read.id, { error: "ratelimited", notBefore: at(30), at: at(2) });
        expect(await s.start(read, at(3))).toBe(false); // attempts moved on
        expect(await s.start({ ...read, attempts: 1, status: "sending" }, at(3))).toBe(false); // status moved on
        expect(await s.start({ ...read, attempts: 1 }, at(3))).toBe(true);
      });

      it("records where it landed and the ts; the channel of a DM is kept for a lookup", async () => {
        await s.enqueue(delivery({ target: "U0OWNER" }));
        const d = await only();
        await s.start(d, at(1));
        await s.setChannel(d.id, "D0OWNER", at(1));
        expect((await only()).channel).toBe("D0OWNER");
        await s.sent(d.id, { channel: "D0OWNER", ts: "1700000000.000100" }, at(2));
        expect(await only()).toMatchObject({
          status: "sent",
          channel: "D0OWNER",
          ts: "1700000000.000100",
          error: "",
        });
        expect((await only()).updatedAt.toISOString()).toBe(at(2).toISOString());
      });

      it("a retry goes back to the queue at notBefore, keeping the error", async () => {
        await s.enqueue(delivery());
        const d = await only();
        await s.start(d, at(1));
        await s.retry(d.id, { error: "ratelimited", notBefore: at(31), at: at(1) });
        expect(await only()).toMatchObject({ status: "queued", attempts: 1, error: "ratelimited" });
        expect((await only()).notBefore.toISOString()).toBe(at(31).toISOString());
        expect(await due(at(30))).toEqual([]);
        expect((await due(at(31))).map((x) => x.key)).toEqual(["review:r1"]);
      });

      it("keeps an error to 500 characters", async () => {
        await s.enqueue(delivery());
        const d = await only();
        await s.fail(d.id, { error: "x".repeat(700), at: at(1) });
        expect((await only()).error).toHaveLength(500);
      });
    });

    describe("expiry, cancelling and blocking", () => {
      it("expires open deliveries (queued, unknown, blocked) whose expiresAt has passed, and no others", async () => {
        await s.enqueue(delivery({ key: "queued", expiresAt: at(10) }));
        await s.enqueue(delivery({ key: "unknown", expiresAt: at(10) }));
        await s.enqueue(delivery({ key: "blocked", expiresAt: at(10) }));
        await s.enqueue(delivery({ key: "sent", expiresAt: at(10) }));
        await s.enqueue(delivery({ key: "later", expiresAt: at(100) }));
        await s.enqueue(delivery({ key: "never", expiresAt: null }));
        await s.unknown((await only("unknown")).id, { error: "timeout", at: at(1) });
        await s.block((await only("blocked")).id, { error: "not_in_channel", at: at(1) });
        await s.sent((await only("sent")).id, { channel: "C0TEAM", ts: "1.1" }, at(1));
        expect(await s.expire(at(10))).toBe(3);
        const statuses = await s.statuses(["queued", "unknown", "blocked", "sent", "later", "never"]);
        expect(Object.fromEntries(statuses)).toEqual({
          queued: "cancelled",
          unknown: "cancelled",
          blocked: "cancelled",
          sent: "sent",
          later: "queued",
          never: "queued",
        });
        expect((await only("queued")).error).toBe("expired");
      });

      it("cancels an open or sending delivery, never a sent or failed one", async () => {
        await s.enqueue(delivery({ key: "a" }));
        await s.enqueue(delivery({ key: "b" }));
        await s.start(await only("a"), at(1));
        await s.cancel((await only("a")).id, { reason: "no longer wanted", at: at(2) });
        expect(await only("a")).toMatchObject({ status: "cancelled", error: "no longer wanted" });
        await s.sent((await only("b")).id, { channel: "C0TEAM", ts: "1.2" }, at(1));
        await s.cancel((await only("b")).id, { reason: "late", at: at(2) });
        expect((await only("b")).status).toBe("sent");
      });

      it("unblocks a channel's blocked deliveries back into the queue, due at once", async () => {
        await s.enqueue(delivery({ key: "a", target: "C0TEAM" }));
        await s.enqueue(delivery({ key: "b", target: "C0TEAM" }));
        await s.enqueue(delivery({ key: "c", target: "C0OTHER" }));
        for (const k of ["a", "c"]) await s.block((await only(k)).id, { error: "not_in_channel", at: at(1) });
        expect(await s.unblock("C0TEAM", at(50))).toBe(1);
        expect(Object.fromEntries(await s.statuses(["a", "b", "c"]))).toEqual({
          a: "queued",
          b: "queued",
          c: "blocked",
        });
        expect((await only("a")).notBefore.toISOString()).toBe(at(50).toISOString());
      });
    });

    describe("counts", () => {
      it("names every status, with 0 for an empty outbox", async () => {
        expect(await s.counts()).toEqual({
          queued: 0,
          sending: 0,
          unknown: 0,
          sent: 0,
          blocked: 0,
          failed: 0,
          cancelled: 0,
        });
      });

      it("counts the deliveries in each status as they move", async () => {
        for (const key of ["a", "b", "c", "d", "e", "f"]) await s.enqueue(delivery({ key }));
        await s.start(await only("b"), at(1));
        await s.start(await only("c"), at(1));
        await s.unknown((await only("c")).id, { error: "timeout", at: at(2) });
        await s.sent((await only("d")).id, { channel: "C0TEAM", ts: "1.1" }, at(2));
        await s.block((await only("e")).id, { error: "not_in_channel", at: at(2) });
        await s.fail((await only("f")).id, { error: "invalid_blocks", at: at(2) });
        expect(await s.counts()).toEqual({
          queued: 1,
          sending: 1,
          unknown: 1,
          sent: 1,
          blocked: 1,
          failed: 1,
          cancelled: 0,
        });
        await s.cancel((await only("a")).id, { reason: "moot", at: at(3) });
        expect(await s.counts()).toMatchObject({ queued: 0, cancelled: 1 });
      });
    });

    describe("channel problems", () => {
      it("records a channel's problem once, with the caller's time, until it is cleared", async () => {
        expect(
          await s.reportProblem({ channel: "C0TEAM", teamId: "team1", error: "not_in_channel", at: at(1) }),
        ).toBe(true);
        expect(
          await s.reportProblem({ channel: "C0TEAM", teamId: "team1", error: "is_archived", at: at(2) }),
        ).toBe(false);
        await s.markTold("C0TEAM", at(3));
        const [p] = await s.channelProblems();
        expect(p).toMatchObject({ channel: "C0TEAM", teamId: "team1", error: "not_in_channel" });
        expect([p?.since.toISOString(), p?.toldAt?.toISOString()]).toEqual([
          at(1).toISOString(),
          at(3).toISOString(),
        ]);
        expect(await s.clearProblem("C0TEAM")).toBe(true);
        expect(await s.clearProblem("C0TEAM")).toBe(false);
        expect(await s.channelProblems()).toEqual([]);
      });

      it("lists problems oldest first", async () => {
        await s.reportProblem({ channel: "C0B", teamId: null, error: "is_archived", at: at(5) });
        await s.reportProblem({ channel: "C0A", teamId: null, error: "not_in_channel", at: at(1) });
        expect((await s.channelProblems()).map((p) => p.channel)).toEqual(["C0A", "C0B"]);
      });
    });
  });
}
