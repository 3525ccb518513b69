import {
  type ChannelProblem,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  type DeliveryStore,
  type DueQuery,
  isDeliveryKind,
  type NewDelivery,
} from "../shared/deliveries.js";
import type { Db } from "./client.js";
import { isUniqueViolation } from "./prisma-errors.js";

type Row = Awaited<ReturnType<Db["delivery"]["findUniqueOrThrow"]>>;

const STATUSES = new Set<string>(DELIVERY_STATUSES);
const OPEN: DeliveryStatus[] = ["queued", "unknown", "blocked"];

function toDelivery(r: Row): Delivery | null {
  if (!isDeliveryKind(r.kind) || !STATUSES.has(r.status)) return null;
  let ref: unknown;
  try {
    ref = JSON.parse(r.ref);
  } catch {
    ref = null;
  }
  return { ...r, kind: r.kind, status: r.status as DeliveryStatus, ref };
}
const toDeliveries = (rows: Row[]) => rows.flatMap((r) => toDelivery(r) ?? []);

/** Deliveries per insert statement (eleven parameters each). */
const ENQUEUE_BATCH = 80;
const newRow = (d: NewDelivery) => ({
  key: d.key,
  teamId: d.teamId ?? null,
  kind: d.kind,
  ref: JSON.stringify(d.ref),
  target: d.target,
  threadTs: d.threadTs ?? null,
  status: "queued",
  notBefore: d.notBefore,
  expiresAt: d.expiresAt ?? null,
  createdAt: d.at,
  updatedAt: d.at,
});

/** The outbox on the Delivery table; every status change is conditional, so replicas can share it. */
export class PrismaDeliveryRepository implements DeliveryStore {
  constructor(private readonly db: Db) {}

  async enqueue(d: NewDelivery): Promise<boolean> {
    try {
      await this.db.delivery.create({ data: newRow(d) });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async enqueueMany(ds: readonly NewDelivery[]): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < ds.length; i += ENQUEUE_BATCH) {
      const batch = ds.slice(i, i + ENQUEUE_BATCH);
      const taken = new Set(
        (
          await this.db.delivery.findMany({
            where: { key: { in: batch.map((d) => d.key) } },
            select: { key: true },
          })
        ).map((r) => r.key),
      );
      // First of each key only, as enqueueing them one by one would.
      const fresh = batch.filter((d) => !taken.has(d.key) && taken.add(d.key));
      try {
        inserted += (await this.db.delivery.createMany({ data: fresh.map(newRow) })).count;
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        // Another replica queued one of them meanwhile: the statement inserted nothing, so go one by one.
        for (const d of fresh) if (await this.enqueue(d)) inserted++;
      }
    }
    return inserted;
  }

  async statuses(keys: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.delivery.findMany({
      where: { key: { in: [...keys] } },
      select: { key: true, status: true },
    });
    return new Map(
      rows.flatMap((r) => (STATUSES.has(r.status) ? [[r.key, r.status as DeliveryStatus]] : [])),
    );
  }

  async due(o: DueQuery): Promise<Delivery[]> {
    const rows = await this.db.delivery.findMany({
      where: {
        ...(o.skip?.length ? { target: { notIn: [...o.skip] } } : {}),
        OR: [
          { status: "queued", notBefore: { lte: o.now } },
          { status: "unknown", startedAt: { lt: o.lookupBefore } },
          { status: "sending", startedAt: { lt: o.stuckBefore } },
        ],
      },
      orderBy: [{ notBefore: "asc" }, { id: "asc" }],
      take: o.limit,
    });
    return toDeliveries(rows);
  }

  async start(d: Pick<Delivery, "id" | "status" | "attempts">, at: Date): Promise<boolean> {
    const r = await this.db.delivery.updateMany({
      where: { id: d.id, status: d.status, attempts: d.attempts },
      data: { status: "sending", attempts: d.attempts + 1, startedAt: at, updatedAt: at },
    });
    return r.count === 1;
  }

  async setChannel(id: string, channel: string, at: Date): Promise<void> {
    await this.db.delivery.updateMany({ where: { id }, data: { channel, updatedAt: at } });
  }

  async sent(id: string, where: { channel: string; ts: string }, at: Date): Promise<void> {
    await this.db.delivery.updateMany({
      where: { id },
      data: { status: "sent", channel: where.channel, ts: where.ts, error: "", updatedAt: at },
    });
  }

  async retry(id: string, o: { error: string; notBefore: Date; at: Date }): Promise<void> {
    await this.move(id, "queued", o.error, o.at, { notBefore: o.notBefore });
  }

  async unknown(id: string, o: { error: string; at: Date }): Promise<void> {
    await this.move(id, "unknown", o.error, o.at);
  }

  async block(id: string, o: { error: string; at: Date }): Promise<void> {
    await this.move(id, "blocked", o.error, o.at);
  }

  async fail(id: string, o: { error: string; at: Date }): Promise<void> {
    await this.move(id, "failed", o.error, o.at);
  }

  async cancel(id: string, o: { reason: string; at: Date }): Promise<void> {
    await this.db.delivery.updateMany({
      where: { id, status: { in: [...OPEN, "sending"] } },
      data: { status: "cancelled", error: o.reason.slice(0, 500), updatedAt: o.at },
    });
  }

  async expire(now: Date): Promise<number> {
    const r = await this.db.delivery.updateMany({
      where: { status: { in: OPEN }, expiresAt: { lte: now } },
      data: { status: "cancelled", error: "expired", updatedAt: now },
    });
    return r.count;
  }

  async unblock(target: string, at: Date): Promise<number> {
    const r = await this.db.delivery.updateMany({
      where: { target, status: "blocked" },
      data: { status: "queued", notBefore: at, updatedAt: at },
    });
    return r.count;
  }

  async findByKey(key: string): Promise<Delivery | null> {
    const row = await this.db.delivery.findUnique({ where: { key } });
    return row ? toDelivery(row) : null;
  }

  async counts(): Promise<Record<DeliveryStatus, number>> {
    // One grouped count, served by the (status, notBefore) index.
    const groups = await this.db.delivery.groupBy({ by: ["status"], _count: { _all: true } });
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const g of groups) if (STATUSES.has(g.status)) counts[g.status as DeliveryStatus] = g._count._all;
    return counts;
  }

  async channelProblems(): Promise<ChannelProblem[]> {
    return this.db.channelProblem.findMany({ orderBy: { since: "asc" } });
  }

  async reportProblem(p: {
    channel: string;
    teamId: string | null;
    error: string;
    at: Date;
  }): Promise<boolean> {
    try {
      await this.db.channelProblem.create({
        data: { channel: p.channel, teamId: p.teamId, error: p.error, since: p.at },
      });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async markTold(channel: string, at: Date): Promise<void> {
    await this.db.channelProblem.updateMany({ where: { channel }, data: { toldAt: at } });
  }

  async clearProblem(channel: string): Promise<boolean> {
    const r = await this.db.channelProblem.deleteMany({ where: { channel } });
    return r.count > 0;
  }

  /** A status change away from "sending" (the attempt is over); the message stays, for the logs. */
  private async move(
    id: string,
    status: DeliveryStatus,
    error: string,
    at: Date,
    extra: { notBefore?: Date } = {},
  ): Promise<void> {
    await this.db.delivery.updateMany({
      where: { id },
      data: { status, error: error.slice(0, 500), updatedAt: at, ...extra },
    });
  }
}
