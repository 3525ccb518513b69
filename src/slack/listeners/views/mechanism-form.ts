import type { App } from "@slack/bolt";
import type { Mechanism } from "../../../mechanisms/mechanism.js";
import { localDate } from "../../../shared/time-format.js";
import type { MechanismModalMeta } from "../../blocks/mechanism-modal.js";
import type { SlackDeps } from "../../deps.js";
import { viewErrors } from "../../error-mapper.js";
import { MECH_BLOCK, VIEW } from "../../ids.js";
import { parseMechanismForm } from "../../parsers/mechanism-form.js";
import { readMeta } from "../../parsers/metadata.js";
import type { StateValues } from "../../parsers/view-state.js";

export function register(app: App, deps: SlackDeps): void {
  app.view(VIEW.mechanism, async ({ ack, body, view }) => {
    const meta = readMeta<MechanismModalMeta>(view.private_metadata);
    const ctx = { view: VIEW.mechanism, user: body.user.id, meta };
    let saved: Mechanism;
    try {
      const team = meta.teamId ? await deps.teams.get(meta.teamId) : null;
      if (!team) throw new Error(`mechanism modal without a known team: ${meta.teamId}`);
      // "By when" must be after today in the team's own calendar.
      const parsed = parseMechanismForm(
        view.state.values as StateValues,
        localDate(deps.clock.now(), team.timezone),
      );
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      saved = meta.mechanismId
        ? await deps.mechanisms.update(meta.mechanismId, parsed.value)
        : await deps.mechanisms.create(team, parsed.value, body.user.id);
    } catch (err) {
      await ack({ response_action: "errors", errors: viewErrors(err, MECH_BLOCK.title, deps.log, ctx) });
      return;
    }
    await ack();
    deps.afterAck.run("publish one-pager", async () => {
      await deps.mechanisms.publish(saved.id);
      // A new or edited one-pager can raise or clear an alarm (no because, nobody can say stop…).
      void deps.alarms.onDataChanged(saved.teamId);
    });
  });
}
