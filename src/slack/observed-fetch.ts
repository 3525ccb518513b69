import { createHash } from "node:crypto";
import type { FetchFunction } from "@slack/web-api";
import type { SlackCallObserver } from "../ops/metrics.js";

/** A failed call repeated within this long counts as a retry of it. */
const RETRY_WINDOW_MS = 60 * 60_000;
/** Failed calls remembered at most (oldest forgotten first), so a Slack outage can't grow memory. */
const MAX_REMEMBERED = 5000;

/**
 * The one seam every Slack HTTP call passes: the `fetch` both WebClients are given (the notifier's,
 * and Bolt's through `clientOptions`, which Bolt also uses for `respond`). It reports each attempt
 * with its method, duration and error, and whether it repeats a call that failed: the clients never
 * retry by themselves (see compose.ts), so a repeat is the outbox sending again after a 429 or a
 * lost answer, or a person retrying. Slack answers most errors with HTTP 200 and `ok: false`, so
 * JSON answers are read (from a copy; the client reads the original) to find the error code.
 */
export function observedFetch(observer: SlackCallObserver, base: typeof fetch = fetch): FetchFunction {
  const failed = new Map<string, number>();
  return async (url, init) => {
    const method = methodOf(url);
    const key = typeof init?.body === "string" ? callKey(method, init.body) : null;
    const retry = key !== null && isRecentFailure(failed, key);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let error: string | null;
    let res: Response;
    try {
      res = await base(url, init);
      error = await errorOf(res);
    } catch (err) {
      error = isTimeout(err) ? "timeout" : "network";
      remember(failed, key);
      observer.slackCall({ method, seconds: seconds(), error, retry });
      throw err;
    }
    if (error) remember(failed, key);
    else if (key) failed.delete(key);
    observer.slackCall({ method, seconds: seconds(), error, retry });
    return res;
  };
}

/** `chat.postMessage` for Web API URLs; response_url posts and file uploads are named for what they are. */
function methodOf(url: string | URL): string {
  const path = new URL(url).pathname;
  const api = /\/api\/([A-Za-z0-9_.]+)$/.exec(path);
  if (api?.[1]) return api[1];
  return path.includes("/upload/") ? "file_upload" : "response_url";
}

async function errorOf(res: Response): Promise<string | null> {
  if (res.status === 429) return "ratelimited";
  if (res.status !== 200) return `http_${res.status}`;
  if (!res.headers.get("content-type")?.includes("json")) return null;
  try {
    const body = (await res.clone().json()) as { ok?: unknown; error?: unknown };
    if (body.ok !== false) return null;
    return typeof body.error === "string" ? label(body.error) : "unknown_error";
  } catch {
    return null; // not JSON after all: the client will report that itself
  }
}

/** Slack's error codes are snake_case words; anything else is squeezed so a label can't explode. */
function label(code: string): string {
  return code.replace(/[^a-z0-9_]/gi, "_").slice(0, 64) || "unknown_error";
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

function callKey(method: string, body: string): string {
  return createHash("sha1").update(method).update("\n").update(body).digest("base64");
}

function isRecentFailure(failed: Map<string, number>, key: string): boolean {
  const at = failed.get(key);
  return at !== undefined && performance.now() - at < RETRY_WINDOW_MS;
}

function remember(failed: Map<string, number>, key: string | null): void {
  if (key === null) return;
  failed.delete(key); // re-inserted last: the Map's order is oldest first
  failed.set(key, performance.now());
  if (failed.size > MAX_REMEMBERED) {
    const oldest = failed.keys().next().value;
    if (oldest !== undefined) failed.delete(oldest);
  }
}
