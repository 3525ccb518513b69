import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { readMeta } from "../../parsers/metadata.js";
import type { ParseResult } from "../../parsers/team-setup.js";
import type { StateValues } from "../../parsers/view-state.js";
import { viewKey } from "../../requests.js";
import { routes } from "./routes.js";
import { workspaceOf } from "./workspace-of.js";

/** What a modal's listener sees of a submission: its inputs, its metadata, who and where. */
export interface Submission<M extends object> {
  values: StateValues;
  meta: Partial<M>;
  userId: string;
  slackTeamId: string;
  /**
   * The same for every copy of this submission (a double-click, Slack's retry): the key of what its
   * save queues in the outbox, so a copy queues nothing new.
   */
  key: string;
}

/** Errors to show on the modal's inputs, by block id. */
export type FieldErrors = Record<string, string>;
/** What happens after the ack (announcing, updating a message), labelled for the logs. */
export interface Then {
  label: string;
  run: () => Promise<unknown>;
}

/** Thrown inside the claim so a refused save releases it: the person corrects and submits again. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("refused");
  }
}

/**
 * Every modal's one path: parse (errors inline) → save once → ack → what follows, after the ack.
 * Nothing throws out of the listener: an unreadable submission or a failing save is answered on the
 * modal (`fallbackBlock` carries errors that belong to no input) and changes nothing. A second
 * delivery of the same submission (a double-click, Slack's retry) closes the modal and saves nothing.
 *
 * Curried so the metadata type is named once and each modal's parsed type is inferred:
 * `onSubmit<MyMeta>(app, deps)(VIEW.x, { fallbackBlock, parse, save })`.
 */
export function onSubmit<M extends object = Record<string, never>>(app: App, deps: SlackDeps) {
  return <P>(
    callbackId: string,
    o: {
      fallbackBlock: string;
      parse: (s: Submission<M>) => ParseResult<P> | Promise<ParseResult<P>>;
      save: (value: P, s: Submission<M>) => Promise<Then | { errors: FieldErrors } | undefined>;
    },
  ): void => {
    routes(app).view(callbackId, async ({ ack, body, view }) => {
      const s: Submission<M> = {
        values: view.state?.values ?? {},
        meta: readMeta<M>(view.private_metadata),
        userId: body.user?.id ?? "",
        slackTeamId: workspaceOf(body),
        key: viewKey(view),
      };
      let then: Then | undefined;
      let first = false;
      try {
        const parsed = await o.parse(s);
        if (!parsed.ok) {
          await ack({ response_action: "errors", errors: parsed.errors });
          return;
        }
        const once = await deps.requests.once(s.key, async () => {
          const saved = await o.save(parsed.value, s);
          if (saved && "errors" in saved) throw new Refused(saved.errors);
          return saved;
        });
        if (once.first) then = once.value;
        first = once.first;
      } catch (err) {
        const errors =
          err instanceof Refused
            ? err.errors
            : viewErrors(err, o.fallbackBlock, deps.log, { view: callbackId, meta: s.meta, user: s.userId });
        await ack({ response_action: "errors", errors });
        return;
      }
      await ack();
      if (then) deps.afterAck.run(then.label, then.run);
      // The person's own action changes what their Home shows: re-published (if they ever opened it).
      if (first) {
        deps.afterAck.run("re-publish the person's Home", () =>
          deps.home.refreshFor(s.slackTeamId, s.userId),
        );
      }
    });
  };
}
