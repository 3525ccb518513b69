import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { onEvent } from "../kit/event.js";

/**
 * When Ratchet itself is invited back into a channel it couldn't post in, what waited for it goes out
 * (member_joined_channel for the bot's own user). Other people joining change nothing.
 */
export function register(app: App, deps: SlackDeps): void {
  onEvent(
    app,
    deps,
    "member_joined_channel",
    "resume deliveries to a channel",
    async ({ event, context }) => {
      if (!context.botUserId || event.user !== context.botUserId) return;
      await deps.deliveries.resume(event.channel);
    },
  );
}
