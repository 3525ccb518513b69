import type { AnyMiddlewareArgs, BlockAction, Middleware, RespondFn } from "@slack/bolt";
import type { AccessGuard, Asker } from "../../teams/access.js";
import { accessRefusal, accessRefusalPlain } from "../blocks/access-refusal.js";
import { buildApologyModal } from "../blocks/confirmations.js";
import { answerClick, ephemeral } from "../listeners/kit/reply.js";
import type { Notifier } from "../notifier.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Ratchet's row ids (Prisma's cuid(): "c" and 24 more), wherever they sit in a value or metadata. */
const ROW_ID = /\bc[a-z0-9]{24}\b/g;

/** The workspace and person Slack signed the request for; never the payload's ids. */
function askerOf(body: Obj): Asker {
  const team = obj(body.team);
  const user = obj(body.user);
  const event = obj(body.event);
  return {
    slackTeamId: str(team?.id) ?? str(body.team_id) ?? str(user?.team_id) ?? "",
    userId: str(body.user_id) ?? str(user?.id) ?? str(event?.user) ?? "",
  };
}

/** What a person chose in a modal (selects, radios, checkboxes); typed text is not an id to act on. */
function chosenValues(view: Obj | undefined): string[] {
  const values = obj(obj(view?.state)?.values) ?? {};
  const out: string[] = [];
  for (const block of Object.values(values)) {
    for (const el of Object.values(obj(block) ?? {})) {
      const e = obj(el);
      if (!e || e.type === "plain_text_input" || e.type === "rich_text_input") continue;
      const picked = [
        obj(e.selected_option),
        ...(Array.isArray(e.selected_options) ? e.selected_options : []),
      ];
      for (const o of picked) {
        const v = str(obj(o)?.value);
        if (v) out.push(v);
      }
      const v = str(e.value);
      if (v) out.push(v);
    }
  }
  return out;
}

/**
 * Every place a request can name one of Ratchet's objects: a button's or select's value, a modal's
 * private_metadata and chosen options, a command's words. Read from the raw body, so a new action,
 * modal or subcommand is covered without a line here.
 */
export function idsIn(body: Obj): string[] {
  const texts: string[] = [];
  const view = obj(body.view);
  if (view) texts.push(str(view.private_metadata) ?? "", ...chosenValues(view));
  for (const a of Array.isArray(body.actions) ? body.actions : []) {
    const action = obj(a);
    texts.push(str(action?.value) ?? "", str(obj(action?.selected_option)?.value) ?? "");
    for (const o of Array.isArray(action?.selected_options) ? action.selected_options : []) {
      texts.push(str(obj(o)?.value) ?? "");
    }
  }
  if (typeof body.command === "string") texts.push(str(body.text) ?? "");
  return [...new Set(texts.flatMap((t) => t.match(ROW_ID) ?? []))];
}

/** The first input block of a modal: where a refusal shows inline, as any modal error does. */
function firstInputBlock(view: Obj | undefined): string | undefined {
  const blocks = Array.isArray(view?.blocks) ? view.blocks : [];
  return blocks.map(obj).find((b) => b?.type === "input" && str(b.block_id))?.block_id as string | undefined;
}

/**
 * Global middleware, before every listener: a request naming an object of another workspace, or of
 * a team whose channel the person isn't in, is answered with a refusal and never reaches its
 * listener, so nothing changes and nothing of the object is shown. One place for the rule (the
 * AccessGuard), so every command, button, modal, shortcut and event passes it.
 */
export function isolate(guard: AccessGuard, notifier: Notifier): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Obj;
    const ids = idsIn(body);
    const verdict = await guard.check(askerOf(body), ids);
    if (verdict.ok) return args.next();
    const text = accessRefusal(verdict);
    const ack =
      "ack" in args && typeof args.ack === "function" ? (args.ack as (r?: unknown) => Promise<void>) : null;
    if (body.type === "view_submission") {
      const block = firstInputBlock(obj(body.view));
      await ack?.(
        block
          ? { response_action: "errors", errors: { [block]: accessRefusalPlain(verdict) } }
          : { response_action: "update", view: buildApologyModal(text) },
      );
    } else if (typeof body.command === "string") {
      await ack?.(ephemeral(text));
    } else if (body.type === "block_actions") {
      await ack?.();
      const respond = "respond" in args ? (args.respond as RespondFn) : undefined;
      await answerClick(
        { body: body as unknown as BlockAction, ...(respond ? { respond } : {}) },
        notifier,
        text,
      );
    } else await ack?.();
  };
}
