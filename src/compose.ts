import { WebClient } from "@slack/web-api";
import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Db } from "./db/client.js";
import { databaseAnswers } from "./db/health.js";
import { PrismaMechanismRepository } from "./mechanisms/mechanism-repository.js";
import { MechanismService } from "./mechanisms/mechanism-service.js";
import { PrismaReviewRepository } from "./reviews/review-repository.js";
import { ReviewService } from "./reviews/review-service.js";
import type { Job } from "./scheduler/tick.js";
import type { Clock } from "./shared/clock.js";
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
export function compose(o: { config: Config; db: Db; clock: Clock; log: Logger }): Composed {
  const { config, db, clock, log } = o;
  const client = new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger: undefined,
  });
  const notifier = new SlackNotifier(client);
  const repos = {
    teams: new PrismaTeamRepository(db),
    mechanisms: new PrismaMechanismRepository(db),
    reviews: new PrismaReviewRepository(db),
  };
  const mechanisms = new MechanismService({ mechanisms: repos.mechanisms, teams: repos.teams, clock, notifier, log });
  const teams = new TeamService({ teams: repos.teams, clock, onRescheduled: (t) => mechanisms.rescheduleTeam(t) });
  const reviews = new ReviewService({
    mechanisms: repos.mechanisms,
    reviews: repos.reviews,
    teams: repos.teams,
    mechanismService: mechanisms,
    clock,
    notifier,
    log,
  });
  const deps: SlackDeps = { teams, mechanisms, reviews, notifier, clock, log };
  const jobs: Job[] = [{ name: "reviews", run: (now) => reviews.sweep(now) }];
  const app = createSlackApp({ config, deps, log, healthy: () => databaseAnswers(db) });
  return { app, jobs, deps };
}
