import type { KnownBlock, ModalView } from "@slack/types";
import { type Mechanism, SIGNAL_KINDS, type SignalKind } from "../../mechanisms/mechanism.js";
import { MECH_BLOCK, signalBlock, VIEW } from "../ids.js";
import {
  context,
  datepicker,
  divider,
  header,
  modal,
  numberInput,
  option,
  radio,
  textInput,
  usersSelect,
} from "./kit.js";
import { md } from "./mrkdwn.js";

const SIGNAL_LABEL: Record<SignalKind, string> = {
  proxy: "Proxy (moves first)",
  outcome: "Outcome (must move)",
  leading: "Leading indicator (optional)",
};

export interface MechanismModalMeta {
  teamId: string;
  mechanismId?: string;
}

/** The one-pager form: Aim, Mechanism, Feedback, Checkpoint, Guardrail, Owner & cadence. */
export function buildMechanismModal(o: {
  meta: MechanismModalMeta;
  mechanism: Mechanism | null;
  defaultOwnerId: string;
  defaultCadence: 1 | 2;
}): ModalView {
  const m = o.mechanism;
  const signal = (k: SignalKind) => m?.signals.find((s) => s.kind === k);
  const blocks: KnownBlock[] = [
    context(
      md`A mechanism is a causal bet, not a task. Fill the one-pager; Ratchet checks it before saving.`,
    ),
    textInput(MECH_BLOCK.title, "Short name", {
      initial: m?.title,
      placeholder: "e.g. First-run nudge",
      maxLength: 80,
    }),
    header("Aim — the user behaviour to change"),
    textInput(MECH_BLOCK.aim, "Aim", {
      initial: m?.aim,
      placeholder: "Increase activation for new SMB signups",
      multiline: true,
      maxLength: 500,
    }),
    textInput(MECH_BLOCK.aimForWhom, "For whom", {
      initial: m?.aimForWhom,
      placeholder: "Segment S: new SMB signups",
    }),
    numberInput(MECH_BLOCK.aimFrom, "From (today's value)", { initial: m?.aimFrom, placeholder: "27" }),
    numberInput(MECH_BLOCK.aimTo, "To (target)", { initial: m?.aimTo, placeholder: "35" }),
    textInput(MECH_BLOCK.aimUnit, "Unit", {
      initial: m?.aimUnit,
      placeholder: "%",
      optional: true,
      maxLength: 20,
    }),
    datepicker(MECH_BLOCK.aimBy, "By when", { initial: m?.aimBy }),
    header("Mechanism — why it will work"),
    textInput(MECH_BLOCK.statement, "We believe X will move Y because Z", {
      initial: m?.statement,
      multiline: true,
      maxLength: 1000,
      placeholder:
        "We believe making Action X unmissable will raise activation because it removes confusion at step N",
    }),
    header("Feedback signals"),
  ];
  for (const kind of SIGNAL_KINDS) {
    const s = signal(kind);
    const optional = kind === "leading";
    blocks.push(
      textInput(signalBlock(kind, "name"), `${SIGNAL_LABEL[kind]} — name`, {
        initial: s?.name,
        optional,
        maxLength: 120,
        placeholder:
          kind === "proxy"
            ? "% doing Action X in 24h"
            : kind === "outcome"
              ? "14-day activation"
              : "median time-to-first-action",
      }),
      numberInput(signalBlock(kind, "baseline"), "Baseline", { initial: s?.baseline, optional }),
      numberInput(signalBlock(kind, "target"), "Target", { initial: s?.target, optional }),
      textInput(signalBlock(kind, "unit"), "Unit", { initial: s?.unit, optional: true, maxLength: 20 }),
    );
  }
  blocks.push(
    divider(),
    textInput(MECH_BLOCK.checkpointRule, "Checkpoint rule — continue if …", {
      initial: m?.checkpointRule,
      placeholder: "continue if proxy >= 80 and outcome change >= 3",
      hint: "Use proxy, outcome or leading with >=, <=, >, <; 'change' compares with the baseline; 'reaches target'. Join with and / or.",
      maxLength: 300,
    }),
    textInput(MECH_BLOCK.guardrail, "Guardrail SLI/SLO", {
      initial: m?.guardrail,
      placeholder: "Error rate ≤ 0.1% on checkout",
      maxLength: 300,
    }),
    usersSelect(MECH_BLOCK.stopOwner, "Who can say stop when it trips", { initial: m?.stopOwnerId }),
    textInput(MECH_BLOCK.rollbackPath, "Rollback / kill path", {
      initial: m?.rollbackPath,
      multiline: true,
      placeholder: "Feature flag off; rollout ≤ 10%",
      maxLength: 500,
    }),
    // "No ops path if it worked" is its own purgatory smell, apart from the way back if it fails.
    textInput(MECH_BLOCK.opsPath, "If it works, who runs it? (ops owner / path)", {
      initial: m?.opsPath,
      multiline: true,
      optional: true,
      placeholder: "Support on-call owns the checklist; runbook in the team wiki",
      hint: "Who keeps it running once it graduates, and how it gets there. The pilot-purgatory alarm asks after one cycle.",
      maxLength: 500,
    }),
    usersSelect(MECH_BLOCK.owner, "Owner", { initial: m?.ownerId ?? o.defaultOwnerId }),
    radio(
      MECH_BLOCK.cadence,
      "15-minute review",
      [option("Every week", "1"), option("Every two weeks", "2")],
      {
        initial: String(m?.cadenceWeeks ?? o.defaultCadence),
      },
    ),
  );
  return modal({
    callbackId: VIEW.mechanism,
    title: m ? "Edit mechanism" : "New mechanism",
    submit: m ? "Save" : "Publish",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}
