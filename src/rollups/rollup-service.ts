import type { Logger } from "pino";
import type { LoopMetrics } from "../incidents/metrics.js";
import { isoWeekKey } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import type { JobRuns } from "../shared/job-runs.js";
import { postOnce } from "../shared/post-once.js";
import { channelLink, type Mrkdwn, md } from "../slack/blocks/mrkdwn.js";
import type { Notifier, SlackMessage } from "../slack/notifier.js";
import { weekdayName } from "../teams/team.js";
import type { TeamService } from "../teams/team-service.js";
import type { OutcomeChart, OutcomeChartInput } from "./chart.js";
import { CHART_WEEKS, dueRollup, type RollupData, type RollupTeam, slotInUtcWeek } from "./rollup.js";
import type { RollupRepository } from "./rollup-repository.js";
import {
  buildRollupMessage,
  buildWorkspaceRollup,
  ROLLUP_SECTIONS,
  type RollupSection,
  rollupHeadline,
} from "./sections.js";

export const ROLLUP_JOB = "rollups";
/** Slack refusals (an error answer) are retried on later ticks, at most this many tries per week. */
const MAX_ATTEMPTS = 5;
const WEEK_MS = 7 * 86_400_000;

export interface RollupSettingsInput {
  teamId: string;
  slackTeamId: string;
  rollupWeekday: number;
  rollupTime: string;
  /** null turns the combined workspace rollup off */
  workspaceChannelId: string | null;
}

/**
 * Weekly rollups: one message per team and local ISO week with the outcome chart in its thread,
 * plus an optional workspace-wide message combining every team's headline.
 *
 * Exactly-once policy (JobRun(job "rollups", key) is the claim):
 * - a team's rollup is `${teamId}:${isoWeekKey(slot, team tz)}`; the workspace's is
 *   `ws:${slackTeamId}:${UTC ISO week}`.
 * - claim → post. If Slack answers with an error, nothing was posted, so the run is marked
 *   "failed" and retried on the next ticks (up to MAX_ATTEMPTS) within the same week. If the
 *   process dies between claim and "done", the run stays "claimed" and is never retried:
 *   at-most-once, because a second post is worse than a missing one.
 * - the chart is uploaded after the message; a chart failure is logged and not retried (the
 *   message already says where the chart would be).
 * - catch-up: a rollup missed while Ratchet was down posts on the first tick of the same local ISO
 *   week; older weeks are skipped.
 */
export class RollupService {
  private readonly sections: readonly RollupSection[];

  constructor(
    private readonly deps: {
      rollups: RollupRepository;
      jobRuns: JobRuns;
      teams: TeamService;
      clock: Clock;
      notifier: Notifier;
      log: Logger;
      /** the chart renderer (chart.ts); injected so it stays lazy and replaceable in tests */
      renderChart: (input: OutcomeChartInput) => Promise<OutcomeChart>;
      /** the sections, in order; defaults to ROLLUP_SECTIONS (extend here, see sections.ts) */
      sections?: readonly RollupSection[];
      /** the team's COE loop metrics for the rollup's headline, supplied by the incidents feature */
      loopMetrics?: (teamId: string, now: Date) => Promise<LoopMetrics | null>;
    },
  ) {
    this.sections = deps.sections ?? ROLLUP_SECTIONS;
  }

  /** The scheduler job: posts every due team rollup, then every ready workspace rollup. */
  async sweep(now: Date): Promise<{ teams: number; workspaces: number }> {
    const teams = await this.deps.rollups.listTeams();
    const due = teams.flatMap((team) => {
      // A team set up after this week's slot gets this week's rollup at once: the same catch-up rule.
      const occ = dueRollup(team, now);
      return occ ? [{ team, occ, key: `${team.id}:${occ.week}` }] : [];
    });
    const statuses = await this.deps.jobRuns.statuses(
      ROLLUP_JOB,
      due.map((d) => d.key),
    );
    let posted = 0;
    for (const d of due) {
      const status = statuses.get(d.key);
      if (status === "done" || status === "claimed") continue;
      if (await this.postTeamRollup(d.team, d.key, d.occ.window, now)) posted++;
    }
    const workspaces = await this.sweepWorkspaces(now, teams);
    return { teams: posted, workspaces };
  }

  private async postTeamRollup(
    team: RollupTeam,
    key: string,
    window: { from: Date; to: Date },
    now: Date,
  ): Promise<boolean> {
    const { jobRuns, notifier, log } = this.deps;
    if (!(await jobRuns.claim(ROLLUP_JOB, key, { at: now, maxAttempts: MAX_ATTEMPTS }))) return false;
    let ts: string;
    let series: OutcomeChartInput["series"];
    try {
      const data = await this.load(team, window);
      series = await this.chartSeries(team, window);
      const msg = buildRollupMessage({
        data,
        sections: this.sections,
        chartNote: chartNote(series.length > 0),
      });
      ts = (await notifier.post(team.channelId, msg)).ts;
    } catch (err) {
      log.error({ err, teamId: team.id, key }, "rollup not posted; will retry on a later tick this week");
      await this.fail(key, String(err));
      return false;
    }
    let chart = "none";
    if (series.length > 0) {
      try {
        const rendered = await this.deps.renderChart({
          title: `${team.name} — outcomes, last ${CHART_WEEKS} weeks`,
          series,
          from: new Date(window.to.getTime() - CHART_WEEKS * WEEK_MS),
          to: window.to,
          timezone: team.timezone,
        });
        await notifier.uploadFile({
          channel: team.channelId,
          threadTs: ts,
          filename: `rollup-${key.split(":")[1] ?? "week"}.png`,
          title: `${team.name} — outcome chart`,
          bytes: rendered.png,
          altText: rendered.alt,
        });
        chart = "uploaded";
      } catch (err) {
        chart = "failed";
        log.error({ err, teamId: team.id, key }, "rollup posted but its chart could not be uploaded");
      }
    }
    await this.finish(key, { messageTs: ts, chart });
    log.info({ teamId: team.id, key, chart }, "rollup posted");
    return true;
  }

  /** Series with at least one reading; none means no chart. */
  private async chartSeries(team: RollupTeam, window: { from: Date; to: Date }) {
    const all = await this.deps.rollups.chartSeries(team.id, {
      from: new Date(window.to.getTime() - CHART_WEEKS * WEEK_MS),
      to: window.to,
      stoppedSince: window.from,
    });
    return all.some((s) => s.points.length > 0) ? all : [];
  }

  /**
   * The combined rollup, once per workspace and UTC ISO week, posted on the first tick after every
   * team's rollup slot of that week has passed and been claimed, so it carries every headline.
   */
  private async sweepWorkspaces(now: Date, teams: RollupTeam[]): Promise<number> {
    const week = isoWeekKey(now, "UTC");
    let posted = 0;
    for (const ws of await this.deps.rollups.workspacesWithChannel()) {
      const key = `ws:${ws.slackTeamId}:${week}`;
      const entries = teams
        .filter((t) => t.slackTeamId === ws.slackTeamId)
        .flatMap((team) => {
          const occ = slotInUtcWeek(team, now);
          // A team set up after its slot this week has no rollup to wait for (dueRollup skips it).
          if (!occ || (team.createdAt && occ.at < team.createdAt)) return [];
          return [{ team, occ, key: `${team.id}:${isoWeekKey(occ.at, team.timezone)}` }];
        });
      if (entries.length === 0 || entries.some((e) => e.occ.at > now)) continue;
      const statuses = await this.deps.jobRuns.statuses(ROLLUP_JOB, [key, ...entries.map((e) => e.key)]);
      const own = statuses.get(key);
      if (own === "done" || own === "claimed") continue;
      if (entries.some((e) => !statuses.has(e.key))) continue;
      if (!(await this.deps.jobRuns.claim(ROLLUP_JOB, key, { at: now, maxAttempts: MAX_ATTEMPTS }))) continue;
      const ok = await postOnce({
        send: async () => {
          const lines = [];
          for (const e of entries) {
            const data = await this.load(e.team, e.occ.window);
            lines.push({
              name: e.team.name,
              channelId: e.team.channelId,
              headline: rollupHeadline(data, this.sections),
            });
          }
          return this.deps.notifier.post(ws.channelId, buildWorkspaceRollup({ week, teams: lines }));
        },
        record: (res) => this.finish(key, { messageTs: res.ts }),
        release: () => this.fail(key, "not posted"),
        log: this.deps.log,
        what: "workspace rollup",
        context: { key },
      });
      if (ok) posted++;
    }
    return posted;
  }

  /** A finished run notes its message and chart; attempts live on the run itself. */
  private finish(key: string, detail: { messageTs: string; chart?: string }): Promise<void> {
    const o = { at: this.deps.clock.now(), detail: JSON.stringify(detail) };
    return this.deps.jobRuns.finish(ROLLUP_JOB, key, "done", o);
  }

  private fail(key: string, error: string): Promise<void> {
    const o = { at: this.deps.clock.now(), detail: JSON.stringify({ error: error.slice(0, 500) }) };
    return this.deps.jobRuns.finish(ROLLUP_JOB, key, "failed", o);
  }

  /** The repository's data plus what other features contribute (loop metrics). */
  private async load(team: RollupTeam, window: { from: Date; to: Date }): Promise<RollupData> {
    const data = await this.deps.rollups.load(team, window);
    return { ...data, loopMetrics: (await this.deps.loopMetrics?.(team.id, window.to)) ?? null };
  }

  /** What the rollup would say now, for the last 7 days: no claim, no chart upload. */
  async preview(teamId: string): Promise<SlackMessage> {
    const team = await this.deps.rollups.findTeam(teamId);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    const now = this.deps.clock.now();
    // One millisecond past now, so what was just recorded (windows are half-open) is in the preview.
    const window = { from: new Date(now.getTime() - WEEK_MS), to: new Date(now.getTime() + 1) };
    const data = await this.load(team, window);
    const series = await this.chartSeries(team, window);
    return buildRollupMessage({
      data,
      sections: this.sections,
      chartNote:
        series.length > 0 ? md`📊 The posted rollup adds the outcome chart in its thread.` : chartNote(false),
      preview: md`👀 *Preview* — only you can see this. The rollup posts in ${channelLink(team.channelId)} every ${weekdayName(team.rollupWeekday)} at ${team.rollupTime} (${team.timezone}). Change it with \`/ratchet rollup settings\`.`,
    });
  }

  workspaceChannel(slackTeamId: string): Promise<string | null> {
    return this.deps.rollups.workspaceChannel(slackTeamId);
  }

  /** Saves the team's rollup day and time and the workspace's rollup channel (null = off). */
  async saveSettings(input: RollupSettingsInput) {
    const team = await this.deps.teams.updateSettings(input.teamId, {
      rollupWeekday: input.rollupWeekday,
      rollupTime: input.rollupTime,
    });
    await this.deps.rollups.setWorkspaceChannel(
      input.slackTeamId,
      input.workspaceChannelId,
      this.deps.clock.now(),
    );
    return { team, workspaceChannelId: input.workspaceChannelId };
  }
}

function chartNote(hasReadings: boolean): Mrkdwn {
  return hasReadings
    ? md`📊 The outcome chart (last ${CHART_WEEKS} weeks, progress from baseline to target) is in the thread.`
    : md`📊 No outcome readings in the last ${CHART_WEEKS} weeks, so no chart this week. Record readings at your next review.`;
}
