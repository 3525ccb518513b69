import type { Cell, Row } from "./dataset.js";

/** JSON keeps types: numbers and booleans as they are, instants as ISO-8601 UTC strings, null for nothing. */
const jsonValue = (v: Cell): string | number | boolean | null => {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
};

/** One object of the array, with the dataset's keys in column order. */
export function jsonObject(columns: readonly string[], row: Row): string {
  const o: Record<string, string | number | boolean | null> = {};
  for (const c of columns) o[c] = jsonValue(row[c] ?? null);
  return JSON.stringify(o);
}

/** The file is an array of objects, one per line, written in pieces as pages arrive. */
export const JSON_OPEN = "[";
export const jsonSeparator = (first: boolean): string => (first ? "\n" : ",\n");
export const jsonClose = (empty: boolean): string => (empty ? "]\n" : "\n]\n");
