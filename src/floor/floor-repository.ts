import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import {
  asFloorKind,
  type FloorKind,
  type FloorSources,
  type Retirement,
  type Slice,
  type TypedDefault,
} from "./floor.js";

export interface NewDefault {
  teamId: string;
  kind: FloorKind;
  text: string;
  why: string;
  addedBy: string;
  createdAt: Date;
}

export interface FloorRepository {
  /** Every source of the team's Floor (typed defaults, promoted deviations, graduations) and its retirements. */
  sources(teamId: string): Promise<FloorSources>;
  /** The team's active mechanisms (the Ceiling's slices), oldest first. */
  slices(teamId: string): Promise<Slice[]>;
  countDeviationsInCycle(teamId: string, cycleIndex: number): Promise<number>;
  addDefault(input: NewDefault): Promise<TypedDefault>;
  /** Records the retirement; false when the entry was already retired (nothing changes). */
  retire(o: { teamId: string; ref: string } & Retirement): Promise<boolean>;
}

export class PrismaFloorRepository implements FloorRepository {
  constructor(private readonly db: Db) {}

  async sources(teamId: string): Promise<FloorSources> {
    const [typed, deviations, mechanisms, graduations, retirements] = await Promise.all([
      this.db.floorDefault.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } }),
      this.db.deviation.findMany({
        where: { teamId, verdict: "promote" },
        select: {
          id: true,
          area: true,
          deviation: true,
          hypothesis: true,
          outcome: true,
          ownerId: true,
          decidedAt: true,
          createdAt: true,
        },
      }),
      this.db.mechanism.findMany({
        where: { teamId, status: "graduated" },
        select: { id: true, title: true, stoppedAt: true, createdAt: true, createdBy: true },
      }),
      // Newest first, so the first one seen per mechanism is the graduation that stands.
      this.db.decision.findMany({
        where: { decision: "graduate", mechanism: { teamId, status: "graduated" } },
        orderBy: { decidedAt: "desc" },
        select: {
          mechanismId: true,
          changeDetail: true,
          why: true,
          entry: true,
          decidedBy: true,
          decidedAt: true,
        },
      }),
      this.db.floorRetirement.findMany({ where: { teamId } }),
    ]);
    const graduationOf = new Map<string, (typeof graduations)[number]>();
    for (const g of graduations) if (!graduationOf.has(g.mechanismId)) graduationOf.set(g.mechanismId, g);
    return {
      typed: typed.map((t) => ({ ...t, kind: asFloorKind(t.kind) })),
      deviations,
      mechanisms: mechanisms.map((m) => ({ ...m, graduation: graduationOf.get(m.id) ?? null })),
      retirements: new Map(
        retirements.map((r) => [r.ref, { reason: r.reason, by: r.retiredBy, at: r.retiredAt }]),
      ),
    };
  }

  slices(teamId: string): Promise<Slice[]> {
    return this.db.mechanism.findMany({
      where: { teamId, status: "active" },
      orderBy: { createdAt: "asc" },
      select: { id: true, title: true, checkpointRule: true, nextReviewAt: true },
    });
  }

  countDeviationsInCycle(teamId: string, cycleIndex: number): Promise<number> {
    return this.db.deviation.count({ where: { teamId, cycleIndex } });
  }

  async addDefault(input: NewDefault): Promise<TypedDefault> {
    const row = await this.db.floorDefault.create({ data: input });
    return { ...row, kind: asFloorKind(row.kind) };
  }

  async retire(o: { teamId: string; ref: string } & Retirement): Promise<boolean> {
    try {
      await this.db.floorRetirement.create({
        data: { teamId: o.teamId, ref: o.ref, reason: o.reason, retiredBy: o.by, retiredAt: o.at },
      });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
