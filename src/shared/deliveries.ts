/**
 * The outbox: every message Ratchet posts goes through here, exactly once: the scheduled ones, and the
 * first post of what a person did (a one-pager, a decision entry, a card, a confirmation), enqueued in
 * the same call that saves it, before Slack gets its ack, so a process dying after the ack loses nothing.
 * Later edits of a posted message (chat.update, idempotent) are not deliveries.
 *
 * A service enqueues a delivery under a unique key (the key IS the claim: enqueueing it again changes
 * nothing) with a small reference (ids). The deliverer (src/slack/delivery) resolves the reference to
 * fresh data through the kind's handler, draws it, posts it with the key as message metadata, and
 * tells the handler where it landed. Slack's answers decide what happens next:
 *
 *   queued ──start──▶ sending ──posted──▶ sent
 *                       │  Slack said no, for now (429, service_unavailable) ──▶ queued (later)
 *                       │  no answer, a 5xx, internal_error (it may have posted) ──▶ unknown
 *                       │  the channel can't be posted in (not_in_channel, is_archived…) ──▶ blocked
 *                       └  the message itself is refused, or too many tries ──▶ failed
 *   unknown ──looked up in the channel's history: found ──▶ sent, not found ──▶ sent again
 *   blocked ──the bot is invited back (member_joined_channel)──▶ queued
 *   any open one past its expiresAt, or no longer wanted ──▶ cancelled
 *
 * A "sending" row older than a few minutes belongs to a process that died mid-post: it is treated as
 * unknown, so its message is found (and its ts recorded) instead of being lost or posted twice.
 */

import type { Logger } from "pino";

export const DELIVERY_STATUSES = [
  "queued",
  "sending",
  "unknown",
  "sent",
  "blocked",
  "failed",
  "cancelled",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Every kind of delivery and its reference: just enough to load fresh data when it is sent. */
export interface DeliveryRefs {
  /** dmTo: a copy in the owner's DM (their preference says both), not sent while they are away */
  review_due: { reviewId: string; dmTo?: string };
  /** a mechanism's review series as an .ics file, uploaded to the person who asked (src/people/) */
  review_calendar: { mechanismId: string; userId: string };
  /** dmTo: a copy in the DM of a member whose preference asks for one (src/people/) */
  debrief_prompt: { roundId: string; dmTo?: string };
  debrief_digest: { roundId: string };
  debrief_nudge: { roundId: string; userId: string };
  alarm: { alarmId: string };
  quota_reminder: { teamId: string; cycle: number };
  outcome_prompt: { deviationId: string };
  /** orphaned: the owner is deactivated, so it goes to the incident's thread instead of a DM */
  action_item_nudge: { actionItemId: string; nudge: "pre" | "overdue"; dueDate: string; orphaned: boolean };
  rollup: { teamId: string; week: string; from: string; to: string };
  rollup_chart: { teamId: string; week: string; from: string; to: string };
  workspace_rollup: { slackTeamId: string; week: string };
  /** a mechanism's one-pager, first post (edits update it in place) */
  one_pager: { mechanismId: string };
  /** the checkpoint as evaluated when the decision was taken: the rule may be edited before it is sent */
  decision_entry: { decisionId: string; checkpointLines: string[] };
  /** a DM to the stop owner of a guardrail a review found breached */
  guardrail_breach: { readingId: string };
  deviation_card: { deviationId: string };
  /** by: who recorded the outcome */
  verdict: { deviationId: string; by: string };
  incident_card: { incidentId: string };
  /** a DM to the owner of a full COE past a deadline; once per incident and condition */
  coe_overdue: { incidentId: string; condition: "not_started" | "not_complete" };
  /** in the card's thread: every similar incident (intake), or those that became similar after a change */
  incident_note:
    | { incidentId: string; when: "intake" }
    | { incidentId: string; when: "recheck"; similarIds: string[] };
  debrief_answer: { answerId: string; roundId: string; userId: string };
  /** by: who saved the setup */
  team_saved: { teamId: string; created: boolean; by: string };
  debrief_settings_saved: { teamId: string; by: string };
  /** a learning session's announcement in one audience channel */
  learning_scheduled: { sessionId: string };
  /** a learning session's reminder a day or an hour before, in one audience channel */
  learning_reminder: { sessionId: string; when: "day" | "hour" };
  /** a DM to the speaker after the session, asking for the recording and slides */
  learning_links_ask: { sessionId: string };
  /** "Quarterly review is open" in the team channel; once per team and quarter ("2026-Q4") */
  quarter_open: { teamId: string; quarter: string };
  /** a submitted quarterly review; each revision is posted once */
  quarterly_review: { reviewId: string; revision: number };
  /** an Anthropologist Hat case, posted in its team channel */
  hat_case: { hatCaseId: string };
  /** the workspace's weekly business review; week: its local date, at: its instant */
  wbr: { slackTeamId: string; week: string; at: string };
  /** a DM to a metric's owner the day before the WBR when its week's reading is missing */
  wbr_reminder: { metricId: string; week: string; at: string };
  /** the WBR's output chart, in its thread */
  wbr_chart: { slackTeamId: string; week: string; at: string };
}

export type DeliveryKind = keyof DeliveryRefs;

export const DELIVERY_KINDS = [
  "review_due",
  "review_calendar",
  "debrief_prompt",
  "debrief_digest",
  "debrief_nudge",
  "alarm",
  "quota_reminder",
  "outcome_prompt",
  "action_item_nudge",
  "rollup",
  "rollup_chart",
  "workspace_rollup",
  "one_pager",
  "decision_entry",
  "guardrail_breach",
  "deviation_card",
  "verdict",
  "incident_card",
  "coe_overdue",
  "incident_note",
  "debrief_answer",
  "team_saved",
  "debrief_settings_saved",
  "learning_scheduled",
  "learning_reminder",
  "learning_links_ask",
  "quarter_open",
  "quarterly_review",
  "hat_case",
  "wbr",
  "wbr_reminder",
  "wbr_chart",
] as const satisfies readonly DeliveryKind[];

export const isDeliveryKind = (v: string): v is DeliveryKind =>
  (DELIVERY_KINDS as readonly string[]).includes(v);

export interface NewDelivery<K extends DeliveryKind = DeliveryKind> {
  key: string;
  kind: K;
  ref: DeliveryRefs[K];
  /** a channel id, or a user id for a DM */
  target: string;
  teamId?: string | null;
  /** post as a reply in this thread */
  threadTs?: string | null;
  /** not before this instant (a DM an hour before the digest, a reminder at its slot) */
  notBefore: Date;
  /** a message nobody needs after this instant is cancelled instead of posted late */
  expiresAt?: Date | null;
  /** when it is enqueued (the caller's clock) */
  at: Date;
}

export interface Delivery {
  id: string;
  key: string;
  teamId: string | null;
  kind: DeliveryKind;
  ref: unknown;
  target: string;
  threadTs: string | null;
  status: DeliveryStatus;
  attempts: number;
  notBefore: Date;
  expiresAt: Date | null;
  startedAt: Date | null;
  channel: string | null;
  ts: string | null;
  error: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The port services use: enqueue, and ask what became of a key. */
export interface Outbox {
  /** Inserts the delivery unless its key exists; true when this call inserted it. */
  enqueue(d: NewDelivery): Promise<boolean>;
  /**
   * Inserts each delivery whose key does not exist yet, in a few statements; how many it inserted.
   * For a job's batch: it only queues, and the tick's last job (deliveries) posts them, so the claims
   * are not interleaved with a delivery pass on the same event loop and database.
   */
  enqueueMany(ds: readonly NewDelivery[]): Promise<number>;
  /** The status of each key that has a delivery (keys without one are absent). */
  statuses(keys: readonly string[]): Promise<Map<string, DeliveryStatus>>;
}

/**
 * Enqueues the post of something just saved. A failure is logged, not thrown: the data is saved, and
 * throwing would fail the person's request and invite a resubmission that saves it twice.
 */
export async function enqueueAfterSave(
  outbox: Outbox,
  log: Pick<Logger, "error">,
  d: NewDelivery,
): Promise<void> {
  try {
    await outbox.enqueue(d);
  } catch (err) {
    log.error({ err, key: d.key, kind: d.kind, teamId: d.teamId }, "saved, but its post could not be queued");
  }
}

export interface ChannelProblem {
  channel: string;
  teamId: string | null;
  error: string;
  since: Date;
  toldAt: Date | null;
}

/** The deliverer's store: the outbox, its status changes, and the channels Ratchet can't post in. */
export interface DueQuery {
  now: Date;
  lookupBefore: Date;
  stuckBefore: Date;
  limit: number;
  skip?: readonly string[];
}

export interface DeliveryStore extends Outbox {
  /**
   * One pass's work, oldest first: queued deliveries due by `now`; unknown ones that started before
   * `lookupBefore` (Slack has had time to store them); "sending" ones that started before
   * `stuckBefore` (their process died mid-post). Blocked, sent, failed and cancelled are never listed,
   * nor deliveries to a target in `skip` (channels this process is serving already).
   */
  due(o: DueQuery): Promise<Delivery[]>;
  /** Takes a delivery for one attempt (status and attempts as read → sending); false if another worker did. */
  start(d: Pick<Delivery, "id" | "status" | "attempts">, at: Date): Promise<boolean>;
  /** Remembers where a DM will land before posting, so a lookup knows which channel to search. */
  setChannel(id: string, channel: string, at: Date): Promise<void>;
  sent(id: string, where: { channel: string; ts: string }, at: Date): Promise<void>;
  /** Slack said no, and nothing was posted: try again at `notBefore`. */
  retry(id: string, o: { error: string; notBefore: Date; at: Date }): Promise<void>;
  /** No clear answer: it may have been posted; the next pass looks for it first. */
  unknown(id: string, o: { error: string; at: Date }): Promise<void>;
  /** The channel can't be posted in; waits for the bot to be invited back. */
  block(id: string, o: { error: string; at: Date }): Promise<void>;
  fail(id: string, o: { error: string; at: Date }): Promise<void>;
  cancel(id: string, o: { reason: string; at: Date }): Promise<void>;
  /** Cancels open deliveries (queued, unknown, blocked) whose expiresAt has passed; returns how many. */
  expire(now: Date): Promise<number>;
  /** Blocked deliveries to `target` go back to the queue; returns how many. */
  unblock(target: string, at: Date): Promise<number>;
  findByKey(key: string): Promise<Delivery | null>;
  /** How many deliveries are in each status (every status present, 0 when none): the queue's depth. */
  counts(): Promise<Record<DeliveryStatus, number>>;

  channelProblems(): Promise<ChannelProblem[]>;
  /** Records a problem for the channel unless it has one; true when this call recorded it. */
  reportProblem(p: { channel: string; teamId: string | null; error: string; at: Date }): Promise<boolean>;
  markTold(channel: string, at: Date): Promise<void>;
  /** Forgets the channel's problem; true when there was one. */
  clearProblem(channel: string): Promise<boolean>;
}

/** What a kind's handler does around a post: load fresh data (or cancel), then record the post. */
export interface DeliveryHandler<K extends DeliveryKind, N> {
  /** The notice to draw, or null when it is no longer wanted (decided, stopped, skipped…): cancelled. */
  resolve(ref: DeliveryRefs[K], now: Date): Promise<N | null>;
  /** Records where it landed in the ritual's own table (a reminder's ts, a round's digest ts…). */
  delivered?(ref: DeliveryRefs[K], where: { channel: string; ts: string }, now: Date): Promise<void>;
}
