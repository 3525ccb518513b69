import { App, HTTPReceiver, type InstallationStore } from "@slack/bolt";
import type { FetchFunction } from "@slack/web-api";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Metrics } from "../ops/metrics.js";
import type { ReadinessReport } from "../ops/readiness.js";
import { opsRoutes } from "../ops/routes.js";
import type { Clock } from "../shared/clock.js";
import { noteRequestOutcome } from "../shared/request-context.js";
import type { SlackDeps } from "./deps.js";
import { guardRequests } from "./http/request-guard.js";
import { answeredInAck } from "./listeners/commands/subcommands.js";
import { registerListeners } from "./listeners/index.js";
import { ackUnhandled } from "./middleware/ack-unhandled.js";
import { isolate } from "./middleware/isolation.js";
import { oncePerRequest } from "./middleware/once-per-request.js";
import { workspaceToken } from "./middleware/workspace-token.js";
import { observeRequests } from "./observe-requests.js";
import { slackLogger } from "./slack-logger.js";

/**
 * Builds the Bolt app: Socket Mode when an app token is configured, otherwise
 * HTTP with every Slack request at POST /slack/events and GET /healthz.
 */
export function createSlackApp(o: {
  config: Config;
  deps: SlackDeps;
  log: Logger;
  /** GET /healthz, /readyz and /metrics; `fetch` carries every Slack call (see observed-fetch.ts) */
  ops: { metrics: Metrics; ready: () => Promise<ReadinessReport>; fetch: FetchFunction };
  /** what Slack's request timestamps are judged by (HTTP mode) */
  requestClock: Clock;
  /** OAuth mode (config.slack.oauth): Bolt's install pages over this store, and scopes to ask for */
  oauth?: {
    installationStore: InstallationStore;
    scopes: string[];
    noteWorkspace: (slackTeamId: string, installationId: string) => Promise<void>;
  };
}): App {
  const { slack } = o.config;
  const routes = opsRoutes({ ready: o.ops.ready, metrics: o.ops.metrics, log: o.log });
  const logger = slackLogger(o.log, "bolt");
  // HTTP: Bolt's receiver behind a guard that refuses malformed, replayed and future-dated requests
  // before Bolt parses them (see http/request-guard.ts). Socket Mode has no HTTP requests to guard.
  const receiver =
    slack.mode === "http"
      ? new HTTPReceiver({
          signingSecret: slack.signingSecret ?? "",
          endpoints: "/slack/events",
          customRoutes: routes,
          logger,
          // OAuth mode: GET /slack/install (straight on to Slack, with a signed state in a cookie) and
          // GET /slack/oauth_redirect (state checked, code exchanged, install stored sealed).
          ...(slack.oauth && o.oauth
            ? {
                clientId: slack.oauth.clientId,
                clientSecret: slack.oauth.clientSecret,
                stateSecret: slack.oauth.stateSecret,
                scopes: o.oauth.scopes,
                installationStore: o.oauth.installationStore,
                installerOptions: {
                  directInstall: true,
                  clientOptions: {
                    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
                    retryConfig: { retries: 0 },
                    timeout: slack.timeoutMs,
                    fetch: o.ops.fetch,
                  },
                },
              }
            : {}),
        })
      : undefined;
  if (receiver) {
    guardRequests(receiver, {
      signingSecret: slack.signingSecret ?? "",
      endpoints: ["/slack/events"],
      clock: o.requestClock,
      log: o.log,
    });
  }
  const app = new App({
    token: slack.botToken,
    logger,
    // Listeners use Bolt's client for views.open/push within a trigger's 3 seconds: no retries (the
    // default retries for half an hour), a 429 answered at once, and the same bounded timeout.
    clientOptions: {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: slack.timeoutMs,
      fetch: o.ops.fetch,
    },
    ...(receiver
      ? { receiver }
      : {
          socketMode: true,
          appToken: slack.appToken,
          installerOptions: { port: o.config.port },
          customRoutes: routes,
        }),
  });
  // First, so it sees every request after all the listeners (and the middleware below) are done.
  app.use(ackUnhandled(o.log));
  if (o.oauth) app.use(workspaceToken(o.oauth.noteWorkspace, o.log));
  app.use(oncePerRequest(o.deps.requests, o.log, answeredInAck(o.deps)));
  observeRequests(app, { metrics: o.ops.metrics, log: o.log });
  // Before every listener: a request naming another workspace's (or another team channel's) objects
  // stops here, refused (src/teams/access.ts has the rule).
  app.use(isolate(o.deps.access, o.deps.notifier));
  registerListeners(app, o.deps);
  app.error(async (err) => {
    noteRequestOutcome("error");
    o.log.error({ err }, "unhandled error in Bolt");
  });
  return app;
}
