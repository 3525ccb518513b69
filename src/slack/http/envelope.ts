import { parse as parseQuery } from "node:querystring";
import { z } from "zod";

/**
 * What a Slack request body must look like before Bolt may see it. Bolt parses the body, decides what
 * kind of request it is from a few keys, and then reads fields of that kind without checking them:
 * `null` throws on `body.ssl_check`, `"event": null` on `'channel' in event`, `"actions": "x"` on
 * `[payload] = actions`, a missing `user` on `user.id`. These schemas hold exactly the fields Bolt and
 * every listener read from the envelope, as Slack documents them; what is inside (a view's inputs,
 * private_metadata, a button's value) is the listeners' to validate.
 */

export type Envelope =
  | { ok: true; kind: EnvelopeKind; body: Record<string, unknown> }
  | { ok: false; reason: string };

export type EnvelopeKind =
  | "ssl_check"
  | "url_verification"
  | "app_rate_limited"
  | "event"
  | "command"
  | "options"
  | "action"
  | "shortcut"
  | "message_action"
  | "view";

const FORM = "application/x-www-form-urlencoded";

// Slack's ids (users, teams, channels, views) are upper-case letters and digits (its OpenAPI spec:
// ^U[A-Z0-9]{2,}$ and the like); anything else in an id field did not come from Slack.
const id = z.string().regex(/^[A-Z0-9]{1,64}$/, { error: "not a Slack id" });
const httpUrl = z.url({ protocol: /^https?$/ });
const user = z.looseObject({ id, team_id: z.string().optional() });
// null for an org-wide install: Bolt then reads user.team_id.
const team = z.looseObject({ id }).nullable().optional();
const enterprise = z.looseObject({ id: z.string().optional() }).nullable().optional();
const anObject = z.looseObject({});

/** A view's inputs: block id → action id → the element's state (its fields are the parsers' to read). */
const stateValues = z.record(z.string(), z.record(z.string(), anObject));

const view = z.looseObject({
  id,
  type: z.string().optional(),
  callback_id: z.string(),
  private_metadata: z.string().optional(),
  hash: z.string().optional(),
  state: z.looseObject({ values: stateValues }).optional(),
  app_installed_team_id: z.string().optional(),
});

const schemas: Record<Exclude<EnvelopeKind, "ssl_check">, z.ZodType> = {
  url_verification: z.looseObject({ type: z.literal("url_verification"), challenge: z.string() }),
  app_rate_limited: z.looseObject({ type: z.literal("app_rate_limited") }),
  event: z.looseObject({
    type: z.literal("event_callback"),
    team_id: z.string().optional(),
    enterprise_id: z.string().nullable().optional(),
    authorizations: z
      .array(
        z.looseObject({
          team_id: z.string().nullable().optional(),
          enterprise_id: z.string().nullable().optional(),
          is_enterprise_install: z.boolean().optional(),
        }),
      )
      .optional(),
    event: z.looseObject({
      type: z.string(),
      user: z.union([z.string(), z.looseObject({ id: z.string().optional() })]).optional(),
      channel: z.union([z.string(), anObject]).optional(),
      channel_id: z.string().optional(),
      item: anObject.optional(),
      subteam: anObject.optional(),
      message: anObject.optional(),
      previous_message: anObject.optional(),
      assistant_thread: anObject.optional(),
    }),
  }),
  // A form: every field once, as a string (a repeated key would reach listeners as an array).
  command: z
    .object({
      command: z.string().startsWith("/"),
      text: z.string(),
      team_id: id,
      channel_id: id,
      user_id: id,
      trigger_id: z.string(),
      response_url: httpUrl,
    })
    .catchall(z.string()),
  options: z.looseObject({
    type: z.literal("block_suggestion"),
    user,
    team,
    enterprise,
    action_id: z.string(),
    block_id: z.string().optional(),
    value: z.string().optional(),
    channel: z.looseObject({ id }).optional(),
    view: view.optional(),
  }),
  // Ratchet posts Block Kit only: legacy attachment buttons and dialogs never come from its messages.
  action: z.looseObject({
    type: z.literal("block_actions"),
    user,
    team,
    enterprise,
    actions: z
      .array(
        z.looseObject({
          action_id: z.string(),
          block_id: z.string().optional(),
          type: z.string().optional(),
          value: z.string().optional(),
        }),
      )
      .min(1),
    trigger_id: z.string().optional(),
    response_url: httpUrl.optional(),
    channel: z.looseObject({ id }).optional(),
    container: anObject.optional(),
    message: z.looseObject({ ts: z.string().optional() }).optional(),
    view: view.optional(),
    state: z.looseObject({ values: stateValues }).optional(),
  }),
  shortcut: z.looseObject({
    type: z.literal("shortcut"),
    callback_id: z.string(),
    trigger_id: z.string(),
    user,
    team,
    enterprise,
  }),
  message_action: z.looseObject({
    type: z.literal("message_action"),
    callback_id: z.string(),
    trigger_id: z.string(),
    user,
    team,
    enterprise,
    channel: z.looseObject({ id }),
    message_ts: z.string(),
    message: z.looseObject({ text: z.string().optional(), ts: z.string().optional() }),
    response_url: httpUrl,
  }),
  view: z.looseObject({
    type: z.enum(["view_submission", "view_closed"]),
    user,
    team,
    enterprise,
    view: view.extend({ state: z.looseObject({ values: stateValues }) }),
    trigger_id: z.string().optional(),
    response_urls: z.array(z.looseObject({ response_url: httpUrl })).optional(),
  }),
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The kind Bolt will take a body for (App#processEvent's order), or undefined when it can't tell. */
function kindOf(body: Record<string, unknown>): EnvelopeKind | undefined {
  if (body.ssl_check === "1") return "ssl_check";
  if (body.type === "url_verification") return "url_verification";
  if (body.type === "app_rate_limited") return "app_rate_limited";
  if (body.event !== undefined) return "event";
  if (body.command !== undefined) return "command";
  if (body.name !== undefined || body.type === "block_suggestion") return "options";
  if (body.actions !== undefined || body.type === "dialog_submission") return "action";
  if (body.type === "shortcut") return "shortcut";
  if (body.type === "message_action") return "message_action";
  if (body.type === "view_submission" || body.type === "view_closed") return "view";
  return undefined;
}

/**
 * Whether any key or string in the body holds U+0000. Slack never sends one, and PostgreSQL can't
 * store or even compare it (a lookup by such an id fails with "invalid byte sequence"), so it would
 * only ever surface as an unexpected database error further in.
 */
function holdsNul(value: unknown): boolean {
  // A loop, not recursion: JSON.parse accepts nesting far deeper than the call stack.
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (Array.isArray(v)) {
      for (const inner of v) todo.push(inner);
    } else if (isRecord(v)) {
      for (const [k, inner] of Object.entries(v)) {
        if (k.includes("\u0000")) return true;
        todo.push(inner);
      }
    }
  }
  return false;
}

/** The first problem zod found, short enough for one log line: `actions.0.action_id: expected string`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".");
  return `${path || "body"}: ${issue.message}`.slice(0, 200);
}

/** Parses a body the way Bolt's HTTPReceiver will, so what passes here is what Bolt gets. */
function parseLikeBolt(raw: string, contentType: string | undefined): unknown {
  if (contentType === FORM) {
    const form = parseQuery(raw);
    // Bolt parses `payload` when it is one string, and otherwise hands the whole form on.
    if (form.payload === undefined) return { ...form };
    if (typeof form.payload !== "string") throw new Error("payload appears more than once");
    return JSON.parse(form.payload);
  }
  return JSON.parse(raw);
}

/** Checks a signed body: a JSON object, or a form whose payload is one, of a kind Slack sends, well formed. */
export function checkEnvelope(raw: string, contentType: string | undefined): Envelope {
  let body: unknown;
  try {
    body = parseLikeBolt(raw, contentType);
  } catch (err) {
    const what = contentType === FORM ? "the payload" : "the body";
    return { ok: false, reason: `${what} is not JSON (${(err as Error).message.slice(0, 80)})` };
  }
  if (!isRecord(body)) {
    const got = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
    return { ok: false, reason: `expected a JSON object, got ${got}` };
  }
  if (holdsNul(body)) return { ok: false, reason: "a value holds U+0000" };
  const kind = kindOf(body);
  if (!kind) return { ok: false, reason: "not a kind of request Slack sends" };
  if (kind === "ssl_check") return { ok: true, kind, body };
  const checked = schemas[kind].safeParse(body);
  if (!checked.success) return { ok: false, reason: `${kind}: ${firstIssue(checked.error)}` };
  return { ok: true, kind, body };
}
