import type { ActionItemRepository } from "../action-items/action-item-repository.js";
import { TEAM_SUBJECT } from "../alarms/alarm.js";
import type { Db } from "../db/client.js";
import { groupBy } from "../db/group-by.js";
import { isDecisionKind, toMechanismStatus } from "../mechanisms/mechanism.js";
import { localDateKey } from "../scheduler/schedule.js";
import type { OutcomeSeries } from "./chart.js";
import type { ChartLine } from "./chart-selection.js";
import {
  openConditions,
  type RollupData,
  type RollupOutcome,
  type RollupTeam,
  subjectFallback,
} from "./rollup.js";

const TITLE_CHUNK = 500;

export interface RollupRepository {
  listTeams(): Promise<RollupTeam[]>;
  findTeam(id: string): Promise<RollupTeam | null>;
  /** Everything the sections need for one team and window (see RollupData). */
  load(team: RollupTeam, window: { from: Date; to: Date }): Promise<RollupData>;
  /** Outcome readings in [from, to] of mechanisms active now or stopped at/after `stoppedSince`. */
  chartSeries(teamId: string, o: ChartRange): Promise<OutcomeSeries[]>;
  /** Whether chartSeries would read any reading at all (whether there is a chart), without reading them. */
  hasChartData(teamId: string, o: ChartRange): Promise<boolean>;
  /**
   * chartSeries' lines without their points: each with its two newest readings in [from, to) (newest
   * first, ties by id), in chartSeries' order (oldest mechanism first; ties by mechanism id, then signal id).
   */
  chartLines(teamId: string, o: ChartRange): Promise<ChartLine[]>;
  /** The readings in [from, to] of the given signals (a handful: the chart's chosen lines), by time, ties by id. */
  chartPoints(
    signalIds: readonly string[],
    o: { from: Date; to: Date },
  ): Promise<Map<string, OutcomeSeries["points"]>>;
  workspaceChannel(slackTeamId: string): Promise<string | null>;
  setWorkspaceChannel(slackTeamId: string, channelId: string | null, at: Date): Promise<void>;
  workspacesWithChannel(): Promise<{ slackTeamId: string; channelId: string }[]>;
}

/** The chart's range: readings in [from, to] of mechanisms active now or stopped at/after `stoppedSince`. */
export type ChartRange = { from: Date; to: Date; stoppedSince: Date };

type Reading = { value: number; recordedAt: Date };
/** A row of lastTwoOutcomeReadings (both drivers give the instants as Dates). */
type LastTwoRow = {
  signalId: string;
  latestValue: number | null;
  latestAt: Date | null;
  previousValue: number | null;
  previousAt: Date | null;
};

/** The columns chartLines reads besides LastTwoRow's. */
type ChartLineColumns = {
  mechanism: string;
  signal: string;
  unit: string;
  baseline: number;
  target: number;
};

const teamSelect = {
  id: true,
  slackTeamId: true,
  name: true,
  channelId: true,
  timezone: true,
  rollupWeekday: true,
  rollupTime: true,
  createdAt: true,
} as const;

export class PrismaRollupRepository implements RollupRepository {
  /** Open action items come from their own repository, the only code that knows that table. */
  constructor(
    private readonly db: Db,
    private readonly actionItems: Pick<ActionItemRepository, "listOpenForTeam">,
  ) {}

  listTeams() {
    return this.db.team.findMany({ select: teamSelect, orderBy: { name: "asc" } });
  }

  findTeam(id: string) {
    return this.db.team.findUnique({ where: { id }, select: teamSelect });
  }

  /**
   * The titles of alarm subjects: from the mechanisms already read, and one more read (in chunks under
   * SQLite's parameter limit) for a mechanism stopped before the window whose alarm is still open.
   */
  private async subjectTitles(
    teamId: string,
    keys: readonly string[],
    known: readonly { id: string; title: string }[],
  ): Promise<Map<string, string>> {
    const titles = new Map(known.map((m) => [m.id, m.title]));
    const missing = [...new Set(keys)].filter((k) => k !== TEAM_SUBJECT && !titles.has(k));
    for (let i = 0; i < missing.length; i += TITLE_CHUNK) {
      const rows = await this.db.mechanism.findMany({
        where: { teamId, id: { in: missing.slice(i, i + TITLE_CHUNK) } },
        select: { id: true, title: true },
      });
      for (const r of rows) titles.set(r.id, r.title);
    }
    return titles;
  }

  async load(team: RollupTeam, window: { from: Date; to: Date }): Promise<RollupData> {
    const inWindow = { gte: window.from, lt: window.to };
    const shown = { teamId: team.id, OR: [{ status: "active" }, { stoppedAt: inWindow }] };
    const [mechanisms, signals, decisions, deviations, alarms, reviews, actionItems] = await Promise.all([
      this.db.mechanism.findMany({ where: shown, orderBy: { createdAt: "asc" } }),
      // Filtered through the relation (a join), not an include: an include sends one bound parameter
      // per mechanism, and SQLite refuses more than 999 (issue 10).
      this.db.signal.findMany({ where: { kind: "outcome", archivedAt: null, mechanism: shown } }),
      this.db.decision.findMany({
        where: { mechanism: { teamId: team.id }, decidedAt: inWindow },
        include: { mechanism: { select: { title: true } } },
        orderBy: { decidedAt: "asc" },
      }),
      this.db.deviation.findMany({
        where: { teamId: team.id, verdict: { in: ["promote", "retire"] }, decidedAt: inWindow },
        orderBy: { decidedAt: "asc" },
      }),
      // Acknowledged is still open (someone saw it); snoozed ones are deliberately quiet.
      this.db.alarm.findMany({
        where: { teamId: team.id, status: { in: ["open", "acknowledged"] } },
        orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
      }),
      this.db.review.findMany({
        where: { mechanism: { teamId: team.id }, status: { in: ["missed", "unanswered"] }, dueAt: inWindow },
        include: { mechanism: { select: { title: true } } },
        orderBy: { dueAt: "asc" },
      }),
      this.actionItems.listOpenForTeam(team.id),
    ]);

    const outcomes = new Map<string, RollupOutcome>();
    const signalsOf = groupBy(signals, (s) => s.mechanismId);
    const lastTwo = await this.lastTwoOutcomeReadings(team.id, window);
    for (const m of mechanisms) {
      const s = signalsOf.get(m.id)?.[0];
      if (!s) continue;
      // The newest reading before the window's end; if it is inside the window, also the one before it.
      const { latest, previous } = lastTwo.get(s.id) ?? { latest: null, previous: null };
      const fresh = latest && latest.recordedAt >= window.from ? latest : null;
      outcomes.set(m.id, {
        name: s.name,
        unit: s.unit,
        baseline: s.baseline,
        target: s.target,
        latest: fresh ? { value: fresh.value, recordedAt: fresh.recordedAt } : null,
        previous: fresh && previous ? { value: previous.value, recordedAt: previous.recordedAt } : null,
      });
    }
    const today = localDateKey(window.to, team.timezone);
    const titles = await this.subjectTitles(
      team.id,
      alarms.map((a) => a.subjectKey),
      mechanisms,
    );

    return {
      team,
      window,
      mechanisms: mechanisms.map((m) => ({
        id: m.id,
        title: m.title,
        status: toMechanismStatus(m.status),
        stoppedAt: m.stoppedAt,
        outcome: outcomes.get(m.id) ?? null,
      })),
      decisions: decisions.flatMap((d) =>
        isDecisionKind(d.decision)
          ? [
              {
                mechanismId: d.mechanismId,
                mechanismTitle: d.mechanism.title,
                decision: d.decision,
                entry: d.entry,
                changeDetail: d.changeDetail,
                decidedAt: d.decidedAt,
              },
            ]
          : [],
      ),
      deviations: deviations.flatMap((x) =>
        (x.verdict === "promote" || x.verdict === "retire") && x.decidedAt
          ? [
              {
                area: x.area,
                deviation: x.deviation,
                outcome: x.outcome,
                verdict: x.verdict,
                decidedAt: x.decidedAt,
              },
            ]
          : [],
      ),
      openAlarms: openConditions(alarms, (key) => titles.get(key) ?? subjectFallback(key)),
      missedReviews: reviews.map((r) => ({
        mechanismTitle: r.mechanism.title,
        dueAt: r.dueAt,
        status: r.status === "missed" ? "missed" : "unanswered",
      })),
      openActionItems: actionItems.map((a) => ({
        text: a.findingText,
        incidentTitle: a.incidentTitle,
        ownerId: a.actionItem.ownerId,
        dueDate: a.actionItem.dueDate,
        // Due dates are owner-local dates; the team's local date is close enough for "overdue".
        overdue: a.actionItem.dueDate < today,
      })),
      loopMetrics: null,
      overdueCoes: [],
    };
  }

  /**
   * The two newest outcome readings before `window.to` of every signal `load` shows, in ONE query
   * (issue 10: one query per mechanism took ~0.6 s for a team of 1,000). Raw SQL because Prisma can't
   * say "the newest two per signal": it ignores a nested `take` in SQL and has no LATERAL join, so it
   * would read each signal's whole history. Driven from the team's signals (a join, no list of ids:
   * SQLite refuses more than 999 parameters), each subquery is a seek on Reading(signalId, recordedAt),
   * so the cost follows the number of mechanisms, not the history. The id breaks ties so the two
   * subqueries never pick the same reading. Identifiers are quoted: PostgreSQL folds unquoted ones.
   */
  private async lastTwoOutcomeReadings(
    teamId: string,
    window: { from: Date; to: Date },
  ): Promise<Map<string, { latest: Reading | null; previous: Reading | null }>> {
    const { from, to } = window;
    const rows = await this.db.$queryRaw<LastTwoRow[]>`
      SELECT x."signalId",
        l."value" AS "latestValue", l."recordedAt" AS "latestAt",
        p."value" AS "previousValue", p."recordedAt" AS "previousAt"
      FROM (
        SELECT s."id" AS "signalId",
          (SELECT r."id" FROM "Reading" r WHERE r."signalId" = s."id" AND r."recordedAt" < ${to}
            ORDER BY r."recordedAt" DESC, r."id" DESC LIMIT 1) AS "latestId",
          (SELECT r."id" FROM "Reading" r WHERE r."signalId" = s."id" AND r."recordedAt" < ${to}
            ORDER BY r."recordedAt" DESC, r."id" DESC LIMIT 1 OFFSET 1) AS "previousId"
        FROM "Signal" s JOIN "Mechanism" m ON m."id" = s."mechanismId"
        WHERE m."teamId" = ${teamId} AND s."kind" = 'outcome' AND s."archivedAt" IS NULL
          AND (m."status" = 'active' OR (m."stoppedAt" >= ${from} AND m."stoppedAt" < ${to}))
      ) x
      LEFT JOIN "Reading" l ON l."id" = x."latestId"
      LEFT JOIN "Reading" p ON p."id" = x."previousId"`;
    const reading = (value: number | null, recordedAt: Date | null): Reading | null =>
      value === null || recordedAt === null ? null : { value, recordedAt };
    return new Map(
      rows.map((r) => [
        r.signalId,
        { latest: reading(r.latestValue, r.latestAt), previous: reading(r.previousValue, r.previousAt) },
      ]),
    );
  }

  async chartSeries(teamId: string, o: ChartRange): Promise<OutcomeSeries[]> {
    // Three flat reads filtered by team (joins), grouped here: nested includes would send one bound
    // parameter per mechanism and per signal, and SQLite refuses more than 999 (issue 10).
    const shown = { teamId, OR: [{ status: "active" }, { stoppedAt: { gte: o.stoppedSince } }] };
    const [mechanisms, signals, readings] = await Promise.all([
      this.db.mechanism.findMany({ where: shown, orderBy: { createdAt: "asc" } }),
      this.db.signal.findMany({ where: { kind: "outcome", archivedAt: null, mechanism: shown } }),
      this.db.reading.findMany({
        where: {
          recordedAt: { gte: o.from, lte: o.to },
          signal: { kind: "outcome", archivedAt: null, mechanism: shown },
        },
        orderBy: { recordedAt: "asc" },
        select: { signalId: true, value: true, recordedAt: true },
      }),
    ]);
    const signalsOf = groupBy(signals, (s) => s.mechanismId);
    const readingsOf = groupBy(readings, (r) => r.signalId);
    return mechanisms.flatMap((m) =>
      (signalsOf.get(m.id) ?? []).map((s) => ({
        mechanism: m.title,
        signal: s.name,
        unit: s.unit,
        baseline: s.baseline,
        target: s.target,
        points: (readingsOf.get(s.id) ?? []).map((r) => ({ at: r.recordedAt, value: r.value })),
      })),
    );
  }

  async hasChartData(teamId: string, o: ChartRange): Promise<boolean> {
    // Through the relations (joins, no id list); stops at the first reading found.
    const shown = { teamId, OR: [{ status: "active" }, { stoppedAt: { gte: o.stoppedSince } }] };
    const one = await this.db.reading.findFirst({
      where: {
        recordedAt: { gte: o.from, lte: o.to },
        signal: { kind: "outcome", archivedAt: null, mechanism: shown },
      },
      select: { id: true },
    });
    return one !== null;
  }

  /**
   * One query, as lastTwoOutcomeReadings (the same seeks on Reading(signalId, recordedAt), no id
   * list), over chartSeries' mechanisms and bounded by the chart's range, so the chart can choose
   * its lines before reading any points.
   */
  async chartLines(teamId: string, o: ChartRange): Promise<ChartLine[]> {
    const { from, to, stoppedSince } = o;
    const rows = await this.db.$queryRaw<(LastTwoRow & ChartLineColumns)[]>`
      SELECT x."signalId", x."mechanism", x."signal", x."unit", x."baseline", x."target",
        l."value" AS "latestValue", l."recordedAt" AS "latestAt",
        p."value" AS "previousValue", p."recordedAt" AS "previousAt"
      FROM (
        SELECT s."id" AS "signalId", m."id" AS "mechanismId", m."createdAt" AS "createdAt",
          m."title" AS "mechanism", s."name" AS "signal", s."unit" AS "unit",
          s."baseline" AS "baseline", s."target" AS "target",
          (SELECT r."id" FROM "Reading" r
            WHERE r."signalId" = s."id" AND r."recordedAt" >= ${from} AND r."recordedAt" < ${to}
            ORDER BY r."recordedAt" DESC, r."id" DESC LIMIT 1) AS "latestId",
          (SELECT r."id" FROM "Reading" r
            WHERE r."signalId" = s."id" AND r."recordedAt" >= ${from} AND r."recordedAt" < ${to}
            ORDER BY r."recordedAt" DESC, r."id" DESC LIMIT 1 OFFSET 1) AS "previousId"
        FROM "Signal" s JOIN "Mechanism" m ON m."id" = s."mechanismId"
        WHERE m."teamId" = ${teamId} AND s."kind" = 'outcome' AND s."archivedAt" IS NULL
          AND (m."status" = 'active' OR m."stoppedAt" >= ${stoppedSince})
      ) x
      LEFT JOIN "Reading" l ON l."id" = x."latestId"
      LEFT JOIN "Reading" p ON p."id" = x."previousId"
      ORDER BY x."createdAt" ASC, x."mechanismId" ASC, x."signalId" ASC`;
    const reading = (value: number | null, at: Date | null) =>
      value === null || at === null ? null : { at, value };
    return rows.map((r) => ({
      signalId: r.signalId,
      mechanism: r.mechanism,
      signal: r.signal,
      unit: r.unit,
      baseline: r.baseline,
      target: r.target,
      latest: reading(r.latestValue, r.latestAt),
      previous: reading(r.previousValue, r.previousAt),
    }));
  }

  async chartPoints(
    signalIds: readonly string[],
    o: { from: Date; to: Date },
  ): Promise<Map<string, OutcomeSeries["points"]>> {
    if (signalIds.length === 0) return new Map();
    const readings = await this.db.reading.findMany({
      where: { signalId: { in: [...signalIds] }, recordedAt: { gte: o.from, lte: o.to } },
      orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
      select: { signalId: true, value: true, recordedAt: true },
    });
    const points = new Map(signalIds.map((id): [string, OutcomeSeries["points"]] => [id, []]));
    for (const r of readings) points.get(r.signalId)?.push({ at: r.recordedAt, value: r.value });
    return points;
  }

  async workspaceChannel(slackTeamId: string) {
    const row = await this.db.workspace.findUnique({ where: { slackTeamId } });
    return row?.rollupChannelId ?? null;
  }

  async setWorkspaceChannel(slackTeamId: string, channelId: string | null, at: Date) {
    await this.db.workspace.upsert({
      where: { slackTeamId },
      create: { slackTeamId, rollupChannelId: channelId, createdAt: at },
      update: { rollupChannelId: channelId },
    });
    // A new channel may be owed this week's combined rollup: the workspace's teams are looked at again.
    await this.db.team.updateMany({ where: { slackTeamId }, data: { rollupsDueAt: null } });
  }

  async workspacesWithChannel() {
    const rows = await this.db.workspace.findMany({ where: { rollupChannelId: { not: null } } });
    return rows.flatMap((r) =>
      r.rollupChannelId ? [{ slackTeamId: r.slackTeamId, channelId: r.rollupChannelId }] : [],
    );
  }
}
