import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";

/**
 * When Ratchet itself is invited back into a channel it couldn't post in, what waited for it goes out
 * (member_joined_channel for the bot's own user). Other people joining change nothing.
 */
export function register(app: App, deps: SlackDeps): void {
  app.event("member_joined_channel", async ({ event, context }) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    try {
      await deps.deliveries.resume(event.channel);
    } catch (err) {
      deps.log.error({ err, channel: event.channel }, "could not resume deliveries to a channel");
    }
  });
}
