import type { App } from "@slack/bolt";
import type { DeviationModalMeta, OutcomeModalMeta } from "../../blocks/deviations.js";
import type { SlackDeps } from "../../deps.js";
import { DEV_BLOCK, DEVIATION_VIEW } from "../../ids.js";
import { parseDeviationForm, parseOutcomeForm } from "../../parsers/deviation-form.js";
import { onSubmit } from "../kit/submit.js";

/** Both deviation modals: log a deviation, or record its outcome (each queues its post as it saves). */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<DeviationModalMeta>(app, deps)(DEVIATION_VIEW.log, {
    fallbackBlock: DEV_BLOCK.deviation,
    parse: (s) => parseDeviationForm(s.values, { submitterId: s.userId }),
    save: async (input, s) => {
      const logged = await deps.deviations.log(s.meta.teamId ?? "", input, s.userId);
      return { label: "deviation logged", run: async () => deps.deviations.afterLog(logged) };
    },
  });

  onSubmit<OutcomeModalMeta>(app, deps)(DEVIATION_VIEW.outcome, {
    fallbackBlock: DEV_BLOCK.outcome,
    parse: (s) => parseOutcomeForm(s.values),
    save: async (input, s) => {
      const recorded = await deps.deviations.recordOutcome(
        s.meta.deviationId ?? "",
        input,
        s.userId,
        s.meta.prompt ?? null,
      );
      return { label: "deviation outcome", run: () => deps.deviations.afterOutcome(recorded) };
    },
  });
}
