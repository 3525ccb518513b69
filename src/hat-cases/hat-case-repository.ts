import { z } from "zod";
import type { Db } from "../db/client.js";
import type { HatCase, HatCaseInput } from "./hat-case.js";

export interface HatCaseRepository {
  /**
   * Writes the case unless one was already saved for this submission (`submissionKey`); either way
   * the stored case, and whether this call wrote it.
   */
  createOnce(
    input: HatCaseInput & { teamId: string; authorId: string; submissionKey: string; createdAt: Date },
  ): Promise<{ hatCase: HatCase; created: boolean }>;
  findById(id: string): Promise<HatCase | null>;
  /** Newest first. */
  listByTeam(teamId: string, limit: number): Promise<HatCase[]>;
  countByTeam(teamId: string): Promise<number>;
}

type Row = Awaited<ReturnType<Db["hatCase"]["findUniqueOrThrow"]>>;

// Stored as JSON text (the schema stays portable); a row written by hand reads as an empty list.
const items = z.array(z.string()).catch([]);
const readList = (text: string): string[] => {
  try {
    return items.parse(JSON.parse(text));
  } catch {
    return [];
  }
};

const toHatCase = (r: Row): HatCase => ({
  id: r.id,
  teamId: r.teamId,
  authorId: r.authorId,
  context: r.context,
  traits: readList(r.traits),
  symptoms: readList(r.symptoms),
  reinforcingLoops: readList(r.reinforcingLoops),
  balancingLoops: readList(r.balancingLoops),
  createdAt: r.createdAt,
});

export class PrismaHatCaseRepository implements HatCaseRepository {
  constructor(private readonly db: Db) {}

  async createOnce(
    input: HatCaseInput & { teamId: string; authorId: string; submissionKey: string; createdAt: Date },
  ) {
    const existing = await this.db.hatCase.findUnique({ where: { submissionKey: input.submissionKey } });
    if (existing) return { hatCase: toHatCase(existing), created: false };
    try {
      const row = await this.db.hatCase.create({
        data: {
          teamId: input.teamId,
          authorId: input.authorId,
          context: input.context,
          traits: JSON.stringify(input.traits),
          symptoms: JSON.stringify(input.symptoms),
          reinforcingLoops: JSON.stringify(input.reinforcingLoops),
          balancingLoops: JSON.stringify(input.balancingLoops),
          submissionKey: input.submissionKey,
          createdAt: input.createdAt,
        },
      });
      return { hatCase: toHatCase(row), created: true };
    } catch (err) {
      // Two copies of one Submit raced past the read: the unique key let one in; return that one.
      const winner = await this.db.hatCase.findUnique({ where: { submissionKey: input.submissionKey } });
      if (winner) return { hatCase: toHatCase(winner), created: false };
      throw err;
    }
  }

  async findById(id: string) {
    const row = await this.db.hatCase.findUnique({ where: { id } });
    return row ? toHatCase(row) : null;
  }

  async listByTeam(teamId: string, limit: number) {
    const rows = await this.db.hatCase.findMany({
      where: { teamId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(toHatCase);
  }

  countByTeam(teamId: string) {
    return this.db.hatCase.count({ where: { teamId } });
  }
}
