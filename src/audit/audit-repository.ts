import type { Db } from "../db/client.js";
import type { AuditEntry, AuditFields, AuditSubjectType, NewAuditEntry } from "./audit-entry.js";
import { AUDIT_SUBJECTS, isAuditSurface } from "./audit-entry.js";

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

const SUBJECTS: readonly string[] = AUDIT_SUBJECTS;

const toEntry = (r: AuditRow): AuditEntry => ({
  ...r,
  subjectType: (SUBJECTS.includes(r.subjectType) ? r.subjectType : "team") as AuditSubjectType,
  before: fields(r.before),
  after: fields(r.after),
  surface: isAuditSurface(r.surface) ? r.surface : "command",
});

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Writes an entry inside the caller's transaction: a repository that hard-deletes calls it beside
 * the delete, so if the entry can't be written the delete is rolled back with it.
 */
export async function insertAuditEntry(tx: Tx | Db, e: NewAuditEntry): Promise<AuditEntry> {
  const row = await tx.auditEntry.create({
    data: { ...e, before: JSON.stringify(e.before), after: JSON.stringify(e.after) },
  });
  return toEntry(row);
}

export class PrismaAuditRepository implements AuditRepository {
  constructor(private readonly db: Db) {}

  add(e: NewAuditEntry): Promise<AuditEntry> {
    return insertAuditEntry(this.db, e);
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
