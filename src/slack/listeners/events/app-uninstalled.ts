import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { onEvent } from "../kit/event.js";

/**
 * OAuth mode: Ratchet was uninstalled, or its bot token revoked. The install's tokens are dropped at
 * once and its workspace's posts stop; the data waits out RATCHET_RETENTION_DAYS (a re-install
 * resumes), then the `installations` job deletes it. Bolt delivers both events even though the
 * install can no longer be authorized.
 */
export function register(app: App, deps: SlackDeps): void {
  const installs = deps.installations;
  if (!installs) return;
  const keyOf = (body: { team_id?: string; enterprise_id?: string }, orgWide: boolean | undefined) => ({
    slackTeamId: body.team_id ?? null,
    enterpriseId: body.enterprise_id ?? null,
    isEnterpriseInstall: orgWide === true,
  });
  onEvent(
    app,
    deps,
    "app_uninstalled",
    "forget an uninstalled workspace's tokens",
    async ({ body, context }) => {
      await installs.uninstall(keyOf(body, context.isEnterpriseInstall), "app_uninstalled");
    },
  );
  onEvent(app, deps, "tokens_revoked", "forget revoked tokens", async ({ event, body, context }) => {
    // Only the bot's token matters: Ratchet keeps no person's token.
    if ((event.tokens.bot ?? []).length === 0) return;
    await installs.uninstall(keyOf(body, context.isEnterpriseInstall), "tokens_revoked");
  });
}
