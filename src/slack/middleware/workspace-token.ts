import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "pino";
import { inWorkspace } from "../../installations/workspace-scope.js";

/**
 * OAuth mode: the rest of the request (listeners, the notifier, what runs after the ack) speaks with
 * the bot token Bolt's authorize found for the request's install. A workspace under an org-wide
 * install is linked to it the first time it is seen, so its scheduled posts find the org's token.
 */
export function workspaceToken(
  noteWorkspace: (slackTeamId: string, installationId: string) => Promise<void>,
  log: Logger,
): Middleware<AnyMiddlewareArgs> {
  const linked = new Set<string>();
  return async ({ context, next }) => {
    const teamId = context.teamId;
    const org = context.isEnterpriseInstall ? context.enterpriseId : undefined;
    if (teamId && org && !linked.has(teamId)) {
      try {
        await noteWorkspace(teamId, org);
        linked.add(teamId);
      } catch (err) {
        log.error({ err, slackTeamId: teamId }, "could not link a workspace to its org-wide install");
      }
    }
    await inWorkspace(
      { ...(teamId ? { workspace: teamId } : {}), ...(context.botToken ? { token: context.botToken } : {}) },
      next,
    );
  };
}
