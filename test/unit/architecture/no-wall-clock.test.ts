import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Time is data: domain code takes a Clock, so tests (and a year-ahead CI run) control every instant.
 * Only the system clock itself and the migrator (which stamps Prisma's own history table) may read
 * the wall clock. This fails the build when anything else in src/ does.
 */
const ROOT = join(import.meta.dirname, "..", "..", "..");
// The sandbox's Slack stand-in plays slack.com, whose clock is its own (tests and the sandbox page move it).
const ALLOWED = new Set(["src/shared/clock.ts", "src/db/migrate.ts", "src/sandbox/fake-slack.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** `new Date()` with no argument, `Date.now()`, and `Date()` called as a function, with their lines. */
function wallClockReads(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isDate = (e: ts.Expression) => ts.isIdentifier(e) && e.text === "Date";
  const at = (n: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && isDate(n.expression) && (n.arguments?.length ?? 0) === 0) {
      found.push(`${at(n)} new Date()`);
    }
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (ts.isPropertyAccessExpression(callee) && isDate(callee.expression) && callee.name.text === "now") {
        found.push(`${at(n)} Date.now()`);
      }
      if (isDate(callee)) found.push(`${at(n)} Date()`);
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

describe("no wall-clock reads outside the Clock", () => {
  it("finds none in src/ (except src/shared/clock.ts and the migrator)", () => {
    const offenders = sourceFiles(join(ROOT, "src"))
      .map((path) => relative(ROOT, path))
      .filter((path) => !ALLOWED.has(path))
      .flatMap((path) => wallClockReads(path, readFileSync(join(ROOT, path), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("recognises each form it forbids, and leaves instants built from values alone", () => {
    const text = [
      "const a = new Date();",
      "const b = Date.now();",
      "const c = Date();",
      "const d = new Date(0);",
      "const e = new Date(x.getTime());",
      "// new Date() in a comment",
      'const f = "Date.now()";',
      "const g = performance.now();",
    ].join("\n");
    expect(wallClockReads("x.ts", text)).toEqual(["x.ts:1 new Date()", "x.ts:2 Date.now()", "x.ts:3 Date()"]);
  });
});
