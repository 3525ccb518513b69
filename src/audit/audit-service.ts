import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import { type AuditChange, type AuditEntry, type AuditSubjectType, auditEntryFor } from "./audit-entry.js";
import type { AuditRepository } from "./audit-repository.js";

/** How many entries a page of history shows. */
const AUDIT_PAGE = 10;

/**
 * The audit log. An edit's entry is written right after the change it records, by the service that
 * made it; a failed entry is logged, never un-does the change the person already saw succeed.
 * A hard delete is different: nothing may vanish unrecorded, so its service builds the entry
 * (auditEntryFor) and the repository writes it in the delete's own transaction (insertAuditEntry).
 */
export class AuditService {
  constructor(private readonly deps: { audit: AuditRepository; clock: Clock; log: Pick<Logger, "error"> }) {}

  async record(c: AuditChange): Promise<AuditEntry | null> {
    // An edit that changed nothing is no change.
    const entry = auditEntryFor(c, this.deps.clock.now());
    if (!entry) return null;
    try {
      return await this.deps.audit.add(entry);
    } catch (err) {
      this.deps.log.error({ err, subject: c.subject, action: c.action }, "audit entry not written");
      return null;
    }
  }

  /** A page of one subject's history, newest first; `more` when an older page exists. */
  async history(
    subject: { slackTeamId: string; type: AuditSubjectType; id: string },
    page: number,
  ): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const rows = await this.deps.audit.listBySubject(subject, {
      offset: page * AUDIT_PAGE,
      limit: AUDIT_PAGE + 1,
    });
    return { entries: rows.slice(0, AUDIT_PAGE), more: rows.length > AUDIT_PAGE };
  }

  /** The team's most recent changes, newest first. */
  recent(teamId: string, limit = 20): Promise<AuditEntry[]> {
    return this.deps.audit.listByTeam(teamId, { offset: 0, limit });
  }
}
