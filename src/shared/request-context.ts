import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";

/**
 * What every log line written while one Slack request is handled carries, through pino's `mixin`
 * (src/shared/logger.ts): listeners and services log with the logger they were given and never
 * pass the request along, yet their lines can be told apart and joined up.
 */
export interface RequestFields {
  requestId: string;
  /** command, action, view, shortcut, event, options */
  surface: string;
  /** what picked the listener: the command, action_id, callback_id or event type */
  callbackId?: string;
  /** Slack's retry count, when this is a redelivery */
  retryNum?: number;
}

/** How a request ended, worst first when several things are noted. */
export type RequestOutcome = "ok" | "rejected" | "error";

const RANK: Record<RequestOutcome, number> = { ok: 0, rejected: 1, error: 2 };

/** One request's context: its log fields and the worst outcome noted so far. */
export class RequestScope {
  private worst: RequestOutcome = "ok";
  readonly fields: Readonly<RequestFields>;

  constructor(fields: RequestFields) {
    this.fields = Object.freeze({ ...fields });
  }

  get outcome(): RequestOutcome {
    return this.worst;
  }

  note(outcome: RequestOutcome): void {
    if (RANK[outcome] > RANK[this.worst]) this.worst = outcome;
  }

  /** Runs `fn` (and everything it starts) inside this request. */
  run<T>(fn: () => T): T {
    return storage.run(this, fn);
  }
}

const storage = new AsyncLocalStorage<RequestScope>();

/**
 * The current request's log fields, or none outside a request (pino's mixin, called per line). A
 * fresh object each time: pino merges the line's own fields into what the mixin returns.
 */
export function requestLogFields(): Partial<RequestFields> {
  const scope = storage.getStore();
  return scope ? { ...scope.fields } : {};
}

/**
 * Notes that the current request was refused (a person's input or a rule said no) or failed; a
 * no-op outside a request. Read by the request metrics when the request ends.
 */
export function noteRequestOutcome(outcome: "rejected" | "error"): void {
  storage.getStore()?.note(outcome);
}

/**
 * `fn` bound to the current request, for work queued now and run later by a shared worker (which
 * would otherwise run it in whichever request happened to start the worker).
 */
export function bindToRequest<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return AsyncResource.bind(fn);
}

/** Runs `fn` outside any request: for shared background work a request merely triggers. */
export function outsideRequest<T>(fn: () => T): T {
  return storage.exit(fn);
}
