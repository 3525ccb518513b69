import type { Db } from "../db/client.js";
import { localDate } from "../shared/time-format.js";
import { parseAdmins } from "../teams/roles.js";
import {
  HOME_PAGE,
  type HomeActionItem,
  type HomeAlarm,
  type HomeBreach,
  type HomeMechanism,
  type HomeReview,
  type Page,
} from "./home.js";

/** The person's team as the Home reads it, with what decides the admin section. */
export interface HomeTeamRow {
  id: string;
  name: string;
  channelId: string;
  timezone: string;
  admins: string[];
  createdBy: string;
  debriefEnabled: boolean;
}

/** The last publish of a person's Home. */
export interface HomeViewRow {
  slackTeamId: string;
  userId: string;
  teamId: string | null;
  hash: string;
  paging: string;
  lastPublishedAt: Date;
  staleAt: Date | null;
}

interface DebriefRoundRow {
  id: string;
  localDate: string;
  status: string;
}

interface RollupPostRow {
  ref: string;
  channel: string | null;
  ts: string | null;
  postedAt: Date;
}

interface PastGateRow {
  id: string;
  title: string;
  gateReason: string;
}

/** Where Home reads from: every list one indexed page (`offset`, HOME_PAGE rows) plus its count. */
export interface HomeRepository {
  myTeam(slackTeamId: string, userId: string): Promise<HomeTeamRow | null>;
  mechanisms(slackTeamId: string, userId: string, offset: number): Promise<Page<HomeMechanism>>;
  reviews(slackTeamId: string, userId: string, offset: number): Promise<Page<HomeReview>>;
  breaches(slackTeamId: string, userId: string, offset: number): Promise<Page<HomeBreach>>;
  actionItems(slackTeamId: string, userId: string, offset: number, now: Date): Promise<Page<HomeActionItem>>;
  alarms(teamId: string, offset: number): Promise<Page<HomeAlarm>>;
  debriefRound(teamId: string, since: Date, now: Date): Promise<DebriefRoundRow | null>;
  debriefSharers(roundId: string): Promise<string[]>;
  pastGate(teamId: string): Promise<PastGateRow[]>;
  lastRollup(teamId: string, channelId: string): Promise<RollupPostRow | null>;
  findView(slackTeamId: string, userId: string): Promise<HomeViewRow | null>;
  saveView(v: HomeViewRow): Promise<void>;
  /** Marks the Homes a post concerns (by person, or by team) stale, from `at`; already stale ones keep theirs. */
  markStale(o: { userIds: string[]; teamIds: string[]; at: Date }): Promise<number>;
  staleViews(now: Date, limit: number): Promise<HomeViewRow[]>;
  setStale(slackTeamId: string, userId: string, staleAt: Date | null): Promise<void>;
}

const page = <T>(items: T[], offset: number, total: number): Page<T> => ({ items, offset, total });
const take = { take: HOME_PAGE };

export class PrismaHomeRepository implements HomeRepository {
  constructor(private readonly db: Db) {}

  async myTeam(slackTeamId: string, userId: string): Promise<HomeTeamRow | null> {
    const select = {
      id: true,
      name: true,
      channelId: true,
      timezone: true,
      admins: true,
      createdBy: true,
      debriefEnabled: true,
    } as const;
    // The team of what they own, else the one they set up or run, else the one they debrief in,
    // else the workspace's only team.
    const owned = await this.db.mechanism.findFirst({
      where: { ownerId: userId, team: { slackTeamId } },
      orderBy: { createdAt: "desc" },
      select: { team: { select } },
    });
    let team = owned?.team ?? null;
    team ??= await this.db.team.findFirst({
      where: { slackTeamId, OR: [{ createdBy: userId }, { admins: { contains: userId } }] },
      orderBy: { createdAt: "asc" },
      select,
    });
    team ??=
      (
        await this.db.debriefAnswer.findFirst({
          where: { userId, round: { team: { slackTeamId } } },
          orderBy: { updatedAt: "desc" },
          select: { round: { select: { team: { select } } } },
        })
      )?.round.team ?? null;
    if (!team) {
      const all = await this.db.team.findMany({ where: { slackTeamId }, take: 2, select });
      team = all.length === 1 ? (all[0] ?? null) : null;
    }
    return team ? { ...team, admins: parseAdmins(team.admins) } : null;
  }

  async mechanisms(slackTeamId: string, userId: string, offset: number) {
    const where = { ownerId: userId, status: "active", team: { slackTeamId } };
    const [rows, total] = await Promise.all([
      this.db.mechanism.findMany({
        where,
        orderBy: [{ nextReviewAt: "asc" }, { id: "asc" }],
        skip: offset,
        ...take,
        select: {
          id: true,
          title: true,
          nextReviewAt: true,
          team: { select: { name: true, timezone: true } },
        },
      }),
      this.db.mechanism.count({ where }),
    ]);
    const items = rows.map((m) => ({
      id: m.id,
      title: m.title,
      nextReviewAt: m.nextReviewAt,
      teamName: m.team.name,
      timezone: m.team.timezone,
    }));
    return page(items, offset, total);
  }

  async reviews(slackTeamId: string, userId: string, offset: number) {
    // Not decided and not given up: the reminder is out, or about to be.
    const where = {
      status: { in: ["claimed", "reminded", "unanswered"] },
      mechanism: { ownerId: userId, status: "active", team: { slackTeamId } },
    };
    const [rows, total] = await Promise.all([
      this.db.review.findMany({
        where,
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        skip: offset,
        ...take,
        select: {
          id: true,
          dueAt: true,
          messageChannelId: true,
          mechanism: { select: { title: true, team: { select: { timezone: true } } } },
        },
      }),
      this.db.review.count({ where }),
    ]);
    const items = rows.map((r) => ({
      id: r.id,
      mechanismTitle: r.mechanism.title,
      dueAt: r.dueAt,
      timezone: r.mechanism.team.timezone,
      channelId: r.messageChannelId,
    }));
    return page(items, offset, total);
  }

  async breaches(slackTeamId: string, userId: string, offset: number) {
    // Breaches nobody has decided on yet, of a mechanism the person owns or can stop.
    const where = {
      breached: true,
      decision: null,
      guardrail: {
        archivedAt: null,
        mechanism: { status: "active", team: { slackTeamId } },
        OR: [{ stopOwnerId: userId }, { mechanism: { OR: [{ ownerId: userId }, { stopOwnerId: userId }] } }],
      },
    };
    const [rows, total] = await Promise.all([
      this.db.guardrailReading.findMany({
        where,
        orderBy: [{ recordedAt: "desc" }, { id: "asc" }],
        skip: offset,
        ...take,
        select: {
          id: true,
          value: true,
          recordedAt: true,
          guardrail: {
            select: {
              name: true,
              unit: true,
              mechanism: { select: { title: true, team: { select: { timezone: true } } } },
            },
          },
        },
      }),
      this.db.guardrailReading.count({ where }),
    ]);
    const items = rows.map((r) => ({
      id: r.id,
      mechanismTitle: r.guardrail.mechanism.title,
      guardrailName: r.guardrail.name,
      value: r.value,
      unit: r.guardrail.unit,
      recordedAt: r.recordedAt,
      timezone: r.guardrail.mechanism.team.timezone,
    }));
    return page(items, offset, total);
  }

  async actionItems(slackTeamId: string, userId: string, offset: number, now: Date) {
    const where = { ownerId: userId, status: "open", finding: { incident: { team: { slackTeamId } } } };
    const [rows, total] = await Promise.all([
      this.db.actionItem.findMany({
        where,
        orderBy: [{ dueDate: "asc" }, { id: "asc" }],
        skip: offset,
        ...take,
        select: {
          id: true,
          dueDate: true,
          finding: { select: { text: true, incident: { select: { team: { select: { timezone: true } } } } } },
        },
      }),
      this.db.actionItem.count({ where }),
    ]);
    const items = rows.map((a) => ({
      id: a.id,
      text: a.finding.text,
      dueDate: a.dueDate,
      // Due dates are local dates: overdue once the team's today is past it.
      overdue: a.dueDate < localDate(now, a.finding.incident.team.timezone),
    }));
    return page(items, offset, total);
  }

  async alarms(teamId: string, offset: number) {
    const where = { teamId, status: "open" };
    const [rows, total] = await Promise.all([
      this.db.alarm.findMany({
        where,
        orderBy: [{ raisedAt: "desc" }, { id: "asc" }],
        skip: offset,
        ...take,
        select: { id: true, kind: true, evidence: true, raisedAt: true },
      }),
      this.db.alarm.count({ where }),
    ]);
    return page(rows, offset, total);
  }

  debriefRound(teamId: string, since: Date, now: Date) {
    return this.db.debriefRound.findFirst({
      // Only a round whose prompt is posted can be answered (the Share my week modal needs it).
      where: { teamId, promptAt: { gte: since, lte: now }, messageTs: { not: null } },
      orderBy: { promptAt: "desc" },
      select: { id: true, localDate: true, status: true },
    });
  }

  async debriefSharers(roundId: string) {
    const rows = await this.db.debriefAnswer.findMany({ where: { roundId }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }

  async pastGate(teamId: string) {
    // Active mechanisms whose latest decision continued against the checkpoint rule.
    const rows = await this.db.mechanism.findMany({
      where: { teamId, status: "active", decisions: { some: { gateReason: { not: "" } } } },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        title: true,
        decisions: { orderBy: { decidedAt: "desc" }, take: 1, select: { gateReason: true } },
      },
    });
    return rows.flatMap((m) => {
      const gateReason = m.decisions[0]?.gateReason ?? "";
      return gateReason ? [{ id: m.id, title: m.title, gateReason }] : [];
    });
  }

  async lastRollup(teamId: string, channelId: string) {
    const row = await this.db.delivery.findFirst({
      where: { target: channelId, status: "sent", kind: "rollup", teamId },
      orderBy: { updatedAt: "desc" },
      select: { ref: true, channel: true, ts: true, updatedAt: true },
    });
    return row ? { ref: row.ref, channel: row.channel, ts: row.ts, postedAt: row.updatedAt } : null;
  }

  findView(slackTeamId: string, userId: string) {
    return this.db.homeView.findUnique({ where: { slackTeamId_userId: { slackTeamId, userId } } });
  }

  async saveView(v: HomeViewRow) {
    const { slackTeamId, userId, ...rest } = v;
    await this.db.homeView.upsert({
      where: { slackTeamId_userId: { slackTeamId, userId } },
      create: v,
      update: rest,
    });
  }

  async markStale(o: { userIds: string[]; teamIds: string[]; at: Date }) {
    if (o.userIds.length === 0 && o.teamIds.length === 0) return 0;
    const res = await this.db.homeView.updateMany({
      where: { staleAt: null, OR: [{ userId: { in: o.userIds } }, { teamId: { in: o.teamIds } }] },
      data: { staleAt: o.at },
    });
    return res.count;
  }

  staleViews(now: Date, limit: number) {
    return this.db.homeView.findMany({
      where: { staleAt: { lte: now } },
      orderBy: { staleAt: "asc" },
      take: limit,
    });
  }

  async setStale(slackTeamId: string, userId: string, staleAt: Date | null) {
    await this.db.homeView.updateMany({ where: { slackTeamId, userId }, data: { staleAt } });
  }
}
