import type { NewAuditEntry } from "../audit/audit-entry.js";
import { insertAuditEntry } from "../audit/audit-repository.js";
import type { Db } from "../db/client.js";
import { isReminderWay, type PersonPrefs, type ReminderWay } from "./person-prefs.js";
import type { NewQuietDay, QuietDay } from "./quiet-days.js";

/** Who a due review reminds: its mechanism's owner and the workspace it lives in. */
interface ReviewAudience {
  mechanismId: string;
  slackTeamId: string;
  owner: string;
}

export interface PeopleRepository {
  /** Each person's stored preferences (people with none are left out). */
  prefsOf(slackTeamId: string, userIds: readonly string[]): Promise<PersonPrefs[]>;
  savePrefs(prefs: PersonPrefs, at: Date): Promise<void>;
  addQuietDay(q: NewQuietDay): Promise<QuietDay>;
  /** Holidays of these teams that end on or after `sinceDate`. */
  teamQuietDays(teamIds: readonly string[], sinceDate: string): Promise<QuietDay[]>;
  /** These people's time away that ends on or after `sinceDate`. */
  awayOf(slackTeamId: string, userIds: readonly string[], sinceDate: string): Promise<QuietDay[]>;
  findQuietDay(id: string): Promise<QuietDay | null>;
  /** Deletes quiet days with the audit entry that records it, in one transaction: both or neither. */
  removeQuietDay(id: string, audit: NewAuditEntry): Promise<boolean>;
  /** The owners of these mechanisms, with their workspace: one read for a whole batch of reviews. */
  reviewAudience(mechanismIds: readonly string[]): Promise<ReviewAudience[]>;
}

const way = (s: string): ReminderWay => (isReminderWay(s) ? s : "channel");

export class PrismaPeopleRepository implements PeopleRepository {
  constructor(private readonly db: Db) {}

  async prefsOf(slackTeamId: string, userIds: readonly string[]) {
    if (userIds.length === 0) return [];
    const rows = await this.db.personPrefs.findMany({ where: { slackTeamId, userId: { in: [...userIds] } } });
    return rows.map((r) => ({
      slackTeamId: r.slackTeamId,
      userId: r.userId,
      reviewReminder: way(r.reviewReminder),
      debriefReminder: way(r.debriefReminder),
    }));
  }

  async savePrefs(p: PersonPrefs, at: Date) {
    const data = { reviewReminder: p.reviewReminder, debriefReminder: p.debriefReminder, updatedAt: at };
    await this.db.personPrefs.upsert({
      where: { slackTeamId_userId: { slackTeamId: p.slackTeamId, userId: p.userId } },
      create: { slackTeamId: p.slackTeamId, userId: p.userId, ...data },
      update: data,
    });
  }

  addQuietDay(q: NewQuietDay) {
    return this.db.quietDay.create({ data: q });
  }

  async teamQuietDays(teamIds: readonly string[], sinceDate: string) {
    if (teamIds.length === 0) return [];
    return this.db.quietDay.findMany({
      where: { teamId: { in: [...teamIds] }, toDate: { gte: sinceDate } },
      orderBy: [{ fromDate: "asc" }, { id: "asc" }],
    });
  }

  async awayOf(slackTeamId: string, userIds: readonly string[], sinceDate: string) {
    if (userIds.length === 0) return [];
    return this.db.quietDay.findMany({
      where: { slackTeamId, userId: { in: [...userIds] }, toDate: { gte: sinceDate } },
      orderBy: [{ fromDate: "asc" }, { id: "asc" }],
    });
  }

  findQuietDay(id: string) {
    return this.db.quietDay.findUnique({ where: { id } });
  }

  async removeQuietDay(id: string, audit: NewAuditEntry) {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.quietDay.deleteMany({ where: { id } });
      // Already gone (a second click): nothing was deleted, so nothing to record.
      if (count > 0) await insertAuditEntry(tx, audit);
      return count > 0;
    });
  }

  async reviewAudience(mechanismIds: readonly string[]) {
    if (mechanismIds.length === 0) return [];
    const rows = await this.db.mechanism.findMany({
      where: { id: { in: [...mechanismIds] } },
      select: { id: true, ownerId: true, createdBy: true, team: { select: { slackTeamId: true } } },
    });
    return rows.map((r) => ({
      mechanismId: r.id,
      slackTeamId: r.team.slackTeamId,
      owner: r.ownerId ?? r.createdBy,
    }));
  }
}
