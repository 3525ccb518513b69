import { signRequest } from "../slack/sender.js";
import { SIGNING_SECRET } from "./harness.js";

export interface RawResult {
  status: number;
  text: string;
  /** time from sending the request to its full answer */
  ms: number;
}

/**
 * Posts any body to the app, signed as Slack would (or with the `signature` given), at timestamp
 * `ts` (seconds; default the real clock, which Bolt's own check uses). Unlike SlackSender it never
 * shapes the body, so tests can send what Slack never would; it gives up after `timeoutMs` so a
 * request the app never answers fails the test instead of hanging it.
 */
export async function postSigned(
  appUrl: string,
  body: string,
  o: { contentType?: string; ts?: number; signature?: string; timeoutMs?: number } = {},
): Promise<RawResult> {
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(appUrl, {
    method: "POST",
    headers: {
      "content-type": o.contentType ?? "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": o.signature ?? signRequest(SIGNING_SECRET, ts, body),
    },
    body,
    signal: AbortSignal.timeout(o.timeoutMs ?? 5000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export const FORM = "application/x-www-form-urlencoded";

/** `payload=<json>` as Slack posts interactivity, with `raw` sent as it is (not re-serialised). */
export const formPayload = (raw: string): string => new URLSearchParams({ payload: raw }).toString();
