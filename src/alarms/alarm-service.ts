import type { Logger } from "pino";
import type { Announcer, Notices } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import type { DeliveryHandler, Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { JobRuns } from "../shared/job-runs.js";
import { localLabel } from "../shared/time-format.js";
import type { Team } from "../teams/team.js";
import { sweepDueTeams } from "../teams/team-due.js";
import type { TeamRepository } from "../teams/team-repository.js";
import {
  type Alarm,
  type AlarmListItem,
  type AlarmState,
  type AlarmView,
  alarmKey,
  type OpenAlarm,
  openCycles,
} from "./alarm.js";
import type { AlarmRepository } from "./alarm-repository.js";
import { evaluateAlarms } from "./rules.js";
import { assembleSnapshot, CYCLES_BACK, currentCycleOf, cycleSpan, teamCycles } from "./snapshot.js";
import { ALARM_KIND_INFO, ALARM_KINDS } from "./types.js";

/** Where a clicked alarm message lives. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** The scheduled job's name; its JobRun key is `${teamId}:${cycle}`. */
const ALARM_JOB = "alarms";
/**
 * The outbox key of an alarm's message, per cycle it was seen holding in: a post that expired
 * unsent is queued again when the next cycle carries the condition over. At most one is ever
 * posted (the handler draws nothing once the alarm has its message).
 */
const alarmDeliveryKey = (a: Pick<Alarm, "id" | "lastCycle">) => `alarm:${a.id}:${a.lastCycle}`;
const MAX_JOB_ATTEMPTS = 5;
/**
 * How long one tick spends starting cycle evaluations (the scheduler ticks every 60 s): when every
 * team's boundary falls in the same minute, the rest wait a tick or more, and no tick runs long.
 */
const SWEEP_BUDGET_MS = 8_000;
/** Alarm messages queued per pass; the rest follow on the next tick. */
const QUEUE_BATCH = 500;

export interface EvaluationResult {
  cycle: number;
  /** alarm messages queued for delivery */
  queued: number;
  resolved: number;
}

/**
 * Thrash alarms and pilot-purgatory smells. Each finding of the rules is claimed as one
 * (team, kind, subject, cycle) row before anything is posted, so however often a team is
 * evaluated — the cycle job, a restart, every data change — an alarm is posted once per cycle.
 */
export class AlarmService {
  constructor(
    private readonly deps: {
      alarms: AlarmRepository;
      jobRuns: JobRuns;
      teams: TeamRepository;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /**
       * How long a data-change re-check waits for more changes before it runs, so a burst of
       * decisions (a busy review session) costs one evaluation, not one each. Default 500 ms.
       */
      settleMs?: number;
    },
  ) {}

  /**
   * The `alarms` job: evaluates every team once per cycle (claimed with JobRun) and queues the
   * messages of alarms raised but not yet queued (a crash between a claim and its queueing heals
   * here). Catch-up: after downtime a team is evaluated once, for the cycle `now` is in; skipped
   * cycles are not replayed (their alarms would already be stale).
   */
  async sweep(now: Date): Promise<{ evaluated: number; queued: number }> {
    let evaluated = 0;
    const started = this.deps.clock.now().getTime();
    await sweepDueTeams({
      index: this.deps.teams,
      job: "alarms",
      now,
      log: this.deps.log,
      // Every team's boundary may fall in the same minute (one zone, one weekday): evaluations past
      // the budget wait for the next tick, so no tick runs into the next one.
      enough: () => this.deps.clock.now().getTime() - started > SWEEP_BUDGET_MS,
      visit: async (team) => {
        const cycle = currentCycleOf(team, now);
        if (await this.evaluateOnce(team, `${team.id}:${cycle}`, now)) evaluated++;
        // Evaluated once per cycle, at the team's own local cycle boundary.
        return cycleSpan(team, cycle + 1).start;
      },
    });
    const queued = await this.queueUnposted(now);
    return { evaluated, queued };
  }

  /**
   * The cycle's evaluation, claimed once per cycle (JobRun). Throws when it failed, so the team
   * stays due and the next tick retries until the claim's attempts run out.
   */
  private async evaluateOnce(team: Team, key: string, now: Date): Promise<boolean> {
    const status = (await this.deps.jobRuns.statuses(ALARM_JOB, [key])).get(key);
    if (status !== undefined && status !== "failed") return false;
    if (!(await this.deps.jobRuns.claim(ALARM_JOB, key, { at: now, maxAttempts: MAX_JOB_ATTEMPTS })))
      return false;
    try {
      await this.evaluateTeam(team, now);
      await this.deps.jobRuns.finish(ALARM_JOB, key, "done", { at: this.deps.clock.now() });
      return true;
    } catch (err) {
      await this.deps.jobRuns.finish(ALARM_JOB, key, "failed", { at: this.deps.clock.now() });
      throw err;
    }
  }

  /**
   * Runs the rules for one team. One message per open condition (team, kind, subject): a finding
   * with no unresolved row is claimed and posted (unless it was snoozed, or already raised and
   * cleared this cycle); a finding whose condition is still open is carried into this cycle and its
   * message updated in place ("Still open: 3 cycles"); a snooze that ran out while the condition
   * still holds reopens the same message; and conditions no longer holding are resolved in place.
   * Idempotent for a given state: a second run changes no row, so it redraws nothing.
   * Throws when Slack cannot say who is deactivated, rather than resolving alarms on a guess.
   */
  async evaluateTeam(team: Team, now: Date): Promise<EvaluationResult> {
    const { alarms, log } = this.deps;
    const { current, cycles } = teamCycles(team, now);
    const first = cycles[0];
    const data = await alarms.snapshotData(team.id, {
      reviewsSince: first?.start ?? now,
      fromCycle: current - CYCLES_BACK,
    });
    const deactivated = await this.deactivatedUsers(
      data.mechanisms.flatMap((m) => [
        m.ownerId,
        m.stopOwnerId,
        ...(m.guardrails ?? []).map((g) => g.stopOwnerId),
      ]),
    );
    const findings = evaluateAlarms(assembleSnapshot({ team, now, data, deactivated }));

    const rows = await alarms.listRelevant(team.id, current);
    const open = await this.mergeDuplicates(team, rows);
    // Raised and already cleared this cycle: not raised again until the next one.
    const clearedThisCycle = new Set(
      rows.filter((r) => r.status === "resolved" && r.lastCycle === current).map(alarmKey),
    );
    const snoozed = new Set(
      rows.filter((r) => r.snoozeUntil !== null && r.snoozeUntil >= current).map(alarmKey),
    );
    const holding = new Set(findings.map(alarmKey));
    // Titles are read once, and only when a message is redrawn (a quiet evaluation reads none).
    let labels: Promise<Map<string, string>> | undefined;
    const labelOf = async (key: string) => {
      labels ??= alarms.subjectLabels(
        team.id,
        [...open.values()].map((r) => r.subjectKey),
      );
      return (await labels).get(key);
    };

    for (const f of findings) {
      const key = alarmKey(f);
      const row = open.get(key);
      if (row) {
        await this.carryOver(team, row, f.evidence, current, labelOf);
        continue;
      }
      if (clearedThisCycle.has(key) || snoozed.has(key)) continue;
      const claimed = await alarms.claim(team.id, current, f, now);
      if (claimed)
        log.info({ teamId: team.id, kind: f.kind, subject: f.subjectKey, cycle: current }, "alarm raised");
    }

    let resolved = 0;
    for (const r of [...open.values()].filter((x) => !holding.has(alarmKey(x)))) {
      if (
        !(await alarms.transition(r.id, ["open", "acknowledged", "snoozed"], {
          status: "resolved",
          resolvedAt: now,
        }))
      )
        continue;
      resolved++;
      await this.render(team, r, await labelOf(r.subjectKey), {
        status: "resolved",
        resolvedLabel: localLabel(now, team.timezone),
      });
    }
    const queued = await this.queueTeam(team, now);
    return { cycle: current, queued, resolved };
  }

  /**
   * A condition still holding: carried into this cycle with its latest evidence, reopened if its
   * snooze ran out, and its message redrawn in place when anything changed.
   */
  private async carryOver(
    team: Team,
    row: Alarm,
    evidence: string,
    current: number,
    labelOf: (subjectKey: string) => Promise<string | undefined>,
  ): Promise<void> {
    const { alarms } = this.deps;
    const snoozeOver = row.status === "snoozed" && (row.snoozeUntil === null || row.snoozeUntil < current);
    const reopened = snoozeOver && (await alarms.transition(row.id, ["snoozed"], { status: "open" }));
    const carried = await alarms.carryOver(row.id, { cycle: current, evidence });
    if (!reopened && !carried) return;
    const fresh = await alarms.findById(row.id);
    if (fresh && fresh.status !== "resolved")
      await this.render(team, fresh, await labelOf(fresh.subjectKey), this.stateOf(team, fresh));
  }

  /**
   * Before issue 11 a condition still holding was raised again each cycle, one row and message
   * each. The oldest unresolved row of each condition is its row from now on; the later ones are
   * closed, their messages pointing at it. Returns the one unresolved row per condition.
   */
  private async mergeDuplicates(team: Team, rows: readonly Alarm[]): Promise<Map<string, Alarm>> {
    const open = new Map<string, Alarm>();
    const oldestFirst = rows
      .filter((r) => r.status !== "resolved")
      .sort((a, b) => a.cycleIndex - b.cycleIndex);
    for (const r of oldestFirst) {
      const keeper = open.get(alarmKey(r));
      if (!keeper) {
        open.set(alarmKey(r), r);
        continue;
      }
      const at = this.deps.clock.now();
      if (!(await this.deps.alarms.transition(r.id, [r.status], { status: "resolved", resolvedAt: at })))
        continue;
      if (await this.deps.alarms.carryOver(keeper.id, { cycle: r.lastCycle, evidence: r.evidence }))
        open.set(alarmKey(r), {
          ...keeper,
          lastCycle: Math.max(keeper.lastCycle, r.lastCycle),
          evidence: r.evidence,
        });
      await this.render(team, r, undefined, { status: "merged" });
    }
    return open;
  }

  /**
   * The cheap hook for "something the rules read just changed" (a decision, a mechanism edit, a
   * logged deviation). Never throws: the caller's own work is already done.
   */
  async onDataChanged(teamId: string): Promise<void> {
    // Coalesce: a burst of changes (a busy review session) runs at most one evaluation now and
    // one more afterwards that sees everything, instead of one per change.
    const inFlight = this.reevaluations.get(teamId);
    if (inFlight) {
      inFlight.again = true;
      return inFlight.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    this.reevaluations.set(teamId, entry);
    entry.done = (async () => {
      try {
        do {
          const settle = this.deps.settleMs ?? 500;
          if (settle > 0) await new Promise((r) => setTimeout(r, settle));
          // Changes that arrived while settling are covered by this evaluation.
          entry.again = false;
          await this.reevaluate(teamId);
        } while (entry.again);
      } finally {
        this.reevaluations.delete(teamId);
      }
    })();
    return entry.done;
  }

  private readonly reevaluations = new Map<string, { again: boolean; done: Promise<void> }>();

  /** Resolves when no data-change re-check is pending (tests, graceful shutdown). */
  async settled(): Promise<void> {
    while (this.reevaluations.size > 0) {
      await Promise.all([...this.reevaluations.values()].map((e) => e.done));
    }
  }

  private async reevaluate(teamId: string): Promise<void> {
    try {
      const team = await this.deps.teams.findById(teamId);
      if (team) await this.evaluateTeam(team, this.deps.clock.now());
    } catch (err) {
      this.deps.log.error({ err, teamId }, "alarm re-evaluation after a data change failed");
    }
  }

  /**
   * Acknowledge button. Idempotent: false when it was already acknowledged, snoozed or resolved.
   * `clicked` is the message the button sat on: it is updated even if the post's ts is not stored yet.
   */
  async acknowledge(alarmId: string, by: string, clicked?: MessageRef): Promise<boolean> {
    const { alarm, team } = await this.load(alarmId);
    if (!(await this.deps.alarms.transition(alarm.id, ["open"], { status: "acknowledged", by })))
      return false;
    await this.render(team, alarm, undefined, { status: "acknowledged", by }, clicked);
    return true;
  }

  /** Snooze button: quiet for the rest of this cycle and the next one. Idempotent like acknowledge. */
  async snooze(alarmId: string, by: string, clicked?: MessageRef): Promise<boolean> {
    const { alarm, team } = await this.load(alarmId);
    const until = currentCycleOf(team, this.deps.clock.now()) + 1;
    const done = await this.deps.alarms.transition(alarm.id, ["open", "acknowledged"], {
      status: "snoozed",
      snoozeUntil: until,
      by,
    });
    if (!done) return false;
    const backLabel = localLabel(cycleSpan(team, until + 1).start, team.timezone);
    await this.render(team, alarm, undefined, { status: "snoozed", by, backLabel }, clicked);
    return true;
  }

  /** Unresolved alarms for `/ratchet alarms`: one per open condition (kind and subject), in rule order. */
  async list(teamId: string): Promise<AlarmListItem[]> {
    const latest = conditions(await this.deps.alarms.listUnresolved(teamId));
    const labels = await this.deps.alarms.subjectLabels(
      teamId,
      latest.map((a) => a.subjectKey),
    );
    return latest.flatMap((a) =>
      a.status === "resolved"
        ? []
        : [
            {
              kind: a.kind,
              subjectKey: a.subjectKey,
              subjectLabel: labels.get(a.subjectKey) ?? "a removed mechanism",
              evidence: a.evidence,
              status: a.status,
              cycles: a.cycles,
            },
          ],
    );
  }

  /** For the weekly rollup: alarms still open or acknowledged (snoozed ones are deliberately quiet). */
  async openAlarms(teamId: string): Promise<OpenAlarm[]> {
    return (await this.list(teamId))
      .filter((a) => a.status !== "snoozed")
      .map((a) => ({
        kind: a.kind,
        title: ALARM_KIND_INFO[a.kind].title,
        subjectLabel: a.subjectLabel,
        evidence: a.evidence,
      }));
  }

  /** Queues the message of every open alarm of the team that was never posted nor queued. */
  private async queueTeam(team: Team, now: Date): Promise<number> {
    return this.queue(await this.deps.alarms.listUnposted({ teamId: team.id, limit: QUEUE_BATCH }), now);
  }

  /** The same across teams, for the sweep: heals alarms claimed just before a crash. */
  private async queueUnposted(now: Date): Promise<number> {
    return this.queue(await this.deps.alarms.listUnposted({ limit: QUEUE_BATCH }), now);
  }

  private async queue(pending: Alarm[], now: Date): Promise<number> {
    if (pending.length === 0) return 0;
    const have = await this.deps.outbox.statuses(pending.map(alarmDeliveryKey));
    const teams = new Map<string, Team | null>();
    let queued = 0;
    for (const a of pending.filter((x) => !have.has(alarmDeliveryKey(x)))) {
      if (!teams.has(a.teamId)) teams.set(a.teamId, await this.deps.teams.findById(a.teamId));
      const team = teams.get(a.teamId);
      if (!team) continue;
      const fresh = await this.deps.outbox.enqueue({
        key: alarmDeliveryKey(a),
        kind: "alarm",
        ref: { alarmId: a.id },
        target: team.channelId,
        teamId: team.id,
        notBefore: now,
        // Posted within the cycle it was last seen holding in, or not at all: the next cycle's
        // evaluation carries it over if it still holds, and queues it again under that cycle's key.
        expiresAt: cycleSpan(team, a.lastCycle).end,
        at: now,
      });
      if (fresh) queued++;
    }
    return queued;
  }

  /** An alarm's message: drawn as it stands when sent; cancelled once it is acknowledged, snoozed or resolved. */
  readonly deliveryHandler: DeliveryHandler<"alarm", Notices["alarm"]> = {
    resolve: async ({ alarmId }) => {
      const alarm = await this.deps.alarms.findById(alarmId);
      if (alarm?.status !== "open" || alarm.messageTs) return null;
      const team = await this.deps.teams.findById(alarm.teamId);
      if (!team) return null;
      const label = (await this.deps.alarms.subjectLabels(team.id, [alarm.subjectKey])).get(alarm.subjectKey);
      return this.view(team, alarm, label);
    },
    delivered: ({ alarmId }, where) => this.deps.alarms.markPosted(alarmId, where.ts),
  };

  private async load(alarmId: string): Promise<{ alarm: Alarm; team: Team }> {
    const alarm = await this.deps.alarms.findById(alarmId);
    if (!alarm) throw new DomainError("not_found", "That alarm no longer exists.");
    const team = await this.deps.teams.findById(alarm.teamId);
    if (!team) throw new DomainError("not_found", "That alarm's team no longer exists.");
    return { alarm, team };
  }

  private view(team: Team, a: Alarm, subjectLabel: string | undefined): AlarmView {
    return {
      id: a.id,
      kind: a.kind,
      subjectKey: a.subjectKey,
      subjectLabel: subjectLabel ?? "a removed mechanism",
      evidence: a.evidence,
      suggestion: a.suggestion,
      raisedLabel: localLabel(a.raisedAt, team.timezone),
      cycles: openCycles(a),
    };
  }

  /** An unresolved alarm's state as stored, for redrawing its message. */
  private stateOf(team: Team, a: Alarm): AlarmState {
    switch (a.status) {
      case "acknowledged":
        return { status: "acknowledged", by: a.stateBy };
      case "snoozed": {
        const until = a.snoozeUntil ?? currentCycleOf(team, this.deps.clock.now());
        const backLabel = localLabel(cycleSpan(team, until + 1).start, team.timezone);
        return { status: "snoozed", by: a.stateBy, backLabel };
      }
      case "resolved":
        return { status: "resolved", resolvedLabel: localLabel(a.resolvedAt ?? a.raisedAt, team.timezone) };
      default:
        return { status: "open" };
    }
  }

  /** Updates a posted alarm in place; a Slack failure is logged, the stored state is what counts. */
  private async render(
    team: Team,
    a: Alarm,
    label: string | undefined,
    state: AlarmState,
    clicked?: MessageRef,
  ): Promise<void> {
    const where = clicked ?? (a.messageTs ? { channel: team.channelId, ts: a.messageTs } : null);
    if (!where) return;
    try {
      const subjectLabel =
        label ?? (await this.deps.alarms.subjectLabels(team.id, [a.subjectKey])).get(a.subjectKey);
      await this.deps.announcer.edit(where, "alarm_state", {
        alarm: this.view(team, a, subjectLabel),
        state,
      });
    } catch (err) {
      this.deps.log.error({ err, alarmId: a.id, state: state.status }, "alarm message not updated");
    }
  }

  /**
   * Who Slack reports as deleted, asked once per person per evaluation. A user Slack no longer
   * knows counts as gone too: nobody can act under that id.
   */
  private async deactivatedUsers(ids: readonly (string | null)[]): Promise<Set<string>> {
    const gone = new Set<string>();
    for (const id of new Set(ids.filter((x): x is string => x !== null && x.trim() !== ""))) {
      const u = await this.deps.announcer.person(id);
      if (!u || u.deleted) gone.add(id);
    }
    return gone;
  }
}

/**
 * One entry per open condition (kind and subject), ordered like the rules' findings: its newest row,
 * counted from the oldest row's cycle (rows raised once per cycle before issue 11 are one condition).
 */
function conditions(rows: readonly Alarm[]): (Alarm & { cycles: number })[] {
  const byKey = new Map<string, { latest: Alarm; from: number; to: number }>();
  for (const r of rows) {
    const seen = byKey.get(alarmKey(r));
    if (!seen) {
      byKey.set(alarmKey(r), { latest: r, from: r.cycleIndex, to: Math.max(r.lastCycle, r.cycleIndex) });
      continue;
    }
    if (r.cycleIndex >= seen.latest.cycleIndex) seen.latest = r;
    seen.from = Math.min(seen.from, r.cycleIndex);
    seen.to = Math.max(seen.to, r.lastCycle, r.cycleIndex);
  }
  const order = (a: Alarm) => ALARM_KINDS.indexOf(a.kind);
  return [...byKey.values()]
    .map(({ latest, from, to }) => ({ ...latest, cycles: openCycles({ cycleIndex: from, lastCycle: to }) }))
    .sort((a, b) => order(a) - order(b));
}
