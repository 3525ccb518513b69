import type { WorkspaceModel } from "../../../src/generated/sqlite/models.js";
import { isDecisionKind, toMechanismStatus } from "../../../src/mechanisms/mechanism.js";
import type { OutcomeSeries } from "../../../src/rollups/chart.js";
import type { ChartLine } from "../../../src/rollups/chart-selection.js";
import {
  openConditions,
  type RollupData,
  type RollupOutcome,
  type RollupTeam,
  subjectFallback,
} from "../../../src/rollups/rollup.js";
import type { ChartRange, RollupRepository } from "../../../src/rollups/rollup-repository.js";
import { localDateKey } from "../../../src/scheduler/schedule.js";
import { copy, type InMemoryStore, type MechanismRow, type Row, type TeamRow } from "./store.js";

/**
 * PrismaRollupRepository in memory, over the shared store; held to the same contract
 * (test/support/fakes/rollups-contract.ts). Ties in an ordering fall back to insertion order,
 * which the database does not promise: the contract never relies on it.
 */
export class InMemoryRollupRepository implements RollupRepository {
  constructor(readonly store: InMemoryStore) {}

  async listTeams(): Promise<RollupTeam[]> {
    return [...this.store.teams.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq))
      .map(toRollupTeam);
  }

  async findTeam(id: string): Promise<RollupTeam | null> {
    const row = this.store.teams.get(id);
    return row ? toRollupTeam(row) : null;
  }

  async load(team: RollupTeam, window: { from: Date; to: Date }): Promise<RollupData> {
    const s = this.store;
    const inWindow = (d: Date | null): d is Date =>
      d !== null && d.getTime() >= window.from.getTime() && d.getTime() < window.to.getTime();
    const teamMechanism = (mechanismId: string) => {
      const m = s.mechanisms.get(mechanismId);
      return m?.teamId === team.id ? m : undefined;
    };

    const mechanisms = [...s.mechanisms.values()]
      .filter((m) => m.teamId === team.id && (m.status === "active" || inWindow(m.stoppedAt)))
      .sort(byCreatedAt);

    const decisions = [...s.decisions.values()]
      .filter((d) => teamMechanism(d.mechanismId) !== undefined && inWindow(d.decidedAt))
      .sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime() || a.seq - b.seq);

    const deviations = [...s.deviations.values()]
      .filter(
        (d) =>
          d.teamId === team.id &&
          (d.verdict === "promote" || d.verdict === "retire") &&
          inWindow(d.decidedAt),
      )
      .sort((a, b) => (a.decidedAt?.getTime() ?? 0) - (b.decidedAt?.getTime() ?? 0) || a.seq - b.seq);

    const alarms = [...s.alarms.values()]
      .filter((a) => a.teamId === team.id && (a.status === "open" || a.status === "acknowledged"))
      .sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || a.seq - b.seq);

    const reviews = [...s.reviews.values()]
      .filter(
        (r) =>
          teamMechanism(r.mechanismId) !== undefined &&
          (r.status === "missed" || r.status === "unanswered") &&
          inWindow(r.dueAt),
      )
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.seq - b.seq);

    const actionItems = [...s.actionItems.values()]
      .flatMap((a) => {
        const finding = s.findings.get(a.findingId);
        const incident = finding && s.incidents.get(finding.incidentId);
        return a.status === "open" && finding && incident?.teamId === team.id
          ? [{ a, finding, incident }]
          : [];
      })
      .sort((x, y) => (x.a.dueDate < y.a.dueDate ? -1 : x.a.dueDate > y.a.dueDate ? 1 : x.a.seq - y.a.seq));

    const today = localDateKey(window.to, team.timezone);

    // As Prisma's result, `team` and `window` are the caller's own objects; everything else is a copy.
    return {
      team,
      window,
      mechanisms: mechanisms.map((m) => ({
        id: m.id,
        title: m.title,
        status: toMechanismStatus(m.status),
        stoppedAt: m.stoppedAt ? new Date(m.stoppedAt) : null,
        outcome: this.outcome(m, window),
      })),
      decisions: decisions.flatMap((d) =>
        isDecisionKind(d.decision)
          ? [
              {
                mechanismId: d.mechanismId,
                mechanismTitle: teamMechanism(d.mechanismId)?.title ?? "",
                decision: d.decision,
                entry: d.entry,
                changeDetail: d.changeDetail,
                decidedAt: new Date(d.decidedAt),
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
                decidedAt: new Date(x.decidedAt),
              },
            ]
          : [],
      ),
      openAlarms: openConditions(
        alarms.map((a) => ({ ...a, raisedAt: new Date(a.raisedAt) })),
        (key) => teamMechanism(key)?.title ?? subjectFallback(key),
      ),
      missedReviews: reviews.map((r) => ({
        mechanismTitle: teamMechanism(r.mechanismId)?.title ?? "",
        dueAt: new Date(r.dueAt),
        status: r.status === "missed" ? "missed" : "unanswered",
      })),
      openActionItems: actionItems.map(({ a, finding, incident }) => ({
        text: finding.text,
        incidentTitle: incident.title,
        ownerId: a.ownerId,
        dueDate: a.dueDate,
        // Due dates are owner-local dates; the team's local date is close enough for "overdue".
        overdue: a.dueDate < today,
      })),
      loopMetrics: null,
      overdueCoes: [],
    };
  }

  /**
   * The mechanism's outcome signal with the newest reading before the window's end if it is inside
   * the window, and the reading just before that one.
   */
  private outcome(m: MechanismRow, window: { from: Date; to: Date }): RollupOutcome | null {
    const signal = [...this.store.signals.values()].find(
      (x) => x.mechanismId === m.id && x.kind === "outcome" && x.archivedAt === null,
    );
    if (!signal) return null;
    const [latest, previous] = [...this.store.readings.values()]
      .filter((r) => r.signalId === signal.id && r.recordedAt.getTime() < window.to.getTime())
      .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || b.seq - a.seq);
    const fresh = latest && latest.recordedAt.getTime() >= window.from.getTime() ? latest : null;
    return {
      name: signal.name,
      unit: signal.unit,
      baseline: signal.baseline,
      target: signal.target,
      latest: fresh ? { value: fresh.value, recordedAt: new Date(fresh.recordedAt) } : null,
      previous:
        fresh && previous ? { value: previous.value, recordedAt: new Date(previous.recordedAt) } : null,
    };
  }

  async chartSeries(teamId: string, o: ChartRange): Promise<OutcomeSeries[]> {
    return this.chartSignals(teamId, o).map(({ m, x }) => ({
      mechanism: m.title,
      signal: x.name,
      unit: x.unit,
      baseline: x.baseline,
      target: x.target,
      points: this.readingsOf(x.id, o, "to inclusive").map((r) => ({
        at: new Date(r.recordedAt),
        value: r.value,
      })),
    }));
  }

  async hasChartData(teamId: string, o: ChartRange): Promise<boolean> {
    return this.chartSignals(teamId, o).some(({ x }) => this.readingsOf(x.id, o, "to inclusive").length > 0);
  }

  async chartLines(teamId: string, o: ChartRange): Promise<ChartLine[]> {
    const reading = (r: { recordedAt: Date; value: number } | undefined) =>
      r ? { at: new Date(r.recordedAt), value: r.value } : null;
    return this.chartSignals(teamId, o).map(({ m, x }) => {
      const [latest, previous] = this.readingsOf(x.id, o, "to exclusive").reverse();
      return {
        signalId: x.id,
        mechanism: m.title,
        signal: x.name,
        unit: x.unit,
        baseline: x.baseline,
        target: x.target,
        latest: reading(latest),
        previous: reading(previous),
      };
    });
  }

  async chartPoints(
    signalIds: readonly string[],
    o: { from: Date; to: Date },
  ): Promise<Map<string, OutcomeSeries["points"]>> {
    return new Map(
      signalIds.map((id) => [
        id,
        this.readingsOf(id, o, "to inclusive").map((r) => ({ at: new Date(r.recordedAt), value: r.value })),
      ]),
    );
  }

  /** The outcome signals of the team's mechanisms active or stopped since `stoppedSince`, oldest mechanism first. */
  private chartSignals(teamId: string, o: ChartRange) {
    const s = this.store;
    return [...s.mechanisms.values()]
      .filter(
        (m) =>
          m.teamId === teamId &&
          (m.status === "active" ||
            (m.stoppedAt !== null && m.stoppedAt.getTime() >= o.stoppedSince.getTime())),
      )
      .sort(byCreatedAt)
      .flatMap((m) =>
        [...s.signals.values()]
          .filter((x) => x.mechanismId === m.id && x.kind === "outcome" && x.archivedAt === null)
          .map((x) => ({ m, x })),
      );
  }

  /** A signal's readings from `from` to `to`, oldest first (ties in insertion order, as ids by the database). */
  private readingsOf(signalId: string, o: { from: Date; to: Date }, end: "to inclusive" | "to exclusive") {
    return [...this.store.readings.values()]
      .filter(
        (r) =>
          r.signalId === signalId &&
          r.recordedAt.getTime() >= o.from.getTime() &&
          (end === "to inclusive"
            ? r.recordedAt.getTime() <= o.to.getTime()
            : r.recordedAt.getTime() < o.to.getTime()),
      )
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || a.seq - b.seq);
  }

  async workspaceChannel(slackTeamId: string): Promise<string | null> {
    return this.store.workspaces.get(slackTeamId)?.rollupChannelId ?? null;
  }

  async setWorkspaceChannel(slackTeamId: string, channelId: string | null, at: Date): Promise<void> {
    // A new channel may be owed this week's combined rollup: the workspace's teams are looked at again.
    for (const t of this.store.teams.values()) {
      if (t.slackTeamId === slackTeamId) this.store.clearDue(t.id, ["rollups"]);
    }
    // As the upsert: created with the caller's instant; an update changes the channel only.
    const existing = this.store.workspaces.get(slackTeamId);
    if (existing) {
      existing.rollupChannelId = channelId;
      return;
    }
    const row: Row<WorkspaceModel> = {
      slackTeamId,
      rollupChannelId: channelId,
      createdAt: new Date(at),
      seq: this.store.nextSeq(),
    };
    this.store.workspaces.set(slackTeamId, row);
  }

  async workspacesWithChannel(): Promise<{ slackTeamId: string; channelId: string }[]> {
    return [...this.store.workspaces.values()].flatMap((w) =>
      w.rollupChannelId ? [{ slackTeamId: w.slackTeamId, channelId: w.rollupChannelId }] : [],
    );
  }
}

const byCreatedAt = (a: MechanismRow, b: MechanismRow) =>
  a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq;

/** The columns PrismaRollupRepository selects from Team. */
const toRollupTeam = (t: TeamRow): RollupTeam =>
  copy({
    id: t.id,
    slackTeamId: t.slackTeamId,
    name: t.name,
    channelId: t.channelId,
    timezone: t.timezone,
    rollupWeekday: t.rollupWeekday,
    rollupTime: t.rollupTime,
    createdAt: t.createdAt,
  });
