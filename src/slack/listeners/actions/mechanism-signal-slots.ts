import type { App } from "@slack/bolt";
import { SIGNAL_KINDS, type SignalKind } from "../../../mechanisms/mechanism.js";
import { DomainError } from "../../../shared/errors.js";
import * as modal from "../../blocks/mechanism-modal.js";
import type { SlackDeps } from "../../deps.js";
import { ADD_GUARDRAIL_ACTION, addSignalAction } from "../../ids.js";
import { onModalInput } from "../kit/modal-input.js";

/** "Add another … signal / guardrail": the same modal, one more slot (Slack keeps what was typed). */
export function register(app: App, deps: SlackDeps): void {
  for (const key of [...SIGNAL_KINDS, "guardrail"] as const) {
    const action = key === "guardrail" ? ADD_GUARDRAIL_ACTION : addSignalAction(key);
    onModalInput<modal.MechanismModalMeta>(app, deps, new RegExp(`^${action}$`), {
      label: "mechanism modal slots",
      redraw: ({ meta }) => redraw(deps, meta, key),
    });
  }
}

async function redraw(
  deps: SlackDeps,
  read: Partial<modal.MechanismModalMeta>,
  key: SignalKind | "guardrail",
) {
  const team = await deps.teams.get(read.teamId ?? "");
  if (!team) throw new DomainError("not_found", "This form's team no longer exists.");
  const mechanism = read.mechanismId ? await deps.mechanisms.get(read.mechanismId) : null;
  const meta: modal.MechanismModalMeta = { teamId: team.id, slots: { ...read.slots } };
  if (mechanism) meta.mechanismId = mechanism.id;
  const now =
    key === "guardrail" ? modal.guardrailSlots(meta, mechanism) : modal.signalSlots(meta, mechanism, key);
  return modal.buildMechanismModal({
    meta: { ...meta, slots: { ...meta.slots, [key]: now + 1 } },
    mechanism,
    defaultOwnerId: mechanism?.ownerId ?? "",
    defaultCadence: mechanism?.cadenceWeeks ?? team.cadenceWeeks,
  });
}
