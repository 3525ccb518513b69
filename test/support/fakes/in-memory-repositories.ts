import type {
  BreachDecision,
  Decision,
  GuardrailBreach,
  GuardrailSpec,
  LatestGuardrailReadings,
  LatestReadings,
  MechanismInput,
  RuleEdit,
} from "../../../src/mechanisms/mechanism.js";
import { type MechanismRepository, ruleEditDecision } from "../../../src/mechanisms/mechanism-repository.js";
import { planSignals } from "../../../src/mechanisms/signal-plan.js";
import type { DecisionInput, Review } from "../../../src/reviews/review.js";
import type { ClaimRequest, ReviewRepository } from "../../../src/reviews/review-repository.js";
import type { Team } from "../../../src/teams/team.js";
import { cadenceOf } from "../../../src/teams/team.js";
import type { DueTeam, TeamJob } from "../../../src/teams/team-due.js";
import type { TeamRepository } from "../../../src/teams/team-repository.js";
import {
  copy,
  type DecisionRow,
  FakePrismaError,
  InMemoryStore,
  type MechanismRow,
  type ReviewRow,
  same,
  strip,
  type TeamRow,
  teamDueKey,
} from "./store.js";

export { InMemoryStore } from "./store.js";

/**
 * Hand-written in-memory repositories for service unit tests (no Prisma mocks), over one
 * InMemoryStore (see store.ts for the rules they keep). The contract suites in
 * test/support/fakes/*-contract.ts hold them to the Prisma repositories' behaviour.
 */

export class InMemoryTeamRepository implements TeamRepository {
  constructor(private readonly store: InMemoryStore) {}

  async findById(id: string) {
    const row = this.store.teams.get(id);
    return row ? toTeam(row) : null;
  }

  async findByIds(ids: readonly string[]) {
    return ids.flatMap((id) => {
      const row = this.store.teams.get(id);
      return row ? [toTeam(row)] : [];
    });
  }

  async findByChannel(slackTeamId: string, channelId: string) {
    const row = [...this.store.teams.values()].find(
      (t) => t.slackTeamId === slackTeamId && t.channelId === channelId,
    );
    return row ? toTeam(row) : null;
  }

  async listByWorkspace(slackTeamId: string) {
    return [...this.store.teams.values()]
      .filter((t) => t.slackTeamId === slackTeamId)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq))
      .map(toTeam);
  }

  async listAll() {
    return [...this.store.teams.values()]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
      .map(toTeam);
  }

  async listDue(job: TeamJob, now: Date, limit: number): Promise<DueTeam[]> {
    const dueOf = (id: string) => this.store.teamDue.get(teamDueKey(job, id)) ?? null;
    return [...this.store.teams.values()]
      .map((row) => ({ row, dueAt: dueOf(row.id) }))
      .filter((d) => d.dueAt === null || d.dueAt <= now)
      .sort(
        (a, b) =>
          (a.dueAt?.getTime() ?? -Infinity) - (b.dueAt?.getTime() ?? -Infinity) || cmp(a.row.id, b.row.id),
      )
      .slice(0, limit)
      .map((d) => ({ team: toTeam(d.row), dueAt: d.dueAt && new Date(d.dueAt) }));
  }

  async clearAll(): Promise<void> {
    this.store.teamDue.clear();
  }

  async advance(job: TeamJob, due: DueTeam, next: Date): Promise<void> {
    const key = teamDueKey(job, due.team.id);
    if (!this.store.teams.has(due.team.id)) return;
    // As the Prisma compare-and-set: a save since the read cleared it, and that wins.
    if ((this.store.teamDue.get(key)?.getTime() ?? null) !== (due.dueAt?.getTime() ?? null)) return;
    this.store.teamDue.set(key, new Date(next));
  }

  async save(team: Omit<Team, "id"> & { id?: string }) {
    const data = teamFields(team);
    if (team.id !== undefined) this.store.clearDue(team.id);
    const clash = [...this.store.teams.values()].find(
      (t) => t.id !== team.id && t.slackTeamId === data.slackTeamId && t.channelId === data.channelId,
    );
    if (team.id !== undefined) {
      const existing = this.store.teams.get(team.id);
      if (!existing) throw new FakePrismaError("P2025", `No Team ${team.id} to update`);
      if (clash) throw new FakePrismaError("P2002", "Unique constraint failed: Team(slackTeamId, channelId)");
      const row = { ...existing, ...data };
      this.store.teams.set(row.id, row);
      return toTeam(row);
    }
    if (clash) throw new FakePrismaError("P2002", "Unique constraint failed: Team(slackTeamId, channelId)");
    const row: TeamRow = {
      ...data,
      id: this.store.newId("team_"),
      // As PrismaTeamRepository: created with the caller's (the service clock's) createdAt.
      createdAt: new Date(team.createdAt),
      seq: this.store.nextSeq(),
    };
    this.store.teams.set(row.id, row);
    return toTeam(row);
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const toTeam = (row: TeamRow): Team => {
  const { seq: _seq, ...team } = copy(row);
  return { ...team, cadenceWeeks: cadenceOf(team.cadenceWeeks) };
};

// The columns PrismaTeamRepository writes; anything else on the argument is ignored, as there.
const teamFields = (t: Omit<Team, "id">): Omit<Team, "id" | "createdAt"> =>
  copy({
    slackTeamId: t.slackTeamId,
    name: t.name,
    channelId: t.channelId,
    timezone: t.timezone,
    reviewWeekday: t.reviewWeekday,
    reviewTime: t.reviewTime,
    cadenceWeeks: t.cadenceWeeks,
    cycleAnchor: t.cycleAnchor,
    debriefEnabled: t.debriefEnabled,
    debriefWeekday: t.debriefWeekday,
    debriefTime: t.debriefTime,
    debriefDigestTime: t.debriefDigestTime,
    debriefNudge: t.debriefNudge,
    rollupWeekday: t.rollupWeekday,
    rollupTime: t.rollupTime,
    incidentsChannelId: t.incidentsChannelId,
    fullCoeSeverities: t.fullCoeSeverities,
    coeDeepDiveHours: t.coeDeepDiveHours,
    admins: [...t.admins],
    createdBy: t.createdBy,
  });

const mechanismScalars = (i: MechanismInput) =>
  copy({
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

export class InMemoryMechanismRepository implements MechanismRepository {
  constructor(private readonly store: InMemoryStore) {}

  async create(
    input: MechanismInput & { teamId: string; createdBy: string; createdAt: Date; nextReviewAt: Date | null },
  ) {
    if (!this.store.teams.has(input.teamId))
      throw new FakePrismaError("P2003", "Foreign key: Mechanism.teamId");
    assertDistinctNames(input.signals);
    const row: MechanismRow = {
      ...mechanismScalars(input),
      id: this.store.newId("mech_"),
      teamId: input.teamId,
      createdBy: input.createdBy,
      nextReviewAt: input.nextReviewAt ? new Date(input.nextReviewAt) : null,
      status: "active",
      messageChannelId: null,
      messageTs: null,
      createdAt: new Date(input.createdAt),
      stoppedAt: null,
      seq: this.store.nextSeq(),
    };
    this.store.mechanisms.set(row.id, row);
    for (const s of input.signals) {
      const id = this.store.newId("sig_");
      this.store.signals.set(id, {
        ...copy(s),
        position: s.position ?? 0,
        id,
        mechanismId: row.id,
        archivedAt: null,
      });
    }
    this.writeGuardrails(row.id, input.guardrails ?? [], input.createdAt);
    return this.store.toMechanism(row);
  }

  /** As Prisma's: by position, extra ones archived, never deleted. */
  private writeGuardrails(mechanismId: string, specs: readonly GuardrailSpec[], at: Date) {
    const stored = [...this.store.guardrails.values()]
      .filter((g) => g.mechanismId === mechanismId && g.archivedAt === null)
      .sort((a, b) => a.position - b.position);
    specs.forEach((spec, position) => {
      const fields = { ...copy(spec), threshold: spec.comparison === null ? null : spec.threshold, position };
      const existing = stored[position];
      if (existing) Object.assign(existing, fields);
      else {
        const id = this.store.newId("grd_");
        this.store.guardrails.set(id, { ...fields, id, mechanismId, archivedAt: null });
      }
    });
    for (const extra of stored.slice(specs.length)) extra.archivedAt = new Date(at);
  }

  async update(
    id: string,
    input: MechanismInput & { nextReviewAt: Date | null | undefined; at: Date; ruleEdit?: RuleEdit },
  ) {
    const row = this.store.mechanisms.get(id);
    if (!row) throw new FakePrismaError("P2025", `No Mechanism ${id} to update`);
    assertDistinctNames(input.signals);
    // As Prisma's: matched by name, then slot; left-out signals are archived with their readings.
    const stored = [...this.store.signals.values()].filter((s) => s.mechanismId === id);
    const plan = planSignals(stored, input.signals);
    for (const sid of plan.archive) {
      const s = this.store.signals.get(sid);
      if (s) s.archivedAt = new Date(input.at);
    }
    for (const { id: sid, spec } of plan.update) {
      const s = this.store.signals.get(sid);
      if (s) Object.assign(s, copy(spec), { position: spec.position ?? 0, archivedAt: null });
    }
    for (const s of plan.create) {
      const sid = this.store.newId("sig_");
      this.store.signals.set(sid, {
        ...copy(s),
        position: s.position ?? 0,
        id: sid,
        mechanismId: id,
        archivedAt: null,
      });
    }
    if (input.guardrails) this.writeGuardrails(id, input.guardrails, input.at);
    if (input.ruleEdit) {
      const d = ruleEditDecision(id, input.ruleEdit, new Date(input.at));
      const did = this.store.newId("dec_");
      this.store.decisions.set(did, {
        ...d,
        id: did,
        whatChanged: "",
        whatDidnt: "",
        why: "",
        gateReason: "",
        seq: this.store.nextSeq(),
      });
    }
    Object.assign(row, mechanismScalars(input));
    if (input.nextReviewAt !== undefined) {
      row.nextReviewAt = input.nextReviewAt ? new Date(input.nextReviewAt) : null;
    }
    return this.store.toMechanism(row);
  }

  async findById(id: string) {
    return this.store.mechanismRow(id);
  }

  async listByTeam(teamId: string, opts: { status?: "active" | "stopped" } = {}) {
    return [...this.store.mechanisms.values()]
      .filter((m) => m.teamId === teamId && (opts.status === undefined || m.status === opts.status))
      .sort(
        (a, b) =>
          (a.status < b.status ? -1 : a.status > b.status ? 1 : 0) ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          a.seq - b.seq,
      )
      .map((m) => this.store.toMechanism(m));
  }

  async findDue(now: Date, limit: number) {
    return [...this.store.mechanisms.values()]
      .filter(
        (m) => m.status === "active" && m.nextReviewAt !== null && m.nextReviewAt.getTime() <= now.getTime(),
      )
      .sort((a, b) => (a.nextReviewAt?.getTime() ?? 0) - (b.nextReviewAt?.getTime() ?? 0) || a.seq - b.seq)
      .slice(0, limit)
      .map((m) => ({
        id: m.id,
        teamId: m.teamId,
        nextReviewAt: m.nextReviewAt,
        cadenceWeeks: m.cadenceWeeks,
      }));
  }

  async setMessage(id: string, channelId: string, ts: string) {
    const row = this.mustFind(id);
    Object.assign(row, { messageChannelId: channelId, messageTs: ts });
  }

  async setNextReview(id: string, nextReviewAt: Date | null) {
    const row = this.mustFind(id);
    row.nextReviewAt = nextReviewAt ? new Date(nextReviewAt) : null;
  }

  async listDecisions(mechanismId: string, limit: number) {
    return [...this.store.decisions.values()]
      .filter((d) => d.mechanismId === mechanismId)
      .sort((a, b) => b.decidedAt.getTime() - a.decidedAt.getTime() || b.seq - a.seq)
      .slice(0, limit)
      .map(strip);
  }

  async findDecision(id: string) {
    const d = this.store.decisions.get(id);
    return d ? strip(d) : null;
  }

  async countDecisions(mechanismId: string) {
    return [...this.store.decisions.values()].filter((d) => d.mechanismId === mechanismId).length;
  }

  async recordGuardrailReadings(
    readings: readonly { guardrailId: string; value: number; breached: boolean }[],
    o: { reviewId: string | null; by: string; at: Date },
  ) {
    for (const r of readings) {
      if (!this.store.guardrails.has(r.guardrailId))
        throw new FakePrismaError("P2003", "Foreign key: GuardrailReading.guardrailId");
    }
    const out: { id: string; guardrailId: string; breached: boolean }[] = [];
    for (const r of readings) {
      const id = this.store.newId("grr_");
      out.push({ id, guardrailId: r.guardrailId, breached: r.breached });
      this.store.guardrailReadings.set(id, {
        ...r,
        id,
        reviewId: o.reviewId,
        recordedBy: o.by,
        recordedAt: new Date(o.at),
        seq: this.store.nextSeq(),
      });
    }
    return out;
  }

  async findGuardrailBreach(readingId: string): Promise<GuardrailBreach | null> {
    const r = this.store.guardrailReadings.get(readingId);
    const g = r ? this.store.guardrails.get(r.guardrailId) : undefined;
    if (!r?.breached || !g) return null;
    return {
      readingId: r.id,
      mechanismId: g.mechanismId,
      guardrail: {
        id: g.id,
        name: g.name,
        comparison: g.comparison,
        threshold: g.comparison === null ? null : g.threshold,
        unit: g.unit,
        stopOwnerId: g.stopOwnerId,
      },
      value: r.value,
      recordedAt: new Date(r.recordedAt),
      decision: r.decision ?? null,
      decisionReason: r.decisionReason ?? null,
      decidedBy: r.decidedBy ?? null,
      decidedAt: r.decidedAt ? new Date(r.decidedAt) : null,
    };
  }

  async decideGuardrailBreach(
    readingId: string,
    d: { decision: BreachDecision; reason: string; by: string; at: Date },
  ) {
    const r = this.store.guardrailReadings.get(readingId);
    if (!r?.breached || (r.decision ?? null) !== null) return false;
    Object.assign(r, {
      decision: d.decision,
      decisionReason: d.reason,
      decidedBy: d.by,
      decidedAt: new Date(d.at),
    });
    return true;
  }

  async latestGuardrailReadings(mechanismId: string) {
    const out: LatestGuardrailReadings = {};
    for (const g of this.store.guardrails.values()) {
      if (g.mechanismId !== mechanismId || g.archivedAt !== null) continue;
      const [latest] = [...this.store.guardrailReadings.values()]
        .filter((r) => r.guardrailId === g.id)
        .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || b.seq - a.seq);
      if (latest)
        out[g.id] = {
          value: latest.value,
          breached: latest.breached,
          recordedAt: new Date(latest.recordedAt),
        };
    }
    return out;
  }

  async latestReadings(mechanismId: string) {
    const out: LatestReadings = {};
    for (const s of this.store.signals.values()) {
      if (s.mechanismId !== mechanismId || s.archivedAt !== null) continue;
      const [latest] = [...this.store.readings.values()]
        .filter((r) => r.signalId === s.id)
        .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || b.seq - a.seq);
      if (latest)
        out[s.id] = {
          signalId: s.id,
          kind: s.kind,
          value: latest.value,
          recordedAt: new Date(latest.recordedAt),
        };
    }
    return out;
  }

  private mustFind(id: string): MechanismRow {
    const row = this.store.mechanisms.get(id);
    if (!row) throw new FakePrismaError("P2025", `No Mechanism ${id} to update`);
    return row;
  }
}

function assertDistinctNames(signals: readonly { name: string }[]) {
  if (new Set(signals.map((s) => s.name)).size !== signals.length) {
    throw new FakePrismaError("P2002", "Unique constraint failed: Signal(mechanismId, name)");
  }
}

export class InMemoryReviewRepository implements ReviewRepository {
  constructor(private readonly store: InMemoryStore) {}

  async claimMany(reqs: readonly ClaimRequest[]) {
    // As the Prisma repository: one request per mechanism, the first wins; in the requests' order.
    const seen = new Set<string>();
    return reqs
      .filter((r) => !seen.has(r.mechanismId) && seen.add(r.mechanismId))
      .flatMap((r) => this.claimOne(r) ?? []);
  }

  private claimOne(req: ClaimRequest): Review | null {
    const m = this.store.mechanisms.get(req.mechanismId);
    // Optimistic concurrency: only the claimer that read the current nextReviewAt may move it.
    if (m?.status !== "active" || !same(m.nextReviewAt, req.expectedNextReviewAt)) return null;
    // As the Prisma repository: occurrences that already have a row are skipped, and the
    // schedule still moves forward; a reminder claimed but never posted becomes missed.
    const taken = new Set(
      [...this.store.reviews.values()]
        .filter((r) => r.mechanismId === req.mechanismId)
        .map((r) => r.dueAt.getTime()),
    );
    m.nextReviewAt = new Date(req.nextReviewAt);
    for (const r of this.store.reviews.values()) {
      if (r.mechanismId !== req.mechanismId || r.dueAt.getTime() >= req.dueAt.getTime()) continue;
      if (r.status === "reminded") r.status = "unanswered";
      else if (r.status === "claimed") r.status = "missed";
    }
    for (const dueAt of req.missed) {
      if (!taken.has(dueAt.getTime())) this.insert(req.mechanismId, dueAt, "missed", false, req.at);
    }
    if (taken.has(req.dueAt.getTime())) return null;
    return strip(this.insert(req.mechanismId, req.dueAt, "claimed", req.late, req.at));
  }

  private insert(
    mechanismId: string,
    dueAt: Date,
    status: Review["status"],
    late: boolean,
    at: Date,
  ): ReviewRow {
    const row: ReviewRow = {
      id: this.store.newId("rev_"),
      mechanismId,
      dueAt: new Date(dueAt),
      status,
      late,
      messageChannelId: null,
      messageTs: null,
      createdAt: new Date(at),
      completedAt: null,
      seq: this.store.nextSeq(),
    };
    this.store.reviews.set(row.id, row);
    return row;
  }

  async listClaimed(limit: number, claimedBefore?: Date) {
    return [...this.store.reviews.values()]
      .filter((r) => r.status === "claimed" && r.messageTs === null)
      .filter((r) => !claimedBefore || r.createdAt.getTime() < claimedBefore.getTime())
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.seq - b.seq)
      .slice(0, limit)
      .map(strip);
  }

  async markPosted(id: string, channelId: string, ts: string) {
    const r = this.store.reviews.get(id);
    if (!r) return; // updateMany on a missing row changes nothing and does not throw
    if (r.status === "claimed")
      Object.assign(r, { status: "reminded", messageChannelId: channelId, messageTs: ts });
    if (r.messageTs === null) Object.assign(r, { messageChannelId: channelId, messageTs: ts });
  }

  async markMissed(id: string) {
    const r = this.store.reviews.get(id);
    if (r?.status === "claimed") r.status = "missed";
  }

  async markSkipped(id: string) {
    const r = this.store.reviews.get(id);
    if (r?.status !== "claimed" && r?.status !== "reminded") return false;
    r.status = "skipped";
    return true;
  }

  async findById(id: string) {
    const r = this.store.reviews.get(id);
    return r ? strip(r) : null;
  }

  async listByMechanism(mechanismId: string) {
    return [...this.store.reviews.values()]
      .filter((r) => r.mechanismId === mechanismId)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.seq - b.seq)
      .map(strip);
  }

  async recordDecision(
    input: DecisionInput & { checkpoint: Decision["checkpoint"]; source: Decision["source"]; at: Date },
    signalIds: Partial<Record<string, string>>,
  ) {
    const { store } = this;
    // Validate every write the transaction would make, then commit them together.
    const readings: { signalId: string; value: number }[] = [];
    for (const [kind, value] of Object.entries(input.readings)) {
      const signalId = signalIds[kind];
      if (signalId === undefined || value === undefined) continue;
      if (!store.signals.has(signalId)) throw new FakePrismaError("P2003", "Foreign key: Reading.signalId");
      readings.push({ signalId, value });
    }
    const review = input.reviewId === null ? null : store.reviews.get(input.reviewId);
    // As the Prisma repository's conditional update: a missing or already closed review records nothing.
    if (input.reviewId && (!review || review.status === "done")) return null;
    const mechanism = store.mechanisms.get(input.mechanismId);
    if (!mechanism) {
      throw new FakePrismaError(
        input.decision === "stop" || input.decision === "graduate" ? "P2025" : "P2003",
        "Foreign key: Decision.mechanismId",
      );
    }

    for (const r of readings) {
      const id = store.newId("read_");
      store.readings.set(id, {
        id,
        signalId: r.signalId,
        reviewId: input.reviewId,
        value: r.value,
        recordedBy: input.decidedBy,
        recordedAt: new Date(input.at),
        seq: store.nextSeq(),
      });
    }
    if (review) Object.assign(review, { status: "done", completedAt: new Date(input.at) });
    if (input.decision === "stop" || input.decision === "graduate") {
      Object.assign(mechanism, {
        status: input.decision === "graduate" ? "graduated" : "stopped",
        stoppedAt: new Date(input.at),
        nextReviewAt: null,
      });
    }
    const row: DecisionRow = {
      id: store.newId("dec_"),
      mechanismId: input.mechanismId,
      reviewId: input.reviewId,
      decision: input.decision,
      entry: input.entry,
      whatChanged: input.whatChanged,
      whatDidnt: input.whatDidnt,
      why: input.why,
      changeDetail: input.changeDetail,
      checkpoint: input.checkpoint,
      gateReason: input.gateReason,
      source: input.source,
      decidedBy: input.decidedBy,
      decidedAt: new Date(input.at),
      seq: store.nextSeq(),
    };
    store.decisions.set(row.id, row);
    return strip(row);
  }
}

/** One store and the three repositories over it, as `compose()` builds them over one database. */
export function createInMemoryRepositories() {
  const store = new InMemoryStore();
  return {
    store,
    teams: new InMemoryTeamRepository(store),
    mechanisms: new InMemoryMechanismRepository(store),
    reviews: new InMemoryReviewRepository(store),
  };
}
