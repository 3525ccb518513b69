import { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { InstallationService } from "../installations/installation-service.js";
import type { Metrics } from "../ops/metrics.js";
import type { Clock } from "../shared/clock.js";
import { SlackNotifier } from "../slack/notifier.js";
import { observedFetch } from "../slack/observed-fetch.js";
import { slackLogger } from "../slack/slack-logger.js";
import { workspaceTokenFetch } from "./oauth.js";

/** The Web API client every post goes through, counted in /metrics, and the Notifier over it. */
export function slackClient(
  config: Config,
  metrics: Metrics,
  log: Logger,
  clock: Clock,
  /** OAuth mode: no one token; each call carries its workspace's (see wiring/oauth.ts) */
  installations: InstallationService | null = null,
) {
  // Both WebClients (this one and Bolt's) send through it, so every Slack call is counted once.
  const fetch = observedFetch(metrics);
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: slackLogger(log, "web-api"),
    // No automatic retries: a retried post whose first answer was lost is a duplicate. The outbox
    // looks a post up before sending it again, and paces and retries everything itself; a 429 is
    // handed back at once (not waited out here, with the whole client paused) so it can reschedule.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: config.slack.timeoutMs,
    fetch: installations ? workspaceTokenFetch(fetch, installations) : fetch,
  });
  return { client, fetch, notifier: new SlackNotifier(client, clock) };
}
