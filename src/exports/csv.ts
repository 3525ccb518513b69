import type { Cell, Row } from "./dataset.js";

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"), so
 * typed text that starts with one gets a leading apostrophe, which spreadsheets show as text.
 * Numbers are written from numbers, so a negative reading stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;

/** What one cell holds as text: ISO-8601 UTC instants, "true"/"false", "" for nothing. */
export function cellText(v: Cell): string {
  if (v === null) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  return FORMULA_START.test(v) ? `'${v}` : v;
}

const field = (text: string): string => (NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One record, CRLF-terminated (RFC 4180). */
const csvLine = (cells: readonly string[]): string => `${cells.map(field).join(",")}\r\n`;

export const csvHeader = (columns: readonly string[]): string => csvLine(columns);

export const csvRow = (columns: readonly string[], row: Row): string =>
  csvLine(columns.map((c) => cellText(row[c] ?? null)));
