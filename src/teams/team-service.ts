import type { Logger } from "pino";
import type { Actor } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Notices } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { anchorFor, newTeamDefaults, slotChanged } from "./review-slot.js";
import { assertAdmin } from "./roles.js";
import type { Team, TeamSetupInput } from "./team.js";
import type { TeamRepository } from "./team-repository.js";

/** Called after a team's review slot changes so active mechanisms move to the new slot. */
export type OnTeamRescheduled = (team: Team) => Promise<void>;

export class TeamService {
  constructor(
    private readonly deps: {
      teams: TeamRepository;
      clock: Clock;
      outbox: Outbox;
      log: Pick<Logger, "error">;
      onRescheduled?: OnTeamRescheduled;
      /** the audit log: settings changed here are recorded */
      audit?: AuditService;
    },
  ) {}

  /**
   * Creates the channel's team, or updates it when the channel already has one, and queues the
   * channel's confirmation: once per `submission` (the modal's key), so a retried save says it once.
   * In a channel Ratchet isn't in, the outbox tells the team's admin instead (and posts it once invited).
   */
  async setup(input: TeamSetupInput, o: { submission: string }): Promise<{ team: Team; created: boolean }> {
    const now = this.deps.clock.now();
    const existing = await this.deps.teams.findByChannel(input.slackTeamId, input.channelId);
    const slot = slotChanged(existing, input);
    const cycleAnchor = slot || !existing ? anchorFor(input, existing, now) : existing.cycleAnchor;
    const team = await this.deps.teams.save({
      ...(existing ?? { ...newTeamDefaults(input.userId), createdAt: now }),
      ...(existing ? { id: existing.id } : {}),
      slackTeamId: input.slackTeamId,
      name: input.name,
      channelId: input.channelId,
      timezone: input.timezone,
      reviewWeekday: input.reviewWeekday,
      reviewTime: input.reviewTime,
      cadenceWeeks: input.cadenceWeeks,
      cycleAnchor,
    });
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: `team-saved:${o.submission}`,
      kind: "team_saved",
      ref: { teamId: team.id, created: !existing, by: input.userId },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      at: now,
    });
    if (existing && slot) await this.deps.onRescheduled?.(team);
    return { team, created: !existing };
  }

  /** "<team> is set up here" / "settings updated", with the settings as they are when sent. */
  readonly savedHandler: DeliveryHandler<"team_saved", Notices["team_saved"]> = {
    resolve: async ({ teamId, created, by }) => {
      const team = await this.deps.teams.findById(teamId);
      return team ? { team, created, by } : null;
    },
  };

  /**
   * The team a command refers to: the one whose channel it was run in, or the
   * workspace's only team. Anything else is ambiguous and says how to fix it.
   */
  async resolve(slackTeamId: string, channelId: string): Promise<Team> {
    const here = await this.deps.teams.findByChannel(slackTeamId, channelId);
    if (here) return here;
    const all = await this.deps.teams.listByWorkspace(slackTeamId);
    if (all.length === 1 && all[0]) return all[0];
    if (all.length === 0) {
      throw new DomainError(
        "no_team",
        "No team is set up yet. Run `/ratchet setup` in your team's channel first.",
      );
    }
    throw new DomainError(
      "no_team",
      "This channel has no Ratchet team. Run the command in your team's channel:",
      undefined,
      all.map((t) => t.channelId),
    );
  }

  /** Changes a team's ritual settings (debrief, rollup, incidents channel…); the review slot is changed by setup. */
  async updateSettings(
    teamId: string,
    patch: Partial<
      Omit<
        Team,
        | "id"
        | "slackTeamId"
        | "channelId"
        | "reviewWeekday"
        | "reviewTime"
        | "cadenceWeeks"
        | "cycleAnchor"
        | "timezone"
      >
    >,
    /** who asks: only a team admin may (recorded in the audit log); absent for the app's own changes */
    actor?: Actor,
  ): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    if (actor) assertAdmin(team, actor.userId);
    const saved = await this.deps.teams.save({ ...team, ...patch, id: team.id });
    if (actor) {
      await this.deps.audit?.record({
        team: saved,
        subject: { type: "team", id: saved.id },
        actor,
        action: "settings changed",
        before: { ...team },
        after: { ...saved },
      });
    }
    return saved;
  }

  listAll() {
    return this.deps.teams.listAll();
  }

  findByChannel(slackTeamId: string, channelId: string) {
    return this.deps.teams.findByChannel(slackTeamId, channelId);
  }

  get(id: string) {
    return this.deps.teams.findById(id);
  }
}
