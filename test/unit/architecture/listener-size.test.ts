import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Listeners stay thin: the listener kit (src/slack/listeners/kit/) owns acks, errors and the
 * after-ack queue, so a listener is a few lines of "which surface → which service". A listener
 * file growing past 40 lines is a sign that logic is leaking into the edge; this keeps it visible.
 */
const ROOT = join(import.meta.dirname, "..", "..", "..");
const LISTENERS = join(ROOT, "src", "slack", "listeners");
const MAX_LINES = 40;

function listenerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "kit" ? [] : listenerFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** Lines as an editor counts them (a trailing newline ends the last line, it doesn't add one). */
const lineCount = (text: string) => text.replace(/\n$/, "").split("\n").length;

describe("listener files", () => {
  it("finds the listeners (so the size check below cannot pass on an empty folder)", () => {
    expect(listenerFiles(LISTENERS).length).toBeGreaterThan(20);
  });

  it(`keeps every listener file (outside the kit) at ${MAX_LINES} lines or fewer`, () => {
    const over = listenerFiles(LISTENERS)
      .map((f) => ({ file: relative(ROOT, f), lines: lineCount(readFileSync(f, "utf8")) }))
      .filter((f) => f.lines > MAX_LINES);
    expect(over).toEqual([]);
  });

  it("counts lines the way the rule means", () => {
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount("a\nb")).toBe(2);
  });
});
