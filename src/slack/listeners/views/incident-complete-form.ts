import type { App } from "@slack/bolt";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import { clip } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_BLOCK, INCIDENT_VIEW } from "../../ids.js";
import { parseCompleteForm } from "../../parsers/incident-forms.js";
import { onSubmit } from "../kit/submit.js";

/**
 * The integration gate: refused with what is missing (nothing written; the errors go on its
 * confirmation box), or completed and the incident's message redrawn.
 */
export function register(app: App, deps: SlackDeps): void {
  const box = INCIDENT_BLOCK.completeConfirm;
  onSubmit<IncidentModalMeta>(app, deps)(INCIDENT_VIEW.complete, {
    fallbackBlock: box,
    parse: (s) => parseCompleteForm(s.values),
    save: async (_confirmed, s) => {
      const incidentId = s.meta.incidentId ?? "";
      const gate = await deps.incidents.complete(incidentId);
      if (!gate.ok) return { errors: { [box]: clip(`Not yet: ${gate.missing.join(" · ")}`, 1000) } };
      return { label: "incident updated", run: () => deps.incidents.afterChange({ incidentId }) };
    },
  });
}
