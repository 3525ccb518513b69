import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import { PrismaDeliveryRepository } from "./db/delivery-repository.js";
import { databaseAnswers, migrationState } from "./db/health.js";
import { shippedMigrations } from "./db/migrate.js";
import { PrismaWorkspaceLookup } from "./installations/workspace-lookup-repository.js";
import { inWorkspace } from "./installations/workspace-scope.js";
import { Metrics } from "./ops/metrics.js";
import { Readiness, type ReadinessOptions } from "./ops/readiness.js";
import { chartRenderer } from "./rollups/render-in-worker.js";
import { bindJobs, type Job } from "./scheduler/job.js";
import { JOBS } from "./scheduler/jobs.js";
import { observeJob } from "./scheduler/observe.js";
import { AfterAck } from "./shared/after-ack.js";
import { type Clock, systemClock } from "./shared/clock.js";
import { createSlackApp } from "./slack/app.js";
import type { Deliverer, DelivererOptions } from "./slack/delivery/deliverer.js";
import { slackDrawers } from "./slack/delivery/draw.js";
import type { SlackDeps } from "./slack/deps.js";
import { observedFetch } from "./slack/observed-fetch.js";
import { Requests } from "./slack/requests.js";
import { SlackAnnouncer } from "./slack/slack-announcer.js";
import { composeAccess } from "./wiring/access.js";
import { composeDeliverer, kickingOutbox } from "./wiring/delivery.js";
import { composeHome, homeWatchingOutbox } from "./wiring/home.js";
import { BOT_SCOPES, composeInstallations, installationStore } from "./wiring/oauth.js";
import { composeServices } from "./wiring/services.js";
import { slackClient } from "./wiring/slack-client.js";
import { workspaceResolvingNotifier } from "./wiring/workspace-notifier.js";

export interface Composed {
  app: App;
  jobs: Job[];
  deps: SlackDeps;
  deliverer: Deliverer;
  metrics: Metrics;
  readiness: Readiness;
}

/** Wires repositories → services → Slack app and jobs. Shared by main.ts and the end-to-end tests. */
export function compose(o: {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** tests set 0: they drive changes one at a time and want the alarm re-check at once */
  alarmSettleMs?: number;
  /** tests pace channels faster than Slack's one post a second, and look up unanswered posts sooner */
  delivery?: Partial<DelivererOptions>;
  /**
   * What Slack's request timestamps are judged by: the system clock, like Bolt's own check, even when
   * tests drive `clock` elsewhere; tests of the timestamp window pass one they move.
   */
  requestClock?: Clock;
  /** tests time readiness checks out sooner */
  readiness?: Partial<ReadinessOptions>;
}): Composed {
  const { config, db, clock, log } = o;
  const metrics = new Metrics();
  // OAuth mode: installs stored sealed, and each Slack call speaks with its workspace's token.
  const installations = composeInstallations({
    oauth: config.slack.oauth,
    db,
    clock,
    log,
    retentionDays: config.retentionDays,
    apiUrl: config.slack.apiUrl,
    fetch: observedFetch(metrics),
  });
  const slack = slackClient(config, metrics, log, clock, installations);
  const { client, fetch } = slack;
  // OAuth mode: a job's direct Slack calls (no request or delivery scope) speak for the workspace of
  // the channel or person they address (wiring/workspace-notifier.ts).
  const lookup = installations ? new PrismaWorkspaceLookup(db) : null;
  const notifier = lookup
    ? workspaceResolvingNotifier(slack.notifier, lookup, log.child({ part: "workspace-scope" }))
    : slack.notifier;
  // One drawing of every notice, for the outbox and for the edits and sends services make directly.
  // Charts render in a worker thread kept warm while a rollup tick draws them and ended a minute
  // after the last one: the bot never holds vega and resvg (~70 MB) between weekly rollups.
  const drawers = slackDrawers({ renderChart: chartRenderer().render });
  const announcer = new SlackAnnouncer(notifier, drawers);
  const store = new PrismaDeliveryRepository(db);
  const kicking = kickingOutbox(store);
  const attach = kicking.attach;
  // What a post concerns marks Homes stale for the throttled re-publish (see the `home` job).
  const { outbox, attach: attachHome } = homeWatchingOutbox(kicking.outbox, log);
  const { services, teamRepo, jobRuns } = composeServices({
    db,
    clock,
    log,
    announcer,
    outbox,
    ...(o.alarmSettleMs !== undefined ? { alarmSettleMs: o.alarmSettleMs } : {}),
  });
  const deliverer = composeDeliverer({
    store,
    notifier,
    drawers,
    services,
    teams: teamRepo,
    clock,
    log,
    metrics,
    options: o.delivery ?? {},
    ...(installations
      ? {
          inWorkspace: async (d, attempt) => {
            const team = d.teamId ? await teamRepo.findById(d.teamId) : null;
            // A delivery of no team (a workspace rollup, a DM): the workspace of where it goes.
            const to = d.channel ?? d.target;
            const workspace =
              team?.slackTeamId ??
              (await (/^[UW][A-Z0-9]+$/.test(to) ? lookup?.ofUser(to) : lookup?.ofChannel(to))) ??
              null;
            if (!workspace) {
              log.warn(
                { deliveryId: d.id, key: d.key, kind: d.kind, target: d.target, teamId: d.teamId },
                "a delivery whose workspace is unknown: sent without a workspace token",
              );
              return attempt();
            }
            if (!(await installations.isInstalled(workspace))) return "uninstalled";
            return inWorkspace({ workspace }, attempt);
          },
        }
      : {}),
  });
  attach(deliverer);
  const home = composeHome({ db, notifier, clock, log });
  attachHome(home);
  metrics.deliveryCounts(() => store.counts(), log);

  const deps: SlackDeps = {
    ...services,
    home,
    access: composeAccess({ db, client, clock, log }),
    deliveries: {
      problemFor: async (channel) =>
        (await store.channelProblems()).find((p) => p.channel === channel) ?? null,
      resume: (channel) => deliverer.resume(channel, clock.now()),
    },
    notifier,
    requests: new Requests({ runs: jobRuns, clock }),
    afterAck: new AfterAck(log),
    ...(installations ? { installations } : {}),
    clock,
    log,
  };
  const readiness = new Readiness({
    database: () => databaseAnswers(db),
    migrations: () => migrationState(db),
    shipped: shippedMigrations(config.databaseUrl),
    // OAuth mode has no one token to test: Slack answering (api.test) is what readiness can know.
    slackAuth: () => (installations ? client.api.test() : client.auth.test()),
    clock,
    ...(o.readiness ? { options: o.readiness } : {}),
  });
  const app = createSlackApp({
    config,
    deps,
    log,
    ...(installations
      ? {
          oauth: {
            installationStore: installationStore(installations),
            scopes: BOT_SCOPES,
            noteWorkspace: (slackTeamId: string, id: string) => installations.noteWorkspace(slackTeamId, id),
          },
        }
      : {}),
    ops: { metrics, ready: () => readiness.check(), fetch },
    requestClock: o.requestClock ?? systemClock,
  });
  // The job list and its order live in scheduler/jobs.ts; here they meet their services. Each run
  // reports its lag and duration to /metrics; the jobs themselves don't know.
  const jobs = bindJobs(
    JOBS,
    { ...services, home, deliveries: deliverer, installations: installations ?? undefined },
    log,
  ).map((job) => observeJob(job, clock, (run) => metrics.job(run)));
  return { app, jobs, deps, deliverer, metrics, readiness };
}
