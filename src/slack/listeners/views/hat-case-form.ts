import type { App } from "@slack/bolt";
import type { HatModalMeta } from "../../blocks/hat-cases.js";
import type { SlackDeps } from "../../deps.js";
import { HAT_BLOCK, HAT_VIEW } from "../../ids.js";
import { parseHatCaseForm } from "../../parsers/hat-case.js";
import { onSubmit } from "../kit/submit.js";

/** /ratchet hat: saves the case once per Submit (keyed by the submission) and queues its post as it saves. */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<HatModalMeta>(app, deps)(HAT_VIEW.case, {
    fallbackBlock: HAT_BLOCK.context,
    parse: (s) => parseHatCaseForm(s.values),
    save: async (input, s) => {
      await deps.hatCases.record(s.meta.teamId ?? "", input, s.userId, s.key);
      return undefined;
    },
  });
}
