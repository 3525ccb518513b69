import type { App, SlackViewAction, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { IncidentChange } from "../../../incidents/incident-service.js";
import type { IncidentModalMeta } from "../../blocks/incident.js";
import { clip } from "../../blocks/kit.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
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
import { readMeta } from "../../parsers/metadata.js";
import type { ParseResult } from "../../parsers/team-setup.js";
import type { StateValues } from "../../parsers/view-state.js";

type ViewArgs = SlackViewMiddlewareArgs<SlackViewAction>;

const metaOf = (args: ViewArgs): Partial<IncidentModalMeta> =>
  readMeta<IncidentModalMeta>(args.view.private_metadata);

/**
 * One analysis step: parse → write (errors inline, nothing written) → ack → update the message.
 * `fallbackBlock` carries errors that belong to no particular input.
 */
function analysisStep<T>(
  deps: SlackDeps,
  callbackId: string,
  fallbackBlock: string,
  parse: (values: StateValues) => ParseResult<T>,
  write: (incidentId: string, value: T) => Promise<IncidentChange>,
) {
  return async (args: ViewArgs) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    let change: IncidentChange;
    try {
      const parsed = parse(view.state.values as StateValues);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      change = await write(meta.incidentId ?? "", parsed.value);
    } catch (err) {
      const ctx = { view: callbackId, meta, user: body.user.id };
      await ack({ response_action: "errors", errors: viewErrors(err, fallbackBlock, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("incident updated", () => deps.incidents.afterChange(change));
  };
}

export function register(app: App, deps: SlackDeps): void {
  const { incidents } = deps;
  const now = () => deps.clock.now();

  app.view(V.intake, async (args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    const ctx = { view: V.intake, meta, user: body.user.id };
    let after: () => Promise<void>;
    try {
      const parsed = parseIntakeForm(view.state.values as StateValues, now());
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      if (meta.incidentId) {
        const change = await incidents.updateDetails(meta.incidentId, parsed.value);
        after = () => incidents.afterChange(change);
      } else {
        const created = await incidents.create({
          ...parsed.value,
          teamId: meta.teamId ?? "",
          reporterId: body.user.id,
          sourceLink: meta.sourceLink ?? null,
        });
        after = () => incidents.announceNew(created.id);
      }
    } catch (err) {
      await ack({ response_action: "errors", errors: viewErrors(err, B.title, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("incident posted", after);
  });

  app.view(
    V.timeline,
    analysisStep(
      deps,
      V.timeline,
      B.timelineText,
      (v) => parseTimelineForm(v, now()),
      (id, e) => incidents.addTimelineEntry(id, e),
    ),
  );
  app.view(
    V.why,
    analysisStep(deps, V.why, B.whyText, parseWhyForm, (id, w) => incidents.addWhy(id, w)),
  );
  app.view(
    V.factor,
    analysisStep(deps, V.factor, B.factorText, parseFactorForm, (id, f) => incidents.addFactor(id, f)),
  );
  app.view(
    V.learned,
    analysisStep(deps, V.learned, B.learned, parseLearnedForm, (id, l) => incidents.setLearned(id, l)),
  );
  app.view(
    V.finding,
    analysisStep(deps, V.finding, B.findingOwner, parseFindingForm, (id, f) => incidents.addFinding(id, f)),
  );
  app.view(
    V.tags,
    analysisStep(deps, V.tags, B.newTags, parseTagsForm, (id, t) => incidents.setTags(id, t)),
  );

  // The integration gate: refused with what is missing (nothing written), or completed.
  app.view(V.complete, async (args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    try {
      const parsed = parseCompleteForm(view.state.values as StateValues);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      const gate = await incidents.complete(meta.incidentId ?? "");
      if (!gate.ok) {
        const missing = clip(`Not yet: ${gate.missing.join(" · ")}`, 1000);
        await ack({ response_action: "errors", errors: { [B.completeConfirm]: missing } });
        return;
      }
    } catch (err) {
      const ctx = { view: V.complete, meta, user: body.user.id };
      await ack({ response_action: "errors", errors: viewErrors(err, B.completeConfirm, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("incident updated", () =>
      incidents.afterChange({ incidentId: meta.incidentId ?? "", similarBefore: null }),
    );
  });
}
