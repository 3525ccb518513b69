import type { App } from "@slack/bolt";
import { homePageValueSchema } from "../../../home/home.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { HOME_OPENERS, homeTeam } from "../../home-openers.js";
import { HOME_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/** The Home tab's buttons: paging a list, and the common actions' modals. */
export function register(app: App, deps: SlackDeps): void {
  // "Show more" / "Back to the start": the value says which list and where; anything else is refused.
  for (const actionId of [HOME_ACTION.page, HOME_ACTION.pageStart]) {
    onButton(app, deps, actionId, async (click) => {
      let value: unknown;
      try {
        value = JSON.parse(click.value);
      } catch {
        value = null;
      }
      const page = homePageValueSchema.safeParse(value);
      if (!page.success) {
        await click.answer(md`That button is out of date. Open your Home tab again.`);
        return;
      }
      await deps.home.showPage(click.slackTeamId, click.userId, page.data.list, page.data.offset);
    });
  }
  // New mechanism, Log a decision, Log a deviation, Report an incident, Settings.
  for (const [actionId, open] of Object.entries(HOME_OPENERS)) {
    onButton(app, deps, actionId, async (click) => {
      const opened = await open(deps, await homeTeam(deps, click.value, click.slackTeamId), click.userId);
      if ("type" in opened) await click.openModal(opened);
      else await click.answer(opened);
    });
  }
}
