import { execFile } from "node:child_process";
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { installProcessGuards } from "../../../src/shared/process-guards.js";

const run = promisify(execFile);

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { base: null },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  return { log, lines };
}

describe("process guards", () => {
  it("logs an unhandled rejection once, with the error and what it was", () => {
    const proc = new EventEmitter();
    const { log, lines } = capture();
    installProcessGuards(proc, log);
    proc.emit("unhandledRejection", new TypeError("Cannot read properties of null (reading 'ssl_check')"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 50,
      kind: "unhandledRejection",
      err: { type: "TypeError", message: "Cannot read properties of null (reading 'ssl_check')" },
    });
  });

  it("logs an uncaught exception with its origin", () => {
    const proc = new EventEmitter();
    const { log, lines } = capture();
    installProcessGuards(proc, log);
    proc.emit("uncaughtException", new Error("boom"), "uncaughtException");
    expect(lines).toMatchObject([{ level: 50, kind: "uncaughtException", origin: "uncaughtException" }]);
  });

  it("logs a rejection with a value that is not an Error", () => {
    const proc = new EventEmitter();
    const { log, lines } = capture();
    installProcessGuards(proc, log);
    proc.emit("unhandledRejection", "plain string");
    expect(lines).toMatchObject([{ level: 50, reason: "plain string" }]);
  });

  it("keeps a real process running after an unhandled rejection and an uncaught exception", async () => {
    const guards = fileURLToPath(new URL("../../../src/shared/process-guards.ts", import.meta.url));
    const script = `
      const { pino } = await import("pino");
      const { installProcessGuards } = await import(${JSON.stringify(guards)});
      installProcessGuards(process, pino({ base: null }, process.stderr));
      Promise.reject(new Error("no handler"));
      setTimeout(() => { throw new Error("thrown in a timer"); }, 10);
      setTimeout(() => { process.stdout.write("still serving"); }, 200);
    `;
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 15_000 },
    );
    expect(stdout).toBe("still serving");
    expect(stderr).toContain("no handler");
    expect(stderr).toContain("thrown in a timer");
  });
});
