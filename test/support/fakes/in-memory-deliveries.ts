import {
  type ChannelProblem,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  type DeliveryStore,
  type DueQuery,
  isDeliveryKind,
  type NewDelivery,
} from "../../../src/shared/deliveries.js";

type Row = Delivery & { seq: number };
const OPEN: DeliveryStatus[] = ["queued", "unknown", "blocked"];

/**
 * The outbox in memory, held to PrismaDeliveryRepository's contract (deliveries-contract.ts): the key
 * is unique, every status change is conditional and done with no `await` between its check and its
 * write, the ref goes through JSON as in the database, and every instant is the caller's.
 */
export class InMemoryDeliveryStore implements DeliveryStore {
  readonly rows = new Map<string, Row>();
  readonly problems = new Map<string, ChannelProblem>();
  private seq = 0;

  async enqueueMany(ds: readonly NewDelivery[]): Promise<number> {
    let inserted = 0;
    for (const d of ds) if (await this.enqueue(d)) inserted++;
    return inserted;
  }

  async enqueue(d: NewDelivery): Promise<boolean> {
    if (!isDeliveryKind(d.kind)) throw new Error(`unknown delivery kind ${d.kind}`);
    if ([...this.rows.values()].some((r) => r.key === d.key)) return false;
    const id = `del${String(++this.seq).padStart(6, "0")}`;
    this.rows.set(id, {
      id,
      key: d.key,
      teamId: d.teamId ?? null,
      kind: d.kind,
      ref: JSON.parse(JSON.stringify(d.ref)),
      target: d.target,
      threadTs: d.threadTs ?? null,
      status: "queued",
      attempts: 0,
      notBefore: new Date(d.notBefore),
      expiresAt: d.expiresAt ? new Date(d.expiresAt) : null,
      startedAt: null,
      channel: null,
      ts: null,
      error: "",
      createdAt: new Date(d.at),
      updatedAt: new Date(d.at),
      seq: this.seq,
    });
    return true;
  }

  async statuses(keys: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    const wanted = new Set(keys);
    return new Map([...this.rows.values()].filter((r) => wanted.has(r.key)).map((r) => [r.key, r.status]));
  }

  async due(o: DueQuery): Promise<Delivery[]> {
    const t = (d: Date | null) => d?.getTime() ?? Number.POSITIVE_INFINITY;
    const skip = new Set(o.skip ?? []);
    return [...this.rows.values()]
      .filter((r) => !skip.has(r.target))
      .filter(
        (r) =>
          (r.status === "queued" && r.notBefore.getTime() <= o.now.getTime()) ||
          (r.status === "unknown" && t(r.startedAt) < o.lookupBefore.getTime()) ||
          (r.status === "sending" && t(r.startedAt) < o.stuckBefore.getTime()),
      )
      .sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime() || a.seq - b.seq)
      .slice(0, o.limit)
      .map(copy);
  }

  async start(d: Pick<Delivery, "id" | "status" | "attempts">, at: Date): Promise<boolean> {
    const r = this.rows.get(d.id);
    if (!r || r.status !== d.status || r.attempts !== d.attempts) return false;
    Object.assign(r, {
      status: "sending",
      attempts: r.attempts + 1,
      startedAt: new Date(at),
      updatedAt: new Date(at),
    });
    return true;
  }

  async setChannel(id: string, channel: string, at: Date): Promise<void> {
    const r = this.rows.get(id);
    if (r) Object.assign(r, { channel, updatedAt: new Date(at) });
  }

  async sent(id: string, where: { channel: string; ts: string }, at: Date): Promise<void> {
    const r = this.rows.get(id);
    if (r)
      Object.assign(r, {
        status: "sent",
        channel: where.channel,
        ts: where.ts,
        error: "",
        updatedAt: new Date(at),
      });
  }

  async retry(id: string, o: { error: string; notBefore: Date; at: Date }): Promise<void> {
    this.move(id, "queued", o.error, o.at, { notBefore: new Date(o.notBefore) });
  }

  async unknown(id: string, o: { error: string; at: Date }): Promise<void> {
    this.move(id, "unknown", o.error, o.at);
  }

  async block(id: string, o: { error: string; at: Date }): Promise<void> {
    this.move(id, "blocked", o.error, o.at);
  }

  async fail(id: string, o: { error: string; at: Date }): Promise<void> {
    this.move(id, "failed", o.error, o.at);
  }

  async cancel(id: string, o: { reason: string; at: Date }): Promise<void> {
    const r = this.rows.get(id);
    if (r && [...OPEN, "sending"].includes(r.status)) {
      Object.assign(r, { status: "cancelled", error: o.reason.slice(0, 500), updatedAt: new Date(o.at) });
    }
  }

  async expire(now: Date): Promise<number> {
    let n = 0;
    for (const r of this.rows.values()) {
      if (OPEN.includes(r.status) && r.expiresAt && r.expiresAt.getTime() <= now.getTime()) {
        Object.assign(r, { status: "cancelled", error: "expired", updatedAt: new Date(now) });
        n++;
      }
    }
    return n;
  }

  async unblock(target: string, at: Date): Promise<number> {
    let n = 0;
    for (const r of this.rows.values()) {
      if (r.target === target && r.status === "blocked") {
        Object.assign(r, { status: "queued", notBefore: new Date(at), updatedAt: new Date(at) });
        n++;
      }
    }
    return n;
  }

  async findByKey(key: string): Promise<Delivery | null> {
    const r = [...this.rows.values()].find((x) => x.key === key);
    return r ? copy(r) : null;
  }

  async counts(): Promise<Record<DeliveryStatus, number>> {
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const r of this.rows.values()) counts[r.status]++;
    return counts;
  }

  async channelProblems(): Promise<ChannelProblem[]> {
    return [...this.problems.values()]
      .sort((a, b) => a.since.getTime() - b.since.getTime())
      .map((p) => structuredClone(p));
  }

  async reportProblem(p: {
    channel: string;
    teamId: string | null;
    error: string;
    at: Date;
  }): Promise<boolean> {
    if (this.problems.has(p.channel)) return false;
    this.problems.set(p.channel, {
      channel: p.channel,
      teamId: p.teamId,
      error: p.error,
      since: new Date(p.at),
      toldAt: null,
    });
    return true;
  }

  async markTold(channel: string, at: Date): Promise<void> {
    const p = this.problems.get(channel);
    if (p) p.toldAt = new Date(at);
  }

  async clearProblem(channel: string): Promise<boolean> {
    return this.problems.delete(channel);
  }

  /** Every delivery, oldest first, as reading the test database would give (for assertions). */
  all(): Delivery[] {
    return [...this.rows.values()].sort((a, b) => a.seq - b.seq).map(copy);
  }

  private move(id: string, status: DeliveryStatus, error: string, at: Date, extra: Partial<Row> = {}): void {
    const r = this.rows.get(id);
    if (r) Object.assign(r, { status, error: error.slice(0, 500), updatedAt: new Date(at), ...extra });
  }
}

function copy(r: Row): Delivery {
  const { seq: _seq, ...rest } = structuredClone(r);
  return rest;
}
