import { z } from "zod";
import type { Db } from "../db/client.js";
import type { Quarter } from "../incidents/quarters.js";
import type {
  QuarterlyReview,
  QuarterlyReviewInput,
  QuarterlySchedule,
  QuarterSnapshot,
} from "./quarterly-review.js";

export interface QuarterlyReviewRepository {
  scheduleFor(teamId: string): Promise<QuarterlySchedule | null>;
  /** One schedule per team: setting a new date replaces the last one. */
  setSchedule(s: Omit<QuarterlySchedule, "id"> & { updatedBy: string; updatedAt: Date }): Promise<void>;
  /** Schedules whose opening is due at `now` (through the opensAt index), oldest first, at most `limit`. */
  listDue(now: Date, limit: number): Promise<QuarterlySchedule[]>;
  /** Clears the due instant unless the team set another date since it was read (compare-and-set). */
  markOpened(s: QuarterlySchedule): Promise<void>;
  find(teamId: string, quarter: string): Promise<QuarterlyReview | null>;
  findById(id: string): Promise<QuarterlyReview | null>;
  /** The newest review of a quarter before `quarter` ("2026-Q4" keys sort as quarters do). */
  latestBefore(teamId: string, quarter: string): Promise<QuarterlyReview | null>;
  latest(teamId: string): Promise<QuarterlyReview | null>;
  /** Creates the quarter's review, or replaces its fields and adds 1 to its revision. */
  save(
    r: QuarterlyReviewInput & { teamId: string; quarter: string; submittedBy: string; at: Date },
  ): Promise<QuarterlyReview>;
  /** What the first draft is written from: the quarter's mechanisms, outcome readings and deviations. */
  snapshot(teamId: string, q: Quarter): Promise<QuarterSnapshot>;
}

// Lists are kept as JSON text: portable across SQLite and PostgreSQL, and read back through zod.
const items = z.array(z.object({ item: z.string(), why: z.string() }));
const stayed = z.array(z.object({ item: z.string(), stayed: z.boolean() }));
const readList = <T>(schema: z.ZodType<T[]>, text: string): T[] => {
  try {
    const parsed = schema.safeParse(JSON.parse(text || "[]"));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
};

type Row = Awaited<ReturnType<Db["quarterlyReview"]["findUniqueOrThrow"]>>;
const toReview = (r: Row): QuarterlyReview => ({
  id: r.id,
  teamId: r.teamId,
  quarter: r.quarter,
  achieved: r.achieved,
  learned: r.learned,
  wentWell: r.wentWell,
  continueItems: readList(items, r.continueItems),
  newItems: readList(items, r.newItems),
  stopItems: readList(items, r.stopItems),
  stoppedCheck: readList(stayed, r.stoppedCheck),
  behaviourChanged: r.behaviourChanged,
  revision: r.revision,
  submittedBy: r.submittedBy,
  submittedAt: r.submittedAt,
});

const scheduleColumns = {
  id: true,
  teamId: true,
  localDate: true,
  localTime: true,
  opensAt: true,
  quarter: true,
} as const;

export class PrismaQuarterlyReviewRepository implements QuarterlyReviewRepository {
  constructor(private readonly db: Db) {}

  scheduleFor(teamId: string) {
    return this.db.quarterlySchedule.findUnique({ where: { teamId }, select: scheduleColumns });
  }

  async setSchedule(s: Omit<QuarterlySchedule, "id"> & { updatedBy: string; updatedAt: Date }) {
    await this.db.quarterlySchedule.upsert({ where: { teamId: s.teamId }, create: s, update: s });
  }

  listDue(now: Date, limit: number) {
    return this.db.quarterlySchedule.findMany({
      where: { opensAt: { lte: now }, team: { workspaceAway: false } },
      orderBy: { opensAt: "asc" },
      take: limit,
      select: scheduleColumns,
    });
  }

  async markOpened(s: QuarterlySchedule) {
    await this.db.quarterlySchedule.updateMany({
      where: { id: s.id, opensAt: s.opensAt },
      data: { opensAt: null },
    });
  }

  async find(teamId: string, quarter: string) {
    const row = await this.db.quarterlyReview.findUnique({ where: { teamId_quarter: { teamId, quarter } } });
    return row ? toReview(row) : null;
  }

  async findById(id: string) {
    const row = await this.db.quarterlyReview.findUnique({ where: { id } });
    return row ? toReview(row) : null;
  }

  async latestBefore(teamId: string, quarter: string) {
    const row = await this.db.quarterlyReview.findFirst({
      where: { teamId, quarter: { lt: quarter } },
      orderBy: { quarter: "desc" },
    });
    return row ? toReview(row) : null;
  }

  async latest(teamId: string) {
    const row = await this.db.quarterlyReview.findFirst({ where: { teamId }, orderBy: { quarter: "desc" } });
    return row ? toReview(row) : null;
  }

  async save(r: QuarterlyReviewInput & { teamId: string; quarter: string; submittedBy: string; at: Date }) {
    const fields = {
      achieved: r.achieved,
      learned: r.learned,
      wentWell: r.wentWell,
      continueItems: JSON.stringify(r.continueItems),
      newItems: JSON.stringify(r.newItems),
      stopItems: JSON.stringify(r.stopItems),
      stoppedCheck: JSON.stringify(r.stoppedCheck),
      behaviourChanged: r.behaviourChanged,
      submittedBy: r.submittedBy,
      submittedAt: r.at,
    };
    // One row per team and quarter (the unique key): a later submission replaces it, one revision up.
    const row = await this.db.quarterlyReview.upsert({
      where: { teamId_quarter: { teamId: r.teamId, quarter: r.quarter } },
      create: { ...fields, teamId: r.teamId, quarter: r.quarter, createdAt: r.at },
      update: { ...fields, revision: { increment: 1 } },
    });
    return toReview(row);
  }

  async snapshot(teamId: string, q: Quarter): Promise<QuarterSnapshot> {
    const inQuarter = { gte: q.start, lt: q.end };
    const [ended, mechanisms, deviations] = await Promise.all([
      this.db.mechanism.findMany({
        where: { teamId, status: { in: ["graduated", "stopped"] }, stoppedAt: inQuarter },
        select: { title: true, status: true },
        orderBy: { stoppedAt: "asc" },
      }),
      this.db.mechanism.findMany({
        where: { teamId },
        orderBy: { createdAt: "asc" },
        select: {
          title: true,
          signals: {
            where: { kind: "outcome", archivedAt: null },
            orderBy: { position: "asc" },
            select: {
              name: true,
              baseline: true,
              target: true,
              unit: true,
              readings: {
                where: { recordedAt: inQuarter },
                orderBy: { recordedAt: "desc" },
                take: 1,
                select: { value: true },
              },
            },
          },
        },
      }),
      this.db.deviation.findMany({
        where: { teamId, verdict: { in: ["promote", "retire"] }, decidedAt: inQuarter },
        orderBy: { decidedAt: "asc" },
        select: { area: true, deviation: true, verdict: true, outcome: true },
      }),
    ]);
    return {
      graduated: ended.filter((m) => m.status === "graduated").map((m) => ({ title: m.title })),
      killed: ended.filter((m) => m.status === "stopped").map((m) => ({ title: m.title })),
      outcomes: mechanisms.flatMap((m) =>
        m.signals.flatMap((s) => {
          const latest = s.readings[0]?.value;
          if (latest === undefined) return [];
          return [
            {
              mechanism: m.title,
              signal: s.name,
              baseline: s.baseline,
              target: s.target,
              latest,
              unit: s.unit,
            },
          ];
        }),
      ),
      deviations: deviations.map((d) => ({
        area: d.area,
        deviation: d.deviation,
        verdict: d.verdict === "promote" ? ("promote" as const) : ("retire" as const),
        outcome: d.outcome,
      })),
    };
  }
}
