import type { Logger } from "pino";

/** The part of `process` the guards use, so tests can hand in an EventEmitter. */
export interface ProcessEvents {
  on(event: "unhandledRejection", listener: (reason: unknown) => void): unknown;
  on(event: "uncaughtException", listener: (err: Error, origin: string) => void): unknown;
}

/**
 * Logs what nothing else caught and keeps the process serving. Without a handler Node exits on an
 * unhandled rejection, so one bad request would take every team's reminders and open modals with it.
 * Keeping on is sound here: requests share no in-memory state that a half-finished one could leave
 * broken (everything durable is in the database, and scheduled posts are claimed before they are
 * sent), so the failed request is lost and nothing else is.
 *
 * The case that made this necessary, a bug in @slack/bolt 5.1.0 (reported upstream): HTTPReceiver's
 * handleIncomingEvent runs in a detached async closure and reads `body.ssl_check` outside any try, so a
 * correctly signed request whose body parses to null rejects that closure with "TypeError: Cannot read
 * properties of null (reading 'ssl_check')", never answers, and the rejection is unhandled. Minimal
 * payloads: `null` as application/json, or `payload=null` as application/x-www-form-urlencoded. The
 * request guard (src/slack/http/request-guard.ts) now refuses those before Bolt sees them; this stays
 * for whatever else escapes.
 */
export function installProcessGuards(proc: ProcessEvents, log: Logger): void {
  proc.on("unhandledRejection", (reason) => {
    const detail = reason instanceof Error ? { err: reason } : { reason: String(reason) };
    log.error({ kind: "unhandledRejection", ...detail }, "unhandled promise rejection; still serving");
  });
  proc.on("uncaughtException", (err, origin) => {
    log.error({ kind: "uncaughtException", origin, err }, "uncaught exception; still serving");
  });
}
