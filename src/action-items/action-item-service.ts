import type { Logger } from "pino";
import type { Actor } from "../audit/audit-entry.js";
import type { IncidentService } from "../incidents/incident-service.js";
import { type LoopMetrics, loopMetrics, quarterTrend } from "../incidents/metrics.js";
import type { Announcer, Notices, Person } from "../notices.js";
import { localDateKey } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import type { DeliveryHandler, Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { ActionItemInContext, DmRef } from "./action-item.js";
import type { ActionItemRepository } from "./action-item-repository.js";
import { dueNudge, type NudgeKind, nudgeHorizon, nudgeKey, nudgeSlots } from "./nudge-plan.js";

/** The window `/ratchet incident stats` measures over. */
const STATS_WINDOW_DAYS = 90;

const ALREADY: Record<"done" | "not_doing", string> = {
  done: "That action item is already done.",
  not_doing: "That action item is already closed as not doing.",
};

/**
 * Action items (from COE findings): nudges owners before and after the due date, and closes the
 * loop from the DM (Done, Extend with a reason, Not doing with a reason), keeping the incident
 * message current.
 *
 * Exactly-once policy: each nudge is the delivery `${itemId}:${kind}:${dueDate}` (the outbox posts it
 * once, looking it up before any second attempt); the "nudge" ActionItemEvent is logged when it lands.
 * - an extension moves the due date, and the keys carry the date, so both nudges re-arm for it.
 * - catch-up: see nudge-plan.ts (a late pre-due nudge only while not yet overdue; overdue once, late).
 */
export class ActionItemService {
  constructor(
    private readonly deps: {
      actionItems: ActionItemRepository;
      incidents: IncidentService;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
    },
  ) {}

  // ---- the job --------------------------------------------------------------------------------

  /** The scheduler job: sends every nudge due at `now` that nobody has claimed. */
  async sweep(now: Date): Promise<{ sent: number }> {
    const { actionItems, log } = this.deps;
    const items = await actionItems.listOpenDueBy(nudgeHorizon(now));
    if (items.length === 0) return { sent: 0 };
    // Both keys of every candidate: items whose nudges are all claimed cost no users.info call.
    const keys = items.flatMap((i) => [
      nudgeKey(i.id, "pre", i.dueDate),
      nudgeKey(i.id, "overdue", i.dueDate),
    ]);
    const claimed = new Set((await this.deps.outbox.statuses(keys)).keys());
    // One users.info per owner per tick.
    const owners = new Map<string, Promise<Person | null>>();
    const ownerOf = (id: string) => {
      let p = owners.get(id);
      if (!p) {
        p = this.deps.announcer.person(id).catch((err: unknown) => {
          log.warn({ err, user: id }, "users.info failed; using the team's time zone");
          return null;
        });
        owners.set(id, p);
      }
      return p;
    };
    let sent = 0;
    for (const item of items) {
      // The overdue nudge is the last one for a due date: once it is claimed there is nothing left
      // to send (a pre-due nudge skipped by a short deadline or downtime is never sent later).
      if (claimed.has(nudgeKey(item.id, "overdue", item.dueDate))) {
        await this.deps.actionItems.markNudgesDone(item.id, item.dueDate);
        continue;
      }
      // Cheap check first: no nudge can be due before the earliest slot anywhere on Earth.
      if (now.getTime() < nudgeSlots(item.dueDate, "Pacific/Kiritimati").pre.getTime()) continue;
      const owner = await ownerOf(item.ownerId);
      const tz = owner?.tz ?? item.team.timezone;
      const kind = dueNudge(item, tz, now);
      if (!kind) continue;
      const key = nudgeKey(item.id, kind, item.dueDate);
      if (claimed.has(key)) continue;
      try {
        if (await this.queueNudge(item, kind, key, owner, now)) sent++;
        // The overdue nudge is the date's last: the item needs no more looks until it moves.
        if (kind === "overdue") await this.deps.actionItems.markNudgesDone(item.id, item.dueDate);
      } catch (err) {
        log.error({ err, actionItemId: item.id, key }, "action item nudge not queued");
      }
    }
    return { sent };
  }

  /**
   * Queues one nudge: a DM to the owner, or — when the owner is deactivated and can't read one — a
   * reply in the incident's thread, where the team will see it. The key carries the due date, so an
   * extension re-arms both nudges for the new date and the old ones are cancelled when sent.
   */
  private async queueNudge(
    item: ActionItemInContext,
    kind: NudgeKind,
    key: string,
    owner: Person | null,
    now: Date,
  ) {
    const orphaned = owner?.deleted === true;
    const target = orphaned
      ? (item.incident.channelId ?? item.team.incidentsChannelId ?? item.team.channelId)
      : item.ownerId;
    return this.deps.outbox.enqueue({
      key,
      kind: "action_item_nudge",
      ref: { actionItemId: item.id, nudge: kind, dueDate: item.dueDate, orphaned },
      target,
      teamId: item.team.id,
      threadTs: orphaned && item.incident.channelId ? item.incident.messageTs : null,
      notBefore: now,
      at: now,
    });
  }

  /** A nudge as it stands when sent; cancelled when the item was closed or its date moved. */
  readonly nudgeHandler: DeliveryHandler<"action_item_nudge", Notices["action_item_nudge"]> = {
    resolve: async (ref) => {
      const item = await this.deps.actionItems.find(ref.actionItemId);
      if (item?.status !== "open" || item.dueDate !== ref.dueDate) return null;
      return { item, nudge: ref.nudge, link: await this.incidentLink(item), orphaned: ref.orphaned };
    },
    delivered: async (ref, where, now) => {
      await this.deps.actionItems.logNudge({
        actionItemId: ref.actionItemId,
        reason: `${ref.nudge === "pre" ? "pre-due" : "overdue"}:${ref.dueDate}${ref.orphaned ? " (owner deactivated: posted in the thread)" : ""}`,
        dueDate: ref.dueDate,
        at: now,
      });
      this.deps.log.info({ actionItemId: ref.actionItemId, ts: where.ts }, "action item nudge sent");
    },
  };

  // ---- reads ----------------------------------------------------------------------------------

  async get(id: string): Promise<ActionItemInContext> {
    const item = await this.deps.actionItems.find(id);
    if (!item) throw new DomainError("not_found", "That action item no longer exists.");
    return item;
  }

  /** An open item, or the "already …" answer for a second click on a closed one. */
  async getOpen(id: string): Promise<ActionItemInContext> {
    const item = await this.get(id);
    if (item.status !== "open") throw new DomainError("already_done", ALREADY[item.status]);
    return item;
  }

  /** Loop metrics for one team's incidents over the last STATS_WINDOW_DAYS. */
  /**
   * `/ratchet incident stats`: the loop over the last 90 days, and this quarter against last quarter
   * on the team's calendar (`timezone`).
   */
  async stats(
    teamId: string,
    timezone: string,
  ): Promise<{ metrics: LoopMetrics; quarters: ReturnType<typeof quarterTrend> }> {
    const incidents = await this.deps.incidents.listForTeam(teamId);
    const now = this.deps.clock.now();
    return {
      metrics: loopMetrics(incidents, now, { windowDays: STATS_WINDOW_DAYS }),
      quarters: quarterTrend(incidents, now, timezone),
    };
  }

  // ---- writes: database only, before the ack ---------------------------------------------------

  async markDone(id: string, by: Actor): Promise<void> {
    await this.close(id, by, { status: "done", reason: "" });
  }

  async markNotDoing(id: string, by: Actor, reason: string): Promise<void> {
    await this.close(id, by, { status: "not_doing", reason });
  }

  private async close(id: string, actor: Actor, o: { status: "done" | "not_doing"; reason: string }) {
    const item = await this.getOpen(id);
    const at = this.deps.clock.now();
    if (!(await this.deps.actionItems.close(item.id, { ...o, by: actor.userId, at }))) {
      // Another click closed it between the read and the write.
      const now = await this.get(id);
      throw new DomainError(
        "already_done",
        now.status === "open" ? "Please try again." : ALREADY[now.status],
      );
    }
    this.deps.log.info({ actionItemId: id, status: o.status, by: actor.userId }, "action item closed");
    await this.record(item, actor, o.status === "done" ? "action item done" : "action item not doing", {
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
    });
  }

  /**
   * Moves the due date with a reason. The new date must be after the current one (an extension, not
   * a rewrite of history) and not already past on the owner's own calendar.
   */
  async extend(id: string, actor: Actor, input: { toDate: string; reason: string }): Promise<void> {
    const by = actor.userId;
    const item = await this.getOpen(id);
    if (input.toDate <= item.dueDate) {
      throw new DomainError(
        "invalid_input",
        `Pick a date after the current due date (${item.dueDate}).`,
        "toDate",
      );
    }
    // Falls back to the team's zone if Slack can't say where the owner is.
    const owner = await this.deps.announcer.person(item.ownerId).catch(() => null);
    const tz = owner?.tz ?? item.team.timezone;
    const today = localDateKey(this.deps.clock.now(), tz);
    if (input.toDate < today) {
      throw new DomainError(
        "invalid_input",
        `That date has passed for the owner (today is ${today} in ${tz}).`,
        "toDate",
      );
    }
    const ok = await this.deps.actionItems.extend(item.id, {
      fromDate: item.dueDate,
      toDate: input.toDate,
      reason: input.reason,
      by,
      at: this.deps.clock.now(),
    });
    if (!ok) throw new DomainError("conflict", "That action item changed meanwhile. Please try again.");
    this.deps.log.info(
      { actionItemId: id, from: item.dueDate, to: input.toDate, by },
      "action item extended",
    );
    await this.record(item, actor, "action item due date moved", {
      dueDate: input.toDate,
      reason: input.reason,
    });
  }

  /**
   * An action item belongs to its incident (through a finding), so its changes go in the incident's
   * history: the incident's History button is where a team looks for how its action items moved.
   * `item` names which one, since an incident has several.
   */
  private record(item: ActionItemInContext, actor: Actor, action: string, after: Record<string, unknown>) {
    const before = { status: item.status, dueDate: item.dueDate, reason: item.reason };
    const changed = Object.fromEntries(
      Object.keys(after).map((k) => [k, (before as Record<string, unknown>)[k]]),
    );
    return this.deps.incidents.recordStep(
      { id: item.incident.id, teamId: item.team.id },
      actor,
      action,
      changed,
      { item: item.findingText, owner: item.ownerId, ...after },
    );
  }

  // ---- Slack side: after the ack; failures are logged, the data is already safe -----------------

  /** Redraws the nudge DM (when known) and the incident's message after a change. */
  async afterChange(id: string, dm: DmRef | null, note?: string): Promise<void> {
    const { announcer, log } = this.deps;
    try {
      const item = await this.get(id);
      if (dm) {
        const owner = await announcer.person(item.ownerId).catch(() => null);
        const tz = owner?.tz ?? item.team.timezone;
        const kind: NudgeKind = localDateKey(this.deps.clock.now(), tz) > item.dueDate ? "overdue" : "pre";
        const link = await this.incidentLink(item);
        // Redrawn as a DM, never orphaned: the owner who clicked in it is still here.
        await announcer.edit(dm, "action_item_nudge", {
          item,
          nudge: kind,
          link,
          orphaned: false,
          ...(note ? { note } : {}),
        });
      }
      await this.deps.incidents.afterChange({ incidentId: item.incident.id });
    } catch (err) {
      log.error({ err, actionItemId: id }, "action item changed but its messages were not updated");
    }
  }

  private async incidentLink(item: ActionItemInContext): Promise<string | null> {
    const { channelId, messageTs } = item.incident;
    return channelId && messageTs ? this.deps.announcer.link({ channel: channelId, ts: messageTs }) : null;
  }
}
