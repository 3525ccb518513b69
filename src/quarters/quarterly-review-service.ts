import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import { quarterTrend } from "../incidents/metrics.js";
import { type Quarter, quarterOf } from "../incidents/quarters.js";
import type { IncidentRecord } from "../incidents/types.js";
import { type Announcer, ChannelUnreachable, type Notices } from "../notices.js";
import { localDateTimeToInstant } from "../scheduler/schedule.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { assertAdmin } from "../teams/roles.js";
import type { Team } from "../teams/team.js";
import {
  type CoePatterns,
  draftOf,
  isQuarterKey,
  openActionItems,
  QUARTER_MAX,
  type QuarterlyReview,
  type QuarterlyReviewInput,
  type QuarterlySchedule,
  quarterFromKey,
  quarterKey,
} from "./quarterly-review.js";
import type { QuarterlyReviewRepository } from "./quarterly-review-repository.js";

/** What the review modal opens with. */
export interface QuarterDraft {
  team: Team;
  quarter: string;
  /** the quarter's review so far (a new submission replaces it), else the draft from the quarter's data */
  existing: QuarterlyReview | null;
  draft: { achieved: string; learned: string };
  /** the previous review's stop list: "Did it stay stopped?" */
  lastStopList: string[];
}

/** What `/ratchet quarter` shows. */
export interface QuarterOverview {
  team: Team;
  quarter: string;
  schedule: QuarterlySchedule | null;
  review: QuarterlyReview | null;
  patterns: CoePatterns;
}

/** An opening not posted within this long after its time (the bot was down) is dropped, not posted late. */
const OPEN_GRACE_MS = 7 * 24 * 60 * 60 * 1000;
const DUE_BATCH = 100;

export class QuarterlyReviewService {
  constructor(
    private readonly deps: {
      reviews: QuarterlyReviewRepository;
      teams: { findById(id: string): Promise<Team | null> };
      incidents: { listForTeam(teamId: string): Promise<IncidentRecord[]> };
      clock: Clock;
      outbox: Outbox;
      announcer: Announcer;
      log: Logger;
      /** the audit log: every change of the review date */
      audit?: AuditService;
    },
  ) {}

  private async team(teamId: string): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  private quarter(key: string, team: Team): Quarter {
    if (!isQuarterKey(key)) throw new DomainError("invalid_input", "That quarter is not one I know.");
    return quarterFromKey(key, team.timezone);
  }

  /** The quarter `/ratchet quarter` talks about: the one now is in, on the team's wall clock. */
  currentQuarter(team: Team): string {
    return quarterKey(quarterOf(this.deps.clock.now(), team.timezone));
  }

  async overview(team: Team): Promise<QuarterOverview> {
    const now = this.deps.clock.now();
    const quarter = this.currentQuarter(team);
    const [schedule, review, incidents] = await Promise.all([
      this.deps.reviews.scheduleFor(team.id),
      this.deps.reviews.find(team.id, quarter),
      this.deps.incidents.listForTeam(team.id),
    ]);
    const { metrics } = quarterTrend(incidents, now, team.timezone).current;
    return {
      team,
      quarter,
      schedule,
      review,
      patterns: {
        incidentCount: metrics.incidentCount,
        repeatCount: metrics.repeatCount,
        topCategories: Object.entries(metrics.byCategory)
          .filter(([, count]) => count > 0)
          .map(([category, count]) => ({ category, count }))
          .sort((a, b) => b.count - a.count)
          .slice(0, 3),
        topTags: metrics.byTag.slice(0, 5),
        openActionItems: openActionItems(incidents),
      },
    };
  }

  /** The review date's form, for a team admin only (it is a setting: the roles rule). */
  async schedule(teamId: string, by: string): Promise<{ team: Team; schedule: QuarterlySchedule | null }> {
    const team = await this.team(teamId);
    assertAdmin(team, by, undefined, "change the quarterly review date");
    return { team, schedule: await this.deps.reviews.scheduleFor(teamId) };
  }

  /**
   * Sets when the next review opens: a local date and time in the team's zone (DST-safe through
   * schedule.ts). It must be in the future; the review looks back on the quarter that date is in.
   */
  async setSchedule(
    teamId: string,
    input: { date: string; time: string },
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<void> {
    const team = await this.team(teamId);
    assertAdmin(team, by, "date", "change the quarterly review date");
    const now = this.deps.clock.now();
    const opensAt = localDateTimeToInstant(input.date, input.time, team.timezone);
    if (opensAt.getTime() <= now.getTime())
      throw new DomainError("invalid_input", "Pick a date and time still to come.", "date");
    const quarter = quarterKey(quarterOf(opensAt, team.timezone));
    const schedule = { teamId, localDate: input.date, localTime: input.time, opensAt, quarter };
    const before = await this.deps.reviews.scheduleFor(teamId);
    await this.deps.reviews.setSchedule({ ...schedule, updatedBy: by, updatedAt: now });
    this.deps.log.info({ teamId, quarter, opensAt }, "quarterly review scheduled");
    await this.deps.audit?.record({
      team,
      subject: { type: "quarter", id: teamId },
      actor: { userId: by, surface },
      action: before ? "settings changed" : "scheduled",
      before: before ? { ...before } : null,
      after: schedule,
      ignore: ["teamId"],
    });
  }

  /** The review modal's content: the quarter's review so far, or its first draft from the quarter's data. */
  async draft(teamId: string, key: string): Promise<QuarterDraft> {
    const team = await this.team(teamId);
    const quarter = this.quarter(key, team);
    const [existing, previous, snapshot, incidents] = await Promise.all([
      this.deps.reviews.find(teamId, key),
      this.deps.reviews.latestBefore(teamId, key),
      this.deps.reviews.snapshot(teamId, quarter),
      this.deps.incidents.listForTeam(teamId),
    ]);
    return {
      team,
      quarter: key,
      existing,
      draft: draftOf(snapshot, incidents, quarter),
      lastStopList: previous?.stopItems.map((i) => i.item) ?? [],
    };
  }

  /**
   * Keeps the review (one per team and quarter: a later submission replaces it, one revision up) and
   * queues its ONE post under a key per revision, so each submission is posted once. Database writes
   * only (Slack's 3 seconds); the listener's claim makes a double submit a no-op.
   */
  async submit(
    teamId: string,
    key: string,
    submitted: Omit<QuarterlyReviewInput, "stoppedCheck"> & { stayed: readonly boolean[] },
    by: string,
  ): Promise<QuarterlyReview> {
    const team = await this.team(teamId);
    this.quarter(key, team);
    const now = this.deps.clock.now();
    const { stayed, ...input } = submitted;
    // The answers match last quarter's stop list as it is now, in the modal's order (never item text
    // sent back by the client).
    const previous = await this.deps.reviews.latestBefore(teamId, key);
    const stoppedCheck = (previous?.stopItems ?? [])
      .slice(0, QUARTER_MAX.stopCheck)
      .flatMap((s, i) => (i < stayed.length ? [{ item: s.item, stayed: stayed[i] === true }] : []));
    const review = await this.deps.reviews.save({
      ...input,
      stoppedCheck,
      teamId,
      quarter: key,
      submittedBy: by,
      at: now,
    });
    this.deps.log.info({ teamId, quarter: key, revision: review.revision }, "quarterly review saved");
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: `quarterly-review:${review.id}:${review.revision}`,
      kind: "quarterly_review",
      ref: { reviewId: review.id, revision: review.revision },
      target: team.channelId,
      teamId,
      notBefore: now,
      at: now,
    });
    return review;
  }

  /** The review as posted; a revision replaced before it went out is not posted (the newer one is). */
  readonly reviewHandler: DeliveryHandler<"quarterly_review", Notices["quarterly_review"]> = {
    resolve: async ({ reviewId, revision }) => {
      const review = await this.deps.reviews.findById(reviewId);
      if (!review || review.revision !== revision) return null;
      const team = await this.deps.teams.findById(review.teamId);
      return team ? { review, teamName: team.name } : null;
    },
  };

  /**
   * The `quarterly-reviews` job, safe to run twice for the same `now`: reads only schedules due now
   * through the `opensAt` index (never every team), queues "Quarterly review is open" under the key
   * `quarter-open:<team>:<quarter>` — the claim: once per team and quarter, whatever dates are set —
   * then clears the due instant (compare-and-set, so a date set meanwhile stays due). Catch-up: after
   * downtime an opening is posted late, up to a week after its time; older ones are dropped.
   */
  async sweep(now: Date): Promise<{ opened: number }> {
    let opened = 0;
    for (const s of await this.deps.reviews.listDue(now, DUE_BATCH)) {
      const team = await this.deps.teams.findById(s.teamId);
      const at = s.opensAt ?? now;
      if (team && now.getTime() - at.getTime() <= OPEN_GRACE_MS) {
        const fresh = await this.deps.outbox.enqueue({
          key: `quarter-open:${team.id}:${s.quarter}`,
          kind: "quarter_open",
          ref: { teamId: team.id, quarter: s.quarter },
          target: team.channelId,
          teamId: team.id,
          notBefore: now,
          expiresAt: new Date(at.getTime() + OPEN_GRACE_MS),
          at: now,
        });
        if (fresh) opened++;
      }
      await this.deps.reviews.markOpened(s);
    }
    return { opened };
  }

  readonly openHandler: DeliveryHandler<"quarter_open", Notices["quarter_open"]> = {
    resolve: async ({ teamId, quarter }) => {
      const team = await this.deps.teams.findById(teamId);
      return team ? { teamId, quarter } : null;
    },
  };

  /** `/ratchet quarter export`: the latest review as Markdown, uploaded to the team channel now. */
  async exportMarkdown(team: Team): Promise<boolean> {
    const review = await this.deps.reviews.latest(team.id);
    if (!review) return false;
    try {
      await this.deps.announcer.send({ channel: team.channelId }, "quarterly_review_export", {
        review,
        teamName: team.name,
        timezone: team.timezone,
      });
    } catch (err) {
      if (err instanceof ChannelUnreachable)
        throw new DomainError(
          "forbidden",
          "I can't upload to the team's channel. Invite me there with `/invite @Ratchet` and export again:",
          undefined,
          [team.channelId],
        );
      throw err;
    }
    return true;
  }
}
