import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import type { OwnershipRepository } from "./ownership-repository.js";

/**
 * A channel's people as Slack lists them; null when the channel no longer exists (Slack's
 * channel_not_found). Any other failure throws.
 */
type ChannelMembers = (channel: string) => Promise<string[] | null>;

/** Who is asking, from where: taken from the request Slack signed, never from the payload's ids. */
export interface Asker {
  /** the workspace the request came from (team_id / team.id / user.team_id) */
  slackTeamId: string;
  userId: string;
}

export type AccessVerdict =
  | { ok: true }
  /** an id names something of another workspace (told as "not here", so nothing of it shows) */
  | { ok: false; why: "workspace" }
  /** an id names something of a team whose channel the person isn't in */
  | { ok: false; why: "channel"; channelId: string }
  /** Slack couldn't say who is in the team's channel: refused, try again */
  | { ok: false; why: "unchecked"; channelId: string };

/** How long a channel's member list is trusted: a person who just joined waits at most this. */
const MEMBERS_TTL_MS = 60_000;
/** How old a list may be when Slack can't answer right now. */
const STALE_OK_MS = 3_600_000;
/** Bounds the cache; a workspace with more team channels than this just asks Slack more often. */
const MEMBERS_CACHE_MAX = 500;

/**
 * The one isolation rule every request passes before a listener sees it: each id it carries must be
 * of a team in the asker's own workspace, whose channel the asker is in. Ids of nothing are let
 * through (the service answers "not found" as before). Membership only: who may edit or delete is
 * the roles rule's, applied after this one.
 */
export class AccessGuard {
  private readonly members = new Map<string, { at: number; people: ReadonlySet<string> | null }>();

  constructor(
    private readonly deps: {
      owners: OwnershipRepository;
      channelMembers: ChannelMembers;
      clock: Clock;
      log: Logger;
    },
  ) {}

  async check(asker: Asker, ids: readonly string[]): Promise<AccessVerdict> {
    if (ids.length === 0) return { ok: true };
    const owners = await this.deps.owners.ownersOf(ids);
    if (owners.some((o) => o.slackTeamId !== asker.slackTeamId)) {
      this.deps.log.warn(
        { workspace: asker.slackTeamId, user: asker.userId, ids: owners.map((o) => o.id) },
        "refused a request naming another workspace's objects",
      );
      return { ok: false, why: "workspace" };
    }
    for (const channelId of new Set(owners.map((o) => o.channelId))) {
      let people: ReadonlySet<string> | null;
      try {
        people = await this.channelPeople(channelId);
      } catch (err) {
        this.deps.log.warn({ err, channel: channelId }, "could not list a team channel's members");
        return { ok: false, why: "unchecked", channelId };
      }
      // A deleted channel has no members to ask; its team's objects stay guarded by workspace.
      if (people && !people.has(asker.userId)) return { ok: false, why: "channel", channelId };
    }
    return { ok: true };
  }

  private async channelPeople(channelId: string): Promise<ReadonlySet<string> | null> {
    const now = this.deps.clock.now().getTime();
    const cached = this.members.get(channelId);
    // A clock that went back (tests, a corrected host) invalidates too.
    if (cached && now >= cached.at && now - cached.at < MEMBERS_TTL_MS) return cached.people;
    let listed: string[] | null;
    try {
      listed = await this.deps.channelMembers(channelId);
    } catch (err) {
      // Slack down for a moment: a list read within the hour is better than refusing everyone.
      if (cached && now >= cached.at && now - cached.at < STALE_OK_MS) return cached.people;
      throw err;
    }
    const people = listed ? new Set(listed) : null;
    if (this.members.size >= MEMBERS_CACHE_MAX) this.members.clear();
    this.members.set(channelId, { at: now, people });
    return people;
  }
}
