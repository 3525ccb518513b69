import type { App } from "@slack/bolt";
import { clipWords } from "../../../shared/text.js";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_BLOCK, INCIDENT_VIEW } from "../../ids.js";
import { parseCompleteForm } from "../../parsers/incident-forms.js";
import { onSubmit } from "../kit/submit.js";

const notReady = (missing: readonly string[]): string => {
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : "";
  return `Not ready yet: ${clipWords(missing[0] ?? "", 150)}${more}. Close this and press Mark COE complete to see all.`;
};

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
      const gate = await deps.incidents.complete(incidentId, { userId: s.userId, surface: "modal" });
      // Became unready while the modal was open (someone removed an action item): a short line
      // under the box, whole words only; the full list is on the modal the button opens.
      if (!gate.ok) return { errors: { [box]: notReady(gate.missing) } };
      return { label: "incident updated", run: () => deps.incidents.afterChange({ incidentId }) };
    },
  });
}
