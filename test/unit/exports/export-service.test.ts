import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Dataset, KeyedRow } from "../../../src/exports/dataset.js";
import { exportDatasets } from "../../../src/exports/datasets.js";
import type { ExportSource } from "../../../src/exports/export-repository.js";
import { type ExportProgress, ExportService } from "../../../src/exports/export-service.js";
import { csvObjects } from "../../support/csv.js";

const none = async (): Promise<KeyedRow[]> => [];
const emptySource: ExportSource = {
  decisions: none,
  readings: none,
  deviations: none,
  alarms: none,
  incidents: none,
  findings: none,
  actionItems: none,
  reviews: none,
  audit: none,
  findTeams: async () => [],
};

/** A dataset of `n` rows served in keyset pages, recording each page asked for. */
function numbers(n: number, calls: { after: string | null; limit: number }[]): Dataset {
  const all = Array.from({ length: n }, (_, i) => ({ key: `k${String(i).padStart(3, "0")}`, row: { n: i } }));
  return {
    name: "numbers",
    columns: ["n"],
    page: async (_team, after, limit) => {
      calls.push({ after, limit });
      return all.filter((r) => after === null || r.key > after).slice(0, limit);
    },
  };
}

const team = { id: "T1", timezone: "Pacific/Chatham" };
const log = pino({ level: "silent" });

describe("ExportService", () => {
  it("reads a dataset in keyset pages, each after the last key seen, and writes every row once", async () => {
    const calls: { after: string | null; limit: number }[] = [];
    const service = new ExportService({
      source: emptySource,
      log,
      pageSize: 2,
      datasets: [numbers(5, calls)],
    });
    const result = await service.run(team);
    expect(calls).toEqual([
      { after: null, limit: 2 },
      { after: "k001", limit: 2 },
      { after: "k003", limit: 2 },
    ]);
    const csv = result.files.find((f) => f.filename === "numbers.csv");
    const { header, rows } = csvObjects(csv?.bytes.toString("utf8") ?? "");
    expect(header).toEqual(["n", "team_timezone"]);
    expect(rows.map((r) => r.n)).toEqual(["0", "1", "2", "3", "4"]);
    expect(rows.every((r) => r.team_timezone === "Pacific/Chatham")).toBe(true);
    const json = JSON.parse(
      result.files.find((f) => f.filename === "numbers.json")?.bytes.toString("utf8") ?? "",
    );
    expect(json).toEqual([0, 1, 2, 3, 4].map((n) => ({ n, team_timezone: "Pacific/Chatham" })));
  });

  it("reports progress after each dataset with the rows so far", async () => {
    const seen: ExportProgress[] = [];
    const service = new ExportService({ source: emptySource, log, datasets: [numbers(3, [])] });
    await service.run(team, (p) => void seen.push(p));
    const total = exportDatasets(emptySource).length + 1;
    expect(seen[0]).toEqual({ done: 0, total, rows: 0, dataset: null });
    expect(seen.at(-1)).toEqual({ done: total, total, rows: 3, dataset: "numbers" });
    expect(seen).toHaveLength(total + 1);
  });

  it("also reports progress while a large dataset is read, every ten pages", async () => {
    const seen: ExportProgress[] = [];
    const service = new ExportService({ source: emptySource, log, pageSize: 2, datasets: [numbers(25, [])] });
    await service.run(team, (p) => void seen.push(p));
    const total = exportDatasets(emptySource).length + 1;
    const last = exportDatasets(emptySource).at(-1)?.name ?? null;
    expect(seen.at(-2)).toEqual({ done: total - 1, total, rows: 20, dataset: last });
    expect(seen.at(-1)).toEqual({ done: total, total, rows: 25, dataset: "numbers" });
  });

  it("writes headers-only files for a team with no data, two per dataset", async () => {
    const result = await new ExportService({ source: emptySource, log }).run(team);
    expect(result.rows).toBe(0);
    expect(result.files.map((f) => f.filename)).toEqual(
      exportDatasets(emptySource).flatMap((d) => [`${d.name}.csv`, `${d.name}.json`]),
    );
    const decisions = result.files[0]?.bytes.toString("utf8") ?? "";
    expect(decisions.startsWith("decision_id,mechanism_id,")).toBe(true);
    expect(decisions.endsWith(",team_timezone\r\n")).toBe(true);
    expect(JSON.parse(result.files[1]?.bytes.toString("utf8") ?? "")).toEqual([]);
  });

  it("lets one export run per person and team at a time", () => {
    const service = new ExportService({ source: emptySource, log });
    const release = service.claim("T1", "U1");
    expect(release).not.toBeNull();
    expect(service.claim("T1", "U1")).toBeNull();
    expect(service.claim("T1", "U2")).not.toBeNull();
    release?.();
    expect(service.claim("T1", "U1")).not.toBeNull();
  });

  it("uses snake_case column names, unique within each dataset", () => {
    for (const d of exportDatasets(emptySource)) {
      expect(new Set(d.columns).size).toBe(d.columns.length);
      for (const c of d.columns) expect(c).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});
