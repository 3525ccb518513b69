import type {
  ActionItemEventModel,
  ActionItemModel,
  AlarmModel,
  DebriefAnswerModel,
  DebriefNudgeOptOutModel,
  DebriefRoundModel,
  DeviationModel,
  FactorModel,
  FindingModel,
  IncidentModel,
  IncidentTagModel,
  TagModel,
  TimelineEntryModel,
  WhyModel,
  WorkspaceModel,
} from "../../../src/generated/sqlite/models.js";
import type { Decision, GuardrailSpec, Mechanism, SignalKind } from "../../../src/mechanisms/mechanism.js";
import type { Review } from "../../../src/reviews/review.js";
import type { Team } from "../../../src/teams/team.js";
import { cadenceOf } from "../../../src/teams/team.js";
import type { TeamJob } from "../../../src/teams/team-due.js";
import { InMemoryJobRuns } from "./in-memory-job-runs.js";

/**
 * The in-memory stand-in for Ratchet's database: one Map per table, shared by every in-memory
 * repository as the Prisma ones share one database. Rows carry a `seq` (insertion order) so
 * orderings that a database breaks by id stay deterministic here too.
 *
 * Rules every fake keeps, because the database keeps them: unique keys and foreign keys throw
 * FakePrismaError with Prisma's codes; `update` on a missing row throws P2025 (`updateMany`
 * changes nothing); a multi-row write validates first and commits with no `await` in between,
 * so a concurrent caller sees all of it or none of it; rows go in and come out as copies. No
 * fake reads a clock: every instant it stores was passed in, as with the Prisma repositories.
 */

/** What Prisma throws for a unique violation (P2002), a missing row in `update` (P2025) or a bad foreign key (P2003). */
export class FakePrismaError extends Error {
  constructor(
    readonly code: "P2002" | "P2003" | "P2025",
    message: string,
  ) {
    super(message);
    this.name = "PrismaClientKnownRequestError";
  }
}

export type TeamRow = Team & { createdAt: Date; seq: number };
export type SignalRow = {
  id: string;
  mechanismId: string;
  kind: SignalKind;
  name: string;
  baseline: number;
  target: number;
  unit: string;
  position: number;
  archivedAt: Date | null;
};
export type GuardrailRow = GuardrailSpec & {
  id: string;
  mechanismId: string;
  position: number;
  archivedAt: Date | null;
};
export type MechanismRow = Omit<Mechanism, "signals"> & { seq: number };
export type ReviewRow = Review & { createdAt: Date; completedAt: Date | null; seq: number };
export type ReadingRow = {
  id: string;
  signalId: string;
  reviewId: string | null;
  value: number;
  recordedBy: string;
  recordedAt: Date;
  seq: number;
};
export type DecisionRow = Decision & { seq: number };
/** A stored row of a table the fakes type by Prisma's own model (src/generated), plus insertion order. */
export type Row<T> = T & { seq: number };

/** Review as the Prisma repository returns it: the whole row, including createdAt and completedAt. */
export type StoredReview = Omit<ReviewRow, "seq">;
export type StoredReading = Omit<ReadingRow, "seq">;

const KIND_ORDER: Record<string, number> = { proxy: 0, outcome: 1, leading: 2 };
export const same = (a: Date | null, b: Date | null) =>
  a === null || b === null ? a === b : a.getTime() === b.getTime();
export const copy = <T>(value: T): T => structuredClone(value);
export const strip = <T extends { seq: number }>(row: T): Omit<T, "seq"> => {
  const { seq: _seq, ...rest } = copy(row);
  return rest;
};

/** The tables. Public read helpers let tests assert on what was stored, like reading the test database. */
export const teamDueKey = (job: TeamJob, teamId: string): string => `${job}\u0000${teamId}`;

export class InMemoryStore {
  readonly teams = new Map<string, TeamRow>();
  /** The team-wide jobs' due index (Team.*DueAt): teamDueKey(job, teamId) → instant; absent is null. */
  readonly teamDue = new Map<string, Date>();

  /** What a team save does to the due index: the jobs look at the team again next tick. */
  clearDue(teamId: string, jobs: readonly TeamJob[] = ["deviations", "debriefs", "alarms", "rollups"]): void {
    for (const job of jobs) this.teamDue.delete(teamDueKey(job, teamId));
  }
  readonly mechanisms = new Map<string, MechanismRow>();
  readonly signals = new Map<string, SignalRow>();
  readonly guardrails = new Map<string, GuardrailRow>();
  readonly guardrailReadings = new Map<
    string,
    {
      id: string;
      guardrailId: string;
      reviewId: string | null;
      value: number;
      breached: boolean;
      recordedBy: string;
      recordedAt: Date;
      decision?: "stop" | "continue" | null;
      decisionReason?: string | null;
      decidedBy?: string | null;
      decidedAt?: Date | null;
      seq: number;
    }
  >();
  readonly reviews = new Map<string, ReviewRow>();
  readonly readings = new Map<string, ReadingRow>();
  readonly decisions = new Map<string, DecisionRow>();
  readonly jobRuns = new InMemoryJobRuns();
  readonly workspaces = new Map<string, Row<WorkspaceModel>>();
  readonly deviations = new Map<string, Row<DeviationModel>>();
  readonly debriefRounds = new Map<string, Row<DebriefRoundModel>>();
  readonly debriefAnswers = new Map<string, Row<DebriefAnswerModel>>();
  /** keyed `${teamId}:${userId}` */
  readonly debriefNudgeOptOuts = new Map<string, Row<DebriefNudgeOptOutModel>>();
  readonly alarms = new Map<string, Row<AlarmModel>>();
  readonly incidents = new Map<string, Row<IncidentModel>>();
  readonly timelineEntries = new Map<string, Row<TimelineEntryModel>>();
  readonly whys = new Map<string, Row<WhyModel>>();
  readonly factors = new Map<string, Row<FactorModel>>();
  readonly findings = new Map<string, Row<FindingModel>>();
  readonly actionItems = new Map<string, Row<ActionItemModel>>();
  readonly actionItemEvents = new Map<string, Row<ActionItemEventModel>>();
  readonly tags = new Map<string, Row<TagModel>>();
  /** keyed `${incidentId}:${tagId}` */
  readonly incidentTags = new Map<string, Row<IncidentTagModel>>();
  private counter = 0;

  /** Ids are unique across tables and sort in insertion order (cuids roughly do too). */
  newId(prefix: string): string {
    return `${prefix}${String(++this.counter).padStart(6, "0")}`;
  }

  nextSeq(): number {
    return ++this.counter;
  }

  allReviews(): StoredReview[] {
    return [...this.reviews.values()]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.seq - b.seq)
      .map(strip);
  }

  allDecisions(): Decision[] {
    return [...this.decisions.values()].sort((a, b) => a.seq - b.seq).map(strip);
  }

  allReadings(): StoredReading[] {
    return [...this.readings.values()].sort((a, b) => a.seq - b.seq).map(strip);
  }

  mechanismRow(id: string): Mechanism | null {
    const row = this.mechanisms.get(id);
    return row ? this.toMechanism(row) : null;
  }

  /** Like Prisma's `include: { signals }` followed by `toMechanism`: signals in proxy, outcome, leading order. */
  toMechanism(row: MechanismRow): Mechanism {
    const { seq: _seq, ...rest } = copy(row);
    const signals = [...this.signals.values()]
      .filter((s) => s.mechanismId === row.id && s.archivedAt === null)
      .sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.position - b.position)
      .map(({ id, kind, name, baseline, target, unit, position }) => ({
        ...{ id, kind, name, baseline, target, unit, position },
      }));
    const guardrails = [...this.guardrails.values()]
      .filter((g) => g.mechanismId === row.id && g.archivedAt === null)
      .sort((a, b) => a.position - b.position)
      .map(({ id, name, comparison, threshold, unit, stopOwnerId }) => ({
        ...{ id, name, comparison, threshold, unit, stopOwnerId },
      }));
    return { ...rest, cadenceWeeks: cadenceOf(rest.cadenceWeeks), signals, guardrails };
  }
}
