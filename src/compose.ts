import type { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { PrismaActionItemRepository } from "./action-items/action-item-repository.js";
import { ActionItemService } from "./action-items/action-item-service.js";
import { PrismaAlarmRepository } from "./alarms/alarm-repository.js";
import { AlarmService } from "./alarms/alarm-service.js";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import { PrismaDeliveryRepository } from "./db/delivery-repository.js";
import { databaseAnswers, migrationState } from "./db/health.js";
import { PrismaJobRuns } from "./db/job-runs.js";
import { shippedMigrations } from "./db/migrate.js";
import { PrismaDebriefRepository } from "./debriefs/debrief-repository.js";
import { DebriefService } from "./debriefs/debrief-service.js";
import { PrismaDeviationRepository } from "./deviations/deviation-repository.js";
import { DeviationService } from "./deviations/deviation-service.js";
import { PrismaIncidentRepository } from "./incidents/incident-repository.js";
import { IncidentService } from "./incidents/incident-service.js";
import { loopMetrics } from "./incidents/metrics.js";
import { PrismaMechanismRepository } from "./mechanisms/mechanism-repository.js";
import { MechanismService } from "./mechanisms/mechanism-service.js";
import type { DeliveryHandlers } from "./notices.js";
import { Metrics } from "./ops/metrics.js";
import { Readiness, type ReadinessOptions } from "./ops/readiness.js";
import { PrismaReviewRepository } from "./reviews/review-repository.js";
import { ReviewService } from "./reviews/review-service.js";
import { renderChartInWorker } from "./rollups/render-in-worker.js";
import { PrismaRollupRepository } from "./rollups/rollup-repository.js";
import { RollupService } from "./rollups/rollup-service.js";
import { bindJobs, type Job } from "./scheduler/job.js";
import { JOBS } from "./scheduler/jobs.js";
import { observeJob } from "./scheduler/observe.js";
import { AfterAck } from "./shared/after-ack.js";
import { type Clock, systemClock } from "./shared/clock.js";
import type { Outbox } from "./shared/deliveries.js";
import { outsideRequest } from "./shared/request-context.js";
import { createSlackApp } from "./slack/app.js";
import { buildChannelProblem, buildDeliveryGivenUp } from "./slack/blocks/confirmations.js";
import { Deliverer, type DelivererOptions } from "./slack/delivery/deliverer.js";
import { deliveryRoutes, slackDrawers } from "./slack/delivery/draw.js";
import type { SlackDeps } from "./slack/deps.js";
import { SlackNotifier } from "./slack/notifier.js";
import { observedFetch } from "./slack/observed-fetch.js";
import { Requests } from "./slack/requests.js";
import { SlackAnnouncer } from "./slack/slack-announcer.js";
import { slackLogger } from "./slack/slack-logger.js";
import { SettingsService } from "./teams/settings-service.js";
import { PrismaTeamRepository } from "./teams/team-repository.js";
import { TeamService } from "./teams/team-service.js";

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
  // Both WebClients (this one and Bolt's) send through it, so every Slack call is counted once.
  const slackFetch = observedFetch(metrics);
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: slackLogger(log, "web-api"),
    // No automatic retries: a retried post whose first answer was lost is a duplicate. The outbox
    // looks a post up before sending it again, and paces and retries everything itself; a 429 is
    // handed back at once (not waited out here, with the whole client paused) so it can reschedule.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: config.slack.timeoutMs,
    fetch: slackFetch,
  });
  const notifier = new SlackNotifier(client);
  // One drawing of every notice, for the outbox and for the edits and sends services make directly.
  // The chart renders in a short-lived worker thread: the bot never holds vega and resvg (~70 MB) between rollups.
  const drawers = slackDrawers({ renderChart: renderChartInWorker });
  const announcer = new SlackAnnouncer(notifier, drawers);
  const store = new PrismaDeliveryRepository(db);
  // Whatever a person's action queues goes out at once, not on the next minute's tick.
  let kick = () => {};
  const outbox: Outbox = {
    enqueue: async (d) => {
      const fresh = await store.enqueue(d);
      if (fresh) kick();
      return fresh;
    },
    statuses: (keys) => store.statuses(keys),
  };
  const repos = {
    teams: new PrismaTeamRepository(db),
    mechanisms: new PrismaMechanismRepository(db),
    reviews: new PrismaReviewRepository(db),
  };
  const jobRuns = new PrismaJobRuns(db);
  const mechanisms = new MechanismService({
    mechanisms: repos.mechanisms,
    teams: repos.teams,
    clock,
    announcer,
    outbox,
    log,
  });
  const teams = new TeamService({
    teams: repos.teams,
    clock,
    outbox,
    log,
    onRescheduled: (t) => mechanisms.rescheduleTeam(t),
  });
  const alarms = new AlarmService({
    alarms: new PrismaAlarmRepository(db),
    jobRuns,
    teams: repos.teams,
    clock,
    announcer,
    outbox,
    log,
    ...(o.alarmSettleMs !== undefined ? { settleMs: o.alarmSettleMs } : {}),
  });
  const reviews = new ReviewService({
    mechanisms: repos.mechanisms,
    reviews: repos.reviews,
    teams: repos.teams,
    mechanismService: mechanisms,
    clock,
    announcer,
    outbox,
    log,
    onDataChanged: (teamId) => alarms.onDataChanged(teamId),
  });
  const deviations = new DeviationService({
    deviations: new PrismaDeviationRepository(db),
    teams: repos.teams,
    clock,
    announcer,
    outbox,
    log,
    onDataChanged: (teamId) => alarms.onDataChanged(teamId),
  });
  const debriefs = new DebriefService({
    debriefs: new PrismaDebriefRepository(db),
    teams: repos.teams,
    teamService: teams,
    clock,
    announcer,
    outbox,
    log,
  });
  const actionItemRepository = new PrismaActionItemRepository(db);
  const incidents = new IncidentService({
    incidents: new PrismaIncidentRepository(db),
    teams: repos.teams,
    clock,
    announcer,
    outbox,
    log,
  });
  const rollupRepository = new PrismaRollupRepository(db, actionItemRepository);
  const rollups = new RollupService({
    rollups: rollupRepository,
    clock,
    outbox,
    log,
    loopMetrics: async (teamId, now) => loopMetrics(await incidents.listForTeam(teamId), now),
  });
  const actionItems = new ActionItemService({
    actionItems: actionItemRepository,
    incidents,
    clock,
    announcer,
    outbox,
    log,
  });

  const handlers: DeliveryHandlers = {
    review_due: reviews.reminderHandler,
    debrief_prompt: debriefs.promptHandler,
    debrief_digest: debriefs.digestHandler,
    debrief_nudge: debriefs.nudgeHandler,
    alarm: alarms.deliveryHandler,
    quota_reminder: deviations.quotaHandler,
    outcome_prompt: deviations.outcomeHandler,
    action_item_nudge: actionItems.nudgeHandler,
    rollup: rollups.rollupHandler,
    rollup_chart: rollups.chartHandler,
    workspace_rollup: rollups.workspaceHandler,
    one_pager: mechanisms.onePagerHandler,
    decision_entry: reviews.decisionHandler,
    deviation_card: deviations.cardHandler,
    verdict: deviations.verdictHandler,
    incident_card: incidents.cardHandler,
    incident_note: incidents.noteHandler,
    debrief_answer: debriefs.answerHandler,
    team_saved: teams.savedHandler,
    debrief_settings_saved: debriefs.settingsHandler,
  };
  /** The people to tell when something can't be posted: the team's admin, who can fix it. */
  const tellAdmins = async (teamId: string | null, msg: Parameters<SlackNotifier["dm"]>[1]) => {
    const team = teamId ? await repos.teams.findById(teamId) : null;
    if (!team) return false;
    await notifier.dm(team.createdBy, msg);
    return true;
  };
  const deliverer = new Deliverer({
    store,
    notifier,
    routes: deliveryRoutes(handlers, drawers),
    clock,
    log,
    options: o.delivery ?? {},
    onEvent: (event, kind) => metrics.deliveryEvent(event, kind),
    onChannelProblem: async (p) => {
      try {
        const team = p.teamId ? await repos.teams.findById(p.teamId) : null;
        const msg = buildChannelProblem({ channelId: p.channel, error: p.error, team, waiting: p.waiting });
        if (await tellAdmins(p.teamId, msg)) {
          await store.markTold(p.channel, clock.now());
        }
      } catch (err) {
        log.error({ err, channel: p.channel, teamId: p.teamId }, "could not tell the team's admin either");
      }
    },
    onGiveUp: async (d, error) => {
      try {
        await tellAdmins(
          d.teamId,
          buildDeliveryGivenUp({ kind: d.kind, channelId: d.channel ?? d.target, error }),
        );
      } catch (err) {
        log.error({ err, key: d.key }, "could not tell the team's admin about a delivery given up");
      }
    },
  });

  // The pass a person's action kicks off serves everyone's deliveries: it logs as no request's.
  kick = () => outsideRequest(() => deliverer.kick());
  metrics.deliveryCounts(() => store.counts(), log);

  // Every team setting in one save; the rollup repository keeps the workspace's all-teams channel.
  const settings = new SettingsService({
    teams: repos.teams,
    workspaces: rollupRepository,
    clock,
    outbox,
    log,
    onRescheduled: (t) => mechanisms.rescheduleTeam(t),
  });

  const deps: SlackDeps = {
    teams,
    settings,
    mechanisms,
    reviews,
    deviations,
    debriefs,
    alarms,
    rollups,
    incidents,
    actionItems,
    deliveries: {
      problemFor: async (channel) =>
        (await store.channelProblems()).find((p) => p.channel === channel) ?? null,
      resume: (channel) => deliverer.resume(channel, clock.now()),
    },
    notifier,
    requests: new Requests({ runs: jobRuns, clock }),
    afterAck: new AfterAck(log),
    clock,
    log,
  };
  const readiness = new Readiness({
    database: () => databaseAnswers(db),
    migrations: () => migrationState(db),
    shipped: shippedMigrations(config.databaseUrl),
    slackAuth: () => client.auth.test(),
    clock,
    ...(o.readiness ? { options: o.readiness } : {}),
  });
  const app = createSlackApp({
    config,
    deps,
    log,
    ops: { metrics, ready: () => readiness.check(), fetch: slackFetch },
    requestClock: o.requestClock ?? systemClock,
  });
  // The job list and its order live in scheduler/jobs.ts; here they meet their services. Each run
  // reports its lag and duration to /metrics; the jobs themselves don't know.
  const jobs = bindJobs(
    JOBS,
    { reviews, deviations, debriefs, alarms, actionItems, rollups, deliveries: deliverer },
    log,
  ).map((job) => observeJob(job, clock, (run) => metrics.job(run)));
  return { app, jobs, deps, deliverer, metrics, readiness };
}
