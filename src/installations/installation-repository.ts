import type { Db } from "../db/client.js";
import type { InstallationRow } from "./installation.js";

/** The stored installs, their refresh claims, and the deletion of an uninstalled workspace's data. */
export interface InstallationRepository {
  find(id: string): Promise<InstallationRow | null>;
  /** Which install serves a workspace: its own, or the org-wide one it was seen under. */
  idForWorkspace(slackTeamId: string): Promise<string | null>;
  linkWorkspace(slackTeamId: string, installationId: string): Promise<void>;
  /** A fresh install or a re-install: writes the sealed install and clears any uninstall. */
  save(row: {
    id: string;
    enterpriseId: string | null;
    isEnterpriseInstall: boolean;
    keyId: string;
    secret: string;
    expiresAt: Date | null;
    at: Date;
  }): Promise<void>;
  /**
   * Writes the install only over the version that was read (compare-and-set); false when another
   * replica wrote first.
   */
  replace(
    id: string,
    version: number,
    next: { keyId: string; secret: string; expiresAt: Date | null; at: Date },
  ): Promise<boolean>;
  /** Takes the refresh of one install until `until`, if no one holds it and it is still `version`. */
  claimRefresh(id: string, version: number, now: Date, until: Date): Promise<boolean>;
  releaseRefresh(id: string): Promise<void>;
  /** Drops the tokens and starts the retention period (kept from the first uninstall). */
  markUninstalled(id: string, at: Date): Promise<boolean>;
  /** Installs uninstalled at or before `before`: their workspaces' data is due for deletion. */
  uninstalledBefore(before: Date, limit: number): Promise<InstallationRow[]>;
  /** Installs sealed with a key other than `keyId`, to seal again with it. */
  sealedWithOtherKey(keyId: string, limit: number): Promise<InstallationRow[]>;
  /** Deletes every row of the install's workspaces, then the install; what was deleted, counted. */
  deleteWorkspaceData(id: string): Promise<{ workspaces: string[]; teams: number }>;
}

export class PrismaInstallationRepository implements InstallationRepository {
  constructor(private readonly db: Db) {}

  find(id: string) {
    return this.db.installation.findUnique({ where: { id } });
  }

  async idForWorkspace(slackTeamId: string) {
    const own = await this.db.installation.findUnique({ where: { id: slackTeamId }, select: { id: true } });
    if (own) return own.id;
    const link = await this.db.installationWorkspace.findUnique({ where: { slackTeamId } });
    return link?.installationId ?? null;
  }

  async linkWorkspace(slackTeamId: string, installationId: string) {
    await this.db.installationWorkspace.upsert({
      where: { slackTeamId },
      create: { slackTeamId, installationId },
      update: { installationId },
    });
  }

  async save(row: Parameters<InstallationRepository["save"]>[0]) {
    const { at, ...rest } = row;
    await this.db.installation.upsert({
      where: { id: row.id },
      create: { ...rest, installedAt: at, updatedAt: at },
      update: {
        ...rest,
        version: { increment: 1 },
        refreshingUntil: null,
        installedAt: at,
        updatedAt: at,
        uninstalledAt: null,
      },
    });
    // A re-install within retention: the jobs pick its teams up again where they were. What came due
    // meanwhile is handled by each job's own catch-up policy, not replayed: a review is claimed once
    // for its latest slot (older ones marked missed), a team-wide job looks at the team at once.
    await this.setTeamsAway(row.id, false);
  }

  async replace(id: string, version: number, next: Parameters<InstallationRepository["replace"]>[2]) {
    const { at, ...rest } = next;
    const res = await this.db.installation.updateMany({
      where: { id, version, secret: { not: null } },
      data: { ...rest, updatedAt: at, version: { increment: 1 }, refreshingUntil: null },
    });
    return res.count === 1;
  }

  async claimRefresh(id: string, version: number, now: Date, until: Date) {
    const res = await this.db.installation.updateMany({
      where: { id, version, OR: [{ refreshingUntil: null }, { refreshingUntil: { lt: now } }] },
      data: { refreshingUntil: until },
    });
    return res.count === 1;
  }

  async releaseRefresh(id: string) {
    await this.db.installation.updateMany({ where: { id }, data: { refreshingUntil: null } });
  }

  async markUninstalled(id: string, at: Date) {
    const res = await this.db.installation.updateMany({
      where: { id },
      data: { secret: null, keyId: null, expiresAt: null, refreshingUntil: null, updatedAt: at },
    });
    await this.db.installation.updateMany({
      where: { id, uninstalledAt: null },
      data: { uninstalledAt: at },
    });
    // The scheduled jobs stop computing reviews, alarms and digests nobody can be told of.
    if (res.count === 1) await this.setTeamsAway(id, true);
    return res.count === 1;
  }

  /** Marks (or clears) Team.workspaceAway on the teams of the install's workspaces. */
  private async setTeamsAway(id: string, away: boolean) {
    const links = await this.db.installationWorkspace.findMany({
      where: { installationId: id },
      select: { slackTeamId: true },
    });
    await this.db.team.updateMany({
      where: { slackTeamId: { in: [id, ...links.map((l) => l.slackTeamId)] }, workspaceAway: !away },
      data: { workspaceAway: away },
    });
  }

  uninstalledBefore(before: Date, limit: number) {
    return this.db.installation.findMany({
      where: { uninstalledAt: { lte: before } },
      orderBy: { uninstalledAt: "asc" },
      take: limit,
    });
  }

  sealedWithOtherKey(keyId: string, limit: number) {
    return this.db.installation.findMany({
      where: { keyId: { not: keyId }, secret: { not: null } },
      take: limit,
    });
  }

  async deleteWorkspaceData(id: string) {
    return this.db.$transaction(async (tx) => {
      const links = await tx.installationWorkspace.findMany({ where: { installationId: id } });
      const workspaces = [...new Set([id, ...links.map((l) => l.slackTeamId)])];
      const teams = await tx.team.findMany({
        where: { slackTeamId: { in: workspaces } },
        select: { id: true },
      });
      const teamIds = teams.map((t) => t.id);
      // Rows that name a team or a workspace without a foreign key first; the team's own rows follow
      // it through their onDelete: Cascade relations.
      await tx.delivery.deleteMany({ where: { teamId: { in: teamIds } } });
      await tx.channelProblem.deleteMany({ where: { teamId: { in: teamIds } } });
      await tx.wbrMetric.deleteMany({ where: { teamId: { in: teamIds } } });
      await tx.auditEntry.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.homeView.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.tag.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.learningSession.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.wbrSchedule.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.team.deleteMany({ where: { id: { in: teamIds } } });
      await tx.workspace.deleteMany({ where: { slackTeamId: { in: workspaces } } });
      await tx.installationWorkspace.deleteMany({ where: { installationId: id } });
      await tx.installation.deleteMany({ where: { id, uninstalledAt: { not: null } } });
      return { workspaces, teams: teamIds.length };
    });
  }
}
