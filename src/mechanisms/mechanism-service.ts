import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Announcer, Notices, OnePager } from "../notices.js";
import { nextWeeklySlot } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import {
  type DeliveryHandler,
  enqueueAfterSave,
  type NewDelivery,
  type Outbox,
} from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { clipText } from "../shared/text.js";
import { assertMayActAsOwner } from "../teams/roles.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import { evaluateCheckpoint, parseCheckpointRule } from "./checkpoint-rule.js";
import { guardrailFromText } from "./guardrail.js";
import type { Mechanism, MechanismInput, ReadingValues } from "./mechanism.js";
import type { MechanismRepository } from "./mechanism-repository.js";
import { missingItems } from "./one-pager-checks.js";
import { ruleChanges } from "./rule-changes.js";

export const reviewSlot = (team: Team, m: { cadenceWeeks: 1 | 2 }) => ({
  tz: team.timezone,
  weekday: team.reviewWeekday,
  time: team.reviewTime,
  cadenceWeeks: m.cadenceWeeks,
  anchor: team.cycleAnchor,
});

/**
 * The checkpoint rule evaluated against readings (by signal id); a rule that cannot be read is "unknown"
 * and says why.
 */
export function evaluateRule(m: Mechanism, readings: ReadingValues) {
  const parsed = parseCheckpointRule(m.checkpointRule, m.signals);
  if (!parsed.ok)
    return { result: "unknown" as const, lines: [`The checkpoint rule can't be read: ${parsed.error}`] };
  return evaluateCheckpoint(parsed.rule, m.signals, readings);
}

/** The modal writes one guardrail as text and a stop owner: stored as a guardrail with its line read out. */
const withGuardrails = (input: MechanismInput): MechanismInput => ({
  ...input,
  guardrails: input.guardrails ?? guardrailFromText(input.guardrail, input.stopOwnerId),
});

/** What an audit entry compares: the one-pager's fields, signals and guardrails by their names. */
const auditable = (m: Mechanism) => ({
  ...m,
  signalList: m.signals.map((s) => `${s.kind} ${s.name}: ${s.baseline} → ${s.target} ${s.unit}`.trim()),
  guardrailList: (m.guardrails ?? []).map((g) =>
    [g.name, g.comparison, g.threshold, g.unit, g.stopOwnerId ? `stop owner ${g.stopOwnerId}` : null]
      .filter((x) => x !== null && x !== "")
      .join(" "),
  ),
});

/** The outbox key of a mechanism's one-pager: posted once, then edited in place. */
const onePagerKey = (mechanismId: string) => `one-pager:${mechanismId}`;

export class MechanismService {
  constructor(
    private readonly deps: {
      mechanisms: MechanismRepository;
      teams: TeamRepository;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /** the audit log: every create, edit and stop is recorded */
      audit?: AuditService;
    },
  ) {}

  /** Saves the mechanism and queues its one-pager (posted at once, or by the next process). */
  async create(
    team: Team,
    input: MechanismInput,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<Mechanism> {
    const now = this.deps.clock.now();
    const nextReviewAt = nextWeeklySlot(reviewSlot(team, input), now);
    const mechanism = await this.deps.mechanisms.create({
      ...withGuardrails(input),
      teamId: team.id,
      createdBy: by,
      createdAt: now,
      nextReviewAt,
    });
    await this.audit(team, mechanism.id, { userId: by, surface }, "created", null, auditable(mechanism));
    await enqueueAfterSave(this.deps.outbox, this.deps.log, this.onePagerDelivery(mechanism, team, now));
    return mechanism;
  }

  /** Whether `by` may edit the mechanism: throws the refusal that says who can (the Edit button asks first). */
  async assertMayEdit(id: string, by: string): Promise<void> {
    const { mechanism, team } = await this.getWithTeam(id);
    assertMayActAsOwner(team, mechanism, by, "edit");
  }

  /** One audit entry for a change of this mechanism (the changed fields only). */
  async audit(
    team: Team,
    mechanismId: string,
    actor: { userId: string; surface: AuditSurface },
    action: string,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await this.deps.audit?.record({
      team,
      subject: { type: "mechanism", id: mechanismId },
      actor,
      action,
      before: before ? { ...before } : null,
      after: after ? { ...after } : null,
      ignore: ["teamId", "createdBy", "signals", "guardrails"],
    });
  }

  /**
   * Saves an edit. Once the mechanism has a decision (it was reviewed), changing its aim, signals'
   * baselines and targets or its checkpoint rule needs `reason`, and is logged as a "change" in its
   * decision log with what moved, who and when (issue 11: set the rules before you start).
   */
  async update(
    id: string,
    input: MechanismInput,
    by = "",
    reason = "",
    surface: AuditSurface = "modal",
  ): Promise<Mechanism> {
    const { mechanism, team } = await this.getWithTeam(id);
    assertMayActAsOwner(team, mechanism, by, "edit");
    if (mechanism.status !== "active") {
      throw new DomainError(
        "already_done",
        `This mechanism was ${mechanism.status}; its one-pager is kept as history. Start a new one with \`/ratchet new\`.`,
      );
    }
    // Same cadence: leave nextReviewAt alone. Writing back the value read above could undo a
    // claim the review job made in between and point the mechanism at an occurrence it already has.
    const now = this.deps.clock.now();
    const nextReviewAt =
      input.cadenceWeeks === mechanism.cadenceWeeks
        ? undefined
        : nextWeeklySlot(reviewSlot(team, input), now);
    const ruleEdit = await this.ruleEdit(mechanism, input, by, reason);
    const updated = await this.deps.mechanisms.update(id, {
      ...withGuardrails(input),
      nextReviewAt,
      at: now,
      ...(ruleEdit ? { ruleEdit } : {}),
    });
    await this.audit(team, id, { userId: by, surface }, "edited", auditable(mechanism), auditable(updated));
    return updated;
  }

  private async ruleEdit(mechanism: Mechanism, input: MechanismInput, by: string, reason: string) {
    const changes = ruleChanges(mechanism, input);
    if (changes.length === 0 || (await this.deps.mechanisms.countDecisions(mechanism.id)) === 0) return null;
    const why = reason.trim().replace(/\s+/g, " ");
    if (!why) {
      throw new DomainError(
        "invalid_input",
        `It has been reviewed, so its rules are what the reviews judged it by. Say why they change (${changes.length === 1 ? "1 change" : `${changes.length} changes`}); it goes in the decision log.`,
        "ruleChangeReason",
      );
    }
    return {
      entry: `Rule changed: ${clipText(changes.join("; "), 400)} because ${clipText(why, 300)}`,
      changeDetail: changes.join("\n"),
      by,
    };
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
   * Updates the posted one-pager in place. Not posted yet: its delivery draws it as it is when sent
   * (queued again here if it never was). A Slack failure is logged and not thrown: the mechanism is
   * saved either way, and the next edit or decision publishes again.
   */
  async publish(id: string): Promise<void> {
    const { mechanism: m, team } = await this.getWithTeam(id);
    if (!m.messageChannelId || !m.messageTs) {
      await this.deps.outbox.enqueue(this.onePagerDelivery(m, team, this.deps.clock.now()));
      return;
    }
    const pager = await this.onePager(m, team);
    try {
      await this.deps.announcer.edit({ channel: m.messageChannelId, ts: m.messageTs }, "one_pager", pager);
    } catch (err) {
      this.deps.log.error({ err, mechanismId: id, teamId: team.id }, "could not update the one-pager");
    }
  }

  /** The one-pager's first post; cancelled when it is already posted (edits update that one). */
  readonly onePagerHandler: DeliveryHandler<"one_pager", Notices["one_pager"]> = {
    resolve: async ({ mechanismId }) => {
      const m = await this.deps.mechanisms.findById(mechanismId);
      if (!m || m.messageTs) return null;
      const team = await this.deps.teams.findById(m.teamId);
      return team ? this.onePager(m, team) : null;
    },
    delivered: ({ mechanismId }, where) =>
      this.deps.mechanisms.setMessage(mechanismId, where.channel, where.ts),
  };

  private onePagerDelivery(m: Mechanism, team: Team, now: Date): NewDelivery<"one_pager"> {
    return {
      key: onePagerKey(m.id),
      kind: "one_pager",
      ref: { mechanismId: m.id },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      at: now,
    };
  }

  private async onePager(m: Mechanism, team: Team): Promise<OnePager> {
    const [latestReadings, latestGuardrailReadings, decisions, decisionCount] = await Promise.all([
      this.deps.mechanisms.latestReadings(m.id),
      this.deps.mechanisms.latestGuardrailReadings(m.id),
      this.deps.mechanisms.listDecisions(m.id, 1),
      this.deps.mechanisms.countDecisions(m.id),
    ]);
    return {
      mechanism: m,
      latestReadings,
      latestGuardrailReadings,
      lastDecision: decisions[0] ?? null,
      missingDoD: missingItems({ ...m, decisionCount }),
      nextReviewAt: m.nextReviewAt,
      timezone: team.timezone,
    };
  }
}
