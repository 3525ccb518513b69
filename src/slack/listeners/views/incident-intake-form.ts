import type { App } from "@slack/bolt";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_BLOCK, INCIDENT_VIEW } from "../../ids.js";
import { parseIntakeForm } from "../../parsers/incident-forms.js";
import { onSubmit } from "../kit/submit.js";

/** The incident intake: a new incident, or an edit of one's details (its message is redrawn). */
export function register(app: App, deps: SlackDeps): void {
  const { incidents } = deps;
  onSubmit<IncidentModalMeta>(app, deps)(INCIDENT_VIEW.intake, {
    fallbackBlock: INCIDENT_BLOCK.title,
    parse: (s) => parseIntakeForm(s.values, deps.clock.now()),
    save: async (input, s) => {
      if (s.meta.incidentId) {
        const change = await incidents.updateDetails(s.meta.incidentId, input, {
          userId: s.userId,
          surface: "modal",
        });
        return { label: "incident updated", run: () => incidents.afterChange(change) };
      }
      // Its message (and the similar-incident check in its thread) is queued as it is saved.
      await incidents.create({
        ...input,
        teamId: s.meta.teamId ?? "",
        reporterId: s.userId,
        sourceLink: s.meta.sourceLink ?? null,
      });
      return undefined;
    },
  });
}
