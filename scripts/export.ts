// `npm run export -- --team <id|channel id|name> --out <dir>`: a team's export datasets (the same
// CSV and JSON files `/ratchet export` DMs) written to a folder, read from DATABASE_URL like the app.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createDb } from "../src/db/client.js";
import { PrismaExportRepository } from "../src/exports/export-repository.js";
import { type ExportProgress, ExportService } from "../src/exports/export-service.js";
import { DomainError } from "../src/shared/errors.js";
import { createLogger } from "../src/shared/logger.js";

const USAGE = "usage: npm run export -- --team <team id | channel id | team name> --out <dir>";
const BAR = 24;

interface Stderr {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A bar redrawn in place on a terminal; one line per dataset otherwise (CI logs, pipes). */
function progressLine(p: ExportProgress, tty: boolean): string {
  const rows = new Intl.NumberFormat("en-US").format(p.rows);
  const what = `${p.done}/${p.total} datasets, ${rows} rows${p.dataset ? ` (${p.dataset})` : ""}`;
  if (!tty) return `export: ${what}\n`;
  const filled = p.total === 0 ? BAR : Math.round((p.done / p.total) * BAR);
  return `\r[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${what}\x1b[K${p.done === p.total ? "\n" : ""}`;
}

/** Runs the export; the exit code (0 written, 1 unknown team or bad arguments). */
export async function runExport(
  argv: string[],
  env: { DATABASE_URL?: string | undefined },
  stderr: Stderr = process.stderr,
): Promise<number> {
  let args: { team?: string | undefined; out?: string | undefined };
  try {
    args = parseArgs({ args: argv, options: { team: { type: "string" }, out: { type: "string" } } }).values;
  } catch (err) {
    stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 1;
  }
  if (!args.team || !args.out) {
    stderr.write(`${USAGE}\n`);
    return 1;
  }
  const databaseUrl = env.DATABASE_URL || "file:./data/ratchet.db";
  if (!/^(file:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    stderr.write("DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)\n");
    return 1;
  }
  const db = await createDb(databaseUrl);
  try {
    const service = new ExportService({
      source: new PrismaExportRepository(db),
      log: createLogger("silent"),
    });
    let team: Awaited<ReturnType<ExportService["findTeam"]>>;
    try {
      team = await service.findTeam(args.team);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      stderr.write(`export: ${err.message}\n`);
      return 1;
    }
    const out = resolve(args.out);
    await mkdir(out, { recursive: true });
    const tty = stderr.isTTY === true;
    const result = await service.run(team, (p) => void stderr.write(progressLine(p, tty)));
    for (const f of result.files) await writeFile(join(out, f.filename), f.bytes);
    const empty = result.rows === 0 ? " (no data yet: headers only)" : "";
    stderr.write(`export: ${team.name}: ${result.files.length} files in ${out}${empty}\n`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runExport(process.argv.slice(2), { DATABASE_URL: process.env.DATABASE_URL });
}
