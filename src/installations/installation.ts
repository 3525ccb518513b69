/**
 * One OAuth install as stored (prisma `Installation`): a workspace's (`id` "T…") or an Enterprise Grid
 * org-wide one (`id` "E…"). `secret` is the sealed installation (see sealing.ts); null once the app
 * was uninstalled or its tokens revoked, while the workspace's data waits out the retention period.
 */
export interface InstallationRow {
  id: string;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  keyId: string | null;
  secret: string | null;
  expiresAt: Date | null;
  version: number;
  refreshingUntil: Date | null;
  installedAt: Date;
  updatedAt: Date;
  uninstalledAt: Date | null;
}

/**
 * What is sealed: Bolt's installation object, read here only for its bot token (the shape of
 * @slack/oauth's `Installation.bot`, expiresAt in UTC seconds), so the domain needs no Slack package.
 */
export interface InstallationPayload {
  bot?: { token: string; refreshToken?: string; expiresAt?: number; [k: string]: unknown };
  [k: string]: unknown;
}

/** Which install answers for a request or a workspace: the org's when it is an org-wide one. */
export interface InstallationKey {
  slackTeamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

export const installationIdOf = (k: InstallationKey): string | null =>
  k.isEnterpriseInstall ? k.enterpriseId : k.slackTeamId;

/** How long before its expiry a rotating bot token is refreshed (Bolt's own window is 2 hours). */
const REFRESH_BEFORE_MS = 2 * 3_600_000 + 10 * 60_000;

export function needsRefresh(p: InstallationPayload, now: Date): boolean {
  const bot = p.bot;
  if (!bot?.refreshToken || bot.expiresAt === undefined) return false;
  return bot.expiresAt * 1000 - now.getTime() <= REFRESH_BEFORE_MS;
}
