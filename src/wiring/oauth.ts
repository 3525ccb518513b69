import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { type FetchFunction, WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { OAuthConfig } from "../config.js";
import type { Db } from "../db/client.js";
import type { InstallationKey, InstallationPayload } from "../installations/installation.js";
import { PrismaInstallationRepository } from "../installations/installation-repository.js";
import { InstallationService, type TokenRefresher } from "../installations/installation-service.js";
import { KeyRing } from "../installations/sealing.js";
import { currentWorkspace } from "../installations/workspace-scope.js";
import type { Clock } from "../shared/clock.js";

/** The bot scopes an install asks for: manifest.yml's (test/unit/installations/scopes.test.ts compares). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "users:read",
  "im:write",
  "files:write",
  "channels:history",
  "groups:history",
  "im:history",
  "channels:read",
  "groups:read",
];

/** The installs over their repository, sealed with the configured keys. */
export function composeInstallations(o: {
  oauth: OAuthConfig | undefined;
  db: Db;
  clock: Clock;
  log: Logger;
  retentionDays: number;
  apiUrl: string | undefined;
  fetch: FetchFunction;
}): InstallationService | null {
  if (!o.oauth) return null;
  const { oauth } = o;
  // A client with no token: oauth.v2.access authenticates with the app's id and secret.
  const client = new WebClient(undefined, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    retryConfig: { retries: 0 },
    fetch: o.fetch,
  });
  const refresher: TokenRefresher = {
    async refresh(refreshToken) {
      const res = await client.oauth.v2.access({
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
      if (!res.access_token || !res.refresh_token || res.expires_in === undefined) {
        throw new Error("oauth.v2.access answered a refresh without a token");
      }
      return { token: res.access_token, refreshToken: res.refresh_token, expiresInSeconds: res.expires_in };
    },
  };
  return new InstallationService({
    repo: new PrismaInstallationRepository(o.db),
    keys: new KeyRing(oauth.key, oauth.oldKeys),
    refresher,
    clock: o.clock,
    log: o.log.child({ part: "installations" }),
    retentionDays: o.retentionDays,
  });
}

const keyOf = (q: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): InstallationKey => ({
  slackTeamId: q.teamId ?? null,
  enterpriseId: q.enterpriseId ?? null,
  isEnterpriseInstall: q.isEnterpriseInstall === true,
});

/** Bolt's installationStore over the service: what the OAuth callback stores and `authorize` reads. */
export function installationStore(installations: InstallationService): InstallationStore {
  return {
    async storeInstallation(installation) {
      // No feature needs a user token: only the bot's is kept.
      const { user, ...rest } = installation;
      const payload = { ...rest, user: { id: user.id } } as unknown as InstallationPayload;
      await installations.save(
        keyOf({
          teamId: installation.team?.id,
          enterpriseId: installation.enterprise?.id,
          isEnterpriseInstall: installation.isEnterpriseInstall,
        }),
        payload,
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await installations.fetch(keyOf(query));
      if (!found?.bot) throw new Error("Ratchet is not installed in this workspace");
      // The service has refreshed a rotating token already (one replica at a time); without its
      // refresh token and expiry Bolt doesn't refresh it again by itself.
      const { refreshToken: _r, expiresAt: _e, ...bot } = found.bot;
      return { ...found, bot } as unknown as Installation<"v1" | "v2", boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await installations.uninstall(keyOf(query), "deleted");
    },
  };
}

/**
 * The notifier's fetch in OAuth mode: a Web API call without a token gets the bot token of the
 * workspace it is made for (see installations/workspace-scope.ts); one with a token keeps it.
 */
export function workspaceTokenFetch(base: FetchFunction, installations: InstallationService): FetchFunction {
  return async (url, init) => {
    const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
    const scope = currentWorkspace();
    if (!headers.has("authorization") && scope && new URL(url).pathname.includes("/api/")) {
      const token =
        scope.token ?? (scope.workspace ? await installations.botTokenFor(scope.workspace) : null);
      if (token) headers.set("authorization", `Bearer ${token}`);
    }
    return base(url, { ...init, headers: Object.fromEntries(headers.entries()) });
  };
}
