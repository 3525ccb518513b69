import { buildExportFailed, exportReply } from "../../blocks/export.js";
import { sendExport } from "../../export-sender.js";
import { ephemeral } from "../kit/reply.js";
import type { SubcommandSet } from "../kit/subcommand.js";

/**
 * `/ratchet export`: the team's datasets as CSV and JSON files, DMed to the caller with progress.
 * One export per person and team at a time: a second one (or Slack's retry) says it is running.
 */
export const exportSubcommands: SubcommandSet = (deps) => ({
  export: async ({ command, respond }) => {
    const team = await deps.teams.resolve(command.team_id, command.channel_id);
    const release = deps.exports.claim(team.id, command.user_id);
    if (!release) {
      await respond(ephemeral(exportReply("running", team.name)));
      return;
    }
    const tell = async (msg: Parameters<typeof ephemeral>[0]) => void (await respond(ephemeral(msg)));
    try {
      await respond(ephemeral(exportReply("started", team.name)));
    } catch (err) {
      release();
      throw err;
    }
    deps.afterAck.run("export", () =>
      sendExport(deps, { team, user: command.user_id }, tell)
        .catch(() => tell(buildExportFailed({ teamName: team.name, file: null })))
        .finally(release),
    );
  },
});
