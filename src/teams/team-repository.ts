import type { Db } from "../db/client.js";
import type { Team } from "./team.js";
import { cadenceOf } from "./team.js";

export interface TeamRepository {
  findById(id: string): Promise<Team | null>;
  findByChannel(slackTeamId: string, channelId: string): Promise<Team | null>;
  listByWorkspace(slackTeamId: string): Promise<Team[]>;
  listAll(): Promise<Team[]>;
  /** Creates the channel's team or updates it; returns the stored team and whether it was new. */
  save(team: Omit<Team, "id"> & { id?: string }): Promise<Team>;
}

type TeamRow = Omit<Team, "cadenceWeeks"> & { cadenceWeeks: number };
const toTeam = (row: TeamRow): Team => ({ ...row, cadenceWeeks: cadenceOf(row.cadenceWeeks) });
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
  createdBy: t.createdBy,
});

export class PrismaTeamRepository implements TeamRepository {
  constructor(private readonly db: Db) {}

  async findById(id: string) {
    const row = await this.db.team.findUnique({ where: { id } });
    return row ? toTeam(row) : null;
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

  async save(team: Omit<Team, "id"> & { id?: string }) {
    const data = fields(team);
    const row = team.id
      ? await this.db.team.update({ where: { id: team.id }, data })
      : await this.db.team.create({ data: { ...data, createdAt: team.createdAt } });
    return toTeam(row);
  }
}
