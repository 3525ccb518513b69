import type { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import { PrismaAlarmRepository } from "./alarms/alarm-repository.js";
import { AlarmService } from "./alarms/alarm-service.js";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import { databaseAnswers } from "./db/health.js";
import { PrismaJobRuns } from "./db/job-runs.js";
import { PrismaDebriefRepository } from "./debriefs/debrief-repository.js";
import { DebriefService } from "./debriefs/debrief-service.js";
import { PrismaDeviationRepository } from "./deviations/deviation-repository.js";
import { DeviationService } from "./deviations/deviation-service.js";
import { PrismaActionItemRepository } from "./follow-through/action-item-repository.js";
import { FollowThroughService } from "./follow-through/follow-through-service.js";
import { actionItemsSection, loopMetricsSection } from "./follow-through/rollup-section.js";
import { PrismaIncidentRepository } from "./incidents/incident-repository.js";
import { IncidentService } from "./incidents/incident-service.js";
import { loopMetrics } from "./incidents/metrics.js";
import { PrismaMechanismRepository } from "./mechanisms/mechanism-repository.js";
import { MechanismService } from "./mechanisms/mechanism-service.js";
import { PrismaReviewRepository } from "./reviews/review-repository.js";
import { ReviewService } from "./reviews/review-service.js";
import { renderChartInWorker } from "./rollups/render-in-worker.js";
import { PrismaRollupRepository } from "./rollups/rollup-repository.js";
import { RollupService } from "./rollups/rollup-service.js";
import { ROLLUP_SECTIONS } from "./rollups/sections.js";
import type { Job } from "./scheduler/tick.js";
import { AfterAck } from "./shared/after-ack.js";
import type { Clock } from "./shared/clock.js";
import { slackLogger } from "./shared/slack-logger.js";
import { createSlackApp } from "./slack/app.js";
import type { SlackDeps } from "./slack/deps.js";
import { SlackNotifier } from "./slack/notifier.js";
import { PrismaTeamRepository } from "./teams/team-repository.js";
import { TeamService } from "./teams/team-service.js";

export interface Composed {
  app: App;
  jobs: Job[];
  deps: SlackDeps;
}

/** Wires repositories → services → Slack app and jobs. Shared by main.ts and the end-to-end tests. */
export function compose(o: {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  /** tests set 0: they drive changes one at a time and want the alarm re-check at once */
  alarmSettleMs?: number;
}): Composed {
  const { config, db, clock, log } = o;
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: slackLogger(log, "web-api"),
    // A few quick retries, not the default ten over half an hour: a lost response to a post that
    // did reach Slack would be re-sent by each retry, and a tick must not hang through an outage
    // (the jobs' own claims retry on later ticks).
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
  });
  const notifier = new SlackNotifier(client);
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
    notifier,
    log,
  });
  const teams = new TeamService({
    teams: repos.teams,
    clock,
    onRescheduled: (t) => mechanisms.rescheduleTeam(t),
  });
  const alarms = new AlarmService({
    alarms: new PrismaAlarmRepository(db),
    jobRuns,
    teams: repos.teams,
    clock,
    notifier,
    log,
    ...(o.alarmSettleMs !== undefined ? { settleMs: o.alarmSettleMs } : {}),
  });
  const reviews = new ReviewService({
    mechanisms: repos.mechanisms,
    reviews: repos.reviews,
    teams: repos.teams,
    mechanismService: mechanisms,
    clock,
    notifier,
    log,
    onDataChanged: (teamId) => alarms.onDataChanged(teamId),
  });
  const deviations = new DeviationService({
    deviations: new PrismaDeviationRepository(db),
    jobRuns,
    teams: repos.teams,
    clock,
    notifier,
    log,
    onDataChanged: (teamId) => alarms.onDataChanged(teamId),
  });
  const debriefs = new DebriefService({
    debriefs: new PrismaDebriefRepository(db),
    teams: repos.teams,
    teamService: teams,
    clock,
    notifier,
    log,
  });
  const rollups = new RollupService({
    rollups: new PrismaRollupRepository(db),
    jobRuns,
    teams,
    clock,
    notifier,
    log,
    // In a short-lived worker thread: the bot never holds vega and resvg (~70 MB) between rollups.
    renderChart: renderChartInWorker,
    sections: [...ROLLUP_SECTIONS, actionItemsSection, loopMetricsSection],
    loopMetrics: async (teamId, now) => loopMetrics(await incidents.listForTeam(teamId), now),
  });
  const incidents = new IncidentService({
    incidents: new PrismaIncidentRepository(db),
    teams: repos.teams,
    clock,
    notifier,
    log,
  });
  const followThrough = new FollowThroughService({
    actionItems: new PrismaActionItemRepository(db),
    jobRuns,
    incidents,
    clock,
    notifier,
    log,
  });
  const deps: SlackDeps = {
    teams,
    mechanisms,
    reviews,
    deviations,
    debriefs,
    alarms,
    rollups,
    incidents,
    followThrough,
    notifier,
    afterAck: new AfterAck(log),
    clock,
    log,
  };
  const jobs: Job[] = [
    { name: "reviews", run: (now) => reviews.sweep(now) },
    { name: "deviations", run: (now) => deviations.sweep(now) },
    { name: "debriefs", run: (now) => debriefs.sweep(now) },
    // After reviews: a reminder left unanswered is marked by the review sweep, then judged here.
    { name: "alarms", run: (now) => alarms.sweep(now) },
    // COE follow-through: nudges action item owners at 09:00 their time (see FollowThroughService).
    { name: "action-items", run: (now) => followThrough.sweep(now) },
    // Last: the rollup reports what the other jobs recorded (missed reviews, open alarms).
    { name: "rollups", run: (now) => rollups.sweep(now) },
  ];
  const app = createSlackApp({ config, deps, log, healthy: () => databaseAnswers(db) });
  return { app, jobs, deps };
}
