import type { Logger } from "pino";
import { isDomainError } from "../shared/errors.js";

export const APOLOGY =
  "Sorry — something went wrong on our side. It has been logged; please try again in a moment.";

/**
 * The one place errors become words. A DomainError carries a message written for
 * the user; anything else is logged with its context and the user gets an apology.
 */
export function userMessage(err: unknown, log: Logger, context: Record<string, unknown>): string {
  if (isDomainError(err)) return err.message;
  log.error({ err, ...context }, "unexpected error in a Slack listener");
  return APOLOGY;
}

/** Inline modal errors for a failed submission: the error's own field, else `fallbackBlock`. */
export function viewErrors(
  err: unknown,
  fallbackBlock: string,
  log: Logger,
  context: Record<string, unknown>,
): Record<string, string> {
  const message = userMessage(err, log, context);
  const block = isDomainError(err) && err.field ? err.field : fallbackBlock;
  return { [block]: message.slice(0, 150) };
}
