import type { Db } from "../db/client.js";

/**
 * Which workspace a channel or a person belongs to, from what Ratchet stored about them: for the
 * Slack calls a scheduled job makes directly (an edit, a channel's members, a person's time zone),
 * which run in no request's or delivery's workspace scope. Null when nothing stored names one.
 */
export interface WorkspaceLookup {
  ofChannel(channel: string): Promise<string | null>;
  ofUser(user: string): Promise<string | null>;
}

/** Answers kept, at most: a channel or a person never moves to another workspace. */
const CACHE_MAX = 10_000;

const USER_ID = /^[UW][A-Z0-9]+$/;

export class PrismaWorkspaceLookup implements WorkspaceLookup {
  private readonly byChannel = new Map<string, string>();
  private readonly byUser = new Map<string, string>();

  constructor(private readonly db: Db) {}

  async ofChannel(channel: string): Promise<string | null> {
    const known = this.byChannel.get(channel);
    if (known) return known;
    const found = await this.findChannel(channel);
    if (found) remember(this.byChannel, channel, found);
    return found;
  }

  async ofUser(user: string): Promise<string | null> {
    const known = this.byUser.get(user);
    if (known) return known;
    const found = await this.findUser(user);
    if (found) remember(this.byUser, user, found);
    return found;
  }

  private async findChannel(channel: string): Promise<string | null> {
    const team = await this.db.team.findFirst({
      where: { OR: [{ channelId: channel }, { incidentsChannelId: channel }] },
      // A channel shared between workspaces (Slack Connect): one still installed speaks for it.
      orderBy: { workspaceAway: "asc" },
      select: { slackTeamId: true },
    });
    if (team) return team.slackTeamId;
    const workspace =
      (await this.db.workspace.findFirst({
        where: { rollupChannelId: channel },
        select: { slackTeamId: true },
      })) ??
      (await this.db.wbrSchedule.findFirst({ where: { channelId: channel }, select: { slackTeamId: true } }));
    if (workspace) return workspace.slackTeamId;
    const incident = await this.db.incident.findFirst({
      where: { channelId: channel },
      select: { team: { select: { slackTeamId: true } } },
    });
    if (incident) return incident.team.slackTeamId;
    // A DM's channel is only known from the post that opened it: its team, else its person's.
    const posted = await this.db.delivery.findFirst({
      where: { channel },
      orderBy: { teamId: { sort: "asc", nulls: "last" } },
      select: { teamId: true, target: true },
    });
    if (!posted) return null;
    if (posted.teamId) {
      const owner = await this.db.team.findUnique({
        where: { id: posted.teamId },
        select: { slackTeamId: true },
      });
      if (owner) return owner.slackTeamId;
    }
    return USER_ID.test(posted.target) ? this.ofUser(posted.target) : null;
  }

  private async findUser(user: string): Promise<string | null> {
    const home =
      (await this.db.homeView.findFirst({ where: { userId: user }, select: { slackTeamId: true } })) ??
      (await this.db.personPrefs.findFirst({ where: { userId: user }, select: { slackTeamId: true } }));
    if (home) return home.slackTeamId;
    const teamOf = { select: { team: { select: { slackTeamId: true } } } } as const;
    const mechanism = await this.db.mechanism.findFirst({
      where: { OR: [{ ownerId: user }, { stopOwnerId: user }, { createdBy: user }] },
      ...teamOf,
    });
    if (mechanism) return mechanism.team.slackTeamId;
    const item = await this.db.actionItem.findFirst({
      where: { ownerId: user },
      select: { finding: { select: { incident: teamOf } } },
    });
    if (item) return item.finding.incident.team.slackTeamId;
    const answer = await this.db.debriefAnswer.findFirst({
      where: { userId: user },
      select: { round: teamOf },
    });
    if (answer) return answer.round.team.slackTeamId;
    const team = await this.db.team.findFirst({ where: { createdBy: user }, select: { slackTeamId: true } });
    return team?.slackTeamId ?? null;
  }
}

function remember(cache: Map<string, string>, key: string, value: string) {
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, value);
}
