/**
 * The one error type domain code throws. The Slack error mapper turns it into a
 * friendly ephemeral message, or an inline modal error on the input that holds `field`.
 */
export type DomainErrorCode =
  | "not_found"
  | "invalid_input"
  | "conflict"
  | "no_team"
  | "forbidden"
  | "already_done";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** the input's domain field this error is about ("dueDate"), if any; the surface finds its input */
    readonly field?: string,
    /** channels the sentence points to; a surface shows them after it (Slack as channel links) */
    readonly channels: readonly string[] = [],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/**
 * The database stayed locked by another process for longer than Ratchet waits (SQLite's
 * SQLITE_BUSY after its retries). The statement that gave up wrote nothing, and the same request
 * works once the lock is gone, so the person is asked to try again rather than told something broke.
 */
export class DatabaseBusyError extends Error {
  constructor(waitedMs: number, options?: ErrorOptions) {
    super(`The database stayed locked by another process for ${waitedMs} ms (SQLITE_BUSY)`, options);
    this.name = "DatabaseBusyError";
  }
}

export const isDatabaseBusy = (e: unknown): e is DatabaseBusyError => e instanceof DatabaseBusyError;
