import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { DatabaseBusyError } from "../shared/errors.js";

/**
 * How long SQLite's own busy handler may wait for a lock per attempt. better-sqlite3 waits
 * synchronously, on the event loop, so this is kept tiny: a longer wait (the driver's default is
 * 5 s) froze every request, /healthz and the scheduler while another process held the lock.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 25;

/** How long to keep trying, off the event loop, before a statement gives up with DatabaseBusyError. */
export interface BusyPolicy {
  /** total time one statement, or one transaction's start, may spend waiting for the lock */
  budgetMs: number;
  /** the budget while the database was found busy less than `recentMs` ago */
  recentlyBusyBudgetMs: number;
  recentMs: number;
  /** first pause between attempts; it doubles up to `maxPauseMs` */
  firstPauseMs: number;
  maxPauseMs: number;
}

/**
 * About eight attempts in a second: rides out a backup's or a CLI's short write, and leaves most of
 * a Slack request's 3 seconds for the apology when the lock is held for longer. Once a statement has
 * given up, the lock is probably still held: for the next second (from the last give-up) statements
 * wait 100 ms at most, so a request that needs two writes (its claim, then its change) doesn't spend
 * two seconds learning the same thing, and a sweep over many items doesn't spend one on each.
 */
const DEFAULT_BUSY_POLICY: BusyPolicy = {
  budgetMs: 1000,
  recentlyBusyBudgetMs: 100,
  recentMs: 1000,
  firstPauseMs: 20,
  maxPauseMs: 250,
};

/** The adapter's SQLITE_BUSY (and its extended codes), which it reports as a socket timeout. */
function isSqliteBusy(err: unknown): boolean {
  if (!(err instanceof Error) || err.name !== "DriverAdapterError") return false;
  const cause: unknown = err.cause;
  if (typeof cause !== "object" || cause === null) return false;
  const { kind, originalCode } = cause as { kind?: unknown; originalCode?: unknown };
  return (
    kind === "SocketTimeout" || (typeof originalCode === "string" && originalCode.startsWith("SQLITE_BUSY"))
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** When to stop trying, shared by every statement on one connection. */
class BusyClock {
  /** until when the database counts as recently busy */
  private recentUntil = 0;
  constructor(readonly policy: BusyPolicy) {}

  /** The deadline for something starting now. */
  deadline(): number {
    const now = performance.now();
    return now + (now < this.recentUntil ? this.policy.recentlyBusyBudgetMs : this.policy.budgetMs);
  }

  gaveUp(): void {
    this.recentUntil = performance.now() + this.policy.recentMs;
  }
}

/** Runs `attempt` until it is not busy, pausing (asynchronously) between attempts until `deadline`. */
async function untilNotBusy<T>(attempt: () => Promise<T>, clock: BusyClock, deadline: number): Promise<T> {
  const started = performance.now();
  let pause = clock.policy.firstPauseMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isSqliteBusy(err)) throw err;
      const left = deadline - performance.now();
      if (left <= 0) {
        clock.gaveUp();
        throw new DatabaseBusyError(Math.round(performance.now() - started), { cause: err });
      }
      await sleep(Math.min(pause, left));
      pause = Math.min(pause * 2, clock.policy.maxPauseMs);
    }
  }
}

/**
 * Wraps the better-sqlite3 adapter so a locked database costs the event loop almost nothing:
 * every statement outside a transaction is retried while SQLITE_BUSY, with pauses between
 * attempts; once the budget is spent it throws DatabaseBusyError, which Prisma passes through
 * untouched and the Slack error mapper turns into "try again in a moment".
 *
 * Transactions start with BEGIN IMMEDIATE instead of the adapter's plain BEGIN, so they take the
 * write lock up front, where waiting for it can be retried. With a plain BEGIN the lock is wanted
 * at the first write, after the transaction has read: SQLite then fails at once (waiting could
 * deadlock), and the statement cannot be retried inside the transaction. The adapter runs every
 * transaction on its one connection, so they take turns here, as they did behind its own mutex.
 */
export function busyTolerant(
  inner: SqlDriverAdapterFactory,
  policy: BusyPolicy = DEFAULT_BUSY_POLICY,
): SqlDriverAdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      const clock = new BusyClock(policy);
      // Readers don't wait for a writer in WAL mode (the migrator sets it too; it sticks to the file).
      // A database that stays busy right now keeps its journal mode: everything still works.
      await untilNotBusy(
        () => adapter.executeScript("PRAGMA journal_mode = WAL"),
        clock,
        clock.deadline(),
      ).catch((err: unknown) => {
        if (!(err instanceof DatabaseBusyError)) throw err;
      });
      return tolerantAdapter(adapter, clock);
    },
  };
}

function tolerantAdapter(inner: SqlDriverAdapter, clock: BusyClock): SqlDriverAdapter {
  const retried = <T>(attempt: () => Promise<T>) => untilNotBusy(attempt, clock, clock.deadline());
  let turn: Promise<void> = Promise.resolve();

  /** Waits for the transaction before this one to finish, or gives up at `deadline`. */
  async function takeTurn(deadline: number): Promise<() => void> {
    const started = performance.now();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = turn;
    turn = previous.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      previous.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now()));
      }),
    ]).finally(() => clearTimeout(timer));
    if (ready) return release;
    // Pass the turn on when it comes, so the transactions queued behind this one aren't stuck.
    void previous.then(release);
    clock.gaveUp();
    throw new DatabaseBusyError(Math.round(performance.now() - started));
  }

  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => retried(() => inner.queryRaw(query)),
    executeRaw: (query) => retried(() => inner.executeRaw(query)),
    executeScript: (script) => retried(() => inner.executeScript(script)),
    ...(inner.getConnectionInfo ? { getConnectionInfo: () => inner.getConnectionInfo!() } : {}),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      // SQLite transactions are serializable; the adapter refuses anything else with Prisma's own error.
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") return inner.startTransaction(isolationLevel);
      const deadline = clock.deadline();
      const release = await takeTurn(deadline);
      try {
        await untilNotBusy(() => inner.executeRaw(statement("BEGIN IMMEDIATE")), clock, deadline);
      } catch (err) {
        release();
        throw err;
      }
      let commitFailed = false;
      return {
        provider: inner.provider,
        adapterName: inner.adapterName,
        // Prisma sends COMMIT and ROLLBACK itself, then calls commit() or rollback() below.
        options: { usePhantomQuery: false },
        queryRaw: (query) => inner.queryRaw(query),
        // Inside a transaction only COMMIT may be retried (SQLite's rule); after BEGIN IMMEDIATE the
        // other statements already hold the lock they need.
        executeRaw: async (query) => {
          if (query.sql !== "COMMIT") return inner.executeRaw(query);
          return untilNotBusy(() => inner.executeRaw(query), clock, clock.deadline()).catch(
            (err: unknown) => {
              commitFailed = true;
              throw err;
            },
          );
        },
        commit: async () => release(),
        rollback: async () => {
          // Prisma answers a failed COMMIT with rollback() alone, which would leave the connection
          // inside the transaction and fail every later BEGIN.
          if (commitFailed) await inner.executeRaw(statement("ROLLBACK")).catch(() => {});
          release();
        },
        createSavepoint: async (name) => {
          await inner.executeRaw(statement(`SAVEPOINT ${name}`));
        },
        rollbackToSavepoint: async (name) => {
          await inner.executeRaw(statement(`ROLLBACK TO ${name}`));
        },
        releaseSavepoint: async (name) => {
          await inner.executeRaw(statement(`RELEASE SAVEPOINT ${name}`));
        },
      };
    },
  };
}
