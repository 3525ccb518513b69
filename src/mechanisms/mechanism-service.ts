import type { Logger } from "pino";
import { nextWeeklySlot } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import { localLabel } from "../shared/time-format.js";
import { buildOnePager } from "../slack/blocks/one-pager.js";
import type { Notifier } from "../slack/notifier.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import { evaluateCheckpoint, parseCheckpointRule } from "./checkpoint-rule.js";
import type { Mechanism, MechanismInput, SignalKind } from "./mechanism.js";
import type { MechanismRepository } from "./mechanism-repository.js";
import { missingItems } from "./one-pager-checks.js";

export const reviewSlot = (team: Team, m: { cadenceWeeks: 1 | 2 }) => ({
  tz: team.timezone,
  weekday: team.reviewWeekday,
  time: team.reviewTime,
  cadenceWeeks: m.cadenceWeeks,
  anchor: team.cycleAnchor,
});

/** The checkpoint rule evaluated against readings; a rule that cannot be read is "unknown" and says why. */
export function evaluateRule(m: Mechanism, readings: Partial<Record<SignalKind, number>>) {
  const parsed = parseCheckpointRule(m.checkpointRule);
  if (!parsed.ok)
    return { result: "unknown" as const, lines: [`The checkpoint rule can't be read: ${parsed.error}`] };
  return evaluateCheckpoint(parsed.rule, m.signals, readings);
}

export class MechanismService {
  constructor(
    private readonly deps: {
      mechanisms: MechanismRepository;
      teams: TeamRepository;
      clock: Clock;
      notifier: Notifier;
      log: Logger;
    },
  ) {}

  async create(team: Team, input: MechanismInput, by: string): Promise<Mechanism> {
    const now = this.deps.clock.now();
    const nextReviewAt = nextWeeklySlot(reviewSlot(team, input), now);
    // The listener publishes the one-pager after acking the modal (Slack's 3-second limit).
    return this.deps.mechanisms.create({
      ...input,
      teamId: team.id,
      createdBy: by,
      createdAt: now,
      nextReviewAt,
    });
  }

  async update(id: string, input: MechanismInput): Promise<Mechanism> {
    const { mechanism, team } = await this.getWithTeam(id);
    if (mechanism.status === "stopped") {
      throw new DomainError(
        "already_done",
        "This mechanism was stopped; its one-pager is kept as history. Start a new one with `/ratchet new`.",
      );
    }
    // Same cadence: leave nextReviewAt alone. Writing back the value read above could undo a
    // claim the review job made in between and point the mechanism at an occurrence it already has.
    const nextReviewAt =
      input.cadenceWeeks === mechanism.cadenceWeeks
        ? undefined
        : nextWeeklySlot(reviewSlot(team, input), this.deps.clock.now());
    return this.deps.mechanisms.update(id, { ...input, nextReviewAt });
  }

  async get(id: string): Promise<Mechanism> {
    const mechanism = await this.deps.mechanisms.findById(id);
    if (!mechanism) throw new DomainError("not_found", "That mechanism no longer exists.");
    return mechanism;
  }

  async getWithTeam(id: string): Promise<{ mechanism: Mechanism; team: Team }> {
    const mechanism = await this.deps.mechanisms.findById(id);
    if (!mechanism) throw new DomainError("not_found", "That mechanism no longer exists.");
    const team = await this.deps.teams.findById(mechanism.teamId);
    if (!team) throw new DomainError("not_found", "That mechanism's team no longer exists.");
    return { mechanism, team };
  }

  list(team: Team) {
    return this.deps.mechanisms.listByTeam(team.id);
  }

  /** Finds a team's mechanism by id, exact title, or a unique title prefix/substring. */
  async find(team: Team, query: string): Promise<Mechanism> {
    const q = query.trim().toLowerCase();
    if (!q) throw new DomainError("invalid_input", "Name a mechanism: `/ratchet history <mechanism name>`.");
    const all = await this.deps.mechanisms.listByTeam(team.id);
    const exact = all.find((m) => m.id === query.trim() || m.title.toLowerCase() === q);
    if (exact) return exact;
    const matches = all.filter((m) => m.title.toLowerCase().includes(q));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length === 0) {
      const names = all.map((m) => `“${m.title}”`).join(", ") || "none yet";
      throw new DomainError(
        "not_found",
        `No mechanism matches “${query.trim()}”. This team's mechanisms: ${names}.`,
      );
    }
    throw new DomainError(
      "invalid_input",
      `“${query.trim()}” matches ${matches.length} mechanisms: ${matches.map((m) => `“${m.title}”`).join(", ")}. Be more specific.`,
    );
  }

  decisions(mechanismId: string, limit = 20) {
    return this.deps.mechanisms.listDecisions(mechanismId, limit);
  }

  latestReadings(mechanismId: string) {
    return this.deps.mechanisms.latestReadings(mechanismId);
  }

  /** Moves every active mechanism of a team to its new review slot (after team settings change). */
  async rescheduleTeam(team: Team): Promise<void> {
    const now = this.deps.clock.now();
    for (const m of await this.deps.mechanisms.listByTeam(team.id, { status: "active" })) {
      await this.deps.mechanisms.setNextReview(m.id, nextWeeklySlot(reviewSlot(team, m), now));
      await this.publish(m.id);
    }
  }

  /**
   * Posts the one-pager to the team channel, or updates it in place. A Slack
   * failure is logged and not thrown: the mechanism is saved either way, and
   * the next edit or decision re-publishes it.
   */
  async publish(id: string): Promise<void> {
    const { mechanism: m, team } = await this.getWithTeam(id);
    const [latestReadings, decisions, decisionCount] = await Promise.all([
      this.deps.mechanisms.latestReadings(id),
      this.deps.mechanisms.listDecisions(id, 1),
      this.deps.mechanisms.countDecisions(id),
    ]);
    const msg = buildOnePager({
      mechanism: m,
      latestReadings,
      lastDecision: decisions[0] ?? null,
      missingDoD: missingItems({ ...m, decisionCount }),
      nextReviewLabel: m.nextReviewAt ? localLabel(m.nextReviewAt, team.timezone) : null,
    });
    try {
      if (m.messageChannelId && m.messageTs) {
        await this.deps.notifier.update(m.messageChannelId, m.messageTs, msg);
      } else {
        const posted = await this.deps.notifier.post(team.channelId, msg);
        await this.deps.mechanisms.setMessage(id, posted.channel, posted.ts);
      }
    } catch (err) {
      this.deps.log.error({ err, mechanismId: id, teamId: team.id }, "could not publish the one-pager");
    }
  }
}
