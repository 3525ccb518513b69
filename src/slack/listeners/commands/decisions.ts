import { localLabel } from "../../../shared/time-format.js";
import { buildHistory } from "../../blocks/messages.js";
import { md } from "../../blocks/mrkdwn.js";
import { buildLogDecisionModal } from "../../blocks/review.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** The decision log: `/ratchet log` records a decision, `/ratchet history <mechanism>` reads them back. */
export const decisionSubcommands: SubcommandSet = (deps) => ({
  log: async ({ command, client, respond }) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const active = (await deps.mechanisms.list(team)).filter((m) => m.status === "active");
    if (active.length === 0) {
      await respond(
        ephemeral(md`No active mechanisms to log a decision on. Write one with \`/ratchet new\`.`),
      );
      return;
    }
    await client.views.open({
      trigger_id: command.trigger_id,
      view: buildLogDecisionModal({ teamId: team.id, mechanisms: active, preset: null }),
    });
  },
  history: async ({ command, respond }, rest) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const mechanism = await deps.mechanisms.find(team, rest);
    const decisions = await deps.mechanisms.decisions(mechanism.id);
    const tzLabel = (d: Date) => localLabel(d, team.timezone);
    await respond(ephemeral(buildHistory({ mechanism, decisions, tzLabel })));
  },
});
