import { localLabel } from "../../../shared/time-format.js";
import { buildMechanismModal } from "../../blocks/mechanism-modal.js";
import { buildMechanismList } from "../../blocks/messages.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet new` writes a mechanism's one-pager; `/ratchet list` shows the team's mechanisms. */
export const mechanismSubcommands: SubcommandSet = (deps) => ({
  new: async ({ command, client }) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildMechanismModal({
        meta: { teamId: team.id },
        mechanism: null,
        defaultOwnerId: command.user_id,
        defaultCadence: team.cadenceWeeks,
      }),
    });
  },
  list: async ({ command, respond }) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const [mechanisms, problem] = await Promise.all([
      deps.mechanisms.list(team),
      deps.deliveries.problemFor(team.channelId),
    ]);
    const nextLabel = (m: { nextReviewAt: Date | null }) =>
      m.nextReviewAt ? localLabel(m.nextReviewAt, team.timezone) : null;
    await respond(ephemeral(buildMechanismList({ team, mechanisms, problem, nextLabel })));
  },
});
