import type { ModalView } from "@slack/types";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import { buildDeviationModal } from "./blocks/deviations.js";
import { buildIntakeModal } from "./blocks/incident.js";
import { buildMechanismModal } from "./blocks/mechanism-modal.js";
import { type Mrkdwn, md } from "./blocks/mrkdwn.js";
import { buildLogDecisionModal } from "./blocks/review.js";
import { buildSettingsModal } from "./blocks/settings-modal.js";
import type { SlackDeps } from "./deps.js";
import { HOME_ACTION } from "./ids.js";

/** What a Home button opens: the modal its slash command opens, or a word when there is nothing to open. */
type Opener = (deps: SlackDeps, team: Team, userId: string) => Promise<ModalView | Mrkdwn>;

/**
 * The Home's action buttons, each opening the same modal as its slash command (`/ratchet new`,
 * `log`, `deviate`, `incident`, `settings`) for the team the Home shows (the button's value).
 */
export const HOME_OPENERS: Record<string, Opener> = {
  [HOME_ACTION.newMechanism]: async (_deps, team, userId) =>
    buildMechanismModal({
      meta: { teamId: team.id },
      mechanism: null,
      defaultOwnerId: userId,
      defaultCadence: team.cadenceWeeks,
    }),
  [HOME_ACTION.logDecision]: async (deps, team) => {
    const active = (await deps.mechanisms.list(team)).filter((m) => m.status === "active");
    if (active.length === 0)
      return md`No active mechanisms to log a decision on. Write one with *New mechanism*.`;
    return buildLogDecisionModal({ teamId: team.id, mechanisms: active, preset: null });
  },
  [HOME_ACTION.deviate]: async (deps, team) => {
    const { current, next } = deps.deviations.cyclesFor(team);
    return buildDeviationModal({
      meta: { teamId: team.id },
      teamName: team.name,
      tz: team.timezone,
      current,
      next,
    });
  },
  [HOME_ACTION.incident]: async (deps, team) =>
    buildIntakeModal({
      meta: { teamId: team.id, incidentId: null, sourceLink: null },
      workspaceTags: await deps.incidents.listTags(team.slackTeamId),
    }),
  [HOME_ACTION.settings]: async (deps, team) =>
    buildSettingsModal({
      team,
      channelId: team.channelId,
      defaultTimezone: team.timezone,
      workspaceChannelId: await deps.settings.workspaceChannel(team.slackTeamId),
      start: "team",
    }),
};

/** The team a Home button names, in the clicker's workspace. */
export async function homeTeam(deps: SlackDeps, teamId: string, slackTeamId: string): Promise<Team> {
  const team = teamId ? await deps.teams.get(teamId) : null;
  if (!team || (slackTeamId && team.slackTeamId !== slackTeamId)) {
    throw new DomainError(
      "not_found",
      "That team no longer exists. Run `/ratchet setup` in your team's channel.",
    );
  }
  return team;
}
