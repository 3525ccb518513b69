import type { SlackMessage } from "../notifier.js";
import { context, message, section } from "./kit.js";
import { type Mrkdwn, md } from "./mrkdwn.js";

const count = (n: number): string => new Intl.NumberFormat("en-US").format(n);
const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

const one = (text: Mrkdwn, note?: Mrkdwn): SlackMessage =>
  message(text, note ? [section(text), context(note)] : [section(text)]);

/** The DM that follows an export: redrawn (chat.update) after each dataset is written. */
export function buildExportProgress(o: {
  teamName: string;
  done: number;
  total: number;
  rows: number;
}): SlackMessage {
  return one(
    md`Exporting *${o.teamName}*… ${count(o.done)} of ${plural(o.total, "dataset", "datasets")}, ${plural(o.rows, "row", "rows")}`,
    md`Each dataset arrives here as a CSV and a JSON file once all are written.`,
  );
}

/** The same DM once every file is uploaded; an empty team's files have headers only, and it says so. */
export function buildExportDone(o: {
  teamName: string;
  datasets: number;
  files: number;
  rows: number;
}): SlackMessage {
  const files = plural(o.files, "file", "files");
  const text =
    o.rows === 0
      ? md`Export of *${o.teamName}* done: nothing recorded yet, so the ${files} (${plural(o.datasets, "dataset", "datasets")} as CSV and JSON) have their column headers only.`
      : md`Export of *${o.teamName}* done: ${plural(o.rows, "row", "rows")} in ${files} (${plural(o.datasets, "dataset", "datasets")} as CSV and JSON), below.`;
  return one(
    text,
    md`Columns are described in Ratchet's README under "Export". Instants are UTC; each row names the team's time zone.`,
  );
}

/** An export that could not finish: what failed and what to do. */
export function buildExportFailed(o: { teamName: string; file: string | null }): SlackMessage {
  const what = o.file ? md`uploading \`${o.file}\` failed` : md`reading the data failed`;
  return one(
    md`⚠️ The export of *${o.teamName}* did not finish: ${what}. Try \`/ratchet export\` again in a minute.`,
  );
}

export type ExportReply = "started" | "running";

/** `/ratchet export`'s ephemeral answer. */
export function exportReply(kind: ExportReply, teamName: string): SlackMessage {
  return kind === "running"
    ? one(md`Your export of *${teamName}* is still running: its files will arrive in our DM.`)
    : one(md`Exporting *${teamName}*: I'll DM you the files, with progress as they are written.`);
}
