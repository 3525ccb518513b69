import type { Db } from "../db/client.js";
import type { AuditEntry, AuditFields, AuditSubjectType, NewAuditEntry } from "./audit-entry.js";
import { isAuditSurface } from "./audit-entry.js";

/** Append-only: entries are written and read, never changed or removed. */
export interface AuditRepository {
  add(entry: NewAuditEntry): Promise<AuditEntry>;
  /** newest first */
  /** scoped by workspace: a forged id of another workspace finds nothing */
  listBySubject(
    subject: { slackTeamId: string; type: AuditSubjectType; id: string },
    page: { offset: number; limit: number },
  ): Promise<AuditEntry[]>;
  /** newest first */
  listByTeam(teamId: string, page: { offset: number; limit: number }): Promise<AuditEntry[]>;
}

interface AuditRow {
  id: string;
  slackTeamId: string;
  teamId: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  action: string;
  before: string;
  after: string;
  surface: string;
  at: Date;
}

const fields = (text: string): AuditFields => {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as AuditFields) : {};
  } catch {
    return {};
  }
};

const SUBJECTS: readonly string[] = ["mechanism", "team", "deviation", "incident"];

const toEntry = (r: AuditRow): AuditEntry => ({
  ...r,
  subjectType: (SUBJECTS.includes(r.subjectType) ? r.subjectType : "team") as AuditSubjectType,
  before: fields(r.before),
  after: fields(r.after),
  surface: isAuditSurface(r.surface) ? r.surface : "command",
});

export class PrismaAuditRepository implements AuditRepository {
  constructor(private readonly db: Db) {}

  async add(e: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.db.auditEntry.create({
      data: { ...e, before: JSON.stringify(e.before), after: JSON.stringify(e.after) },
    });
    return toEntry(row);
  }

  async listBySubject(
    subject: { slackTeamId: string; type: AuditSubjectType; id: string },
    page: { offset: number; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = await this.db.auditEntry.findMany({
      where: { slackTeamId: subject.slackTeamId, subjectType: subject.type, subjectId: subject.id },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: page.offset,
      take: page.limit,
    });
    return rows.map(toEntry);
  }

  async listByTeam(teamId: string, page: { offset: number; limit: number }): Promise<AuditEntry[]> {
    const rows = await this.db.auditEntry.findMany({
      where: { teamId },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: page.offset,
      take: page.limit,
    });
    return rows.map(toEntry);
  }
}
