import type { App } from "@slack/bolt";
import type { IncidentChange } from "../../../incidents/incident-service.js";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import { clip } from "../../blocks/kit.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_BLOCK as B, INCIDENT_VIEW as V } from "../../ids.js";
import {
  parseCompleteForm,
  parseFactorForm,
  parseFindingForm,
  parseIntakeForm,
  parseLearnedForm,
  parseTagsForm,
  parseTimelineForm,
  parseWhyForm,
} from "../../parsers/incident-forms.js";
import type { ParseResult } from "../../parsers/team-setup.js";
import type { StateValues } from "../../parsers/view-state.js";
import { submissions } from "../submission.js";

/** Errors of the integration gate go on its confirmation box. */
export function register(app: App, deps: SlackDeps): void {
  const { incidents } = deps;
  const now = () => deps.clock.now();
  const on = submissions<IncidentModalMeta>(app, deps);

  /** One analysis step: write, then redraw the incident's message. */
  const analysisStep = <T>(
    callbackId: string,
    fallbackBlock: string,
    parse: (values: StateValues) => ParseResult<T>,
    write: (incidentId: string, value: T) => Promise<IncidentChange>,
  ) =>
    on(callbackId, {
      fallbackBlock,
      parse: (s) => parse(s.values),
      save: async (value, s) => {
        const change = await write(s.meta.incidentId ?? "", value);
        return { label: "incident updated", run: () => incidents.afterChange(change) };
      },
    });

  on(V.intake, {
    fallbackBlock: B.title,
    parse: (s) => parseIntakeForm(s.values, now()),
    save: async (input, s) => {
      if (s.meta.incidentId) {
        const change = await incidents.updateDetails(s.meta.incidentId, input);
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

  analysisStep(
    V.timeline,
    B.timelineText,
    (v) => parseTimelineForm(v, now()),
    incidents.addTimelineEntry.bind(incidents),
  );
  analysisStep(V.why, B.whyText, parseWhyForm, incidents.addWhy.bind(incidents));
  analysisStep(V.factor, B.factorText, parseFactorForm, incidents.addFactor.bind(incidents));
  analysisStep(V.learned, B.learned, parseLearnedForm, incidents.setLearned.bind(incidents));
  analysisStep(V.finding, B.findingOwner, parseFindingForm, incidents.addFinding.bind(incidents));
  analysisStep(V.tags, B.newTags, parseTagsForm, incidents.setTags.bind(incidents));

  // The integration gate: refused with what is missing (nothing written), or completed.
  on(V.complete, {
    fallbackBlock: B.completeConfirm,
    parse: (s) => parseCompleteForm(s.values),
    save: async (_confirmed, s) => {
      const incidentId = s.meta.incidentId ?? "";
      const gate = await incidents.complete(incidentId);
      if (!gate.ok)
        return { errors: { [B.completeConfirm]: clip(`Not yet: ${gate.missing.join(" · ")}`, 1000) } };
      return {
        label: "incident updated",
        run: () => incidents.afterChange({ incidentId }),
      };
    },
  });
}
