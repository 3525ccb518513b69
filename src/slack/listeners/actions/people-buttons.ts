import type { App } from "@slack/bolt";
import { md } from "../../blocks/mrkdwn.js";
import { buildQuietDaysModal } from "../../blocks/people.js";
import type { SlackDeps } from "../../deps.js";
import { PEOPLE_ACTION } from "../../ids.js";
import { onButton } from "../kit/button.js";

/**
 * On a review reminder: "Skip this one" (anyone who sees it; the reminder is redrawn after the ack to say
 * who, and where the occurrence moved) and "Add to calendar"; the `/ratchet away` list's buttons.
 */
export function register(app: App, deps: SlackDeps): void {
  onButton(app, deps, PEOPLE_ACTION.skipReview, async (click) => {
    const skipped = await deps.reviews.skip(click.value, click.userId);
    deps.afterAck.run("show the skipped review", () => deps.reviews.announceSkip(skipped, click.message));
  });

  onButton(app, deps, PEOPLE_ACTION.addToCalendar, async (click) => {
    await deps.people.requestCalendar(click.value, click.userId);
    await click.answer(md`Sending you the review calendar (.ics) by DM.`);
  });

  onButton(app, deps, PEOPLE_ACTION.addQuietDays, async (click) => {
    // The list's button carries where it was asked for: "<workspace>:<channel>".
    const [slackTeamId = "", channelId = ""] = click.value.split(":");
    const form = await deps.people.quietDaysForm(slackTeamId, channelId, click.userId);
    const meta = { teamId: form.team?.id ?? null, tz: form.tz };
    await click.openModal(
      buildQuietDaysModal(meta, { teamName: form.team?.name ?? null, today: form.today }),
    );
  });

  onButton(app, deps, PEOPLE_ACTION.removeQuietDays, async (click) => {
    const by = { userId: click.userId, surface: "button" } as const;
    const { fromDate: from, toDate: to } = await deps.people.removeQuietDay(click.value, by);
    const range = from === to ? from : `${from} – ${to}`;
    await click.answer(md`Removed quiet days ${range}.`);
  });
}
