import { Mrkdwn } from "../blocks/mrkdwn.js";
import { type SlackMessage, wire } from "../notifier.js";

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
