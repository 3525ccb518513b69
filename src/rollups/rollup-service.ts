import type { Logger } from "pino";
import type { OverdueCoe } from "../incidents/coe-depth.js";
import type { LoopMetrics } from "../incidents/metrics.js";
import type { Notices } from "../notices.js";
import { isoWeekKey } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import type { DeliveryHandler, Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { sweepDueTeams, type TeamDueIndex } from "../teams/team-due.js";
import { hiddenMechanismsNote, selectChartLines } from "./chart-selection.js";
import {
  CHART_WEEKS,
  dueRollup,
  nextRollupLook,
  type RollupData,
  type RollupPreview,
  type RollupTeam,
  slotInUtcWeek,
} from "./rollup.js";
import type { ChartRange, RollupRepository } from "./rollup-repository.js";

const WEEK_MS = 7 * 86_400_000;

/**
 * Weekly rollups: one message per team and local ISO week with the outcome chart in its thread,
 * plus an optional workspace-wide message combining every team's headline.
 *
 * Exactly once: each is a delivery (the outbox posts it once, and looks for it before any second
 * attempt): a team's rollup is "rollup:<team>:<local ISO week>", the workspace's
 * "rollup-ws:<workspace>:<UTC ISO week>", and the chart "rollup-chart:<team>:<week>", queued in the
 * rollup's thread once the rollup has landed. An upload with no clear answer is not repeated (a file
 * carries no marker to look it up by).
 * - catch-up: a rollup missed while Ratchet was down posts on the first tick of the same local ISO
 *   week; older weeks are skipped.
 */
export class RollupService {
  constructor(
    private readonly deps: {
      rollups: RollupRepository;
      /** the team repository's due index: which teams' rollup slots have come */
      due: TeamDueIndex;
      clock: Clock;
      outbox: Outbox;
      log: Logger;
      /** the team's COE loop metrics for the rollup's headline, supplied by the incidents feature */
      loopMetrics?: (teamId: string, now: Date) => Promise<LoopMetrics | null>;
      overdueCoes?: (teamId: string, now: Date) => Promise<OverdueCoe[]>;
    },
  ) {}

  /**
   * The scheduler job: queues the rollup of each team whose slot has come (read from the due
   * index), then the combined rollup of those teams' workspaces once every team in one has its own.
   */
  async sweep(now: Date): Promise<{ teams: number; workspaces: number }> {
    let queued = 0;
    const { visited } = await sweepDueTeams({
      index: this.deps.due,
      job: "rollups",
      now,
      log: this.deps.log,
      visit: async (team) => {
        if (await this.queueTeamRollup(team, now)) queued++;
        return nextRollupLook(team, now);
      },
    });
    const workspaces = new Set(visited.map((t) => t.slackTeamId));
    return {
      teams: queued,
      workspaces: workspaces.size > 0 ? await this.sweepWorkspaces(now, workspaces) : 0,
    };
  }

  private async queueTeamRollup(team: RollupTeam, now: Date): Promise<boolean> {
    // A team set up after this week's slot gets this week's rollup at once: the same catch-up rule.
    const occ = dueRollup(team, now);
    if (!occ) return false;
    const key = teamRollupKey(team.id, occ.week);
    if ((await this.deps.outbox.statuses([key])).has(key)) return false;
    return this.deps.outbox.enqueue({
      key,
      kind: "rollup",
      ref: { teamId: team.id, week: occ.week, ...windowRef(occ.window) },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      // Catch-up: a rollup is posted within its own week; once the next one is due it is moot.
      expiresAt: new Date(occ.window.to.getTime() + WEEK_MS),
      at: now,
    });
  }

  /** A team's rollup, loaded when it is sent; its chart follows in the thread (see `delivered`). */
  readonly rollupHandler: DeliveryHandler<"rollup", Notices["rollup"]> = {
    resolve: async (ref) => {
      const team = await this.deps.rollups.findTeam(ref.teamId);
      if (!team) return null;
      const window = windowOf(ref);
      const [data, hasChart] = await Promise.all([this.load(team, window), this.hasChart(team, window)]);
      return { data, hasChart };
    },
    delivered: async (ref, where, now) => {
      const team = await this.deps.rollups.findTeam(ref.teamId);
      if (!team || !(await this.hasChart(team, windowOf(ref)))) return;
      await this.deps.outbox.enqueue({
        key: `rollup-chart:${ref.teamId}:${ref.week}`,
        kind: "rollup_chart",
        ref,
        target: where.channel,
        teamId: ref.teamId,
        threadTs: where.ts,
        notBefore: now,
        expiresAt: new Date(windowOf(ref).to.getTime() + WEEK_MS),
        at: now,
      });
    },
  };

  /**
   * The outcome chart under a posted rollup (the last CHART_WEEKS weeks, progress to target): at most
   * CHART_MAX_MECHANISMS lines, those that moved most this week, and a note saying how many are not.
   */
  readonly chartHandler: DeliveryHandler<"rollup_chart", Notices["rollup_chart"]> = {
    resolve: async (ref) => {
      const team = await this.deps.rollups.findTeam(ref.teamId);
      if (!team) return null;
      const window = windowOf(ref);
      const range = chartRange(window);
      // The lines are chosen from each one's two newest readings, then only theirs are read
      // (a team of 1,000 would otherwise read some 42,000 points to draw 8 lines).
      const all = await this.deps.rollups.chartLines(team.id, range);
      // A line's newest reading in [from, to) says there is a chart; one at exactly `to` also does.
      if (!all.some((l) => l.latest) && !(await this.deps.rollups.hasChartData(team.id, range))) return null;
      const { lines, hidden } = selectChartLines(all, window);
      const points = await this.deps.rollups.chartPoints(
        lines.map((l) => l.signalId),
        range,
      );
      const series = lines.map(({ signalId, latest: _l, previous: _p, ...line }) => ({
        ...line,
        points: points.get(signalId) ?? [],
      }));
      const note = hiddenMechanismsNote(hidden, series.length);
      return {
        input: {
          title: `${team.name} — outcomes, last ${CHART_WEEKS} weeks`,
          series,
          from: new Date(window.to.getTime() - CHART_WEEKS * WEEK_MS),
          to: window.to,
          timezone: team.timezone,
          ...(note ? { note } : {}),
        },
        filename: `rollup-${ref.week}.png`,
        title: `${team.name} — outcome chart`,
      };
    },
  };

  /** Whether the chart would have at least one reading; none means no chart. */
  private hasChart(team: RollupTeam, window: { from: Date; to: Date }): Promise<boolean> {
    return this.deps.rollups.hasChartData(team.id, chartRange(window));
  }

  /**
   * The combined rollup, once per workspace and UTC ISO week, queued on the first tick after every
   * team's rollup slot of that week has passed and its rollup was queued, so it carries every headline.
   * Looked at only for the workspaces of `slackTeamIds`, the teams the due index just visited: the
   * last team's own rollup is what makes a workspace's ready.
   */
  private async sweepWorkspaces(now: Date, slackTeamIds: ReadonlySet<string>): Promise<number> {
    const week = isoWeekKey(now, "UTC");
    let queued = 0;
    const teams = await this.deps.rollups.listTeams();
    for (const ws of await this.deps.rollups.workspacesWithChannel()) {
      if (!slackTeamIds.has(ws.slackTeamId)) continue;
      const key = `rollup-ws:${ws.slackTeamId}:${week}`;
      const entries = teams
        .filter((t) => t.slackTeamId === ws.slackTeamId)
        .flatMap((team) => {
          const occ = slotInUtcWeek(team, now);
          // A team set up after its slot this week has no rollup to wait for (dueRollup skips it).
          if (!occ || (team.createdAt && occ.at < team.createdAt)) return [];
          return [{ team, occ, key: teamRollupKey(team.id, isoWeekKey(occ.at, team.timezone)) }];
        });
      if (entries.length === 0 || entries.some((e) => e.occ.at > now)) continue;
      const have = await this.deps.outbox.statuses([key, ...entries.map((e) => e.key)]);
      if (have.has(key) || entries.some((e) => !have.has(e.key))) continue;
      const fresh = await this.deps.outbox.enqueue({
        key,
        kind: "workspace_rollup",
        ref: { slackTeamId: ws.slackTeamId, week },
        target: ws.channelId,
        notBefore: now,
        expiresAt: new Date(now.getTime() + WEEK_MS),
        at: now,
      });
      if (fresh) queued++;
    }
    return queued;
  }

  /** Every team's headline data for the week, loaded when the combined rollup is sent. */
  readonly workspaceHandler: DeliveryHandler<"workspace_rollup", Notices["workspace_rollup"]> = {
    resolve: async (ref, now) => {
      const teams = (await this.deps.rollups.listTeams()).filter((t) => t.slackTeamId === ref.slackTeamId);
      const lines = [];
      for (const team of teams) {
        const occ = slotInUtcWeek(team, now);
        if (!occ || (team.createdAt && occ.at < team.createdAt)) continue;
        lines.push({ name: team.name, channelId: team.channelId, data: await this.load(team, occ.window) });
      }
      return { week: ref.week, teams: lines };
    },
  };

  /** The repository's data plus what other features contribute (loop metrics). */
  private async load(team: RollupTeam, window: { from: Date; to: Date }): Promise<RollupData> {
    const data = await this.deps.rollups.load(team, window);
    return {
      ...data,
      loopMetrics: (await this.deps.loopMetrics?.(team.id, window.to)) ?? null,
      overdueCoes: (await this.deps.overdueCoes?.(team.id, window.to)) ?? [],
    };
  }

  /** What the rollup would say now, for the last 7 days: no claim, no chart upload. */
  async preview(teamId: string): Promise<RollupPreview> {
    const team = await this.deps.rollups.findTeam(teamId);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    const now = this.deps.clock.now();
    // One millisecond past now, so what was just recorded (windows are half-open) is in the preview.
    const window = { from: new Date(now.getTime() - WEEK_MS), to: new Date(now.getTime() + 1) };
    const [data, hasChart] = await Promise.all([this.load(team, window), this.hasChart(team, window)]);
    return { data, hasChart, team };
  }
}

const teamRollupKey = (teamId: string, week: string) => `rollup:${teamId}:${week}`;
const windowRef = (w: { from: Date; to: Date }) => ({ from: w.from.toISOString(), to: w.to.toISOString() });
/** The chart's readings: the last CHART_WEEKS weeks to the window's end, of mechanisms shown this window or since. */
const chartRange = (window: { from: Date; to: Date }): ChartRange => ({
  from: new Date(window.to.getTime() - CHART_WEEKS * WEEK_MS),
  to: window.to,
  stoppedSince: window.from,
});
const windowOf = (ref: { from: string; to: string }) => ({ from: new Date(ref.from), to: new Date(ref.to) });
