import type { App } from "@slack/bolt";
import { DomainError } from "../../../shared/errors.js";
import { localDate } from "../../../shared/time-format.js";
import type { MechanismModalMeta } from "../../blocks/mechanism-modal.js";
import type { SlackDeps } from "../../deps.js";
import { MECH_BLOCK, VIEW } from "../../ids.js";
import { parseMechanismForm } from "../../parsers/mechanism-form.js";
import { readValue } from "../../parsers/view-state.js";
import { onSubmit } from "../kit/submit.js";

/** The mechanism one-pager: create (its post is queued) or edit (the posted one is updated). */
export function register(app: App, deps: SlackDeps): void {
  onSubmit<MechanismModalMeta>(app, deps)(VIEW.mechanism, {
    fallbackBlock: MECH_BLOCK.title,
    parse: async (s) => {
      const team = s.meta.teamId ? await deps.teams.get(s.meta.teamId) : null;
      const gone = "This form's team no longer exists. Run /ratchet setup in its channel first.";
      if (!team) throw new DomainError("not_found", gone);
      // "By when" must be after today in the team's own calendar.
      const parsed = parseMechanismForm(s.values, localDate(deps.clock.now(), team.timezone));
      const reason = readValue(s.values, MECH_BLOCK.ruleChangeReason) ?? "";
      return parsed.ok ? { ok: true, value: { team, input: parsed.value, reason } } : parsed;
    },
    save: async ({ team, input, reason }, s) => {
      const edit = s.meta.mechanismId;
      // A new one-pager's first post is queued as it is saved; an edit updates the posted one.
      const saved = edit
        ? await deps.mechanisms.update(edit, input, s.userId, reason)
        : await deps.mechanisms.create(team, input, s.userId);
      return {
        label: edit ? "update one-pager" : "one-pager created",
        run: async () => {
          if (edit) await deps.mechanisms.publish(saved.id);
          // A new or edited one-pager can raise or clear an alarm (no because, nobody can say stop…).
          void deps.alarms.onDataChanged(saved.teamId);
        },
      };
    },
  });
}
