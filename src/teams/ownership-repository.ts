import type { Db } from "../db/client.js";

/** Whose an object is: its team, the team's workspace and channel. */
export interface Owner {
  /** the object's id, as asked */
  id: string;
  teamId: string;
  slackTeamId: string;
  channelId: string;
}

/**
 * Finds the team behind any id a request can carry (a button's value, a modal's metadata, a
 * select's option), whatever its kind: the one lookup the isolation guard needs, so a new kind of
 * object is one more line here rather than one more check in every listener.
 */
export interface OwnershipRepository {
  /** The owners of those ids that exist; ids of no known object are left out. */
  ownersOf(ids: readonly string[]): Promise<Owner[]>;
}

type TeamRow = { id: string; slackTeamId: string; channelId: string };
const teamCols = { id: true, slackTeamId: true, channelId: true } as const;
const viaTeam = { team: { select: teamCols } } as const;
const viaMechanism = { mechanism: { select: viaTeam } } as const;
const viaIncident = { incident: { select: viaTeam } } as const;

const owner = (id: string, t: TeamRow): Owner => ({
  id,
  teamId: t.id,
  slackTeamId: t.slackTeamId,
  channelId: t.channelId,
});

export class PrismaOwnershipRepository implements OwnershipRepository {
  constructor(private readonly db: Db) {}

  async ownersOf(ids: readonly string[]): Promise<Owner[]> {
    if (ids.length === 0) return [];
    const where = { id: { in: [...ids] } };
    const db = this.db;
    // One indexed primary-key lookup per kind, all at once; most requests carry one or two ids.
    const found = await Promise.all([
      db.team.findMany({ where, select: teamCols }).then((r) => r.map((t) => owner(t.id, t))),
      ...[
        db.mechanism.findMany({ where, select: { id: true, ...viaTeam } }),
        db.deviation.findMany({ where, select: { id: true, ...viaTeam } }),
        db.debriefRound.findMany({ where, select: { id: true, ...viaTeam } }),
        db.floorDefault.findMany({ where, select: { id: true, ...viaTeam } }),
        db.floorRetirement.findMany({ where, select: { id: true, ...viaTeam } }),
        db.alarm.findMany({ where, select: { id: true, ...viaTeam } }),
        db.incident.findMany({ where, select: { id: true, ...viaTeam } }),
        db.quarterlySchedule.findMany({ where, select: { id: true, ...viaTeam } }),
        db.quarterlyReview.findMany({ where, select: { id: true, ...viaTeam } }),
        db.hatCase.findMany({ where, select: { id: true, ...viaTeam } }),
        db.learningSession.findMany({ where, select: { id: true, ...viaTeam } }),
      ].map((q) => q.then((rows) => rows.map((r) => owner(r.id, r.team)))),
      ...[
        db.signal.findMany({ where, select: { id: true, ...viaMechanism } }),
        db.guardrail.findMany({ where, select: { id: true, ...viaMechanism } }),
        db.review.findMany({ where, select: { id: true, ...viaMechanism } }),
        db.decision.findMany({ where, select: { id: true, ...viaMechanism } }),
      ].map((q) => q.then((rows) => rows.map((r) => owner(r.id, r.mechanism.team)))),
      ...[
        db.timelineEntry.findMany({ where, select: { id: true, ...viaIncident } }),
        db.why.findMany({ where, select: { id: true, ...viaIncident } }),
        db.factor.findMany({ where, select: { id: true, ...viaIncident } }),
        db.finding.findMany({ where, select: { id: true, ...viaIncident } }),
      ].map((q) => q.then((rows) => rows.map((r) => owner(r.id, r.incident.team)))),
      db.actionItem
        .findMany({ where, select: { id: true, finding: { select: viaIncident } } })
        .then((rows) => rows.map((r) => owner(r.id, r.finding.incident.team))),
      db.debriefAnswer
        .findMany({ where, select: { id: true, round: { select: viaTeam } } })
        .then((rows) => rows.map((r) => owner(r.id, r.round.team))),
      this.wbrOwners(where),
    ]);
    return found.flat();
  }

  /** WBR metrics name their team by id only (no relation), so their teams are a second lookup. */
  private async wbrOwners(where: { id: { in: string[] } }): Promise<Owner[]> {
    const [metrics, readings] = await Promise.all([
      this.db.wbrMetric.findMany({ where, select: { id: true, teamId: true } }),
      this.db.wbrReading.findMany({ where, select: { id: true, metric: { select: { teamId: true } } } }),
    ]);
    const byId = [...metrics, ...readings.map((r) => ({ id: r.id, teamId: r.metric.teamId }))];
    if (byId.length === 0) return [];
    const teams = await this.db.team.findMany({
      where: { id: { in: [...new Set(byId.map((m) => m.teamId))] } },
      select: teamCols,
    });
    const team = new Map(teams.map((t) => [t.id, t]));
    return byId.flatMap((m) => {
      const t = team.get(m.teamId);
      return t ? [owner(m.id, t)] : [];
    });
  }
}
