import type { Db } from "../../src/db/client.js";

/**
 * The test database behind a switch, for what a real outage looks like to the app: `hang()` makes
 * every query wait (a locked table, a server that stopped answering) until `heal()` lets them run;
 * `fail()` makes every query reject as an unreachable server does. Model queries (`db.team.find…`)
 * and raw ones (`db.$queryRaw…`, `$transaction`) are both switched; connecting and disconnecting are not.
 */
export interface FaultyDb {
  /** hand this to the app (startHarness({ wrapDb })) */
  wrap(db: Db): Db;
  hang(): void;
  fail(message?: string): void;
  heal(): void;
}

const UNSWITCHED = new Set<PropertyKey>(["$connect", "$disconnect", "$on", "$extends", "then"]);

export function faultyDb(): FaultyDb {
  let mode: "ok" | "hang" | { fail: string } = "ok";
  let healed: Promise<void> = Promise.resolve();
  let release = () => {};

  const gate = async <T>(run: () => Promise<T>): Promise<T> => {
    while (mode !== "ok") {
      if (typeof mode === "object") throw new Error(mode.fail);
      await healed;
    }
    return run();
  };
  const switched = <T extends object>(target: T, depth: number): T =>
    new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (UNSWITCHED.has(prop) || typeof prop === "symbol") return value;
        if (typeof value === "function") {
          // While healthy, Prisma's own (lazy, batchable) promise is handed back untouched.
          return (...args: unknown[]) =>
            mode === "ok" ? value.apply(t, args) : gate(() => Promise.resolve(value.apply(t, args)));
        }
        // Model delegates (db.team, db.delivery…) are one level down.
        if (depth === 0 && typeof value === "object" && value !== null) return switched(value, 1);
        return value;
      },
    });

  return {
    wrap: (db) => switched(db, 0),
    hang() {
      if (mode === "hang") return;
      mode = "hang";
      healed = new Promise((resolve) => {
        release = resolve;
      });
    },
    fail(message = "Can't reach database server at 127.0.0.1:5432") {
      mode = { fail: message };
      release();
    },
    heal() {
      mode = "ok";
      release();
    },
  };
}
