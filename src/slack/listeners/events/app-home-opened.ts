import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { onEvent } from "../kit/event.js";

/**
 * A person opened Ratchet's Home tab: their Home is published, unless what it would show is what
 * Slack already shows them (the HomeView hash). The Messages tab opens the same event: ignored.
 */
export function register(app: App, deps: SlackDeps): void {
  onEvent(app, deps, "app_home_opened", "publish a Home tab", async ({ event, body }) => {
    if (event.tab !== "home") return;
    // Slack sends the view it shows when we published one before; without one, publish regardless.
    const shown = event.view !== undefined;
    await deps.home.opened(body.team_id, event.user, shown);
  });
}
