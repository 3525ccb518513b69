import type { JobDefinition } from "./job.js";

/** A ritual's scheduled entry point: does what is due at `now`, each occurrence once. */
interface Sweep {
  sweep(now: Date): Promise<unknown>;
}

/**
 * What the jobs call, by shape only, so the scheduler depends on no service module (the wiring is in
 * compose.ts). The file each one lives in is named beside it.
 */
export interface JobDeps {
  /** src/teams/team-due.ts: DueIndexReset */
  dueIndex: { beforeTick(now: Date): Promise<unknown> };
  /** src/reviews/review-service.ts */
  reviews: Sweep;
  /** src/deviations/deviation-service.ts */
  deviations: Sweep;
  /** src/debriefs/debrief-service.ts */
  debriefs: Sweep;
  /** src/alarms/alarm-service.ts */
  alarms: Sweep;
  /** src/action-items/action-item-service.ts */
  actionItems: Sweep;
  /** src/incidents/incident-service.ts: sweepCoeDeadlines */
  incidents: { sweepCoeDeadlines(now: Date): Promise<unknown> };
  /** src/rollups/rollup-service.ts */
  rollups: Sweep;
  /** src/wbr/wbr-service.ts */
  wbr: Sweep;
  /** src/quarters/quarterly-review-service.ts */
  quarterlyReviews: Sweep;
  /** src/learning/learning-service.ts */
  learning: Sweep;
  /** src/home/home-service.ts: re-publishes stale Homes, throttled */
  home: Sweep;
  /** src/slack/delivery/deliverer.ts: posts the outbox's due deliveries */
  deliveries: { pass(now: Date): Promise<unknown> };
  /** src/installations/installation-service.ts; OAuth mode only (no installs with one bot token) */
  installations?: Sweep | undefined;
}

/**
 * Every scheduled job, in the order one tick runs them. A job claims its work (a unique row per
 * occurrence: Review, DebriefRound, Alarm, JobRun, or the outbox's delivery key) and queues its
 * messages in the outbox; the last job posts them. Each sweep documents its catch-up policy.
 */
export const JOBS: readonly JobDefinition<JobDeps>[] = [
  // First: a new process, or a clock that went back, looks at every team again (see DueIndexReset).
  { id: "due-index", every: "minute", run: ({ now, deps }) => deps.dueIndex.beforeTick(now) },
  // Claims each mechanism's due review (the Review row) and queues its reminder; older missed ones are marked.
  { id: "reviews", every: "minute", run: ({ now, deps }) => deps.reviews.sweep(now) },
  // The mid-cycle quota reminder per team and the outcome prompt of each deviation whose cycle ended.
  { id: "deviations", every: "minute", run: ({ now, deps }) => deps.deviations.sweep(now) },
  // Each team's weekly round: prompt, the nudge an hour before the digest, then the digest.
  { id: "debriefs", every: "minute", run: ({ now, deps }) => deps.debriefs.sweep(now) },
  // After reviews: a reminder left unanswered is marked by the review sweep, then judged here.
  { id: "alarms", every: "minute", run: ({ now, deps }) => deps.alarms.sweep(now) },
  // Action items: nudges their owners at 09:00 their time (see ActionItemService).
  { id: "action-items", every: "minute", run: ({ now, deps }) => deps.actionItems.sweep(now) },
  // Full COEs not started within 24 h or not complete within the deep-dive window: one DM per
  // condition, read through the Incident.coeCheckAt due index (before the rollup, which lists them).
  { id: "coe-deadlines", every: "minute", run: ({ now, deps }) => deps.incidents.sweepCoeDeadlines(now) },
  // The rollup reports what the other jobs recorded (missed reviews, open alarms).
  { id: "rollups", every: "minute", run: ({ now, deps }) => deps.rollups.sweep(now) },
  // "Quarterly review is open" at each team's chosen local time, read through QuarterlySchedule.opensAt.
  {
    id: "quarterly-reviews",
    every: "minute",
    run: ({ now, deps }) => deps.quarterlyReviews.sweep(now),
  },
  // The workspace's weekly business review, and its owners' reminders a day before (WbrSchedule.dueAt).
  { id: "wbr", every: "minute", run: ({ now, deps }) => deps.wbr.sweep(now) },
  // Learning sessions: reminders a day (same local wall time) and an hour before, then the speaker's
  // links ask; read through the LearningSession.nextDueAt due index. Catch-up: a missed reminder is
  // sent late only before the session starts; the ask is always sent.
  { id: "learning-sessions", every: "minute", run: ({ now, deps }) => deps.learning.sweep(now) },
  // Last: post what every job above queued, and look up posts whose answers were lost.
  { id: "deliveries", every: "minute", run: ({ now, deps }) => deps.deliveries.pass(now) },
  // After the posts: re-publishes the Homes those posts concern (marked stale when queued), each at
  // most once per 5 minutes per person, and only when what they show changed.
  { id: "home", every: "minute", run: ({ now, deps }) => deps.home.sweep(now) },
  // OAuth mode: deletes the data of workspaces uninstalled longer than RATCHET_RETENTION_DAYS (read
  // through Installation.uninstalledAt), and seals again what an old encryption key sealed.
  { id: "installations", every: "minute", run: async ({ now, deps }) => deps.installations?.sweep(now) },
];
