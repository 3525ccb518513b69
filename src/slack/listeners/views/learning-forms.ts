import type { App } from "@slack/bolt";
import type { LinksModalMeta, ScheduleModalMeta } from "../../blocks/learning.js";
import type { SlackDeps } from "../../deps.js";
import { LEARN_BLOCK, LEARN_VIEW } from "../../ids.js";
import { parseLinksForm, parseScheduleForm } from "../../parsers/learning-forms.js";
import { onSubmit } from "../kit/submit.js";

/** Schedule a learning session (its announcements are queued as it saves), and the speaker's links. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<ScheduleModalMeta>(app, deps)(LEARN_VIEW.schedule, {
    fallbackBlock: LEARN_BLOCK.topic,
    // The team's zone rides in the metadata; the service reads the team again when it saves.
    parse: (s) => parseScheduleForm(s.values, { now: deps.clock.now(), tz: s.meta.tz ?? "UTC" }),
    save: async (input, s) => {
      await deps.learning.schedule(s.meta.teamId ?? "", input, s.userId);
      return undefined;
    },
  });

  onSubmit<LinksModalMeta>(app, deps)(LEARN_VIEW.links, {
    fallbackBlock: LEARN_BLOCK.recording,
    parse: (s) => parseLinksForm(s.values),
    save: async (input, s) => {
      await deps.learning.saveLinks(s.meta.sessionId ?? "", input, s.userId);
      return undefined;
    },
  });
}
