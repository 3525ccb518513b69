/**
 * What a failed Web API call means for a post. Slack answers almost everything with HTTP 200 and
 * `ok: false` — then nothing happened — except `internal_error` and `fatal_error`, which Slack says
 * may come after part of the work was done. No answer at all (a timeout, a dropped connection) or an
 * HTTP 5xx means the message may or may not be in the channel: "unknown", to be looked up before any
 * second attempt. 429 is a definite "not now".
 */
export type SlackOutcome =
  | { kind: "rate_limited"; retryAfterSec: number; code: "ratelimited" }
  | { kind: "refused"; code: string; scope: RefusalScope }
  | { kind: "unknown"; code: string };

/**
 * Who a refusal is about: "transient" — try again later; "channel" — Ratchet can't post in that channel
 * until someone acts (invite it, unarchive); "workspace" — the token itself is refused; "user" — that
 * person can't get a DM; "message" — this message will never be accepted (a bug to report).
 */
type RefusalScope = "transient" | "channel" | "workspace" | "user" | "message";

const CHANNEL = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action"]);
const WORKSPACE = new Set([
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_authed",
  "missing_scope",
  "no_permission",
  "team_access_not_granted",
  "not_allowed_token_type",
  "ekm_access_denied",
]);
const USER = new Set([
  "user_not_found",
  "user_not_visible",
  "user_disabled",
  "cannot_dm_bot",
  "messages_tab_disabled",
]);
const MESSAGE = new Set([
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "msg_blocks_too_long",
  "no_text",
  "invalid_arguments",
  "invalid_metadata_format",
  "invalid_metadata_schema",
  "metadata_too_large",
  "thread_not_found",
  "invalid_file",
  "file_not_found",
]);
/** ok:false answers that Slack documents as possibly after partial success. */
const MAYBE_DONE = new Set(["internal_error", "fatal_error"]);

const hasCode = (e: unknown): e is { code: string } =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string";

export function classifySlackError(err: unknown): SlackOutcome {
  if (!hasCode(err)) return { kind: "unknown", code: "no_answer" };
  switch (err.code) {
    case "slack_webapi_rate_limited_error": {
      const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
      return {
        kind: "rate_limited",
        retryAfterSec: typeof retryAfter === "number" ? retryAfter : 30,
        code: "ratelimited",
      };
    }
    case "slack_webapi_platform_error": {
      const code = String((err as { data?: { error?: unknown } }).data?.error ?? "unknown_error");
      if (code === "ratelimited") return { kind: "rate_limited", retryAfterSec: 30, code: "ratelimited" };
      if (MAYBE_DONE.has(code)) return { kind: "unknown", code };
      return { kind: "refused", code, scope: scopeOf(code) };
    }
    case "slack_webapi_http_error": {
      const status = Number((err as { statusCode?: unknown }).statusCode);
      return status >= 500
        ? { kind: "unknown", code: `http_${status}` }
        : { kind: "refused", code: `http_${status}`, scope: "transient" };
    }
    case "slack_webapi_request_error": {
      const original = (err as { original?: { name?: string; message?: string } }).original;
      const timedOut = original?.name === "TimeoutError" || original?.name === "AbortError";
      return { kind: "unknown", code: timedOut ? "timeout" : "no_answer" };
    }
    default:
      return { kind: "unknown", code: err.code };
  }
}

function scopeOf(code: string): RefusalScope {
  if (CHANNEL.has(code)) return "channel";
  if (WORKSPACE.has(code)) return "workspace";
  if (USER.has(code)) return "user";
  if (MESSAGE.has(code)) return "message";
  return "transient";
}

/** What to tell a team's admins about a channel Ratchet can't post in. */
export function channelProblemAdvice(code: string): string {
  switch (code) {
    case "is_archived":
      return "The channel was archived. Unarchive it, or run `/ratchet setup` in the team's new channel.";
    case "channel_not_found":
      return "The channel no longer exists (or is private and I was never added). Run `/ratchet setup` in the team's channel.";
    default:
      return "I was removed from the channel (or never added). Invite me back with `/invite @Ratchet` there.";
  }
}
