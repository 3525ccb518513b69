import type { Db } from "../db/client.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { parseAdmins } from "./roles.js";
import type { Team } from "./team.js";
import { cadenceOf } from "./team.js";
import type { DueTeam, TeamDueIndex, TeamJob } from "./team-due.js";

/** Also the team-wide jobs' due index: its columns live on the team row (see team-due.ts). */
export interface TeamRepository extends TeamDueIndex {
  findById(id: string): Promise<Team | null>;
  /** The teams with these ids that exist, in no particular order (any number of ids). */
  findByIds(ids: readonly string[]): Promise<Team[]>;
  findByChannel(slackTeamId: string, channelId: string): Promise<Team | null>;
  listByWorkspace(slackTeamId: string): Promise<Team[]>;
  listAll(): Promise<Team[]>;
  /** Creates the channel's team or updates it (clearing its due index); returns the stored team. */
  save(team: Omit<Team, "id"> & { id?: string }): Promise<Team>;
}

type TeamRow = Omit<Team, "cadenceWeeks" | "admins"> & { cadenceWeeks: number; admins: string } & Partial<
    Record<DueColumn, Date | null>
  > & { workspaceAway?: boolean };
const toTeam = (row: TeamRow): Team => {
  const {
    deviationsDueAt: _d,
    debriefsDueAt: _b,
    alarmsDueAt: _a,
    rollupsDueAt: _r,
    workspaceAway: _w,
    ...team
  } = row;
  return { ...team, cadenceWeeks: cadenceOf(row.cadenceWeeks), admins: parseAdmins(row.admins) };
};

const DUE_COLUMNS = {
  deviations: "deviationsDueAt",
  debriefs: "debriefsDueAt",
  alarms: "alarmsDueAt",
  rollups: "rollupsDueAt",
} as const satisfies Record<TeamJob, string>;
type DueColumn = (typeof DUE_COLUMNS)[TeamJob];

/** Every due instant cleared: what a save writes, so the jobs look at the new settings next tick. */
const CLEARED = { deviationsDueAt: null, debriefsDueAt: null, alarmsDueAt: null, rollupsDueAt: null };

/**
 * `column` is null or at/before `now`: the due rows, found through the column's index. A team whose
 * workspace uninstalled Ratchet is left out (its due instant stays where it was: after a re-install
 * the team is due at once, and each job's own catch-up policy decides what is still sent).
 */
const dueWhere = (column: DueColumn, now: Date): Prisma.TeamWhereInput => ({
  OR: [{ [column]: null }, { [column]: { lte: now } }],
  workspaceAway: false,
});
const fields = (t: Omit<Team, "id">) => ({
  slackTeamId: t.slackTeamId,
  name: t.name,
  channelId: t.channelId,
  timezone: t.timezone,
  reviewWeekday: t.reviewWeekday,
  reviewTime: t.reviewTime,
  cadenceWeeks: t.cadenceWeeks,
  cycleAnchor: t.cycleAnchor,
  debriefEnabled: t.debriefEnabled,
  debriefWeekday: t.debriefWeekday,
  debriefTime: t.debriefTime,
  debriefDigestTime: t.debriefDigestTime,
  debriefNudge: t.debriefNudge,
  rollupWeekday: t.rollupWeekday,
  rollupTime: t.rollupTime,
  incidentsChannelId: t.incidentsChannelId,
  fullCoeSeverities: t.fullCoeSeverities,
  coeDeepDiveHours: t.coeDeepDiveHours,
  admins: t.admins.join(","),
  createdBy: t.createdBy,
});

export class PrismaTeamRepository implements TeamRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string) {
    const row = await this.db.team.findUnique({ where: { id } });
    return row ? toTeam(row) : null;
  }

  async findByIds(ids: readonly string[]) {
    const teams: Team[] = [];
    // In chunks: SQLite refuses more than 999 bound parameters in one query.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.team.findMany({ where: { id: { in: ids.slice(i, i + 500) } } });
      teams.push(...rows.map(toTeam));
    }
    return teams;
  }

  async findByChannel(slackTeamId: string, channelId: string) {
    const row = await this.db.team.findUnique({
      where: { slackTeamId_channelId: { slackTeamId, channelId } },
    });
    return row ? toTeam(row) : null;
  }

  async listByWorkspace(slackTeamId: string) {
    const rows = await this.db.team.findMany({ where: { slackTeamId }, orderBy: { name: "asc" } });
    return rows.map(toTeam);
  }

  async listAll() {
    return (await this.db.team.findMany({ orderBy: { createdAt: "asc" } })).map(toTeam);
  }

  async listDue(job: TeamJob, now: Date, limit: number): Promise<DueTeam[]> {
    const column = DUE_COLUMNS[job];
    const rows = await this.db.team.findMany({
      where: dueWhere(column, now),
      // Never-looked-at first, then the most overdue; id keeps the order total.
      orderBy: [{ [column]: { sort: "asc", nulls: "first" } }, { id: "asc" }],
      take: limit,
    });
    return rows.map((row) => ({ team: toTeam(row), dueAt: row[column] }));
  }

  async advance(job: TeamJob, due: DueTeam, next: Date): Promise<void> {
    const column = DUE_COLUMNS[job];
    // Compare-and-set: a save in between cleared the column, and that must win.
    await this.db.team.updateMany({
      where: { id: due.team.id, [column]: due.dueAt },
      data: { [column]: next },
    });
  }

  async clearAll(): Promise<void> {
    await this.db.team.updateMany({ data: CLEARED });
  }

  async save(team: Omit<Team, "id"> & { id?: string }) {
    const data = { ...fields(team), ...CLEARED };
    const row = team.id
      ? await this.db.team.update({ where: { id: team.id }, data })
      : await this.db.team.create({ data: { ...data, createdAt: team.createdAt } });
    return toTeam(row);
  }
}
