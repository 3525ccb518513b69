import type { BlockAction, RespondFn } from "@slack/bolt";
import { sentence } from "../../blocks/confirmations.js";
import { Mrkdwn } from "../../blocks/mrkdwn.js";
import { type Notifier, type SlackMessage, wire } from "../../notifier.js";

/**
 * What a listener passes to `respond`: an ephemeral reply, its text escaped like every message
 * (a SlackMessage from a builder, or one Mrkdwn sentence). `replace_original: false` keeps a
 * button's message in place when the answer comes from an action.
 */
export function ephemeral(msg: SlackMessage | Mrkdwn, o: { replaceOriginal?: false } = {}) {
  const body = msg instanceof Mrkdwn ? { text: msg.text } : wire(msg);
  return {
    response_type: "ephemeral" as const,
    ...body,
    ...(o.replaceOriginal === false ? { replace_original: false } : {}),
  };
}

/**
 * Answers the person who clicked, privately. A click on a message is answered on its response_url
 * (next to the message); a click inside a modal comes with no response_url, so the answer goes as
 * an ephemeral in the channel the payload names, or as a DM when it names none (or Ratchet can't
 * post there).
 */
export async function answerClick(
  args: { body: BlockAction; respond?: RespondFn },
  notifier: Notifier,
  text: Mrkdwn,
): Promise<void> {
  const { body } = args;
  // Bolt only provides respond() when the payload carried a response_url.
  if (body.response_url && typeof args.respond === "function") {
    await args.respond(ephemeral(text, { replaceOriginal: false }));
    return;
  }
  const msg = sentence(text);
  const channel = body.channel?.id;
  if (channel) {
    const shown = await notifier.ephemeral(channel, body.user.id, msg).then(
      () => true,
      () => false,
    );
    if (shown) return;
  }
  await notifier.dm(body.user.id, msg);
}
