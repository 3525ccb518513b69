import { type Logger, pino } from "pino";

export type { Logger };

/** One logger for the whole app; children add context (team, mechanism, job). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: "ratchet" } });
}
