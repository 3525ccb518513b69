import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type BufferedIncomingMessage,
  defaultBodyLimit,
  type HTTPReceiver,
  verifySlackRequest,
} from "@slack/bolt";
import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.js";
import { checkEnvelope, type EnvelopeKind } from "./envelope.js";
import { RecentSignatures } from "./recent-signatures.js";

/** Slack's (and Bolt's) allowed clock difference between its timestamp and ours, in either direction. */
const WINDOW_MS = 5 * 60 * 1000;

export interface RequestGuardOptions {
  signingSecret: string;
  /** the receiver's request paths (POST only); every other route goes to the receiver untouched */
  endpoints: readonly string[];
  /** the clock timestamps are judged by (Bolt's own check reads the system clock) */
  clock: Clock;
  log: Logger;
  /** how many recent signatures to remember for replay detection */
  capacity?: number;
}

class Refusal {
  constructor(
    readonly status: 400 | 401 | 413,
    readonly reason: string,
  ) {}
}

/**
 * Puts a check in front of Bolt's HTTPReceiver for requests to its endpoints, so that one request can
 * never take the process down or be acted on twice:
 *  - the signature is verified here first (with Bolt's own function, on our clock), and Bolt verifies
 *    it again: nothing unsigned reaches the rest of the checks or gets remembered;
 *  - a timestamp more than five minutes in the future is refused (Bolt only refuses old ones);
 *  - the exact same signed request seen before within the window is refused (Bolt accepts replays);
 *  - a body Bolt would crash or stall on is refused with 400 (see envelope.ts).
 * Each refusal is one warn line, without a stack: it is the sender's mistake, not ours.
 * The body is read once here and handed on buffered, the way Bolt's own reader leaves it.
 */
export function guardRequests(receiver: HTTPReceiver, o: RequestGuardOptions): void {
  const log = o.log.child({ component: "http-guard" });
  const recent = new RecentSignatures({
    clock: o.clock,
    windowMs: WINDOW_MS,
    capacity: o.capacity ?? 10_000,
  });
  const bolt = receiver.requestListener;

  const refuse = (req: IncomingMessage, res: ServerResponse, r: Refusal, bytes: number) => {
    log.warn(
      { status: r.status, reason: r.reason, contentType: req.headers["content-type"], bytes },
      "refused a Slack request",
    );
    if (res.headersSent) return;
    res.writeHead(r.status, { "content-type": "text/plain; charset=utf-8" });
    res.end(r.status === 400 ? `Malformed Slack request: ${r.reason}\n` : "Request refused.\n");
  };

  const screen = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw: Buffer;
    try {
      raw = await readBody(req, defaultBodyLimit);
    } catch (err) {
      refuse(req, res, err instanceof Refusal ? err : new Refusal(400, "the body could not be read"), 0);
      return;
    }
    const verdict = check(raw.toString("utf8"), req);
    if (verdict instanceof Refusal) {
      refuse(req, res, verdict, raw.length);
      return;
    }
    if (verdict === "app_rate_limited") {
      // Slack says it is dropping events for a minute; Bolt has no kind for this and would never answer.
      log.warn("Slack is rate-limiting the events it sends to Ratchet");
      res.writeHead(200);
      res.end();
      return;
    }
    (req as BufferedIncomingMessage).rawBody = raw;
    bolt(req, res);
  };

  /** Why this request is refused, or the kind of request to hand to Bolt. */
  const check = (text: string, req: IncomingMessage): Refusal | EnvelopeKind => {
    const contentType = req.headers["content-type"];
    // Slack's ssl_check is unsigned by design; Bolt answers it and strips anything else from the body.
    if (contentType === "application/x-www-form-urlencoded" && /(^|&)ssl_check=1(&|$)/.test(text)) {
      return "ssl_check";
    }
    const signature = req.headers["x-slack-signature"];
    const stamp = req.headers["x-slack-request-timestamp"];
    if (typeof signature !== "string" || typeof stamp !== "string") {
      return new Refusal(401, "missing signature or timestamp header");
    }
    const timestampSec = Number(stamp);
    const nowMs = o.clock.now().getTime();
    try {
      verifySlackRequest({
        signingSecret: o.signingSecret,
        body: text,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestampSec },
        nowMilliseconds: nowMs,
      });
    } catch (err) {
      return new Refusal(401, (err as Error).message.replace(/^Failed to verify authenticity: /, ""));
    }
    if (timestampSec * 1000 - nowMs > WINDOW_MS) {
      return new Refusal(401, "x-slack-request-timestamp is more than 5 minutes in the future");
    }
    if (!recent.remember(signature, timestampSec)) {
      return new Refusal(401, "replay of a request already received");
    }
    const envelope = checkEnvelope(text, contentType);
    return envelope.ok ? envelope.kind : new Refusal(400, envelope.reason);
  };

  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || !o.endpoints.includes(path)) {
      bolt(req, res);
      return;
    }
    screen(req, res).catch((err: unknown) => {
      // Bolt's own handling threw synchronously: nothing Slack sent should get here, so it is ours.
      log.error({ err }, "the request guard failed");
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    });
  };
}

/** The whole body, refused with 413 past `limit` bytes (Bolt's own limit). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new Refusal(413, `body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => reject(new Refusal(400, "the body could not be read")));
  });
}
