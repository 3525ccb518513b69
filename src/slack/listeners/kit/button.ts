import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { Mrkdwn } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { userMessage } from "../../error-mapper.js";
import { classifySlackError } from "../../slack-errors.js";
import { answerClick } from "./reply.js";
import { routes } from "./routes.js";
import { workspaceOf } from "./workspace-of.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** A message Ratchet posted, by where it landed. */
interface MessageAt {
  channel: string;
  ts: string;
}

/** What a button's handler sees of a click. */
export interface Click {
  /** The button's value, which carries the id of what it acts on. */
  value: string;
  userId: string;
  /** The workspace the click came from. */
  slackTeamId: string;
  /** The message the button sits on, so it can be updated in place; null for a button in a modal. */
  message: MessageAt | null;
  /** Opens a modal on the click's trigger (it lives 3 seconds). */
  openModal(view: ModalView): Promise<void>;
  /** Answers the person who clicked, privately, next to the message (or by DM). */
  answer(text: Mrkdwn): Promise<void>;
}

function clickOf(args: ActionArgs, deps: SlackDeps): Click {
  const { body, action, client } = args;
  return {
    value: "value" in action ? String(action.value ?? "") : "",
    userId: body.user.id,
    slackTeamId: workspaceOf(body),
    message: body.channel?.id && body.message?.ts ? { channel: body.channel.id, ts: body.message.ts } : null,
    openModal: async (view) => {
      await client.views.open({ trigger_id: body.trigger_id, view });
    },
    answer: (text) => answerClick(args, deps.notifier, text),
  };
}

/**
 * A button: acked first (a click needs no answer to go on), then `fn`. Nothing throws out of it: a
 * failure is told to the person who clicked, in the error mapper's words.
 */
export function onButton(app: App, deps: SlackDeps, actionId: string, fn: (click: Click) => Promise<void>) {
  routes(app).action(actionId, async (args) => {
    await args.ack();
    const click = clickOf(args, deps);
    try {
      await fn(click);
    } catch (err) {
      const text = userMessage(err, deps.log, { action: actionId, user: click.userId });
      await click.answer(text).catch((e: unknown) => {
        // Someone Slack won't DM (deactivated, DMs off) is told nowhere: worth a line, not a stack.
        const outcome = classifySlackError(e);
        if (outcome.kind === "refused" && outcome.scope === "user") {
          deps.log.warn(
            { code: outcome.code, action: actionId },
            "could not tell the person an action failed",
          );
        } else deps.log.error({ err: e }, "could not answer a failed action");
      });
    }
  });
}
