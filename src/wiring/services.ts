import type { Logger } from "pino";
import { PrismaActionItemRepository } from "../action-items/action-item-repository.js";
import { ActionItemService } from "../action-items/action-item-service.js";
import { PrismaAlarmRepository } from "../alarms/alarm-repository.js";
import { AlarmService } from "../alarms/alarm-service.js";
import { PrismaAuditRepository } from "../audit/audit-repository.js";
import { AuditService } from "../audit/audit-service.js";
import type { Db } from "../db/client.js";
import { PrismaJobRuns } from "../db/job-runs.js";
import { PrismaDebriefRepository } from "../debriefs/debrief-repository.js";
import { DebriefService } from "../debriefs/debrief-service.js";
import { PrismaDeviationRepository } from "../deviations/deviation-repository.js";
import { DeviationService } from "../deviations/deviation-service.js";
import { PrismaExportRepository } from "../exports/export-repository.js";
import { ExportService } from "../exports/export-service.js";
import { PrismaFloorRepository } from "../floor/floor-repository.js";
import { FloorService } from "../floor/floor-service.js";
import { PrismaHatCaseRepository } from "../hat-cases/hat-case-repository.js";
import { HatCaseService } from "../hat-cases/hat-case-service.js";
import { PrismaIncidentRepository } from "../incidents/incident-repository.js";
import { IncidentService } from "../incidents/incident-service.js";
import { loopMetrics } from "../incidents/metrics.js";
import { PrismaLearningRepository } from "../learning/learning-repository.js";
import { LearningService } from "../learning/learning-service.js";
import { PrismaMechanismRepository } from "../mechanisms/mechanism-repository.js";
import { MechanismService } from "../mechanisms/mechanism-service.js";
import type { Announcer, DeliveryHandlers } from "../notices.js";
import { PrismaPeopleRepository } from "../people/people-repository.js";
import { PeopleService } from "../people/people-service.js";
import { PrismaQuarterlyReviewRepository } from "../quarters/quarterly-review-repository.js";
import { QuarterlyReviewService } from "../quarters/quarterly-review-service.js";
import { PrismaReviewRepository } from "../reviews/review-repository.js";
import { ReviewService } from "../reviews/review-service.js";
import { PrismaRollupRepository } from "../rollups/rollup-repository.js";
import { RollupService } from "../rollups/rollup-service.js";
import type { Clock } from "../shared/clock.js";
import type { Outbox } from "../shared/deliveries.js";
import { SettingsService } from "../teams/settings-service.js";
import { DueIndexReset } from "../teams/team-due.js";
import { PrismaTeamRepository } from "../teams/team-repository.js";
import { TeamService } from "../teams/team-service.js";
import { PrismaWbrRepository } from "../wbr/wbr-repository.js";
import { WbrService } from "../wbr/wbr-service.js";

export interface ServiceWiring {
  db: Db;
  clock: Clock;
  log: Logger;
  announcer: Announcer;
  outbox: Outbox;
  /** tests set 0: they drive changes one at a time and want the alarm re-check at once */
  alarmSettleMs?: number;
}

/** Every ritual's service over its Prisma repositories; each takes the clock, the outbox and the announcer. */
export function composeServices({ db, alarmSettleMs, ...common }: ServiceWiring) {
  const { clock, outbox, log } = common;
  const teamRepo = new PrismaTeamRepository(db);
  const mechanismRepo = new PrismaMechanismRepository(db);
  const jobRuns = new PrismaJobRuns(db);
  // Every change is recorded by the service that makes it (src/audit/).
  const audit = new AuditService({ audit: new PrismaAuditRepository(db), clock, log });
  const mechanisms = new MechanismService({ mechanisms: mechanismRepo, teams: teamRepo, ...common, audit });
  const onRescheduled = (t: Parameters<MechanismService["rescheduleTeam"]>[0]) =>
    mechanisms.rescheduleTeam(t);
  const teams = new TeamService({ teams: teamRepo, clock, outbox, log, onRescheduled, audit });
  const alarms = new AlarmService({
    alarms: new PrismaAlarmRepository(db),
    jobRuns,
    teams: teamRepo,
    ...common,
    ...(alarmSettleMs !== undefined ? { settleMs: alarmSettleMs } : {}),
  });
  // Decisions and deviations change what the alarms see: re-check the team (debounced there).
  const onDataChanged = (teamId: string) => alarms.onDataChanged(teamId);
  // Reminder preferences and quiet days: the review job reads them when it claims (src/people/).
  const peopleRepo = new PrismaPeopleRepository(db);
  const reviews = new ReviewService({
    mechanisms: mechanismRepo,
    reviews: new PrismaReviewRepository(db),
    teams: teamRepo,
    mechanismService: mechanisms,
    ...common,
    onDataChanged,
    people: peopleRepo,
  });
  const deviations = new DeviationService({
    deviations: new PrismaDeviationRepository(db),
    teams: teamRepo,
    ...common,
    audit,
    onDataChanged,
  });
  // The Floor's guardrails are an alarm too: a change re-checks the team like a decision does.
  const floor = new FloorService({
    floor: new PrismaFloorRepository(db),
    teams: teamRepo,
    clock,
    log,
    onDataChanged,
    audit,
  });
  const debriefs = new DebriefService({
    debriefs: new PrismaDebriefRepository(db),
    teams: teamRepo,
    teamService: teams,
    ...common,
    people: peopleRepo,
  });
  const incidents = new IncidentService({
    incidents: new PrismaIncidentRepository(db),
    teams: teamRepo,
    ...common,
    audit,
  });
  const actionItemRepo = new PrismaActionItemRepository(db);
  const actionItems = new ActionItemService({ actionItems: actionItemRepo, incidents, ...common });
  // The rollup repository also keeps the workspace's all-teams channel, which settings change.
  const rollupRepo = new PrismaRollupRepository(db, actionItemRepo);
  const rollups = new RollupService({
    rollups: rollupRepo,
    due: teamRepo,
    clock,
    outbox,
    log,
    loopMetrics: async (teamId, now) => loopMetrics(await incidents.listForTeam(teamId), now),
    overdueCoes: (teamId, now) => incidents.overdueCoes(teamId, now),
  });
  // Learning sessions suggest topics from COE lessons and promoted deviations, read through their services.
  const learning = new LearningService({
    sessions: new PrismaLearningRepository(db),
    teams: teamRepo,
    clock,
    outbox,
    log,
    topicSources: {
      incidents: (teamId) => incidents.listForTeam(teamId),
      deviations: (teamId) => deviations.deviationsForTeam(teamId),
    },
    audit,
  });
  const settings = new SettingsService({
    teams: teamRepo,
    workspaces: rollupRepo,
    clock,
    outbox,
    log,
    onRescheduled,
    onCoeSettingsChanged: (teamId) => incidents.coeSettingsChanged(teamId),
    audit,
  });
  return {
    teamRepo,
    jobRuns,
    services: {
      dueIndex: new DueIndexReset(teamRepo),
      audit,
      teams,
      settings,
      mechanisms,
      reviews,
      deviations,
      floor,
      debriefs,
      alarms,
      rollups,
      incidents,
      actionItems,
      learning,
      wbr: new WbrService({ wbr: new PrismaWbrRepository(db), teams: teamRepo, clock, outbox, log, audit }),
      quarterlyReviews: new QuarterlyReviewService({
        reviews: new PrismaQuarterlyReviewRepository(db),
        teams: teamRepo,
        incidents,
        ...common,
        audit,
      }),
      exports: new ExportService({ source: new PrismaExportRepository(db), log }),
      people: new PeopleService({
        people: peopleRepo,
        teams: teamRepo,
        mechanisms: mechanismRepo,
        clock,
        outbox,
        log,
        announcer: common.announcer,
      }),
      hatCases: new HatCaseService({
        hatCases: new PrismaHatCaseRepository(db),
        teams: teamRepo,
        clock,
        outbox,
        log,
        audit,
      }),
    },
  };
}

export type Services = ReturnType<typeof composeServices>["services"];

/** What each outbox kind's delivery loads and records, by the service that owns it. */
export function deliveryHandlers(s: Services): DeliveryHandlers {
  return {
    review_due: s.reviews.reminderHandler,
    review_calendar: s.people.calendarHandler,
    debrief_prompt: s.debriefs.promptHandler,
    debrief_digest: s.debriefs.digestHandler,
    debrief_nudge: s.debriefs.nudgeHandler,
    alarm: s.alarms.deliveryHandler,
    quota_reminder: s.deviations.quotaHandler,
    outcome_prompt: s.deviations.outcomeHandler,
    action_item_nudge: s.actionItems.nudgeHandler,
    rollup: s.rollups.rollupHandler,
    rollup_chart: s.rollups.chartHandler,
    workspace_rollup: s.rollups.workspaceHandler,
    one_pager: s.mechanisms.onePagerHandler,
    decision_entry: s.reviews.decisionHandler,
    guardrail_breach: s.reviews.breachHandler,
    deviation_card: s.deviations.cardHandler,
    verdict: s.deviations.verdictHandler,
    incident_card: s.incidents.cardHandler,
    coe_overdue: s.incidents.overdueHandler,
    incident_note: s.incidents.noteHandler,
    debrief_answer: s.debriefs.answerHandler,
    team_saved: s.teams.savedHandler,
    debrief_settings_saved: s.debriefs.settingsHandler,
    learning_scheduled: s.learning.scheduledHandler,
    learning_reminder: s.learning.reminderHandler,
    learning_links_ask: s.learning.linksAskHandler,
    wbr: s.wbr.wbrHandler,
    wbr_reminder: s.wbr.reminderHandler,
    wbr_chart: s.wbr.chartHandler,
    quarter_open: s.quarterlyReviews.openHandler,
    quarterly_review: s.quarterlyReviews.reviewHandler,
    hat_case: s.hatCases.postHandler,
  };
}
