import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import {
  asDirection,
  asMetricKind,
  type LinkableSignal,
  type MetricInput,
  type WbrMetric,
  type WbrSchedule,
  type WbrSettingsInput,
} from "./wbr.js";

export interface WbrTeam {
  id: string;
  name: string;
  channelId: string;
  timezone: string;
}

export interface WbrRepository {
  schedule(slackTeamId: string): Promise<WbrSchedule | null>;
  saveSchedule(
    slackTeamId: string,
    input: WbrSettingsInput & { updatedBy: string; at: Date; dueAt: Date | null },
  ): Promise<WbrSchedule>;
  /** Schedules whose due instant has come (or is unset), through the dueAt index. */
  findDue(now: Date, limit: number): Promise<WbrSchedule[]>;
  /** Compare-and-set on the due instant a look read: of two processes, one moves it. */
  setDue(slackTeamId: string, read: Date | null, next: Date): Promise<boolean>;
  teamsOf(slackTeamId: string): Promise<WbrTeam[]>;
  findTeam(teamId: string): Promise<(WbrTeam & { slackTeamId: string }) | null>;
  /** null when the team already has a metric of that name. */
  createMetric(
    input: MetricInput & { teamId: string; signalId: string | null; createdBy: string; at: Date },
  ): Promise<WbrMetric | null>;
  findMetric(id: string): Promise<WbrMetric | null>;
  metricsOf(teamIds: readonly string[]): Promise<WbrMetric[]>;
  /** Typed readings of these metrics for these weeks: metric id → week → value. */
  readings(metricIds: readonly string[], weeks: readonly string[]): Promise<Map<string, Map<string, number>>>;
  /** Saves one reading per metric for the week, replacing an earlier one (a resubmission is the same). */
  recordReadings(
    week: string,
    values: readonly { metricId: string; value: number }[],
    by: string,
    at: Date,
  ): Promise<void>;
  /** The team's live mechanism signals (active mechanisms, not archived), for linking. */
  linkableSignals(teamId: string): Promise<LinkableSignal[]>;
  /** The mechanism each signal belongs to (its title). */
  signalOwners(signalIds: readonly string[]): Promise<Map<string, string>>;
  /** Review readings of these signals in (from, to], oldest first. */
  signalReadings(
    signalIds: readonly string[],
    from: Date,
    to: Date,
  ): Promise<{ signalId: string; value: number; recordedAt: Date }[]>;
}

type MetricRow = Awaited<ReturnType<Db["wbrMetric"]["findUniqueOrThrow"]>>;
const toMetric = (r: MetricRow): WbrMetric => ({
  ...r,
  kind: asMetricKind(r.kind),
  direction: asDirection(r.direction),
});

export class PrismaWbrRepository implements WbrRepository {
  constructor(private readonly db: Db) {}

  schedule(slackTeamId: string) {
    return this.db.wbrSchedule.findUnique({ where: { slackTeamId } });
  }

  saveSchedule(
    slackTeamId: string,
    input: WbrSettingsInput & { updatedBy: string; at: Date; dueAt: Date | null },
  ) {
    const data = {
      channelId: input.channelId,
      weekday: input.weekday,
      time: input.time,
      timezone: input.timezone,
      dueAt: input.dueAt,
      updatedBy: input.updatedBy,
      updatedAt: input.at,
    };
    return this.db.wbrSchedule.upsert({
      where: { slackTeamId },
      create: { slackTeamId, ...data },
      update: data,
    });
  }

  async findDue(now: Date, limit: number) {
    const due = { OR: [{ dueAt: null }, { dueAt: { lte: now } }] };
    // The quiet tick's one read: the install checks below only when something is due.
    if (!(await this.db.wbrSchedule.findFirst({ where: due, select: { slackTeamId: true } }))) return [];
    // Not while the workspace has uninstalled Ratchet (OAuth mode: its install, or its org's, is
    // uninstalled; few rows, through Installation's uninstalledAt index). A re-install clears that,
    // and the schedule, still due, is looked at again at once.
    const gone = (
      await this.db.installation.findMany({ where: { uninstalledAt: { not: null } }, select: { id: true } })
    ).map((i) => i.id);
    const links =
      gone.length > 0
        ? await this.db.installationWorkspace.findMany({
            where: { installationId: { in: gone } },
            select: { slackTeamId: true },
          })
        : [];
    return this.db.wbrSchedule.findMany({
      where: {
        ...due,
        slackTeamId: { notIn: [...gone, ...links.map((l) => l.slackTeamId)] },
      },
      orderBy: { slackTeamId: "asc" },
      take: limit,
    });
  }

  async setDue(slackTeamId: string, read: Date | null, next: Date) {
    const res = await this.db.wbrSchedule.updateMany({
      where: { slackTeamId, dueAt: read },
      data: { dueAt: next },
    });
    return res.count === 1;
  }

  teamsOf(slackTeamId: string) {
    return this.db.team.findMany({
      where: { slackTeamId },
      select: { id: true, name: true, channelId: true, timezone: true },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
  }

  findTeam(teamId: string) {
    return this.db.team.findUnique({
      where: { id: teamId },
      select: { id: true, name: true, channelId: true, timezone: true, slackTeamId: true },
    });
  }

  async createMetric(
    input: MetricInput & { teamId: string; signalId: string | null; createdBy: string; at: Date },
  ) {
    try {
      const row = await this.db.wbrMetric.create({
        data: {
          teamId: input.teamId,
          name: input.name,
          kind: input.kind,
          ownerId: input.ownerId,
          unit: input.unit,
          direction: input.direction,
          target: input.target,
          signalId: input.signalId,
          createdBy: input.createdBy,
          createdAt: input.at,
        },
      });
      return toMetric(row);
    } catch (e) {
      if (isUniqueViolation(e)) return null;
      throw e;
    }
  }

  async findMetric(id: string) {
    const row = await this.db.wbrMetric.findUnique({ where: { id } });
    return row ? toMetric(row) : null;
  }

  async metricsOf(teamIds: readonly string[]) {
    if (teamIds.length === 0) return [];
    const rows = await this.db.wbrMetric.findMany({
      where: { teamId: { in: [...teamIds] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toMetric);
  }

  async readings(metricIds: readonly string[], weeks: readonly string[]) {
    const out = new Map<string, Map<string, number>>();
    if (metricIds.length === 0 || weeks.length === 0) return out;
    const rows = await this.db.wbrReading.findMany({
      where: { metricId: { in: [...metricIds] }, week: { in: [...weeks] } },
      select: { metricId: true, week: true, value: true },
    });
    for (const r of rows) {
      const byWeek = out.get(r.metricId) ?? new Map<string, number>();
      byWeek.set(r.week, r.value);
      out.set(r.metricId, byWeek);
    }
    return out;
  }

  async recordReadings(
    week: string,
    values: readonly { metricId: string; value: number }[],
    by: string,
    at: Date,
  ) {
    await this.db.$transaction(
      values.map((v) =>
        this.db.wbrReading.upsert({
          where: { metricId_week: { metricId: v.metricId, week } },
          create: { metricId: v.metricId, week, value: v.value, recordedBy: by, recordedAt: at },
          update: { value: v.value, recordedBy: by, recordedAt: at },
        }),
      ),
    );
  }

  async linkableSignals(teamId: string) {
    const rows = await this.db.signal.findMany({
      where: { archivedAt: null, mechanism: { teamId, status: "active" } },
      select: { id: true, name: true, unit: true, target: true, mechanism: { select: { title: true } } },
      orderBy: [{ mechanism: { createdAt: "asc" } }, { position: "asc" }, { id: "asc" }],
      take: 100,
    });
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      unit: r.unit,
      target: r.target,
      mechanismTitle: r.mechanism.title,
    }));
  }

  async signalOwners(signalIds: readonly string[]) {
    if (signalIds.length === 0) return new Map<string, string>();
    const rows = await this.db.signal.findMany({
      where: { id: { in: [...signalIds] } },
      select: { id: true, mechanism: { select: { title: true } } },
    });
    return new Map(rows.map((r) => [r.id, r.mechanism.title]));
  }

  async signalReadings(signalIds: readonly string[], from: Date, to: Date) {
    if (signalIds.length === 0) return [];
    return this.db.reading.findMany({
      where: { signalId: { in: [...signalIds] }, recordedAt: { gt: from, lte: to } },
      select: { signalId: true, value: true, recordedAt: true },
      orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
    });
  }
}
