import type { App } from "@slack/bolt";
import type { Actor } from "../../../audit/audit-entry.js";
import type { IncidentChange } from "../../../incidents/incident-service.js";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_BLOCK as B, INCIDENT_VIEW as V } from "../../ids.js";
import * as forms from "../../parsers/incident-forms.js";
import type { ParseResult } from "../../parsers/team-setup.js";
import type { StateValues } from "../../parsers/view-state.js";
import { onSubmit } from "../kit/submit.js";

/** The COE's analysis steps, one short modal each: write, then redraw the incident's message. */
export function register(app: App, deps: SlackDeps): void {
  const { incidents } = deps;
  const on = onSubmit<IncidentModalMeta>(app, deps);
  const step = <T>(
    callbackId: string,
    fallbackBlock: string,
    parse: (values: StateValues) => ParseResult<T>,
    write: (incidentId: string, value: T, actor: Actor) => Promise<IncidentChange>,
  ) =>
    on(callbackId, {
      fallbackBlock,
      parse: (s) => parse(s.values),
      save: async (value, s) => {
        const change = await write(s.meta.incidentId ?? "", value, { userId: s.userId, surface: "modal" });
        return { label: "incident updated", run: () => incidents.afterChange(change) };
      },
    });

  const timeline = (v: StateValues) => forms.parseTimelineForm(v, deps.clock.now());
  step(V.timeline, B.timelineText, timeline, incidents.addTimelineEntry.bind(incidents));
  step(V.why, B.whyText, forms.parseWhyForm, incidents.addWhy.bind(incidents));
  step(V.factor, B.factorText, forms.parseFactorForm, incidents.addFactor.bind(incidents));
  step(V.learned, B.learned, forms.parseLearnedForm, incidents.setLearned.bind(incidents));
  step(V.finding, B.findingOwner, forms.parseFindingForm, incidents.addFinding.bind(incidents));
  step(V.tags, B.newTags, forms.parseTagsForm, incidents.setTags.bind(incidents));
}
