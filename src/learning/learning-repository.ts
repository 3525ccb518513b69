import type { Db } from "../db/client.js";
import type { LearningSession, LinksInput } from "./learning-session.js";

export interface NewSession {
  teamId: string;
  slackTeamId: string;
  topic: string;
  speakerId: string;
  startsAt: Date;
  timezone: string;
  durationMinutes: number;
  channels: string[];
  createdBy: string;
  createdAt: Date;
  nextDueAt: Date | null;
}

export interface LearningRepository {
  create(s: NewSession): Promise<LearningSession>;
  findById(id: string): Promise<LearningSession | null>;
  /** The workspace's sessions starting at or after `from`, soonest first. */
  upcoming(slackTeamId: string, from: Date, limit: number): Promise<LearningSession[]>;
  /** The workspace's sessions that started before `before`, newest first. */
  past(slackTeamId: string, before: Date, limit: number): Promise<LearningSession[]>;
  /** Sessions whose due index is at or before `now` (through its index), oldest due first. */
  due(now: Date, limit: number): Promise<LearningSession[]>;
  /** Moves the due index on only if it still reads `from`: of two sweeps, one acts. */
  advance(id: string, from: Date, to: Date | null): Promise<boolean>;
  setLinks(id: string, links: LinksInput): Promise<LearningSession | null>;
}

type Row = Awaited<ReturnType<Db["learningSession"]["findUniqueOrThrow"]>>;
const toSession = (r: Row): LearningSession => ({
  ...r,
  channels: r.channels.split(",").filter(Boolean),
});

export class PrismaLearningRepository implements LearningRepository {
  constructor(private readonly db: Db) {}

  async create(s: NewSession) {
    const row = await this.db.learningSession.create({ data: { ...s, channels: s.channels.join(",") } });
    return toSession(row);
  }

  async findById(id: string) {
    const row = await this.db.learningSession.findUnique({ where: { id } });
    return row ? toSession(row) : null;
  }

  async upcoming(slackTeamId: string, from: Date, limit: number) {
    const rows = await this.db.learningSession.findMany({
      where: { slackTeamId, startsAt: { gte: from } },
      orderBy: { startsAt: "asc" },
      take: limit,
    });
    return rows.map(toSession);
  }

  async past(slackTeamId: string, before: Date, limit: number) {
    const rows = await this.db.learningSession.findMany({
      where: { slackTeamId, startsAt: { lt: before } },
      orderBy: { startsAt: "desc" },
      take: limit,
    });
    return rows.map(toSession);
  }

  async due(now: Date, limit: number) {
    const rows = await this.db.learningSession.findMany({
      where: { nextDueAt: { lte: now }, team: { workspaceAway: false } },
      orderBy: { nextDueAt: "asc" },
      take: limit,
    });
    return rows.map(toSession);
  }

  async advance(id: string, from: Date, to: Date | null) {
    const res = await this.db.learningSession.updateMany({
      where: { id, nextDueAt: from },
      data: { nextDueAt: to },
    });
    return res.count === 1;
  }

  async setLinks(id: string, links: LinksInput) {
    const res = await this.db.learningSession.updateMany({ where: { id }, data: links });
    return res.count === 1 ? this.findById(id) : null;
  }
}
