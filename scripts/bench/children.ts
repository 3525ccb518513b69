// Child processes for `npm run bench`: each app runs in its own node process so its memory is its own, and
// the load generator runs in a third (load-worker.ts), apart from the fake Slack and the apps.
import { type ChildProcess, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { LoadResult } from "./load.js";
import type { FromWorker, RunOrder, ToWorker } from "./load-worker.js";
import type { Fresh } from "./requests.js";

export interface Child {
  name: string;
  proc: ChildProcess;
  port: number;
  /** Everything the child wrote, for the error report and the warning count. */
  output(): string;
  exited(): boolean;
}

/** A port the OS says is free on 127.0.0.1 (closed again before the child binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node <args>` (e.g. the built `dist/main.js`) in `cwd` with exactly `env` (plus PORT, PATH, HOME: no NODE_OPTIONS or
 * .env-style settings leak in from the shell that runs the bench), stdout+stderr captured. */
export function startChild(o: {
  name: string;
  args: string[];
  cwd: string;
  port: number;
  env: Record<string, string>;
}): Child {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...o.env,
    PORT: String(o.port),
  };
  const proc = spawn(process.execPath, o.args, {
    cwd: o.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString("utf8");
    // Bounded: a chatty child must not grow the bench's own memory without limit.
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  let gone = false;
  proc.once("exit", () => {
    gone = true;
  });
  return { name: o.name, proc, port: o.port, output: () => out, exited: () => gone };
}

/** Polls GET /healthz until 200; throws with the child's output if it exits or takes longer than `timeoutMs`. */
export async function waitHealthy(child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) {
      throw new Error(`${child.name} exited before it was healthy:\n${tail(child.output())}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${child.port}/healthz`, {
        signal: AbortSignal.timeout(1000),
      });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${child.name} was not healthy within ${timeoutMs / 1000} s:\n${tail(child.output())}`);
}

/** VmRSS and VmHWM (peak RSS) of a process, in MB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`. */
export async function stopChild(child: Child, graceMs = 3000): Promise<void> {
  if (child.exited()) return;
  const exited = new Promise<void>((resolve) => child.proc.once("exit", () => resolve()));
  child.proc.kill("SIGTERM");
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n") || "(no output)";
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoadWorker {
  /** Runs `order` in the worker; `fresh()` is called here, in the bench, for each request's Slack-issued ids. */
  run(order: RunOrder, fresh: () => Fresh): Promise<LoadResult>;
  /** Ends the current run early; its promise resolves once the answers on their way are in. */
  finish(): void;
  stop(): Promise<void>;
}

/**
 * Forks the load worker with a clean environment; one run at a time. `modulePath` is the built worker
 * (plain JS), or the TypeScript source with `execArgv` ["--import", "tsx"].
 */
export function startLoadWorker(modulePath: string, cwd: string, execArgv: string[] = []): LoadWorker {
  const proc = fork(modulePath, [], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let nextId = 0;
  let current:
    | { id: number; fresh: () => Fresh; resolve: (r: LoadResult) => void; reject: (e: Error) => void }
    | undefined;
  const send = (message: ToWorker) => proc.send(message);
  proc.on("message", (message: FromWorker) => {
    if (!current || message.id !== current.id) return;
    if (message.type === "need") {
      const fresh = current.fresh;
      send({ type: "fresh", id: message.id, items: Array.from({ length: message.count }, () => fresh()) });
    } else if (message.type === "done") {
      current.resolve(message.result);
      current = undefined;
    } else {
      current.reject(new Error(`load worker: ${message.error}`));
      current = undefined;
    }
  });
  proc.once("exit", (code) => {
    current?.reject(new Error(`load worker exited (${code ?? "signal"}) during a run`));
    current = undefined;
  });
  return {
    run: (order, fresh) =>
      new Promise<LoadResult>((resolve, reject) => {
        if (current) throw new Error("load worker: one run at a time");
        const id = nextId++;
        current = { id, fresh, resolve, reject };
        send({ type: "run", id, order });
      }),
    finish: () => {
      if (current) send({ type: "stop", id: current.id });
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.disconnect();
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
