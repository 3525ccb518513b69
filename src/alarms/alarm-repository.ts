import type { Db } from "../db/client.js";
import { groupBy } from "../db/group-by.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import { deviationRef, mechanismRef, typedRef } from "../floor/floor.js";
import { type DecisionKind, type SignalKind, toMechanismStatus } from "../mechanisms/mechanism.js";
import { breachReadingText } from "../reviews/guardrail-breach.js";
import type { ReviewStatus } from "../reviews/review.js";
import { type Alarm, type AlarmStatus, isAlarmStatus, TEAM_SUBJECT } from "./alarm.js";
import type { AlarmFinding, FloorCounts, MechanismSnapshot, TeamSnapshot } from "./types.js";
import { isAlarmKind } from "./types.js";

/** A mechanism as stored, before Slack says whether its people are still around. */
type StoredMechanismSnapshot = Omit<MechanismSnapshot, "ownerDeactivated" | "stopOwnerDeactivated">;

export interface SnapshotData {
  mechanisms: StoredMechanismSnapshot[];
  deviations: TeamSnapshot["deviations"];
  floor?: FloorCounts;
}

/**
 * How many of each signal's newest readings the rules see: a year of weekly reviews, enough for
 * the last move and the noise band around it. With the newest few decisions per mechanism (what the
 * stale-pilot and status-only rules read), this keeps an evaluation's cost flat however long a
 * team's history is.
 * Written into the SQL below as OFFSET 51.
 */
export const SNAPSHOT_READINGS = 52;
/** How many of each mechanism's newest decisions they see: three "continue"s in a row is a smell. Written as OFFSET 2. */
export const SNAPSHOT_DECISIONS = 3;

export interface AlarmRepository {
  /**
   * Everything the rules read for one team. Reviews are limited to those due at or after
   * `reviewsSince`; deviations to cycles ≥ `fromCycle` plus the team's first one ever (the
   * no-deviations rule dates the team's first activity from it); readings to each signal's newest
   * SNAPSHOT_READINGS (oldest first); decisions to each mechanism's newest SNAPSHOT_DECISIONS.
   */
  snapshotData(teamId: string, o: { reviewsSince: Date; fromCycle: number }): Promise<SnapshotData>;
  /**
   * The rows an evaluation needs: those seen holding in `cycle` (raised in it or carried into it,
   * resolved since or not), every unresolved one, and any whose snooze still covers `cycle`.
   */
  listRelevant(teamId: string, cycle: number): Promise<Alarm[]>;
  /** Inserts the (team, kind, subject, cycle) row, seen holding in `cycle`; null when it already exists. */
  claim(teamId: string, cycle: number, f: AlarmFinding, at: Date): Promise<Alarm | null>;
  /**
   * An unresolved condition found still holding in `cycle`: moves its `lastCycle` on and takes the
   * latest evidence. Compare-and-set: true only for the caller that changed something (a second
   * evaluation of the same cycle with the same evidence changes nothing, so it redraws nothing).
   */
  carryOver(id: string, o: { cycle: number; evidence: string }): Promise<boolean>;
  findById(id: string): Promise<Alarm | null>;
  /** Claimed, still open and never posted: the team's, or every team's; oldest first, up to `limit`. */
  listUnposted(o: { teamId?: string; limit: number }): Promise<Alarm[]>;
  markPosted(id: string, ts: string): Promise<void>;
  /** Conditional status change; true only for the caller that changed it. */
  transition(id: string, from: readonly AlarmStatus[], to: AlarmTransition): Promise<boolean>;
  /** Unresolved rows (open, acknowledged, snoozed), oldest cycle first. */
  listUnresolved(teamId: string): Promise<Alarm[]>;
  /** "Team" or the mechanism's title, for each subject key asked about. */
  subjectLabels(teamId: string, keys: readonly string[]): Promise<Map<string, string>>;
}

/** A status change; `by` is who acknowledged or snoozed it. */
export interface AlarmTransition {
  status: AlarmStatus;
  snoozeUntil?: number;
  resolvedAt?: Date;
  by?: string;
}

type Row = Awaited<ReturnType<Db["alarm"]["findUniqueOrThrow"]>>;

function toAlarm(r: Row): Alarm | null {
  if (!isAlarmKind(r.kind) || !isAlarmStatus(r.status)) return null;
  return { ...r, kind: r.kind, status: r.status };
}
const toAlarms = (rows: Row[]): Alarm[] => rows.flatMap((r) => toAlarm(r) ?? []);

export class PrismaAlarmRepository implements AlarmRepository {
  constructor(private readonly db: Db) {}

  /**
   * The Floor as the barbell rule reads it: standing entries (typed defaults, promoted deviations,
   * graduated mechanisms, less the retired) and the standing guardrails. Ids only: no text is read.
   */
  private async floorCounts(teamId: string, graduatedIds: readonly string[]): Promise<FloorCounts> {
    const [typed, promoted, retired] = await Promise.all([
      this.db.floorDefault.findMany({ where: { teamId }, select: { id: true, kind: true } }),
      this.db.deviation.findMany({ where: { teamId, verdict: "promote" }, select: { id: true } }),
      this.db.floorRetirement.findMany({ where: { teamId }, select: { ref: true } }),
    ]);
    const gone = new Set(retired.map((r) => r.ref));
    const standingTyped = typed.filter((t) => !gone.has(typedRef(t.id)));
    const standing =
      standingTyped.length +
      promoted.filter((d) => !gone.has(deviationRef(d.id))).length +
      graduatedIds.filter((id) => !gone.has(mechanismRef(id))).length;
    return { standing, guardrails: standingTyped.filter((t) => t.kind === "guardrail").length };
  }

  async snapshotData(teamId: string, o: { reviewsSince: Date; fromCycle: number }): Promise<SnapshotData> {
    // Flat reads filtered by team (a join), grouped here: a nested include would send one bound
    // parameter per mechanism, and SQLite refuses more than 999 (issue 10).
    const ofTeam = { mechanism: { teamId } };
    const [rows, signals, readings, decisions, reviews, decidedReviews, recent, first, guardrails, breaches] =
      await Promise.all([
        this.db.mechanism.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } }),
        // Archived signals (removed by an edit) are history, not signals the rules should expect readings of.
        this.db.signal.findMany({ where: { ...ofTeam, archivedAt: null } }),
        this.newestReadings(teamId),
        this.newestDecisions(teamId),
        this.db.review.findMany({
          where: { ...ofTeam, dueAt: { gte: o.reviewsSince } },
          orderBy: { dueAt: "asc" },
          select: { id: true, mechanismId: true, dueAt: true, status: true },
        }),
        this.db.decision.findMany({
          where: { review: { ...ofTeam, dueAt: { gte: o.reviewsSince } } },
          select: { reviewId: true },
          distinct: ["reviewId"],
        }),
        this.db.deviation.findMany({
          where: { teamId, cycleIndex: { gte: o.fromCycle } },
          select: { id: true, cycleIndex: true, createdAt: true },
        }),
        this.db.deviation.findFirst({
          where: { teamId },
          orderBy: { createdAt: "asc" },
          select: { id: true, cycleIndex: true, createdAt: true },
        }),
        // Each current guardrail's own stop owner: "nobody can say stop" is judged per guardrail.
        this.db.guardrail.findMany({
          where: { ...ofTeam, archivedAt: null },
          orderBy: { position: "asc" },
          select: { mechanismId: true, name: true, stopOwnerId: true },
        }),
        // Breached guardrail readings of active mechanisms, newest first (a breach is rare: a review's).
        this.db.guardrailReading.findMany({
          where: { breached: true, guardrail: { mechanism: { teamId, status: "active" } } },
          orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
          select: {
            value: true,
            recordedAt: true,
            decision: true,
            guardrail: {
              select: {
                mechanismId: true,
                name: true,
                comparison: true,
                threshold: true,
                unit: true,
                stopOwnerId: true,
              },
            },
          },
        }),
      ]);
    const deviations = first && !recent.some((d) => d.id === first.id) ? [first, ...recent] : recent;
    const readingsOf = groupBy(readings, (r) => r.signalId);
    const signalsOf = groupBy(signals, (s) => s.mechanismId);
    const decisionsOf = groupBy(decisions, (d) => d.mechanismId);
    const reviewsOf = groupBy(reviews, (r) => r.mechanismId);
    const decided = new Set(decidedReviews.map((d) => d.reviewId));
    const newestBreach = new Map<string, (typeof breaches)[number]>();
    const guardrailsOf = groupBy(guardrails, (g) => g.mechanismId);
    for (const b of breaches)
      if (!newestBreach.has(b.guardrail.mechanismId)) newestBreach.set(b.guardrail.mechanismId, b);
    const floor = await this.floorCounts(
      teamId,
      rows.filter((m) => m.status === "graduated").map((m) => m.id),
    );
    return {
      deviations,
      // Absent when nothing stands on the Floor: the same to the rules, and what a team without one reads.
      ...(floor.standing > 0 ? { floor } : {}),
      mechanisms: rows.map((m) => ({
        id: m.id,
        title: m.title,
        status: toMechanismStatus(m.status),
        createdAt: m.createdAt,
        stoppedAt: m.stoppedAt,
        statement: m.statement,
        ownerId: m.ownerId,
        stopOwnerId: m.stopOwnerId,
        checkpointRule: m.checkpointRule,
        rollbackPath: m.rollbackPath,
        opsPath: m.opsPath,
        signals: (signalsOf.get(m.id) ?? []).map((s) => ({
          kind: s.kind as SignalKind,
          name: s.name,
          baseline: s.baseline,
          target: s.target,
          readings: (readingsOf.get(s.id) ?? []).map((r) => ({ value: r.value, at: r.recordedAt })),
        })),
        decisions: (decisionsOf.get(m.id) ?? []).map((d) => ({
          decision: d.decision as DecisionKind,
          at: d.decidedAt,
          checkpoint: d.checkpoint === "pass" || d.checkpoint === "fail" ? d.checkpoint : "unknown",
        })),
        reviews: (reviewsOf.get(m.id) ?? []).map((r) => ({
          dueAt: r.dueAt,
          status: r.status as ReviewStatus,
          decided: decided.has(r.id),
        })),
        guardrailBreach: breachSnapshot(newestBreach.get(m.id), m),
        guardrails: (guardrailsOf.get(m.id) ?? []).map((g) => ({ name: g.name, stopOwnerId: g.stopOwnerId })),
      })),
    };
  }

  /**
   * Each signal's newest SNAPSHOT_READINGS readings, oldest first. Raw SQL: Prisma cannot say "the
   * newest N per signal" (a nested take is applied in memory). Per signal, the Nth-newest instant is
   * one seek on Reading(signalId, recordedAt) and the readings from it on are a range on the same
   * index, so the cost follows the number of signals, not the length of their history.
   */
  private newestReadings(teamId: string) {
    return this.db.$queryRaw<{ signalId: string; value: number; recordedAt: Date }[]>`
      SELECT r."signalId", r."value", r."recordedAt"
      FROM (
        SELECT s."id" AS "signalId",
          (SELECT r2."recordedAt" FROM "Reading" r2 WHERE r2."signalId" = s."id"
            ORDER BY r2."recordedAt" DESC LIMIT 1 OFFSET 51) AS "cutoff"
        FROM "Signal" s JOIN "Mechanism" m ON m."id" = s."mechanismId"
        WHERE m."teamId" = ${teamId} AND s."archivedAt" IS NULL
      ) c
      JOIN "Reading" r ON r."signalId" = c."signalId"
      WHERE c."cutoff" IS NULL OR r."recordedAt" >= c."cutoff"
      ORDER BY r."recordedAt" ASC, r."id" ASC`;
  }

  /**
   * Each mechanism's newest SNAPSHOT_DECISIONS decisions, oldest first, as newestReadings does it: the
   * Nth-newest instant is one seek on Decision(mechanismId, decidedAt), the rest a range after it.
   */
  private newestDecisions(teamId: string) {
    return this.db.$queryRaw<
      { mechanismId: string; decision: string; decidedAt: Date; checkpoint: string }[]
    >`
      SELECT d."mechanismId", d."decision", d."decidedAt", d."checkpoint"
      FROM (
        SELECT m."id" AS "mechanismId",
          (SELECT d2."decidedAt" FROM "Decision" d2 WHERE d2."mechanismId" = m."id"
            ORDER BY d2."decidedAt" DESC LIMIT 1 OFFSET 2) AS "cutoff"
        FROM "Mechanism" m
        WHERE m."teamId" = ${teamId}
      ) c
      JOIN "Decision" d ON d."mechanismId" = c."mechanismId"
      WHERE c."cutoff" IS NULL OR d."decidedAt" >= c."cutoff"
      ORDER BY d."decidedAt" ASC, d."id" ASC`;
  }

  async listRelevant(teamId: string, cycle: number) {
    const rows = await this.db.alarm.findMany({
      where: {
        teamId,
        OR: [{ lastCycle: cycle }, { status: { not: "resolved" } }, { snoozeUntil: { gte: cycle } }],
      },
      orderBy: [{ cycleIndex: "asc" }, { raisedAt: "asc" }],
    });
    return toAlarms(rows);
  }

  async claim(teamId: string, cycle: number, f: AlarmFinding, at: Date) {
    try {
      const row = await this.db.alarm.create({
        data: {
          teamId,
          kind: f.kind,
          subjectKey: f.subjectKey,
          cycleIndex: cycle,
          lastCycle: cycle,
          evidence: f.evidence,
          suggestion: f.suggestion,
          status: "open",
          raisedAt: at,
        },
      });
      return toAlarm(row);
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  async carryOver(id: string, o: { cycle: number; evidence: string }) {
    const r = await this.db.alarm.updateMany({
      where: {
        id,
        status: { not: "resolved" },
        lastCycle: { lte: o.cycle },
        OR: [{ lastCycle: { lt: o.cycle } }, { evidence: { not: o.evidence } }],
      },
      data: { lastCycle: o.cycle, evidence: o.evidence },
    });
    return r.count === 1;
  }

  async findById(id: string) {
    const row = await this.db.alarm.findUnique({ where: { id } });
    return row ? toAlarm(row) : null;
  }

  async listUnposted(o: { teamId?: string; limit: number }) {
    const rows = await this.db.alarm.findMany({
      where: { ...(o.teamId ? { teamId: o.teamId } : {}), status: "open", messageTs: null },
      // Alarms raised in one evaluation share raisedAt; the id (a cuid, which sorts by creation
      // within a process) keeps them in claim order, the rules' order. PostgreSQL returns bare ties
      // by kind name.
      orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
      take: o.limit,
    });
    return toAlarms(rows);
  }

  async markPosted(id: string, ts: string) {
    await this.db.alarm.update({ where: { id }, data: { messageTs: ts } });
  }

  async transition(id: string, from: readonly AlarmStatus[], to: AlarmTransition) {
    const r = await this.db.alarm.updateMany({
      where: { id, status: { in: [...from] } },
      data: {
        status: to.status,
        ...(to.snoozeUntil !== undefined ? { snoozeUntil: to.snoozeUntil } : {}),
        ...(to.resolvedAt !== undefined ? { resolvedAt: to.resolvedAt } : {}),
        ...(to.by !== undefined ? { stateBy: to.by } : {}),
      },
    });
    return r.count === 1;
  }

  async listUnresolved(teamId: string) {
    const rows = await this.db.alarm.findMany({
      where: { teamId, status: { not: "resolved" } },
      orderBy: [{ cycleIndex: "asc" }, { raisedAt: "asc" }],
    });
    return toAlarms(rows);
  }

  async subjectLabels(teamId: string, keys: readonly string[]) {
    const ids = [...new Set(keys)].filter((k) => k !== TEAM_SUBJECT);
    const rows = ids.length
      ? await this.db.mechanism.findMany({
          where: { teamId, id: { in: ids } },
          select: { id: true, title: true },
        })
      : [];
    const labels = new Map<string, string>(rows.map((r) => [r.id, r.title]));
    labels.set(TEAM_SUBJECT, "Team");
    return labels;
  }
}

/** A mechanism's newest breached guardrail reading as the rules see it; null when none. */
function breachSnapshot(
  b:
    | {
        value: number;
        recordedAt: Date;
        decision: string | null;
        guardrail: {
          name: string;
          comparison: string;
          threshold: number | null;
          unit: string;
          stopOwnerId: string | null;
        };
      }
    | undefined,
  m: { ownerId: string | null; stopOwnerId: string | null },
): MechanismSnapshot["guardrailBreach"] {
  if (!b) return null;
  return {
    guardrail: b.guardrail.name,
    reading: breachReadingText({ guardrail: b.guardrail, value: b.value }),
    at: b.recordedAt,
    stopOwnerId: b.guardrail.stopOwnerId ?? m.stopOwnerId ?? m.ownerId,
    decided: b.decision !== null,
  };
}
