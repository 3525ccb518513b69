import { describe, expect, it } from "vitest";
import { cellText, csvHeader, csvRow } from "../../../src/exports/csv.js";
import { JSON_OPEN, jsonClose, jsonObject, jsonSeparator } from "../../../src/exports/json.js";
import { csvObjects, parseCsv } from "../../support/csv.js";

describe("CSV cells (RFC 4180, formula-safe)", () => {
  it("quotes fields with commas, quotes and line breaks, doubling the quotes, and ends records in CRLF", () => {
    const line = csvRow(["a", "b", "c", "d"], {
      a: 'say "hi"',
      b: "x,y",
      c: "one\ntwo\r\nthree",
      d: "plain",
    });
    expect(line).toBe('"say ""hi""","x,y","one\ntwo\r\nthree",plain\r\n');
    expect(parseCsv(line)).toEqual([['say "hi"', "x,y", "one\ntwo\r\nthree", "plain"]]);
  });

  it("prefixes text a spreadsheet would run as a formula with an apostrophe", () => {
    for (const v of ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
      expect(cellText(v)).toBe(`'${v}`);
    expect(cellText("a=b")).toBe("a=b");
  });

  it("writes numbers as numbers (a negative reading is no formula), instants as ISO-8601 UTC, null as empty", () => {
    expect(cellText(-2.5)).toBe("-2.5");
    expect(cellText(new Date("2026-03-29T01:30:00Z"))).toBe("2026-03-29T01:30:00.000Z");
    expect(cellText(null)).toBe("");
    expect(cellText(true)).toBe("true");
    expect(cellText(Number.NaN)).toBe("");
  });

  it("keeps unicode and Slack markup as typed: a file is not a message", () => {
    expect(cellText("<!channel> ünïcødé 🚀")).toBe("<!channel> ünïcødé 🚀");
  });

  it("reads back header and rows with the same columns", () => {
    const text = csvHeader(["id", "note"]) + csvRow(["id", "note"], { id: "1", note: 'a,"b"\n' });
    expect(csvObjects(text)).toEqual({ header: ["id", "note"], rows: [{ id: "1", note: 'a,"b"\n' }] });
  });
});

describe("JSON objects", () => {
  it("keeps the columns' order and types, instants as ISO strings", () => {
    const o = jsonObject(["b", "a", "at", "none"], {
      a: 1,
      b: "x",
      at: new Date("2026-01-01T00:00:00Z"),
      none: null,
    });
    expect(o).toBe('{"b":"x","a":1,"at":"2026-01-01T00:00:00.000Z","none":null}');
  });

  it("makes an array whether empty or not", () => {
    expect(JSON.parse(JSON_OPEN + jsonClose(true))).toEqual([]);
    const two = [JSON_OPEN, jsonSeparator(true), "1", jsonSeparator(false), "2", jsonClose(false)].join("");
    expect(JSON.parse(two)).toEqual([1, 2]);
  });
});
