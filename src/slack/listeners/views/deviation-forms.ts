import type { App } from "@slack/bolt";
import type { LoggedDeviation, RecordedOutcome } from "../../../deviations/deviation-service.js";
import type { DeviationModalMeta, OutcomeModalMeta } from "../../blocks/deviations.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { DEV_BLOCK, DEVIATION_VIEW } from "../../ids.js";
import { parseDeviationForm, parseOutcomeForm } from "../../parsers/deviation-form.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

/** Both deviation modals: parse → write → ack (errors inline, nothing written) → announce. */
export function register(app: App, deps: SlackDeps): void {
  app.view(DEVIATION_VIEW.log, async ({ ack, body, view }) => {
    const meta = readMeta<DeviationModalMeta>(view.private_metadata);
    let logged: LoggedDeviation;
    try {
      const parsed = parseDeviationForm(view.state.values as StateValues, { submitterId: body.user.id });
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      logged = await deps.deviations.log(meta.teamId ?? "", parsed.value, body.user.id);
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, DEV_BLOCK.deviation, deps.log, {
          view: DEVIATION_VIEW.log,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    deps.afterAck.run("deviation card", () => deps.deviations.announce(logged));
  });

  app.view(DEVIATION_VIEW.outcome, async ({ ack, body, view }) => {
    const meta = readMeta<OutcomeModalMeta>(view.private_metadata);
    let recorded: RecordedOutcome;
    try {
      const parsed = parseOutcomeForm(view.state.values as StateValues);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      recorded = await deps.deviations.recordOutcome(
        meta.deviationId ?? "",
        parsed.value,
        body.user.id,
        meta.prompt ?? null,
      );
    } catch (err) {
      await ack({
        response_action: "errors",
        errors: viewErrors(err, DEV_BLOCK.outcome, deps.log, {
          view: DEVIATION_VIEW.outcome,
          meta,
          user: body.user.id,
        }),
      });
      return;
    }
    await ack();
    deps.afterAck.run("deviation outcome", () => deps.deviations.announceOutcome(recorded));
  });
}
