import type { Logger } from "pino";
import type { MechanismService } from "../mechanisms/mechanism-service.js";
import type { ReviewService } from "../reviews/review-service.js";
import type { Clock } from "../shared/clock.js";
import type { TeamService } from "../teams/team-service.js";
import type { Notifier } from "./notifier.js";

/** What listeners may use: services and the notifier, never repositories or Prisma. */
export interface SlackDeps {
  teams: TeamService;
  mechanisms: MechanismService;
  reviews: ReviewService;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
}
