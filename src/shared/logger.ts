import { type DestinationStream, type Logger, pino } from "pino";
import { requestLogFields } from "./request-context.js";

export type { Logger };

/**
 * One logger for the whole app; children add context (team, mechanism, job). Every line written
 * while a Slack request is handled also carries its requestId, surface and callbackId (the mixin
 * reads them from the request's async context), so no listener or service has to pass them on.
 * `destination` defaults to stdout; the end-to-end harness passes a stream it reads back.
 */
const SECRET_FIELDS = [
  "token",
  "botToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "client_secret",
  "clientSecret",
  "signingSecret",
  "stateSecret",
  "authorization",
];
const SECRET_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export function createLogger(level: string, destination?: DestinationStream): Logger {
  // Secrets never reach a log line, even when an error object carries them (OAuth mode's tokens).
  const redact = { paths: SECRET_PATHS, censor: "[redacted]" };
  const options = { level, base: { app: "ratchet" }, mixin: requestLogFields, redact };
  return destination ? pino(options, destination) : pino(options);
}
