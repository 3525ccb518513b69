import type { App } from "@slack/bolt";
import type { QuietDaysMeta } from "../../blocks/people.js";
import type { SlackDeps } from "../../deps.js";
import { PEOPLE_BLOCK, PEOPLE_VIEW } from "../../ids.js";
import { parsePrefsForm, parseQuietDaysForm } from "../../parsers/people.js";
import { onSubmit } from "../kit/submit.js";

/** `/ratchet remind` saves where reminders reach the person; "Add quiet days" saves a range. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit(app, deps)(PEOPLE_VIEW.prefs, {
    fallbackBlock: PEOPLE_BLOCK.reviewReminder,
    parse: (s) => parsePrefsForm(s.values),
    save: async (input, s) => {
      await deps.people.savePrefs({ slackTeamId: s.slackTeamId, userId: s.userId, ...input });
      return undefined;
    },
  });

  onSubmit<QuietDaysMeta>(app, deps)(PEOPLE_VIEW.quietDays, {
    fallbackBlock: PEOPLE_BLOCK.fromDate,
    parse: (s) => parseQuietDaysForm(s.values),
    save: async (input, s) => {
      const team = s.meta.teamId ? await deps.teams.get(s.meta.teamId) : null;
      const tz = s.meta.tz ?? team?.timezone ?? "UTC";
      await deps.people.addQuietDays({ slackTeamId: s.slackTeamId, team, by: s.userId, personTz: tz, input });
      return undefined;
    },
  });
}
