import {
  buildQuarterOverview,
  buildQuarterSettingsModal,
  quarterReply,
} from "../../blocks/quarterly-review.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/** `/ratchet quarter` (this quarter and its COE patterns), `… settings` (the review date), `… export`. */
export const quarterSubcommands: SubcommandSet = (deps) => ({
  quarter: async ({ command, client, respond }, rest) => {
    const word = rest.trim().toLowerCase();
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const q = deps.quarterlyReviews;
    const about = { teamId: team.id, teamName: team.name, timezone: team.timezone };
    if (word === "settings") {
      const { schedule } = await q.schedule(team.id, command.user_id);
      await client.views.open({
        trigger_id: command.trigger_id,
        view: buildQuarterSettingsModal({ ...about, schedule }),
      });
    } else if (word === "export") {
      await respond(ephemeral(quarterReply((await q.exportMarkdown(team)) ? "exported" : "nothing")));
    } else if (word === "") {
      await respond(ephemeral(buildQuarterOverview({ ...(await q.overview(team)), ...about })));
    } else {
      await respond(ephemeral(quarterReply("usage")));
    }
  },
});
