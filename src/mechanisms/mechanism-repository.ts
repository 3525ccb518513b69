import type { Db } from "../db/client.js";
import { groupBy } from "../db/group-by.js";
import { cadenceOf } from "../teams/team.js";
import {
  type BreachDecision,
  type Decision,
  type DecisionKind,
  type Guardrail,
  type GuardrailBreach,
  type GuardrailSpec,
  type LatestGuardrailReadings,
  type LatestReadings,
  type Mechanism,
  type MechanismInput,
  type MechanismStatus,
  type RuleEdit,
  type SignalKind,
  toMechanismStatus,
} from "./mechanism.js";
import { planSignals } from "./signal-plan.js";

/** What the review sweep reads of a due mechanism. */
export type DueMechanism = Pick<Mechanism, "id" | "teamId" | "nextReviewAt" | "cadenceWeeks">;

export interface MechanismRepository {
  create(
    input: MechanismInput & { teamId: string; createdBy: string; createdAt: Date; nextReviewAt: Date | null },
  ): Promise<Mechanism>;
  /**
   * `nextReviewAt: undefined` leaves the scheduled review as it is. Signals left out are archived at
   * `at`, never deleted: their readings stay (see signal-plan.ts).
   */
  /** With `ruleEdit`, its "change" decision is written in the same transaction as the edit. */
  update(
    id: string,
    input: MechanismInput & { nextReviewAt: Date | null | undefined; at: Date; ruleEdit?: RuleEdit },
  ): Promise<Mechanism>;
  findById(id: string): Promise<Mechanism | null>;
  listByTeam(teamId: string, opts?: { status?: MechanismStatus }): Promise<Mechanism[]>;
  /**
   * Active mechanisms whose next review is due, with only what a claim needs (no signals, no text):
   * a thousand due at once were a thousand full rows and their signals read and mapped for four
   * fields. Uses the (status, nextReviewAt) index.
   */
  findDue(now: Date, limit: number): Promise<DueMechanism[]>;
  setMessage(id: string, channelId: string, ts: string): Promise<void>;
  setNextReview(id: string, nextReviewAt: Date | null): Promise<void>;
  listDecisions(mechanismId: string, limit: number): Promise<Decision[]>;
  findDecision(id: string): Promise<Decision | null>;
  countDecisions(mechanismId: string): Promise<number>;
  /** A review's guardrail readings, each with whether it crossed its guardrail's line; returns their ids. */
  recordGuardrailReadings(
    readings: readonly { guardrailId: string; value: number; breached: boolean }[],
    o: { reviewId: string | null; by: string; at: Date },
  ): Promise<{ id: string; guardrailId: string; breached: boolean }[]>;
  /** A breached guardrail reading with its guardrail; null when there is none (or it did not breach). */
  findGuardrailBreach(readingId: string): Promise<GuardrailBreach | null>;
  /**
   * Records the stop owner's decision on a breach, only while none is recorded (a compare-and-set):
   * false when someone decided first.
   */
  decideGuardrailBreach(
    readingId: string,
    d: { decision: BreachDecision; reason: string; by: string; at: Date },
  ): Promise<boolean>;
  /** The newest reading of each of the mechanism's current guardrails, by guardrail id. */
  latestGuardrailReadings(mechanismId: string): Promise<LatestGuardrailReadings>;
  /** The newest reading of each of the mechanism's signals (archived ones aside), by signal id. */
  latestReadings(mechanismId: string): Promise<LatestReadings>;
}

// Archived signals are history: the one-pager, the modals and the rules see the current ones.
const current = { archivedAt: null };
const withSignals = {
  signals: { where: current, orderBy: { kind: "asc" as const } },
  guardrails: { where: current, orderBy: { position: "asc" as const } },
};

type SignalRow = {
  id: string;
  kind: string;
  name: string;
  baseline: number;
  target: number;
  unit: string;
  position: number;
};
type GuardrailRow = {
  id: string;
  name: string;
  comparison: string;
  threshold: number | null;
  unit: string;
  stopOwnerId: string | null;
};
type Row = Awaited<ReturnType<Db["mechanism"]["findUniqueOrThrow"]>> & {
  signals: SignalRow[];
  guardrails: GuardrailRow[];
};

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const COMPARISONS = ["<=", "<", ">=", ">"] as const;
const toGuardrail = (g: GuardrailRow): Guardrail => {
  const comparison = COMPARISONS.find((c) => c === g.comparison) ?? null;
  return {
    id: g.id,
    name: g.name,
    comparison,
    threshold: comparison === null ? null : g.threshold,
    unit: g.unit,
    stopOwnerId: g.stopOwnerId,
  };
};
const guardrailData = (g: GuardrailSpec, position: number) => ({
  name: g.name,
  comparison: g.comparison ?? "",
  threshold: g.comparison === null ? null : g.threshold,
  unit: g.unit,
  stopOwnerId: g.stopOwnerId,
  position,
});

const KIND_ORDER: Record<string, number> = { proxy: 0, outcome: 1, leading: 2 };

function toMechanism(row: Row): Mechanism {
  return {
    ...row,
    guardrails: row.guardrails.map(toGuardrail),
    cadenceWeeks: cadenceOf(row.cadenceWeeks),
    status: toMechanismStatus(row.status),
    signals: row.signals
      .map((s) => ({
        id: s.id,
        kind: s.kind as SignalKind,
        name: s.name,
        baseline: s.baseline,
        target: s.target,
        unit: s.unit,
        position: s.position,
      }))
      .sort(
        (a, b) =>
          (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || (a.position ?? 0) - (b.position ?? 0),
      ),
  };
}

const scalar = (i: MechanismInput) => ({
  title: i.title,
  aim: i.aim,
  aimForWhom: i.aimForWhom,
  aimFrom: i.aimFrom,
  aimTo: i.aimTo,
  aimUnit: i.aimUnit,
  aimBy: i.aimBy,
  statement: i.statement,
  checkpointRule: i.checkpointRule,
  guardrail: i.guardrail,
  stopOwnerId: i.stopOwnerId,
  rollbackPath: i.rollbackPath,
  opsPath: i.opsPath ?? "",
  ownerId: i.ownerId,
  cadenceWeeks: i.cadenceWeeks,
});

export class PrismaMechanismRepository implements MechanismRepository {
  constructor(private readonly db: Db) {}

  async create(
    input: MechanismInput & { teamId: string; createdBy: string; createdAt: Date; nextReviewAt: Date | null },
  ) {
    const row = await this.db.mechanism.create({
      data: {
        ...scalar(input),
        teamId: input.teamId,
        createdBy: input.createdBy,
        createdAt: input.createdAt,
        nextReviewAt: input.nextReviewAt,
        signals: { create: input.signals.map((s) => ({ ...s })) },
        guardrails: { create: (input.guardrails ?? []).map(guardrailData) },
      },
      include: withSignals,
    });
    return toMechanism(row);
  }

  async update(
    id: string,
    input: MechanismInput & { nextReviewAt: Date | null | undefined; at: Date; ruleEdit?: RuleEdit },
  ) {
    // Signals are matched by name (then slot) so their readings (history) survive an edit; none is deleted.
    const row = await this.db.$transaction(async (tx) => {
      const stored = await tx.signal.findMany({
        where: { mechanismId: id },
        select: { id: true, kind: true, name: true, position: true, archivedAt: true },
      });
      const plan = planSignals(
        stored.map((s) => ({ ...s, kind: s.kind as SignalKind })),
        input.signals,
      );
      if (plan.archive.length > 0) {
        await tx.signal.updateMany({ where: { id: { in: plan.archive } }, data: { archivedAt: input.at } });
      }
      for (const { id: signalId, spec } of plan.update) {
        await tx.signal.update({ where: { id: signalId }, data: { ...spec, archivedAt: null } });
      }
      if (plan.create.length > 0) {
        await tx.signal.createMany({ data: plan.create.map((s) => ({ ...s, mechanismId: id })) });
      }
      if (input.guardrails) await this.replaceGuardrails(tx, id, input.guardrails, input.at);
      if (input.ruleEdit) await tx.decision.create({ data: ruleEditDecision(id, input.ruleEdit, input.at) });
      return tx.mechanism.update({
        where: { id },
        data: {
          ...scalar(input),
          ...(input.nextReviewAt !== undefined ? { nextReviewAt: input.nextReviewAt } : {}),
        },
        include: withSignals,
      });
    });
    return toMechanism(row);
  }

  /** Guardrails by position: each slot's stays (renamed or re-drawn), extra ones are archived, never deleted. */
  private async replaceGuardrails(tx: Tx, mechanismId: string, specs: GuardrailSpec[], at: Date) {
    const stored = await tx.guardrail.findMany({
      where: { mechanismId, ...current },
      orderBy: { position: "asc" },
    });
    for (const [position, spec] of specs.entries()) {
      const existing = stored[position];
      if (existing)
        await tx.guardrail.update({ where: { id: existing.id }, data: guardrailData(spec, position) });
      else await tx.guardrail.create({ data: { ...guardrailData(spec, position), mechanismId } });
    }
    const extra = stored.slice(specs.length).map((g) => g.id);
    if (extra.length > 0)
      await tx.guardrail.updateMany({ where: { id: { in: extra } }, data: { archivedAt: at } });
  }

  async findById(id: string) {
    const row = await this.db.mechanism.findUnique({ where: { id }, include: withSignals });
    return row ? toMechanism(row) : null;
  }

  async listByTeam(teamId: string, opts: { status?: MechanismStatus } = {}) {
    // Signals through the relation (a join), not an include: an include sends one bound parameter
    // per mechanism, and SQLite refuses more than 999 (issue 10).
    const where = { teamId, ...(opts.status ? { status: opts.status } : {}) };
    const [rows, signals, guardrails] = await Promise.all([
      this.db.mechanism.findMany({ where, orderBy: [{ status: "asc" }, { createdAt: "asc" }] }),
      this.db.signal.findMany({ where: { mechanism: where, ...current }, orderBy: { kind: "asc" } }),
      this.db.guardrail.findMany({ where: { mechanism: where, ...current }, orderBy: { position: "asc" } }),
    ]);
    const signalsOf = groupBy(signals, (s) => s.mechanismId);
    const guardrailsOf = groupBy(guardrails, (g) => g.mechanismId);
    return rows.map((r) =>
      toMechanism({ ...r, signals: signalsOf.get(r.id) ?? [], guardrails: guardrailsOf.get(r.id) ?? [] }),
    );
  }

  async findDue(now: Date, limit: number): Promise<DueMechanism[]> {
    const rows = await this.db.mechanism.findMany({
      // A team whose workspace uninstalled Ratchet is skipped (see Team.workspaceAway).
      where: { status: "active", nextReviewAt: { lte: now }, team: { workspaceAway: false } },
      orderBy: [{ nextReviewAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, teamId: true, nextReviewAt: true, cadenceWeeks: true },
    });
    return rows.map((r) => ({ ...r, cadenceWeeks: r.cadenceWeeks === 2 ? 2 : 1 }));
  }

  async setMessage(id: string, channelId: string, ts: string) {
    await this.db.mechanism.update({ where: { id }, data: { messageChannelId: channelId, messageTs: ts } });
  }

  async setNextReview(id: string, nextReviewAt: Date | null) {
    await this.db.mechanism.update({ where: { id }, data: { nextReviewAt } });
  }

  async listDecisions(mechanismId: string, limit: number) {
    const rows = await this.db.decision.findMany({
      where: { mechanismId },
      orderBy: { decidedAt: "desc" },
      take: limit,
    });
    return rows.map(toDecision);
  }

  async findDecision(id: string) {
    const row = await this.db.decision.findUnique({ where: { id } });
    return row ? toDecision(row) : null;
  }

  countDecisions(mechanismId: string) {
    return this.db.decision.count({ where: { mechanismId } });
  }

  async recordGuardrailReadings(
    readings: readonly { guardrailId: string; value: number; breached: boolean }[],
    o: { reviewId: string | null; by: string; at: Date },
  ) {
    if (readings.length === 0) return [];
    return this.db.guardrailReading.createManyAndReturn({
      data: readings.map((r) => ({ ...r, reviewId: o.reviewId, recordedBy: o.by, recordedAt: o.at })),
      select: { id: true, guardrailId: true, breached: true },
    });
  }

  async findGuardrailBreach(readingId: string): Promise<GuardrailBreach | null> {
    const r = await this.db.guardrailReading.findUnique({
      where: { id: readingId },
      include: { guardrail: true },
    });
    if (!r?.breached) return null;
    const g = r.guardrail;
    return {
      readingId: r.id,
      mechanismId: g.mechanismId,
      guardrail: toGuardrail(g),
      value: r.value,
      recordedAt: r.recordedAt,
      decision: r.decision === "stop" || r.decision === "continue" ? r.decision : null,
      decisionReason: r.decisionReason,
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt,
    };
  }

  async decideGuardrailBreach(
    readingId: string,
    d: { decision: BreachDecision; reason: string; by: string; at: Date },
  ) {
    const { count } = await this.db.guardrailReading.updateMany({
      where: { id: readingId, breached: true, decision: null },
      data: { decision: d.decision, decisionReason: d.reason, decidedBy: d.by, decidedAt: d.at },
    });
    return count === 1;
  }

  /** One indexed lookup per guardrail (a handful), as for signals below. */
  async latestGuardrailReadings(mechanismId: string) {
    const guardrails = await this.db.guardrail.findMany({
      where: { mechanismId, ...current },
      select: { id: true },
    });
    const latest = await Promise.all(
      guardrails.map((g) =>
        this.db.guardrailReading.findFirst({ where: { guardrailId: g.id }, orderBy: { recordedAt: "desc" } }),
      ),
    );
    const out: LatestGuardrailReadings = {};
    guardrails.forEach((g, i) => {
      const r = latest[i];
      if (r) out[g.id] = { value: r.value, breached: r.breached, recordedAt: r.recordedAt };
    });
    return out;
  }

  /**
   * Each signal's newest reading: one indexed lookup per signal (at most a handful), because Prisma
   * does not apply a nested `take: 1` in SQL and would load the signal's whole history.
   */
  async latestReadings(mechanismId: string) {
    const signals = await this.db.signal.findMany({
      where: { mechanismId, ...current },
      select: { id: true, kind: true },
    });
    const latest = await Promise.all(
      signals.map((s) =>
        this.db.reading.findFirst({ where: { signalId: s.id }, orderBy: { recordedAt: "desc" } }),
      ),
    );
    const out: LatestReadings = {};
    signals.forEach((s, i) => {
      const r = latest[i];
      if (r)
        out[s.id] = {
          signalId: s.id,
          kind: s.kind as SignalKind,
          value: r.value,
          recordedAt: r.recordedAt,
        };
    });
    return out;
  }
}

/** A rule edit as the decision-log row it is: a "change" by the editor, from the one-pager's edit. */
export const ruleEditDecision = (mechanismId: string, e: RuleEdit, at: Date) => ({
  mechanismId,
  reviewId: null,
  decision: "change" as const,
  entry: e.entry,
  changeDetail: e.changeDetail,
  checkpoint: "unknown" as const,
  source: "edit" as const,
  decidedBy: e.by,
  decidedAt: at,
});

type DecisionRow = Awaited<ReturnType<Db["decision"]["findUniqueOrThrow"]>>;
export const toDecision = (r: DecisionRow): Decision => ({
  ...r,
  decision: r.decision as DecisionKind,
  checkpoint: r.checkpoint === "pass" || r.checkpoint === "fail" ? r.checkpoint : "unknown",
  source: r.source === "review" || r.source === "edit" ? r.source : "command",
});
