import { LogLevel, type Logger as SlackLogger } from "@slack/logger";
import type { Logger } from "pino";

/** Bolt and the Web API client log through our pino logger, so one stream (and one level) carries everything. */
export function slackLogger(log: Logger, component: string): SlackLogger {
  const child = log.child({ component });
  return {
    debug: (...m: unknown[]) => child.debug(m.map(String).join(" ")),
    info: (...m: unknown[]) => child.info(m.map(String).join(" ")),
    warn: (...m: unknown[]) => child.warn(m.map(String).join(" ")),
    error: (...m: unknown[]) => child.error(m.map(String).join(" ")),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}
