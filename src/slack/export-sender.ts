import type { Logger } from "pino";
import type { ExportService } from "../exports/export-service.js";
import { buildExportDone, buildExportFailed, buildExportProgress } from "./blocks/export.js";
import type { Notifier, SlackMessage } from "./notifier.js";

interface Deps {
  exports: ExportService;
  notifier: Notifier;
  log: Logger;
}

/**
 * Runs `/ratchet export` after its ack: a DM that shows progress (chat.update after each dataset),
 * then every file uploaded into that DM, then the DM says it is done. Whatever fails reaches the
 * person: in the DM when there is one, else through `tell` (the command's response_url).
 */
export async function sendExport(
  deps: Deps,
  o: { team: { id: string; name: string; timezone: string }; user: string },
  tell: (msg: SlackMessage) => Promise<void>,
): Promise<void> {
  const teamName = o.team.name;
  const total = deps.exports.datasetCount;
  const dm = await deps.notifier.dm(o.user, buildExportProgress({ teamName, done: 0, total, rows: 0 }));
  // A progress redraw that fails is only logged (the next one redraws anyway); the last word, done or
  // failed, falls back to the command's response_url so it still reaches the person.
  const show = (msg: SlackMessage, last = false) =>
    deps.notifier.update(dm.channel, dm.ts, msg).catch((err: unknown) => {
      deps.log.warn({ err }, "export: could not update the progress DM");
      return last ? tell(msg) : undefined;
    });
  let file: string | null = null;
  try {
    const result = await deps.exports.run(o.team, (p) =>
      p.done === 0 && p.rows === 0 ? undefined : show(buildExportProgress({ teamName, ...p })),
    );
    for (const f of result.files) {
      file = f.filename;
      await deps.notifier.uploadFile({
        channel: dm.channel,
        filename: f.filename,
        title: f.title,
        bytes: f.bytes,
      });
    }
    const done = { teamName, datasets: total, files: result.files.length, rows: result.rows };
    await show(buildExportDone(done), true);
  } catch (err) {
    deps.log.error({ err, teamId: o.team.id, file }, "export failed");
    await show(buildExportFailed({ teamName, file }), true);
  }
}
