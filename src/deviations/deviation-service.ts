import type { Logger } from "pino";
import type { AuditService } from "../audit/audit-service.js";
import type { Announcer, Notices } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import { sweepDueTeams } from "../teams/team-due.js";
import type { TeamRepository } from "../teams/team-repository.js";
import {
  type Cycle,
  cycleAt,
  cycleOf,
  type Deviation,
  type DeviationInput,
  type DeviationSubmission,
  type DeviationSummary,
  deviationTexts,
  type FinalVerdict,
  guardrailProblem,
  hypothesisProblem,
  mentionsProblem,
  midCycleReminderDue,
  nextDeviationLook,
  type OutcomeInput,
  selectableCycles,
  sensitiveMentions,
  toSummary,
} from "./deviation.js";
import type { DeviationRepository } from "./deviation-repository.js";

export interface LoggedDeviation {
  deviation: Deviation;
  team: Team;
}

export interface RecordedOutcome {
  deviation: Deviation & { verdict: FinalVerdict };
  team: Team;
  by: string;
  prompt: { channel: string; ts: string } | null;
}

export class DeviationService {
  constructor(
    private readonly deps: {
      deviations: DeviationRepository;
      teams: TeamRepository;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /** the audit log: each deviation logged and decided is recorded */
      audit?: AuditService;
      /** Told after a deviation is logged or decided, e.g. so thrash alarms re-evaluate; never throws. */
      onDataChanged?: (teamId: string) => Promise<void>;
    },
  ) {}

  /** What the /ratchet deviate modal offers: this cycle and the next, in the team's zone. */
  cyclesFor(team: Team): { current: Cycle; next: Cycle } {
    return selectableCycles(team, this.deps.clock.now());
  }

  async team(teamId: string): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  /**
   * Writes a deviation and queues its card; the rules are checked again here so no caller can skip the
   * guardrail. Only database writes happen here (Slack's 3 seconds).
   */
  async log(
    teamId: string,
    submission: DeviationInput & Partial<Pick<DeviationSubmission, "notSensitive">>,
    ownerId: string,
  ): Promise<LoggedDeviation> {
    // Unconfirmed unless said: a caller that doesn't ask gets the guardrail's question, not a pass.
    const { notSensitive = false, ...input } = submission;
    const team = await this.team(teamId);
    const hypothesis = hypothesisProblem(input.hypothesis);
    if (hypothesis) throw new DomainError("invalid_input", hypothesis, "hypothesis");
    const guardrail = guardrailProblem({ ...input, submitterId: ownerId });
    if (guardrail) throw new DomainError("forbidden", guardrail, "approverId");
    const mentions = mentionsProblem({
      sensitive: input.sensitive,
      notSensitive,
      mentions: sensitiveMentions(deviationTexts(input)),
    });
    if (mentions) throw new DomainError("invalid_input", mentions, "sensitive");
    // The modal may have stayed open across a cycle boundary: only this cycle or the next are valid.
    const { current, next } = this.cyclesFor(team);
    if (input.cycleIndex !== current.index && input.cycleIndex !== next.index) {
      throw new DomainError(
        "invalid_input",
        "That cycle has ended while the form was open. Close it and run `/ratchet deviate` again.",
        "cycleIndex",
      );
    }
    const now = this.deps.clock.now();
    const deviation = await this.deps.deviations.create({ ...input, teamId, ownerId, createdAt: now });
    this.deps.log.info(
      { teamId, deviationId: deviation.id, cycle: deviation.cycleIndex },
      "deviation logged",
    );
    await this.deps.audit?.record({
      team,
      subject: { type: "deviation", id: deviation.id },
      actor: { userId: ownerId, surface: "modal" },
      action: "logged",
      before: null,
      after: { ...deviation },
      ignore: ["teamId"],
    });
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: cardKey(deviation.id),
      kind: "deviation_card",
      ref: { deviationId: deviation.id },
      target: team.channelId,
      teamId,
      notBefore: now,
      at: now,
    });
    return { deviation, team };
  }

  /** After the ack: rules that read deviations (thrash alarms) check again. */
  afterLog(r: LoggedDeviation): void {
    void this.deps.onDataChanged?.(r.team.id);
  }

  /** The card in the team channel, drawn from the deviation as it is when sent. */
  readonly cardHandler: DeliveryHandler<"deviation_card", Notices["deviation_card"]> = {
    resolve: async ({ deviationId }) => {
      const deviation = await this.deps.deviations.findById(deviationId);
      const team = deviation ? await this.deps.teams.findById(deviation.teamId) : null;
      if (!deviation || !team) return null;
      const c = cycleOf(team, deviation.cycleIndex);
      return { deviation, cycle: { start: c.start, end: c.end }, timezone: team.timezone };
    },
  };

  /** The log for /ratchet deviations: up to `limit` rows (newest cycle first) and the total. */
  async logFor(
    team: Team,
    limit: number,
  ): Promise<{ deviations: Deviation[]; total: number; current: Cycle; loggedThisCycle: number }> {
    const current = cycleAt(team, this.deps.clock.now());
    const [deviations, total, loggedThisCycle] = await Promise.all([
      this.deps.deviations.listByTeam(team.id, { limit }),
      this.deps.deviations.countByTeam(team.id),
      this.deps.deviations.countInCycle(team.id, current.index),
    ]);
    return { deviations, total, current, loggedThisCycle };
  }

  /** Read API for the weekly rollup (promoted = defaults changed, retired) and the thrash alarms. */
  async deviationsForTeam(teamId: string, opts: { sinceCycle?: number } = {}): Promise<DeviationSummary[]> {
    const rows = await this.deps.deviations.listByTeam(
      teamId,
      opts.sinceCycle !== undefined ? { sinceCycle: opts.sinceCycle } : {},
    );
    return rows.map(toSummary);
  }

  /** The deviation behind a "Record outcome" button; refuses politely once it is decided. */
  async openOutcome(deviationId: string): Promise<Deviation> {
    const d = await this.deps.deviations.findById(deviationId);
    if (!d) throw new DomainError("not_found", "That deviation no longer exists.");
    if (d.verdict !== "open") throw alreadyRecorded(d);
    return d;
  }

  async recordOutcome(
    deviationId: string,
    input: OutcomeInput,
    by: string,
    prompt: { channel: string; ts: string } | null,
  ): Promise<RecordedOutcome> {
    const existing = await this.openOutcome(deviationId);
    const team = await this.team(existing.teamId);
    const now = this.deps.clock.now();
    const decided = await this.deps.deviations.decide(deviationId, { ...input, at: now });
    if (!decided || decided.verdict === "open") {
      // Someone else saved between our read and our write.
      const current = await this.deps.deviations.findById(deviationId);
      throw current
        ? alreadyRecorded(current)
        : new DomainError("not_found", "That deviation no longer exists.");
    }
    this.deps.log.info({ deviationId, verdict: decided.verdict }, "deviation outcome recorded");
    await this.deps.audit?.record({
      team,
      subject: { type: "deviation", id: deviationId },
      actor: { userId: by, surface: "modal" },
      action: `outcome: ${decided.verdict}`,
      before: { ...existing },
      after: { ...decided },
    });
    // "Default changed: …" or "Retired: …" in the team channel.
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: verdictKey(deviationId),
      kind: "verdict",
      ref: { deviationId, by },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      at: now,
    });
    return { deviation: { ...decided, verdict: decided.verdict }, team, by, prompt };
  }

  /** After the ack: the outcome prompt DM loses its button (the verdict was queued with the outcome). */
  async afterOutcome(r: RecordedOutcome): Promise<void> {
    try {
      if (r.prompt) await this.deps.announcer.edit(r.prompt, "outcome_done", { deviation: r.deviation });
    } catch (err) {
      this.deps.log.error(
        { err, deviationId: r.deviation.id },
        "outcome saved but its prompt was not updated",
      );
    }
    void this.deps.onDataChanged?.(r.team.id);
  }

  /** The verdict announcement, drawn from the deviation as it is when sent. */
  readonly verdictHandler: DeliveryHandler<"verdict", Notices["verdict"]> = {
    resolve: async ({ deviationId, by }) => {
      const deviation = await this.deps.deviations.findById(deviationId);
      if (!deviation || deviation.verdict === "open") return null;
      return { deviation: { ...deviation, verdict: deviation.verdict }, by };
    },
  };

  /**
   * The `deviations` job, safe to run twice for the same `now`:
   * (a) at or after the current cycle's midpoint, a team with no deviation filed under that cycle gets
   *     ONE reminder (the delivery "quota:<team>:<cycle>"). Catch-up: only the current cycle is
   *     considered, and the reminder expires at the cycle's end, so it is never posted late.
   * (b) every open deviation whose cycle has ended gets ONE DM to its owner with "Record outcome"
   *     (the delivery "outcome:<deviation>"). Catch-up: after downtime, all of them are prompted.
   */
  async sweep(now: Date): Promise<{ reminded: number; prompted: number; failed: number }> {
    let reminded = 0;
    let prompted = 0;
    const { failed } = await sweepDueTeams({
      index: this.deps.teams,
      job: "deviations",
      now,
      log: this.deps.log,
      visit: async (team) => {
        const cycle = cycleAt(team, now);
        if (await this.remindMidCycle(team, cycle, now)) reminded++;
        prompted += await this.promptOutcomes(team, cycle, now);
        return nextDeviationLook(cycle, now);
      },
    });
    return { reminded, prompted, failed };
  }

  private async remindMidCycle(team: Team, cycle: Cycle, now: Date): Promise<boolean> {
    if (!midCycleReminderDue(cycle, now)) return false;
    const key = quotaKey(team.id, cycle.index);
    if ((await this.deps.outbox.statuses([key])).size > 0) return false;
    if ((await this.deps.deviations.countInCycle(team.id, cycle.index)) > 0) return false;
    return this.deps.outbox.enqueue({
      key,
      kind: "quota_reminder",
      ref: { teamId: team.id, cycle: cycle.index },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      expiresAt: cycle.end,
      at: now,
    });
  }

  private async promptOutcomes(team: Team, cycle: Cycle, now: Date): Promise<number> {
    const open = await this.deps.deviations.listOpenBefore(team.id, cycle.index);
    if (open.length === 0) return 0;
    const have = await this.deps.outbox.statuses(open.map((d) => outcomeKey(d.id)));
    let queued = 0;
    for (const d of open.filter((x) => !have.has(outcomeKey(x.id)))) {
      const fresh = await this.deps.outbox.enqueue({
        key: outcomeKey(d.id),
        kind: "outcome_prompt",
        ref: { deviationId: d.id },
        target: d.ownerId,
        teamId: team.id,
        notBefore: now,
        at: now,
      });
      if (fresh) queued++;
    }
    return queued;
  }

  /** The mid-cycle nudge; cancelled if a deviation was logged for the cycle before it went out. */
  readonly quotaHandler: DeliveryHandler<"quota_reminder", Notices["quota_reminder"]> = {
    resolve: async ({ teamId, cycle }) => {
      const team = await this.deps.teams.findById(teamId);
      if (!team || (await this.deps.deviations.countInCycle(team.id, cycle)) > 0) return null;
      const c = cycleOf(team, cycle);
      return { teamId, cycle: { start: c.start, end: c.end }, timezone: team.timezone };
    },
  };

  /** The cycle-end DM to the owner; cancelled if its outcome was recorded meanwhile. */
  readonly outcomeHandler: DeliveryHandler<"outcome_prompt", Notices["outcome_prompt"]> = {
    resolve: async ({ deviationId }) => {
      const deviation = await this.deps.deviations.findById(deviationId);
      if (deviation?.verdict !== "open") return null;
      const team = await this.deps.teams.findById(deviation.teamId);
      if (!team) return null;
      const c = cycleOf(team, deviation.cycleIndex);
      return { deviation, cycle: { start: c.start, end: c.end }, timezone: team.timezone };
    },
  };
}

const cardKey = (deviationId: string) => `deviation:${deviationId}`;
const verdictKey = (deviationId: string) => `verdict:${deviationId}`;
const quotaKey = (teamId: string, cycle: number) => `quota:${teamId}:${cycle}`;
const outcomeKey = (deviationId: string) => `outcome:${deviationId}`;

function alreadyRecorded(d: Deviation): DomainError {
  const what = d.verdict === "promote" ? "promoted to a default" : "retired";
  return new DomainError(
    "already_done",
    `This deviation's outcome was already recorded: it was ${what}. Nothing changed.`,
  );
}
