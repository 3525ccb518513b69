import type { Logger } from "pino";
import type { ActionItemService } from "../action-items/action-item-service.js";
import type { AlarmService } from "../alarms/alarm-service.js";
import type { AuditService } from "../audit/audit-service.js";
import type { DebriefService } from "../debriefs/debrief-service.js";
import type { DeviationService } from "../deviations/deviation-service.js";
import type { ExportService } from "../exports/export-service.js";
import type { FloorService } from "../floor/floor-service.js";
import type { HatCaseService } from "../hat-cases/hat-case-service.js";
import type { HomeService } from "../home/home-service.js";
import type { IncidentService } from "../incidents/incident-service.js";
import type { InstallationService } from "../installations/installation-service.js";
import type { LearningService } from "../learning/learning-service.js";
import type { MechanismService } from "../mechanisms/mechanism-service.js";
import type { PeopleService } from "../people/people-service.js";
import type { QuarterlyReviewService } from "../quarters/quarterly-review-service.js";
import type { ReviewService } from "../reviews/review-service.js";
import type { RollupService } from "../rollups/rollup-service.js";
import type { AfterAck } from "../shared/after-ack.js";
import type { Clock } from "../shared/clock.js";
import type { ChannelProblem } from "../shared/deliveries.js";
import type { AccessGuard } from "../teams/access.js";
import type { SettingsService } from "../teams/settings-service.js";
import type { TeamService } from "../teams/team-service.js";
import type { WbrService } from "../wbr/wbr-service.js";
import type { Notifier } from "./notifier.js";
import type { Requests } from "./requests.js";

/** What listeners may use: services and the notifier, never repositories or Prisma. */
export interface SlackDeps {
  teams: TeamService;
  /** every team setting in one save (the settings modal) */
  settings: SettingsService;
  mechanisms: MechanismService;
  reviews: ReviewService;
  deviations: DeviationService;
  /** the barbell plan (`/ratchet floor`): the Floor's defaults, the Ceiling's slices */
  floor: FloorService;
  debriefs: DebriefService;
  alarms: AlarmService;
  rollups: RollupService;
  incidents: IncidentService;
  actionItems: ActionItemService;
  /** learning sessions (`/ratchet learn`) */
  learning: LearningService;
  /** the weekly business review (`/ratchet wbr`): metrics, readings, the workspace's WBR */
  wbr: WbrService;
  /** the quarterly review (`/ratchet quarter`) */
  quarterlyReviews: QuarterlyReviewService;
  /** reminder preferences, quiet days and review calendars (`/ratchet remind`, `away`, `calendar`) */
  people: PeopleService;
  /** Anthropologist Hat cases (`/ratchet hat`) */
  hatCases: HatCaseService;
  /** the audit log: History modals and `/ratchet audit` */
  audit: AuditService;
  /** isolation: every request's ids must be of the asker's workspace and a team channel they're in */
  access: AccessGuard;
  /** the person's Home tab (app_home_opened), re-published after their own actions */
  home: HomeService;
  /** `/ratchet export`: the team's datasets as CSV and JSON files */
  exports: ExportService;
  /** Channels Ratchet can't post in, and what to do when it is invited back. */
  deliveries: {
    problemFor(channel: string): Promise<ChannelProblem | null>;
    resume(channel: string): Promise<number>;
  };
  notifier: Notifier;
  /** Claims a request's work so a retry or a double-click does it once. */
  requests: Requests;
  /** Slack side effects that follow an ack: queued, a few at a time, so acks go first. */
  afterAck: AfterAck;
  /** OAuth mode only: app_uninstalled / tokens_revoked drop the install's tokens (src/installations/) */
  installations?: Pick<InstallationService, "uninstall">;
  clock: Clock;
  log: Logger;
}
