/**
 * An export dataset: one table of a team's data with stable snake_case columns, read a page at a time
 * (keyset on the row's own id, oldest id first) so a large team is never loaded at once. The CSV and
 * JSON writers (csv.ts, json.ts) turn the same rows into both files.
 */

/** One value; instants are Dates (written as ISO-8601 UTC), absent values null. */
export type Cell = string | number | boolean | Date | null;
export type Row = Readonly<Record<string, Cell>>;

/** A row and its keyset cursor (the id the next page starts after). */
export interface KeyedRow {
  key: string;
  row: Row;
}

export interface Dataset {
  /** the file name without extension, e.g. "action-items" */
  name: string;
  /** its columns, in file order; every row has exactly these keys */
  columns: readonly string[];
  /** up to `limit` rows of the team whose key is after `after` (null: from the start), by key */
  page(teamId: string, after: string | null, limit: number): Promise<KeyedRow[]>;
}

/** Every file carries the team's IANA zone beside its UTC instants, as the last column. */
export const TIMEZONE_COLUMN = "team_timezone";

/** The columns a dataset's files have: its own, then the team's zone. */
export const fileColumns = (d: Pick<Dataset, "columns">): string[] => [...d.columns, TIMEZONE_COLUMN];
