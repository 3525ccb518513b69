import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import { type Actor, type AuditEntry, type AuditSubjectType, auditDiff } from "./audit-entry.js";
import type { AuditRepository } from "./audit-repository.js";

/** How many entries a page of history shows. */
const AUDIT_PAGE = 10;

interface AuditChange {
  team: { id: string; slackTeamId: string };
  subject: { type: AuditSubjectType; id: string };
  actor: Actor;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** fields never worth an entry (bookkeeping the person didn't change) */
  ignore?: readonly string[];
}

/** Fields that move on every save without anyone choosing them. */
const BOOKKEEPING = ["updatedAt", "nextReviewAt", "messageTs", "messageChannelId", "createdAt", "id"];

/**
 * The audit log. Repositories here write one row per statement, so an entry is written right after
 * the change it records, by the service that made it; a failed entry is logged, never un-does the
 * change the person already saw succeed.
 */
export class AuditService {
  constructor(private readonly deps: { audit: AuditRepository; clock: Clock; log: Pick<Logger, "error"> }) {}

  async record(c: AuditChange): Promise<AuditEntry | null> {
    const { before, after } = auditDiff(c.before, c.after, [...BOOKKEEPING, ...(c.ignore ?? [])]);
    // An edit that changed nothing is no change.
    if (c.before && c.after && Object.keys(before).length + Object.keys(after).length === 0) return null;
    try {
      return await this.deps.audit.add({
        slackTeamId: c.team.slackTeamId,
        teamId: c.team.id,
        subjectType: c.subject.type,
        subjectId: c.subject.id,
        actor: c.actor.userId,
        action: c.action,
        before,
        after,
        surface: c.actor.surface,
        at: this.deps.clock.now(),
      });
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
