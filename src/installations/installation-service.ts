import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import {
  type InstallationKey,
  type InstallationPayload,
  type InstallationRow,
  installationIdOf,
  needsRefresh,
} from "./installation.js";
import type { InstallationRepository } from "./installation-repository.js";
import type { KeyRing } from "./sealing.js";

/** Slack's oauth.v2.access with grant_type=refresh_token, as a port (wired in src/wiring/oauth.ts). */
export interface TokenRefresher {
  refresh(refreshToken: string): Promise<{ token: string; refreshToken: string; expiresInSeconds: number }>;
}

class WorkspaceUninstalledError extends Error {
  constructor(readonly workspace: string) {
    super(`Ratchet is not installed in workspace ${workspace} (uninstalled, or its tokens were revoked)`);
    this.name = "WorkspaceUninstalledError";
  }
}

/** How long one replica may hold a refresh before another may take it over. */
const REFRESH_HOLD_MS = 30_000;
/** How long a replica waits for another's refresh, polling the row, before it gives up. */
const WAIT_STEP_MS = 50;
const WAIT_STEPS = 200;
const SWEEP_BATCH = 20;

/**
 * OAuth installs (issue 14): stored sealed, opened (and sealed again with the current key) when read,
 * the bot token refreshed before it expires by one replica at a time, dropped on uninstall, and the
 * workspace's data deleted once the retention period after the uninstall has passed.
 */
export class InstallationService {
  constructor(
    private readonly o: {
      repo: InstallationRepository;
      keys: KeyRing;
      refresher: TokenRefresher;
      clock: Clock;
      log: Logger;
      retentionDays: number;
    },
  ) {}

  async save(key: InstallationKey, payload: InstallationPayload): Promise<void> {
    const id = installationIdOf(key);
    if (!id) throw new Error("an installation without a workspace or enterprise id");
    const { keyId, sealed } = this.o.keys.seal(JSON.stringify(payload));
    await this.o.repo.save({
      id,
      enterpriseId: key.enterpriseId,
      isEnterpriseInstall: key.isEnterpriseInstall,
      keyId,
      secret: sealed,
      expiresAt: expiryOf(payload),
      at: this.o.clock.now(),
    });
    this.o.log.info({ installation: id, orgWide: key.isEnterpriseInstall }, "installed");
  }

  /** The install with a bot token good for a while yet; null when there is none (or it was uninstalled). */
  async fetch(key: InstallationKey): Promise<InstallationPayload | null> {
    const id = installationIdOf(key);
    return id ? this.fresh(id) : null;
  }

  /** The bot token to call Slack with for a workspace (its own install or its org's). */
  async botTokenFor(slackTeamId: string): Promise<string> {
    const id = await this.o.repo.idForWorkspace(slackTeamId);
    const token = id ? (await this.fresh(id))?.bot?.token : undefined;
    if (!token) throw new WorkspaceUninstalledError(slackTeamId);
    return token;
  }

  /** Whether a workspace has a usable install (the outbox cancels what waits for one that hasn't). */
  async isInstalled(slackTeamId: string): Promise<boolean> {
    const id = await this.o.repo.idForWorkspace(slackTeamId);
    const row = id ? await this.o.repo.find(id) : null;
    return row?.secret != null;
  }

  /** Remembers that a workspace's requests come under an org-wide install, for its later posts. */
  async noteWorkspace(slackTeamId: string, installationId: string): Promise<void> {
    if (slackTeamId !== installationId) await this.o.repo.linkWorkspace(slackTeamId, installationId);
  }

  /** app_uninstalled / tokens_revoked: the tokens go at once, the data after the retention period. */
  async uninstall(key: InstallationKey, why: string): Promise<void> {
    const id = installationIdOf(key);
    if (!id) return;
    if (await this.o.repo.markUninstalled(id, this.o.clock.now())) {
      this.o.log.info({ installation: id, why, retentionDays: this.o.retentionDays }, "uninstalled");
    }
  }

  /**
   * The job: deletes the data of workspaces uninstalled longer than the retention period (one log
   * line each), and seals again what an old key sealed. Idempotent; reads only what is due.
   */
  async sweep(now: Date): Promise<void> {
    const before = new Date(now.getTime() - this.o.retentionDays * 86_400_000);
    for (const row of await this.o.repo.uninstalledBefore(before, SWEEP_BATCH)) {
      const gone = await this.o.repo.deleteWorkspaceData(row.id);
      this.o.log.info(
        { installation: row.id, uninstalledAt: row.uninstalledAt, ...gone },
        "deleted an uninstalled workspace's data after the retention period",
      );
    }
    for (const row of await this.o.repo.sealedWithOtherKey(this.o.keys.current.id, SWEEP_BATCH)) {
      await this.open(row);
    }
  }

  /** Opens a row, sealing it again with the current key when an old key sealed it. */
  private async open(row: InstallationRow): Promise<InstallationPayload | null> {
    if (!row.secret || !row.keyId) return null;
    const payload = JSON.parse(this.o.keys.open(row.keyId, row.secret)) as InstallationPayload;
    if (this.o.keys.isOld(row.keyId)) {
      const { keyId, sealed } = this.o.keys.seal(JSON.stringify(payload));
      const at = this.o.clock.now();
      // Lost to a concurrent write: that one sealed with the current key too.
      await this.o.repo.replace(row.id, row.version, { keyId, secret: sealed, expiresAt: row.expiresAt, at });
    }
    return payload;
  }

  /**
   * The install, its bot token refreshed first when it expires soon. One replica refreshes (a claim
   * on the row's version); the others wait for its write and read the same new token, so no two
   * replicas ever hold competing tokens (a refresh token works once).
   */
  private async fresh(id: string): Promise<InstallationPayload | null> {
    for (let step = 0; step < WAIT_STEPS; step++) {
      const row = await this.o.repo.find(id);
      if (!row) return null;
      const payload = await this.open(row);
      const now = this.o.clock.now();
      if (!payload || !needsRefresh(payload, now)) return payload;
      const until = new Date(now.getTime() + REFRESH_HOLD_MS);
      if (await this.o.repo.claimRefresh(id, row.version, now, until)) {
        return this.refresh(row, payload, now);
      }
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
    }
    throw new Error(`installation ${id}: another replica's token refresh did not finish`);
  }

  private async refresh(row: InstallationRow, payload: InstallationPayload, now: Date) {
    try {
      const bot = payload.bot;
      if (!bot?.refreshToken) return payload;
      const r = await this.o.refresher.refresh(bot.refreshToken);
      const next: InstallationPayload = {
        ...payload,
        bot: {
          ...bot,
          token: r.token,
          refreshToken: r.refreshToken,
          expiresAt: Math.floor(now.getTime() / 1000) + r.expiresInSeconds,
        },
      };
      const { keyId, sealed } = this.o.keys.seal(JSON.stringify(next));
      const at = this.o.clock.now();
      const stored = await this.o.repo.replace(row.id, row.version, {
        keyId,
        secret: sealed,
        expiresAt: expiryOf(next),
        at,
      });
      if (!stored) {
        // The row changed under the claim (a re-install, or an old key re-sealed): read it again.
        return this.fresh(row.id);
      }
      this.o.log.info({ installation: row.id }, "refreshed the bot token");
      return next;
    } catch (err) {
      await this.o.repo.releaseRefresh(row.id);
      throw err;
    }
  }
}

const expiryOf = (p: InstallationPayload): Date | null =>
  p.bot?.expiresAt !== undefined ? new Date(p.bot.expiresAt * 1000) : null;
