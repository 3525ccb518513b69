import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Notices } from "../notices.js";
import { weeksBefore } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import type { DeliveryHandler, NewDelivery, Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { yieldToEventLoop } from "../shared/yield.js";
import { assertAdmin } from "../teams/roles.js";
import type { Team } from "../teams/team.js";
import {
  type Direction,
  dueWork,
  type LinkableSignal,
  type MetricInput,
  type MetricKind,
  nextLook,
  type Series,
  teamReport,
  upcomingWbr,
  type WbrMetric,
  type WbrMetricRow,
  type WbrReport,
  type WbrSchedule,
  type WbrSettingsInput,
  WEEKS_SHOWN,
  wbrChartSeries,
  wbrWeeks,
  weekKey,
} from "./wbr.js";
import type { WbrRepository, WbrTeam } from "./wbr-repository.js";

/** Without a WBR set, a week ends Monday 09:00 in the team's zone (what the metrics list shows). */
const DEFAULT_SLOT = { weekday: 1, time: "09:00" };
const DUE_BATCH = 50;

export interface LinkInput {
  signalId: string;
  kind: MetricKind;
  ownerId: string;
  direction: Direction;
  /** null: the signal's own target */
  target: number | null;
}

/** A team's metrics as `/ratchet wbr` lists them: this week's value beside each. */
export interface WbrOverview {
  team: WbrTeam;
  schedule: WbrSchedule | null;
  /** the WBR this week's readings feed */
  wbrAt: Date;
  timezone: string;
  rows: WbrMetricRow[];
}

export class WbrService {
  constructor(
    private readonly deps: {
      wbr: WbrRepository;
      clock: Clock;
      outbox: Outbox;
      log: Logger;
      /** the teams' admins: only they change the WBR's settings (the roles rule) */
      teams: { findById(id: string): Promise<Team | null> };
      /** the audit log: every settings save */
      audit?: AuditService;
    },
  ) {}

  async team(teamId: string): Promise<WbrTeam & { slackTeamId: string }> {
    const team = await this.deps.wbr.findTeam(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  /** The slot a team's weeks end at: the workspace's WBR, or Monday 09:00 in the team's zone. */
  private slotFor(team: WbrTeam, schedule: WbrSchedule | null): WbrSettingsInput {
    return schedule ?? { ...DEFAULT_SLOT, timezone: team.timezone, channelId: team.channelId };
  }

  async overview(teamId: string): Promise<WbrOverview> {
    const team = await this.team(teamId);
    const schedule = await this.deps.wbr.schedule(team.slackTeamId);
    const slot = this.slotFor(team, schedule);
    const wbrAt = upcomingWbr(slot, this.deps.clock.now());
    const metrics = await this.deps.wbr.metricsOf([team.id]);
    const [report] = await this.reports([team], metrics, wbrAt, slot.timezone);
    return { team, schedule, wbrAt, timezone: slot.timezone, rows: report?.metrics ?? [] };
  }

  linkableSignals(teamId: string): Promise<LinkableSignal[]> {
    return this.deps.wbr.linkableSignals(teamId);
  }

  async addMetric(teamId: string, input: MetricInput, by: string): Promise<WbrMetric> {
    const team = await this.team(teamId);
    return this.create(team.id, input, null, by);
  }

  /** Links a mechanism signal as a metric: its review readings feed the WBR, under the signal's name. */
  async linkSignal(teamId: string, input: LinkInput, by: string): Promise<WbrMetric> {
    const team = await this.team(teamId);
    const signal = (await this.deps.wbr.linkableSignals(team.id)).find((s) => s.id === input.signalId);
    if (!signal)
      throw new DomainError(
        "not_found",
        "That signal is no longer live in this team (its mechanism ended or the signal was removed).",
        "signalId",
      );
    const metric: MetricInput = {
      name: signal.name,
      kind: input.kind,
      ownerId: input.ownerId,
      unit: signal.unit,
      direction: input.direction,
      target: input.target ?? signal.target,
    };
    return this.create(team.id, metric, signal.id, by);
  }

  private async create(teamId: string, input: MetricInput, signalId: string | null, by: string) {
    const at = this.deps.clock.now();
    const metric = await this.deps.wbr.createMetric({ ...input, teamId, signalId, createdBy: by, at });
    if (!metric)
      throw new DomainError(
        "conflict",
        `This team already has a metric named “${input.name}”. Pick another name.`,
        "name",
      );
    this.deps.log.info({ teamId, metricId: metric.id, kind: metric.kind }, "wbr metric added");
    return metric;
  }

  /** What the readings modal asks for: the typed metrics and this week's values so far. */
  async readingsForm(teamId: string) {
    const o = await this.overview(teamId);
    const typed = o.rows.filter((r) => r.metric.signalId === null);
    return { ...o, typed };
  }

  /**
   * Saves this week's readings (the WBR that is next); metrics not of the team, or fed by a signal,
   * are refused, so a forged submission can't write another team's numbers.
   */
  async recordReadings(
    teamId: string,
    values: readonly { metricId: string; value: number }[],
    by: string,
  ): Promise<{ week: string; count: number }> {
    const o = await this.overview(teamId);
    const typed = new Set(o.rows.filter((r) => r.metric.signalId === null).map((r) => r.metric.id));
    const mine = values.filter((v) => typed.has(v.metricId));
    const week = weekKey(o.wbrAt, o.timezone);
    if (mine.length > 0) await this.deps.wbr.recordReadings(week, mine, by, this.deps.clock.now());
    this.deps.log.info({ teamId, week, count: mine.length }, "wbr readings recorded");
    return { week, count: mine.length };
  }

  /**
   * The settings form of the team it was opened from: only that team's admins may change the
   * workspace's WBR (they change settings, the roles rule); anyone else is told whom to ask.
   */
  async openSettings(teamId: string, by: string): Promise<{ team: WbrTeam; schedule: WbrSchedule | null }> {
    const team = await this.team(teamId);
    await this.assertAdmin(teamId, by, undefined);
    return { team, schedule: await this.deps.wbr.schedule(team.slackTeamId) };
  }

  /**
   * One WBR per workspace, saved from a team's form (`teamId`: its admins decide, its audit log
   * keeps the change); saving clears its due instant, so the next tick looks at it afresh.
   */
  async saveSettings(
    teamId: string,
    input: WbrSettingsInput,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<WbrSchedule> {
    const { slackTeamId } = await this.team(teamId);
    await this.assertAdmin(teamId, by, "channel");
    const at = this.deps.clock.now();
    const before = await this.deps.wbr.schedule(slackTeamId);
    const saved = await this.deps.wbr.saveSchedule(slackTeamId, { ...input, updatedBy: by, at, dueAt: null });
    this.deps.log.info({ slackTeamId, channelId: input.channelId }, "wbr settings saved");
    await this.deps.audit?.record({
      team: { id: teamId, slackTeamId },
      subject: { type: "wbr", id: slackTeamId },
      actor: { userId: by, surface },
      action: before ? "settings changed" : "set up",
      before: before ? { ...before } : null,
      after: { ...saved },
      ignore: ["slackTeamId", "dueAt", "updatedBy"],
    });
    return saved;
  }

  private async assertAdmin(teamId: string, by: string, field: string | undefined): Promise<void> {
    const team = await this.deps.teams.findById(teamId);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    assertAdmin(team, by, field, "change the WBR settings");
  }

  /**
   * The scheduled look, read through WbrSchedule.dueAt (indexed): at a workspace's WBR it queues the
   * WBR (its outbox key `wbr:<workspace>:<week>` is the claim, so a second run queues nothing); a day
   * before, one DM per typed metric whose week's reading is missing (key per metric and week). Then it
   * stores when it next needs to look. Catch-up policy: see `dueWork`.
   */
  async sweep(now: Date): Promise<number> {
    const due = await this.deps.wbr.findDue(now, DUE_BATCH);
    let queued = 0;
    for (const s of due) {
      const work = dueWork(s, now);
      const batch: NewDelivery[] = [];
      if (work.post) batch.push(this.wbrDelivery(s, work.post, now));
      if (work.remind) batch.push(...(await this.reminders(s, work.remind, now)));
      if (batch.length > 0) queued += await this.deps.outbox.enqueueMany(batch);
      await this.deps.wbr.setDue(s.slackTeamId, s.dueAt, nextLook(s, now));
      await yieldToEventLoop();
    }
    return queued;
  }

  private wbrDelivery(s: WbrSchedule, at: Date, now: Date): NewDelivery<"wbr"> {
    const week = weekKey(at, s.timezone);
    return {
      key: `wbr:${s.slackTeamId}:${week}`,
      kind: "wbr",
      ref: { slackTeamId: s.slackTeamId, week, at: at.toISOString() },
      target: s.channelId,
      notBefore: now,
      // A WBR nobody could post within a day is stale: cancelled rather than posted.
      expiresAt: new Date(at.getTime() + 24 * 60 * 60 * 1000),
      at: now,
    };
  }

  private async reminders(s: WbrSchedule, wbrAt: Date, now: Date): Promise<NewDelivery<"wbr_reminder">[]> {
    const week = weekKey(wbrAt, s.timezone);
    const teams = await this.deps.wbr.teamsOf(s.slackTeamId);
    const typed = (await this.deps.wbr.metricsOf(teams.map((t) => t.id))).filter((m) => m.signalId === null);
    const read = await this.deps.wbr.readings(
      typed.map((m) => m.id),
      [week],
    );
    return typed
      .filter((m) => !read.get(m.id)?.has(week))
      .map((m) => ({
        key: `wbr-reminder:${m.id}:${week}`,
        kind: "wbr_reminder" as const,
        ref: { metricId: m.id, week, at: wbrAt.toISOString() },
        target: m.ownerId,
        teamId: m.teamId,
        notBefore: now,
        expiresAt: wbrAt,
        at: now,
      }));
  }

  /** The whole workspace's WBR as of now, for the WBR at `at`; null when the WBR was switched off. */
  private async loadReport(slackTeamId: string, at: string): Promise<WbrReport | null> {
    const s = await this.deps.wbr.schedule(slackTeamId);
    if (!s) return null;
    const wbrAt = new Date(at);
    const teams = await this.deps.wbr.teamsOf(slackTeamId);
    const metrics = await this.deps.wbr.metricsOf(teams.map((t) => t.id));
    return {
      week: weekKey(wbrAt, s.timezone),
      at: wbrAt,
      timezone: s.timezone,
      weekKeys: wbrWeeks(wbrAt, s.timezone).map((w) => weekKey(w, s.timezone)),
      teams: await this.reports(teams, metrics, wbrAt, s.timezone),
    };
  }

  /** The WBR message, drawn from the readings as they are when it is sent; its chart follows in the thread. */
  readonly wbrHandler: DeliveryHandler<"wbr", Notices["wbr"]> = {
    resolve: async ({ slackTeamId, at }) => {
      const report = await this.loadReport(slackTeamId, at);
      return report ? { report } : null;
    },
    delivered: async (ref, where, now) => {
      const report = await this.loadReport(ref.slackTeamId, ref.at);
      if (!report || wbrChartSeries(report).series.length === 0) return;
      await this.deps.outbox.enqueue({
        key: `wbr-chart:${ref.slackTeamId}:${ref.week}`,
        kind: "wbr_chart",
        ref,
        target: where.channel,
        threadTs: where.ts,
        notBefore: now,
        expiresAt: new Date(new Date(ref.at).getTime() + 24 * 60 * 60 * 1000),
        at: now,
      });
    },
  };

  /** The outputs as progress to target, with the rollup chart's renderer. */
  readonly chartHandler: DeliveryHandler<"wbr_chart", Notices["wbr_chart"]> = {
    resolve: async ({ slackTeamId, week, at }) => {
      const report = await this.loadReport(slackTeamId, at);
      if (!report) return null;
      const { series, hidden } = wbrChartSeries(report);
      if (series.length === 0) return null;
      const weeks = wbrWeeks(report.at, report.timezone);
      const title = `Weekly business review ${week} — outputs, last ${weeks.length} weeks`;
      return {
        input: {
          title,
          series,
          from: weeks[0] ?? report.at,
          to: report.at,
          timezone: report.timezone,
          ...(hidden > 0 ? { note: `${hidden} more outputs are not drawn` } : {}),
        },
        filename: `wbr-${week}.png`,
        title,
      };
    },
  };

  /** The owner's DM; cancelled when the reading came in before it was sent. */
  readonly reminderHandler: DeliveryHandler<"wbr_reminder", Notices["wbr_reminder"]> = {
    resolve: async ({ metricId, week, at }) => {
      const metric = await this.deps.wbr.findMetric(metricId);
      const team = metric ? await this.deps.wbr.findTeam(metric.teamId) : null;
      if (!metric || !team) return null;
      const read = await this.deps.wbr.readings([metricId], [week]);
      if (read.get(metricId)?.has(week)) return null;
      const s = await this.deps.wbr.schedule(team.slackTeamId);
      return {
        metric,
        teamId: team.id,
        teamName: team.name,
        wbrAt: new Date(at),
        timezone: s?.timezone ?? team.timezone,
      };
    },
  };

  /** Each team's rows over the WEEKS_SHOWN weeks ending with the WBR at `wbrAt`. */
  private async reports(teams: WbrTeam[], metrics: WbrMetric[], wbrAt: Date, tz: string) {
    const weeks = wbrWeeks(wbrAt, tz, WEEKS_SHOWN);
    const keys = weeks.map((w) => weekKey(w, tz));
    const typed = await this.deps.wbr.readings(
      metrics.filter((m) => m.signalId === null).map((m) => m.id),
      keys,
    );
    const signalIds = [...new Set(metrics.flatMap((m) => (m.signalId ? [m.signalId] : [])))];
    const [first] = weeks;
    const fromSignals = await this.deps.wbr.signalReadings(
      signalIds,
      weeksBefore(first ?? wbrAt, 1, tz),
      wbrAt,
    );
    const owners = await this.deps.wbr.signalOwners(signalIds);
    // A review reading counts for the WBR that closes its week; the latest of the week wins.
    const bySignal = new Map<string, Series>();
    for (const r of fromSignals) {
      const i = weeks.findIndex((w) => r.recordedAt.getTime() <= w.getTime());
      if (i < 0) continue;
      const series = bySignal.get(r.signalId) ?? keys.map(() => null);
      series[i] = r.value;
      bySignal.set(r.signalId, series);
    }
    const seriesOf = (m: WbrMetric): Series =>
      m.signalId
        ? (bySignal.get(m.signalId) ?? keys.map(() => null))
        : keys.map((k) => typed.get(m.id)?.get(k) ?? null);
    return teams.map((t) =>
      teamReport(
        t,
        metrics
          .filter((m) => m.teamId === t.id)
          .map((m) => ({
            metric: m,
            series: seriesOf(m),
            linkedTo: m.signalId ? (owners.get(m.signalId) ?? null) : null,
          })),
      ),
    );
  }
}
