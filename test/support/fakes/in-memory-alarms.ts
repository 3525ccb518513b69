import { type Alarm, type AlarmStatus, isAlarmStatus, TEAM_SUBJECT } from "../../../src/alarms/alarm.js";
import {
  type AlarmRepository,
  type AlarmTransition,
  SNAPSHOT_DECISIONS,
  SNAPSHOT_READINGS,
  type SnapshotData,
} from "../../../src/alarms/alarm-repository.js";
import { type AlarmFinding, isAlarmKind } from "../../../src/alarms/types.js";
import type { AlarmModel } from "../../../src/generated/sqlite/models.js";
import { type DecisionKind, toMechanismStatus } from "../../../src/mechanisms/mechanism.js";
import { breachReadingText } from "../../../src/reviews/guardrail-breach.js";
import type { ReviewStatus } from "../../../src/reviews/review.js";
import { copy, FakePrismaError, type InMemoryStore, type Row, strip } from "./store.js";

/**
 * PrismaAlarmRepository in memory; held to the same contract (test/support/fakes/alarms-contract.ts).
 * Ties in an ordering (alarms raised by one evaluation share raisedAt) fall back to claim order,
 * which SQLite happens to keep and PostgreSQL does not: the contract compares such ties as sets.
 */
export class InMemoryAlarmRepository implements AlarmRepository {
  constructor(private readonly store: InMemoryStore) {}

  async snapshotData(teamId: string, o: { reviewsSince: Date; fromCycle: number }): Promise<SnapshotData> {
    const s = this.store;
    const bySeq = <T extends { seq: number }>(a: T, b: T) => a.seq - b.seq;
    const mechanisms = [...s.mechanisms.values()]
      .filter((m) => m.teamId === teamId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || bySeq(a, b));
    const deviations = [...s.deviations.values()].filter((d) => d.teamId === teamId);
    const recent = deviations.filter((d) => d.cycleIndex >= o.fromCycle);
    const first = [...deviations].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || bySeq(a, b),
    )[0];
    const pick = (d: Row<{ id: string; cycleIndex: number; createdAt: Date }>) => ({
      id: d.id,
      cycleIndex: d.cycleIndex,
      createdAt: new Date(d.createdAt),
    });
    const listed = first && !recent.some((d) => d.id === first.id) ? [first, ...recent] : recent;
    return {
      deviations: listed.map(pick),
      mechanisms: mechanisms.map((m) => ({
        id: m.id,
        title: m.title,
        status: toMechanismStatus(m.status),
        createdAt: new Date(m.createdAt),
        stoppedAt: m.stoppedAt ? new Date(m.stoppedAt) : null,
        statement: m.statement,
        ownerId: m.ownerId,
        stopOwnerId: m.stopOwnerId,
        checkpointRule: m.checkpointRule,
        rollbackPath: m.rollbackPath,
        opsPath: m.opsPath ?? "",
        signals: [...s.signals.values()]
          .filter((sig) => sig.mechanismId === m.id && sig.archivedAt === null)
          .map((sig) => ({
            kind: sig.kind,
            name: sig.name,
            baseline: sig.baseline,
            target: sig.target,
            readings: [...s.readings.values()]
              .filter((r) => r.signalId === sig.id)
              .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || bySeq(a, b))
              .slice(-SNAPSHOT_READINGS)
              .map((r) => ({ value: r.value, at: new Date(r.recordedAt) })),
          })),
        decisions: [...s.decisions.values()]
          .filter((d) => d.mechanismId === m.id)
          .sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || bySeq(a, b))
          .slice(-SNAPSHOT_DECISIONS)
          .map((d) => ({
            decision: d.decision as DecisionKind,
            at: new Date(d.decidedAt),
            checkpoint: d.checkpoint === "pass" || d.checkpoint === "fail" ? d.checkpoint : "unknown",
          })),
        reviews: [...s.reviews.values()]
          .filter((r) => r.mechanismId === m.id && r.dueAt.getTime() >= o.reviewsSince.getTime())
          .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || bySeq(a, b))
          .map((r) => ({
            dueAt: new Date(r.dueAt),
            status: r.status as ReviewStatus,
            decided: [...s.decisions.values()].some((d) => d.reviewId === r.id),
          })),
        guardrailBreach: this.newestBreach(m),
        guardrails: [...s.guardrails.values()]
          .filter((g) => g.mechanismId === m.id && g.archivedAt === null)
          .sort((a, b) => a.position - b.position)
          .map((g) => ({ name: g.name, stopOwnerId: g.stopOwnerId })),
      })),
    };
  }

  /** As Prisma's: the newest breached reading of an active mechanism's guardrails, or null. */
  private newestBreach(m: {
    id: string;
    status: string;
    ownerId: string | null;
    stopOwnerId: string | null;
  }) {
    if (m.status !== "active") return null;
    const [b] = [...this.store.guardrailReadings.values()]
      .filter((r) => r.breached && this.store.guardrails.get(r.guardrailId)?.mechanismId === m.id)
      .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || b.seq - a.seq);
    const g = b ? this.store.guardrails.get(b.guardrailId) : undefined;
    if (!b || !g) return null;
    return {
      guardrail: g.name,
      reading: breachReadingText({ guardrail: g, value: b.value }),
      at: new Date(b.recordedAt),
      stopOwnerId: g.stopOwnerId ?? m.stopOwnerId ?? m.ownerId,
      decided: (b.decision ?? null) !== null,
    };
  }

  async listRelevant(teamId: string, cycle: number) {
    return this.rows(
      (a) =>
        a.teamId === teamId &&
        (a.lastCycle === cycle ||
          a.status !== "resolved" ||
          (a.snoozeUntil !== null && a.snoozeUntil >= cycle)),
    );
  }

  async claim(teamId: string, cycle: number, f: AlarmFinding, at: Date) {
    if (!this.store.teams.has(teamId)) throw new FakePrismaError("P2003", "Foreign key: Alarm.teamId");
    const clash = [...this.store.alarms.values()].some(
      (a) =>
        a.teamId === teamId && a.kind === f.kind && a.subjectKey === f.subjectKey && a.cycleIndex === cycle,
    );
    if (clash) return null;
    const row: Row<AlarmModel> = {
      id: this.store.newId("alarm_"),
      teamId,
      kind: f.kind,
      subjectKey: f.subjectKey,
      cycleIndex: cycle,
      evidence: f.evidence,
      suggestion: f.suggestion,
      status: "open",
      snoozeUntil: null,
      lastCycle: cycle,
      stateBy: null,
      messageTs: null,
      raisedAt: new Date(at),
      resolvedAt: null,
      seq: this.store.nextSeq(),
    };
    this.store.alarms.set(row.id, row);
    return toAlarm(row);
  }

  async carryOver(id: string, o: { cycle: number; evidence: string }) {
    const row = this.store.alarms.get(id);
    if (!row || row.status === "resolved" || row.lastCycle > o.cycle) return false;
    if (row.lastCycle === o.cycle && row.evidence === o.evidence) return false;
    row.lastCycle = o.cycle;
    row.evidence = o.evidence;
    return true;
  }

  async findById(id: string) {
    const row = this.store.alarms.get(id);
    return row ? toAlarm(row) : null;
  }

  async listUnposted(o: { teamId?: string; limit: number }) {
    const { teamId } = o;
    return (
      await this.rows(
        (a) => (teamId === undefined || a.teamId === teamId) && a.status === "open" && a.messageTs === null,
        "raised",
      )
    ).slice(0, o.limit);
  }

  async markPosted(id: string, ts: string) {
    const row = this.store.alarms.get(id);
    if (!row) throw new FakePrismaError("P2025", `No Alarm ${id} to update`);
    row.messageTs = ts;
  }

  async transition(id: string, from: readonly AlarmStatus[], to: AlarmTransition) {
    const row = this.store.alarms.get(id);
    if (!row || !from.includes(row.status as AlarmStatus)) return false;
    row.status = to.status;
    if (to.snoozeUntil !== undefined) row.snoozeUntil = to.snoozeUntil;
    if (to.resolvedAt !== undefined) row.resolvedAt = new Date(to.resolvedAt);
    if (to.by !== undefined) row.stateBy = to.by;
    return true;
  }

  async listUnresolved(teamId: string) {
    return this.rows((a) => a.teamId === teamId && a.status !== "resolved");
  }

  async subjectLabels(teamId: string, keys: readonly string[]) {
    const wanted = new Set(keys);
    const labels = new Map<string, string>();
    for (const m of this.store.mechanisms.values()) {
      if (m.teamId === teamId && wanted.has(m.id)) labels.set(m.id, m.title);
    }
    labels.set(TEAM_SUBJECT, "Team");
    return labels;
  }

  /** Rows matching `where`, by cycle then raisedAt (or by raisedAt only), as Alarms. */
  private async rows(where: (a: Row<AlarmModel>) => boolean, order: "cycle" | "raised" = "cycle") {
    return [...this.store.alarms.values()]
      .filter(where)
      .sort(
        (a, b) =>
          (order === "cycle" ? a.cycleIndex - b.cycleIndex : 0) ||
          a.raisedAt.getTime() - b.raisedAt.getTime() ||
          a.seq - b.seq,
      )
      .flatMap((r) => toAlarm(r) ?? []);
  }
}

function toAlarm(r: Row<AlarmModel>): Alarm | null {
  const row = strip(copy(r));
  if (!isAlarmKind(row.kind) || !isAlarmStatus(row.status)) return null;
  return { ...row, kind: row.kind, status: row.status };
}
