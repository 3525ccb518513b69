import type { Logger } from "pino";
import { DomainError } from "../shared/errors.js";
import { yieldToEventLoop } from "../shared/yield.js";
import { csvHeader, csvRow } from "./csv.js";
import { type Dataset, fileColumns, TIMEZONE_COLUMN } from "./dataset.js";
import { exportDatasets } from "./datasets.js";
import type { ExportSource, ExportTeam } from "./export-repository.js";
import { JSON_OPEN, jsonClose, jsonObject, jsonSeparator } from "./json.js";

/** Rows per keyset page: big enough that a page is one cheap query, small enough to hold comfortably. */
const EXPORT_PAGE = 500;
/** A large dataset also reports progress every this many pages, so the count moves while it is read. */
const PROGRESS_EVERY_PAGES = 10;

interface ExportFile {
  filename: string;
  /** what the file is, for a person ("Decisions (CSV)") */
  title: string;
  bytes: Buffer;
}

/** How far an export is: datasets written out of all, and rows so far. */
export interface ExportProgress {
  done: number;
  total: number;
  rows: number;
  /** the dataset just written (null before the first) */
  dataset: string | null;
}

export interface ExportResult {
  files: ExportFile[];
  /** rows per dataset, in registry order */
  counts: { name: string; rows: number }[];
  rows: number;
}

const title = (name: string): string => {
  const words = name.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * Writes a team's datasets as CSV and JSON files. Reads every dataset a page at a time and calls
 * `onProgress` after each, so a person watching a large team's export sees it move.
 */
export class ExportService {
  private readonly datasets: Dataset[];
  /** "teamId:user" of the exports running in this process (one at a time per person and team) */
  private readonly running = new Set<string>();

  constructor(
    private readonly deps: {
      source: ExportSource;
      log: Logger;
      /** tests make pages small to see paging; EXPORT_PAGE otherwise */
      pageSize?: number;
      /** extra datasets after the registry's (none in the app) */
      datasets?: Dataset[];
    },
  ) {
    this.datasets = [...exportDatasets(deps.source), ...(deps.datasets ?? [])];
  }

  /** How many datasets an export writes (each as a CSV and a JSON file). */
  get datasetCount(): number {
    return this.datasets.length;
  }

  /**
   * Claims the export of `teamId` for `user`: a release function, or null when one is already
   * running for them (a second `/ratchet export`, or Slack's retry of the first, says so instead).
   */
  claim(teamId: string, user: string): (() => void) | null {
    const key = `${teamId}:${user}`;
    if (this.running.has(key)) return null;
    this.running.add(key);
    return () => this.running.delete(key);
  }

  /** The team `--team` names: by id, channel id or name; refuses none or several with what to type. */
  async findTeam(text: string): Promise<ExportTeam> {
    const found = await this.deps.source.findTeams(text);
    const [team] = found;
    if (!team) throw new DomainError("not_found", `No team has the id, channel id or name "${text}".`);
    if (found.length > 1)
      throw new DomainError(
        "conflict",
        `${found.length} teams are named "${text}": use one of their ids (${found.map((t) => t.id).join(", ")}).`,
      );
    return team;
  }

  async run(
    team: Pick<ExportTeam, "id" | "timezone">,
    onProgress: (p: ExportProgress) => Promise<void> | void = () => {},
  ): Promise<ExportResult> {
    const files: ExportFile[] = [];
    const counts: ExportResult["counts"] = [];
    let rows = 0;
    const total = this.datasets.length;
    await onProgress({ done: 0, total, rows, dataset: null });
    for (const [i, d] of this.datasets.entries()) {
      const written = await this.write(d, team, (inDataset) =>
        onProgress({
          done: i,
          total,
          rows: rows + inDataset,
          dataset: i > 0 ? (this.datasets[i - 1]?.name ?? null) : null,
        }),
      );
      files.push(...written.files);
      counts.push({ name: d.name, rows: written.rows });
      rows += written.rows;
      await onProgress({ done: i + 1, total, rows, dataset: d.name });
    }
    this.deps.log.info({ teamId: team.id, rows }, "export written");
    return { files, counts, rows };
  }

  private async write(
    d: Dataset,
    team: Pick<ExportTeam, "id" | "timezone">,
    midway: (rows: number) => Promise<void> | void,
  ) {
    const columns = fileColumns(d);
    const csv: string[] = [csvHeader(columns)];
    const json: string[] = [JSON_OPEN];
    const limit = this.deps.pageSize ?? EXPORT_PAGE;
    let after: string | null = null;
    let rows = 0;
    for (let pages = 1; ; pages++) {
      const page = await d.page(team.id, after, limit);
      for (const { row } of page) {
        const full = { ...row, [TIMEZONE_COLUMN]: team.timezone };
        csv.push(csvRow(columns, full));
        json.push(jsonSeparator(rows === 0), jsonObject(columns, full));
        rows++;
      }
      const last = page.at(-1);
      if (!last || page.length < limit) break;
      after = last.key;
      if (pages % PROGRESS_EVERY_PAGES === 0) await midway(rows);
      // A large team's export shares the process with acks: let them go between pages.
      await yieldToEventLoop();
    }
    json.push(jsonClose(rows === 0));
    const name = title(d.name);
    return {
      rows,
      files: [
        { filename: `${d.name}.csv`, title: `${name} (CSV)`, bytes: Buffer.from(csv.join(""), "utf8") },
        { filename: `${d.name}.json`, title: `${name} (JSON)`, bytes: Buffer.from(json.join(""), "utf8") },
      ],
    };
  }
}
