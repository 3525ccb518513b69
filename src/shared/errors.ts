/**
 * The one error type domain code throws. The Slack error mapper turns it into a
 * friendly ephemeral message, or an inline modal error when `field` names an input block.
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
    /** block_id of the modal input this error belongs to, if any */
    readonly field?: string,
    /** channels the sentence points to; a surface shows them after it (Slack as channel links) */
    readonly channels: readonly string[] = [],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
