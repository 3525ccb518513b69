import type { App } from "@slack/bolt";
import { SIGNAL_KINDS, type SignalKind } from "../../../mechanisms/mechanism.js";
import { DomainError } from "../../../shared/errors.js";
import { buildMechanismModal, type MechanismModalMeta, signalSlots } from "../../blocks/mechanism-modal.js";
import type { SlackDeps } from "../../deps.js";
import { addSignalAction } from "../../ids.js";
import { onModalInput } from "../kit/modal-input.js";

/**
 * "Add another outcome signal" in the mechanism modal: the same modal with one more slot in that role.
 * Slack keeps what was typed in inputs whose block ids stay the same, so nothing typed is lost.
 */
export function register(app: App, deps: SlackDeps): void {
  for (const kind of SIGNAL_KINDS) {
    onModalInput<MechanismModalMeta>(app, deps, new RegExp(`^${addSignalAction(kind)}$`), {
      label: "mechanism signal slots",
      redraw: ({ meta }) => redraw(deps, meta, kind),
    });
  }
}

async function redraw(deps: SlackDeps, read: Partial<MechanismModalMeta>, kind: SignalKind) {
  const team = await deps.teams.get(read.teamId ?? "");
  if (!team) throw new DomainError("not_found", "This form's team no longer exists.");
  const mechanism = read.mechanismId ? await deps.mechanisms.get(read.mechanismId) : null;
  const meta: MechanismModalMeta = { teamId: team.id, slots: { ...read.slots } };
  if (mechanism) meta.mechanismId = mechanism.id;
  const slots = { ...meta.slots, [kind]: signalSlots(meta, mechanism, kind) + 1 };
  return buildMechanismModal({
    meta: { ...meta, slots },
    mechanism,
    // Slack keeps the owner already picked; this is only what an untouched select starts from.
    defaultOwnerId: mechanism?.ownerId ?? "",
    defaultCadence: mechanism?.cadenceWeeks ?? team.cadenceWeeks,
  });
}
