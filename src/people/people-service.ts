import type { Logger } from "pino";
import { type Actor, auditEntryFor } from "../audit/audit-entry.js";
import type { MechanismRepository } from "../mechanisms/mechanism-repository.js";
import { reviewSlot } from "../mechanisms/mechanism-service.js";
import type { Announcer, Notices } from "../notices.js";
import { localDateKey, nextWeeklySlot } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type { PeopleRepository } from "./people-repository.js";
import { defaultPrefs, type PersonPrefs } from "./person-prefs.js";
import { addDays, dayNumber, MAX_QUIET_DAYS, type QuietDay } from "./quiet-days.js";

/** Quiet days as typed in the form: the person's own time away, or their team's holiday. */
export interface QuietDaysInput {
  whose: "me" | "team";
  fromDate: string;
  toDate: string;
  note: string;
}

/** How far ahead a calendar file lists the team's quiet days as exceptions. */
const EXDATE_HORIZON_DAYS = 400;

/**
 * Reminders that reach the person: their preferences (channel, DM or both), quiet days (a team's
 * holidays, a person's time away) and the review series as a calendar file. The review job reads
 * the same repository when it claims (src/reviews/review-service.ts).
 */
export class PeopleService {
  constructor(
    private readonly deps: {
      people: PeopleRepository;
      teams: TeamRepository;
      mechanisms: MechanismRepository;
      clock: Clock;
      outbox: Outbox;
      log: Logger;
      /** the person's zone (their Slack profile) for time away */
      announcer: Pick<Announcer, "person">;
    },
  ) {}

  /**
   * What the quiet-days form needs: the team of the channel it is opened in (none outside a team's
   * channel: then only time away), the person's zone (their profile's, else the team's, else UTC)
   * and today's date there.
   */
  async quietDaysForm(slackTeamId: string, channelId: string, userId: string) {
    const team = await this.deps.teams.findByChannel(slackTeamId, channelId);
    const person = await this.deps.announcer.person(userId).catch(() => null);
    const tz = person?.tz ?? team?.timezone ?? "UTC";
    return { team, tz, today: localDateKey(this.deps.clock.now(), tz) };
  }

  async prefs(slackTeamId: string, userId: string): Promise<PersonPrefs> {
    const [found] = await this.deps.people.prefsOf(slackTeamId, [userId]);
    return found ?? defaultPrefs(slackTeamId, userId);
  }

  async savePrefs(prefs: PersonPrefs): Promise<void> {
    await this.deps.people.savePrefs(prefs, this.deps.clock.now());
  }

  /**
   * Adds quiet days. A person's time away is read in `personTz` (their Slack zone, or the team's);
   * a team's holiday in the team's zone. Bad dates change nothing and say which input is wrong.
   */
  async addQuietDays(o: {
    slackTeamId: string;
    team: Team | null;
    by: string;
    personTz: string;
    input: QuietDaysInput;
  }): Promise<QuietDay> {
    const { input } = o;
    const from = dayNumber(input.fromDate);
    const to = dayNumber(input.toDate);
    if (from === null) throw new DomainError("invalid_input", "Pick the first quiet day.", "fromDate");
    if (to === null) throw new DomainError("invalid_input", "Pick the last quiet day.", "toDate");
    if (to < from)
      throw new DomainError("invalid_input", "The last day can't be before the first.", "toDate");
    if (to - from + 1 > MAX_QUIET_DAYS) {
      throw new DomainError("invalid_input", `At most ${MAX_QUIET_DAYS} days at a time.`, "toDate");
    }
    if (input.whose === "team" && !o.team) {
      throw new DomainError(
        "no_team",
        "Team holidays belong to a team: run this in the team's channel (set it up with `/ratchet setup`).",
        "whose",
      );
    }
    const team = input.whose === "team" ? o.team : null;
    const now = this.deps.clock.now();
    const saved = await this.deps.people.addQuietDay({
      slackTeamId: o.slackTeamId,
      teamId: team?.id ?? null,
      userId: team ? null : o.by,
      fromDate: input.fromDate,
      toDate: input.toDate,
      timezone: team?.timezone ?? o.personTz,
      note: input.note.trim().slice(0, 200),
      createdBy: o.by,
      createdAt: now,
    });
    this.deps.log.info({ quietDayId: saved.id, teamId: saved.teamId, by: o.by }, "quiet days added");
    return saved;
  }

  /** The team's holidays and the person's time away that are not over yet, earliest first. */
  async listQuietDays(slackTeamId: string, team: Team | null, userId: string) {
    const today = localDateKey(this.deps.clock.now(), team?.timezone ?? "UTC");
    const since = addDays(today, -1);
    const [holidays, away] = await Promise.all([
      team ? this.deps.people.teamQuietDays([team.id], since) : [],
      this.deps.people.awayOf(slackTeamId, [userId], since),
    ]);
    return { holidays, away };
  }

  /** Removes quiet days: a person's own only by them; a team's holiday by anyone who sees the list. */
  async removeQuietDay(id: string, actor: Actor): Promise<QuietDay> {
    const by = actor.userId;
    const found = await this.deps.people.findQuietDay(id);
    if (!found) {
      throw new DomainError("not_found", "Those quiet days were already removed.");
    }
    if (found.userId && found.userId !== by) {
      throw new DomainError("forbidden", "Only the person who is away can remove their time away.");
    }
    // A hard delete: its entry is written in the same transaction, or nothing is removed. A team's
    // holiday goes in the team's log; a person's time away (no team) under the person.
    const entry = auditEntryFor(
      {
        team: { id: found.teamId ?? "", slackTeamId: found.slackTeamId },
        subject: found.teamId
          ? { type: "team", id: found.teamId }
          : { type: "person", id: found.userId ?? by },
        actor,
        action: found.teamId ? "team quiet days removed" : "time away removed",
        before: { fromDate: found.fromDate, toDate: found.toDate, note: found.note },
        after: null,
      },
      this.deps.clock.now(),
    );
    if (entry) await this.deps.people.removeQuietDay(id, entry);
    return found;
  }

  /**
   * Queues the mechanism's review series as a calendar file to `userId` (a DM). Keyed per person,
   * mechanism and minute, so a click seen twice uploads once.
   */
  async requestCalendar(mechanismId: string, userId: string): Promise<void> {
    const mechanism = await this.deps.mechanisms.findById(mechanismId);
    if (!mechanism) throw new DomainError("not_found", "That mechanism no longer exists.");
    if (mechanism.status !== "active") {
      throw new DomainError(
        "already_done",
        `“${mechanism.title}” was ${mechanism.status}, so it has no more reviews.`,
      );
    }
    const now = this.deps.clock.now();
    const minute = now.toISOString().slice(0, 16);
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: `review-calendar:${mechanismId}:${userId}:${minute}`,
      kind: "review_calendar",
      ref: { mechanismId, userId },
      target: userId,
      teamId: mechanism.teamId,
      notBefore: now,
      at: now,
    });
  }

  /** The calendar file, drawn from the schedule and quiet days as they are when it is sent. */
  readonly calendarHandler: DeliveryHandler<"review_calendar", Notices["review_calendar"]> = {
    resolve: async ({ mechanismId }, now) => {
      const mechanism = await this.deps.mechanisms.findById(mechanismId);
      const team = mechanism ? await this.deps.teams.findById(mechanism.teamId) : null;
      if (!mechanism || !team || mechanism.status !== "active") return null;
      // The series starts at the next regular slot (a moved occurrence is a one-off, not the series).
      const first = nextWeeklySlot(reviewSlot(team, mechanism), now);
      const startDate = localDateKey(first, team.timezone);
      const horizon = addDays(startDate, EXDATE_HORIZON_DAYS);
      const quiet = await this.deps.people.teamQuietDays([team.id], startDate);
      return {
        mechanismId,
        title: mechanism.title,
        description: `Ratchet's 15-minute review of “${mechanism.title}” in ${team.name}: what changed, what didn't, why — then decide.`,
        tz: team.timezone,
        startDate,
        time: team.reviewTime,
        weekday: team.reviewWeekday,
        intervalWeeks: mechanism.cadenceWeeks,
        exdates: seriesDates(startDate, horizon, mechanism.cadenceWeeks).filter((d) =>
          quiet.some((q) => q.fromDate <= d && d <= q.toDate),
        ),
        stamp: now,
      };
    },
  };
}

/** The series' local dates from `start` up to `until`. */
function seriesDates(start: string, until: string, cadenceWeeks: number): string[] {
  const out: string[] = [];
  for (let d = start; d <= until; d = addDays(d, 7 * cadenceWeeks)) out.push(d);
  return out;
}
