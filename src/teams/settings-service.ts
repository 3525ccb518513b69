import type { Logger } from "pino";
import type { AuditService } from "../audit/audit-service.js";
import type { Clock } from "../shared/clock.js";
import { enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { anchorFor, newTeamDefaults, slotChanged } from "./review-slot.js";
import { assertAdmin, nextAdmins } from "./roles.js";
import { changedRowSections, type SettingsInput, type SettingsSection } from "./settings.js";
import type { Team } from "./team.js";
import type { TeamRepository } from "./team-repository.js";
import type { OnTeamRescheduled } from "./team-service.js";

/** Where the workspace's all-teams rollup goes (the rollup repository keeps it). */
export interface WorkspaceChannels {
  workspaceChannel(slackTeamId: string): Promise<string | null>;
  setWorkspaceChannel(slackTeamId: string, channelId: string | null, at: Date): Promise<void>;
}

export interface SettingsSaved {
  team: Team;
  created: boolean;
  /** the sections whose values changed: empty when the person saved what was already there */
  changed: SettingsSection[];
  workspaceChannelId: string | null;
}

/**
 * Every team setting, saved in one go. The form was validated whole before this is called, and all
 * of the team's settings are one row, so a save changes every section or none of them; only the
 * workspace's rollup channel is a second write, and only when it changed. Confirmations are queued
 * once per `submission` and only for sections that changed.
 */
export class SettingsService {
  constructor(
    private readonly deps: {
      teams: TeamRepository;
      workspaces: WorkspaceChannels;
      clock: Clock;
      outbox: Outbox;
      log: Pick<Logger, "error">;
      onRescheduled?: OnTeamRescheduled;
      /** the incidents section's COE depth or deep-dive window changed: open COEs are looked at again */
      onCoeSettingsChanged?: (teamId: string) => Promise<void>;
      /** the audit log: every settings change is recorded */
      audit?: AuditService;
    },
  ) {}

  /** The workspace's all-teams rollup channel, for the form. */
  workspaceChannel(slackTeamId: string): Promise<string | null> {
    return this.deps.workspaces.workspaceChannel(slackTeamId);
  }

  /**
   * `teamId` is the team the form was opened for; null when the channel had none yet, and then the
   * team section sets up (or, as setup always has, updates) the team of the channel it names.
   */
  async save(
    input: SettingsInput,
    by: { teamId: string | null; submission: string },
  ): Promise<SettingsSaved> {
    const now = this.deps.clock.now();
    const t = input.team;
    const existing = await this.existing(by.teamId, input);
    // Only admins change an existing team's settings (anyone, while it has none: no lockout on upgrade).
    if (existing) assertAdmin(existing, t.userId, "admins");
    const admins = this.admins(existing, input.admins ?? undefined, t.userId);
    const slot = slotChanged(existing, t);
    const next: Omit<Team, "id"> = {
      ...(existing ?? { ...newTeamDefaults(t.userId), createdAt: now }),
      slackTeamId: t.slackTeamId,
      name: t.name,
      channelId: t.channelId,
      timezone: t.timezone,
      reviewWeekday: t.reviewWeekday,
      reviewTime: t.reviewTime,
      cadenceWeeks: t.cadenceWeeks,
      cycleAnchor: slot || !existing ? anchorFor(t, existing, now) : existing.cycleAnchor,
      ...(input.debrief ?? {}),
      ...(input.rollup
        ? { rollupWeekday: input.rollup.rollupWeekday, rollupTime: input.rollup.rollupTime }
        : {}),
      ...(input.incidents ?? {}),
      admins,
    };
    const rowChanged = changedRowSections(existing, next);
    const adminsChanged = !!existing && existing.admins.join(",") !== admins.join(",");
    const wsBefore = input.rollup ? await this.deps.workspaces.workspaceChannel(t.slackTeamId) : null;
    const wsAfter = input.rollup ? input.rollup.workspaceChannelId : wsBefore;
    const wsChanged = wsAfter !== wsBefore;
    const changed =
      wsChanged && !rowChanged.includes("rollup") ? [...rowChanged, "rollup" as const] : rowChanged;

    const team =
      existing && rowChanged.length === 0 && !adminsChanged
        ? existing
        : await this.deps.teams.save({ ...next, ...(existing ? { id: existing.id } : {}) });
    // Saved with the rest of its section (an upsert: the workspace gets its row the first time).
    if (input.rollup && changed.includes("rollup")) {
      await this.deps.workspaces.setWorkspaceChannel(t.slackTeamId, wsAfter, now);
    }
    if (!existing || changed.length > 0 || adminsChanged) {
      await this.deps.audit?.record({
        team,
        subject: { type: "team", id: team.id },
        actor: { userId: t.userId, surface: "modal" },
        action: existing ? "settings changed" : "set up",
        before: existing ? { ...existing, workspaceChannelId: wsBefore } : null,
        after: { ...team, workspaceChannelId: wsAfter },
        ignore: ["cycleAnchor", "slackTeamId", "createdBy"],
      });
    }
    await this.announce(team, { created: !existing, changed, by: t.userId, submission: by.submission, now });
    if (existing && slot) await this.deps.onRescheduled?.(team);
    const coeChanged =
      existing &&
      (existing.fullCoeSeverities !== team.fullCoeSeverities ||
        existing.coeDeepDiveHours !== team.coeDeepDiveHours);
    if (coeChanged) await this.deps.onCoeSettingsChanged?.(team.id);
    return { team, created: !existing, changed, workspaceChannelId: wsAfter };
  }

  /** The channel's confirmations, for the sections the outbox posts (team and debrief): once per submission. */
  private async announce(
    team: Team,
    o: { created: boolean; changed: SettingsSection[]; by: string; submission: string; now: Date },
  ): Promise<void> {
    const common = { target: team.channelId, teamId: team.id, notBefore: o.now, at: o.now };
    if (o.changed.includes("team")) {
      await enqueueAfterSave(this.deps.outbox, this.deps.log, {
        key: `team-saved:${o.submission}`,
        kind: "team_saved",
        ref: { teamId: team.id, created: o.created, by: o.by },
        ...common,
      });
    }
    // A new team's "set up here" says it all; its debrief runs on the defaults.
    if (o.changed.includes("debrief") && !o.created) {
      await enqueueAfterSave(this.deps.outbox, this.deps.log, {
        key: `debrief-settings:${o.submission}`,
        kind: "debrief_settings_saved",
        ref: { teamId: team.id, by: o.by },
        ...common,
      });
    }
  }

  /**
   * The admins a save leaves. A new team's first admin is whoever sets it up; a team from before roles
   * (none yet) may stay without until someone is picked; otherwise at least one must remain.
   */
  private admins(existing: Team | null, chosen: string[] | undefined, userId: string): string[] {
    if (!existing) return [...new Set([userId, ...(chosen ?? [])])];
    if (existing.admins.length === 0 && (chosen === undefined || chosen.length === 0)) return [];
    return nextAdmins(existing.admins, chosen);
  }

  private async existing(teamId: string | null, input: SettingsInput): Promise<Team | null> {
    const { slackTeamId, channelId } = input.team;
    if (!teamId) return this.deps.teams.findByChannel(slackTeamId, channelId);
    const team = await this.deps.teams.findById(teamId);
    // Metadata comes back from the client: a team of another workspace is no team of this person's.
    if (!team || team.slackTeamId !== slackTeamId) {
      throw new DomainError("not_found", "That team no longer exists.");
    }
    if (channelId !== team.channelId) {
      const there = await this.deps.teams.findByChannel(slackTeamId, channelId);
      if (there) {
        throw new DomainError(
          "conflict",
          "That channel has its own Ratchet team already. Pick another channel, or change that team's settings there.",
          "channelId",
        );
      }
    }
    return team;
  }
}
