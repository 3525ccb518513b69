import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import { yieldToEventLoop } from "../shared/yield.js";
import {
  emptyPage,
  HOME_PAGE,
  type HomeAdminRow,
  type HomeData,
  type HomeList,
  type HomePaging,
  type HomeRollup,
  homeHash,
  isTeamAdmin,
  type Page,
  readPaging,
} from "./home.js";
import type { HomeRepository, HomeTeamRow } from "./home-repository.js";

/** Where a Home goes: Slack's views.publish in the app (src/wiring/home.ts); a recorder in tests. */
export interface HomeSurface {
  /** `slackTeamId`: the workspace whose Home it is (a job's publish speaks for it; see wiring/home.ts) */
  publish(userId: string, home: HomeData, slackTeamId: string): Promise<void>;
}

/** What the Home needs from Slack beyond publishing, as functions so the domain knows no client. */
export interface HomeSlackReads {
  /** the people in a team's channel (the admin section's "not shared yet") */
  channelMembers(channel: string): Promise<string[]>;
  /** a link to a posted message, or null */
  permalink(channel: string, ts: string): Promise<string | null>;
}

/**
 * At most one re-publish per person in this window after scheduled posts that concern them: a tick
 * that queues a reminder, an alarm and a nudge for one person re-publishes their Home once.
 */
const HOME_THROTTLE_MS = 5 * 60_000;
/** Homes a sweep re-publishes per tick; the rest stay stale for the next tick. */
const SWEEP_BATCH = 50;
const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * A person's Home tab: loads it as data, publishes it when it changed (a hash on the HomeView row),
 * and re-publishes it after the person's own actions (at once) and after scheduled posts that
 * concern them (marked stale, then the `home` job, throttled).
 */
export class HomeService {
  /**
   * When this process next expects a stale Home (null: none it knows of), so a quiet tick costs no
   * query; Homes another replica marked are found by the look the sweep takes every HOME_THROTTLE_MS.
   */
  private nextDue: number | null = null;
  private lastLook = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      homes: HomeRepository;
      surface: HomeSurface;
      slack: HomeSlackReads;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /**
   * The person opened their Home. `shown` is false when Slack has no Home from us for them (the
   * event carries no view): then it is published even if our record says nothing changed.
   */
  opened(slackTeamId: string, userId: string, shown: boolean): Promise<boolean> {
    return this.publish(slackTeamId, userId, { force: !shown });
  }

  /** "Show more" (or back to the start) on one list; the other lists keep their place. */
  async showPage(slackTeamId: string, userId: string, list: HomeList, offset: number): Promise<boolean> {
    const view = await this.deps.homes.findView(slackTeamId, userId);
    const paging: HomePaging = { ...readPaging(view?.paging ?? "{}"), [list]: offset };
    return this.publish(slackTeamId, userId, { paging });
  }

  /** After the person's own action: re-published at once, if they have ever opened their Home. */
  async refreshFor(slackTeamId: string, userId: string): Promise<boolean> {
    if (!slackTeamId || !userId) return false;
    if (!(await this.deps.homes.findView(slackTeamId, userId))) return false;
    return this.publish(slackTeamId, userId, {});
  }

  /** Scheduled posts were queued: the Homes of the people and teams they concern are stale. */
  async touch(o: { userIds: string[]; teamIds: string[] }): Promise<void> {
    const at = this.deps.clock.now();
    if ((await this.deps.homes.markStale({ ...o, at })) > 0) this.expect(at);
  }

  private expect(at: Date): void {
    this.nextDue = Math.min(this.nextDue ?? Number.POSITIVE_INFINITY, at.getTime());
  }

  /**
   * The `home` job: re-publishes stale Homes, each at most once per HOME_THROTTLE_MS (one published
   * sooner is put off until its window ends). Safe to run twice: a Home that did not change is not
   * published again. Catch-up: stale Homes wait for the next tick, oldest first.
   */
  async sweep(now: Date): Promise<number> {
    const t = now.getTime();
    const looked = t - this.lastLook;
    // Nothing due that this process knows of, and the periodic look is not due (a clock that went back looks).
    if ((this.nextDue === null || this.nextDue > t) && looked >= 0 && looked < HOME_THROTTLE_MS) return 0;
    this.lastLook = t;
    this.nextDue = null;
    let published = 0;
    const stale = await this.deps.homes.staleViews(now, SWEEP_BATCH);
    if (stale.length === SWEEP_BATCH) this.expect(now);
    for (const v of stale) {
      const nextAllowed = new Date(v.lastPublishedAt.getTime() + HOME_THROTTLE_MS);
      if (nextAllowed > now) {
        await this.deps.homes.setStale(v.slackTeamId, v.userId, nextAllowed);
        this.expect(nextAllowed);
        continue;
      }
      try {
        if (await this.publish(v.slackTeamId, v.userId, {})) published++;
      } catch (err) {
        // One person's Home failing (they left, Slack refused) must not hold up the others: try later.
        this.deps.log.warn({ err, user: v.userId }, "could not re-publish a Home");
        const retry = new Date(t + HOME_THROTTLE_MS);
        await this.deps.homes.setStale(v.slackTeamId, v.userId, retry);
        this.expect(retry);
      }
      await yieldToEventLoop();
    }
    return published;
  }

  /** The person's Home as data, each list from its stored (or given) page. */
  async load(slackTeamId: string, userId: string, paging: HomePaging): Promise<HomeData> {
    const { homes } = this.deps;
    const now = this.deps.clock.now();
    const team = await homes.myTeam(slackTeamId, userId);
    const [mechanisms, reviews, breaches, actionItems] = await Promise.all([
      homes.mechanisms(slackTeamId, userId, paging.mechanisms ?? 0),
      homes.reviews(slackTeamId, userId, paging.reviews ?? 0),
      homes.breaches(slackTeamId, userId, paging.breaches ?? 0),
      homes.actionItems(slackTeamId, userId, paging.actionItems ?? 0, now),
    ]);
    const teamPart = team ? await this.teamSections(team, userId, paging, now) : null;
    return {
      userId,
      team: team
        ? { id: team.id, name: team.name, channelId: team.channelId, timezone: team.timezone }
        : null,
      mechanisms,
      reviews,
      breaches,
      actionItems,
      alarms: teamPart?.alarms ?? emptyPage(),
      admin: teamPart?.admin ?? null,
      debrief: teamPart?.debrief ?? null,
      rollup: teamPart?.rollup ?? null,
    };
  }

  private async teamSections(team: HomeTeamRow, userId: string, paging: HomePaging, now: Date) {
    const { homes } = this.deps;
    const [alarms, round, rollupRow] = await Promise.all([
      homes.alarms(team.id, paging.alarms ?? 0),
      team.debriefEnabled ? homes.debriefRound(team.id, new Date(now.getTime() - WEEK_MS), now) : null,
      homes.lastRollup(team.id, team.channelId),
    ]);
    const sharers = round ? await homes.debriefSharers(round.id) : [];
    const debrief = round
      ? {
          roundId: round.id,
          localDate: round.localDate,
          shared: sharers.includes(userId),
          open: round.status === "open",
        }
      : null;
    const admin = isTeamAdmin(team, userId)
      ? await this.adminRows(team, round ? sharers : null, paging.admin ?? 0)
      : null;
    return { alarms, debrief, admin, rollup: await this.rollup(rollupRow) };
  }

  /** Mechanisms past their gate, then who hasn't shared this week's debrief (when there is one). */
  private async adminRows(
    team: HomeTeamRow,
    sharers: string[] | null,
    offset: number,
  ): Promise<Page<HomeAdminRow>> {
    const pastGate: HomeAdminRow[] = (await this.deps.homes.pastGate(team.id)).map((m) => ({
      type: "past_gate",
      mechanismId: m.id,
      title: m.title,
      gateReason: m.gateReason,
    }));
    let unshared: HomeAdminRow[] = [];
    if (sharers) {
      try {
        const members = await this.deps.slack.channelMembers(team.channelId);
        unshared = members.filter((u) => !sharers.includes(u)).map((u) => ({ type: "unshared", userId: u }));
      } catch (err) {
        // Slack can't list the channel (Ratchet was removed): the rest of the Home still shows.
        this.deps.log.warn({ err, teamId: team.id }, "could not list the team's channel for Home");
      }
    }
    const rows = [...pastGate, ...unshared];
    return { items: rows.slice(offset, offset + HOME_PAGE), offset, total: rows.length };
  }

  private async rollup(row: Awaited<ReturnType<HomeRepository["lastRollup"]>>): Promise<HomeRollup | null> {
    if (!row) return null;
    const ref = JSON.parse(row.ref) as { week?: string; from?: string; to?: string };
    const permalink = row.channel && row.ts ? await this.deps.slack.permalink(row.channel, row.ts) : null;
    return {
      week: ref.week ?? "",
      from: ref.from ?? "",
      to: ref.to ?? "",
      postedAt: row.postedAt,
      permalink,
    };
  }

  /** Loads, compares with the last publish, and publishes when it changed (or when forced). */
  private async publish(
    slackTeamId: string,
    userId: string,
    o: { paging?: HomePaging; force?: boolean },
  ): Promise<boolean> {
    const { homes, clock } = this.deps;
    const before = await homes.findView(slackTeamId, userId);
    const paging = o.paging ?? readPaging(before?.paging ?? "{}");
    const data = await this.load(slackTeamId, userId, paging);
    const hash = homeHash(data);
    if (before && before.hash === hash && !o.force) {
      if (before.staleAt) await homes.setStale(slackTeamId, userId, null);
      return false;
    }
    await this.deps.surface.publish(userId, data, slackTeamId);
    await homes.saveView({
      slackTeamId,
      userId,
      teamId: data.team?.id ?? null,
      hash,
      paging: JSON.stringify(paging),
      lastPublishedAt: clock.now(),
      staleAt: null,
    });
    return true;
  }
}
