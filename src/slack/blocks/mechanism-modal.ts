import type { KnownBlock, ModalView } from "@slack/types";
import { MAX_GUARDRAILS } from "../../mechanisms/guardrail.js";
import {
  type Mechanism,
  SIGNAL_KINDS,
  SIGNALS_PER_KIND,
  type SignalKind,
} from "../../mechanisms/mechanism.js";
import {
  ADD_GUARDRAIL_ACTION,
  addSignalAction,
  guardrailBlock,
  MECH_BLOCK,
  signalBlock,
  VIEW,
} from "../ids.js";
import { guardrailLine } from "./guardrails.js";
import {
  actions,
  button,
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
import { clip, md } from "./mrkdwn.js";

const SIGNAL_LABEL: Record<SignalKind, string> = {
  proxy: "Proxy (moves first)",
  outcome: "Outcome (must move)",
  leading: "Leading indicator (optional)",
};
const ANOTHER: Record<SignalKind, string> = {
  proxy: "Proxy",
  outcome: "Outcome",
  leading: "Leading indicator",
};
const PLACEHOLDER: Record<SignalKind, string> = {
  proxy: "% doing Action X in 24h",
  outcome: "14-day activation",
  leading: "median time-to-first-action",
};

export interface MechanismModalMeta {
  teamId: string;
  mechanismId?: string;
  /** how many signal slots each role shows, and guardrails (one more per "Add another …" click) */
  slots?: Partial<Record<SignalKind | "guardrail", number>>;
}

/** Guardrail slots: what the metadata says, else as many as the mechanism has (at least one), at most 3. */
export function guardrailSlots(meta: MechanismModalMeta, m: Mechanism | null): number {
  const wanted = Math.floor(meta.slots?.guardrail ?? 1) || 1;
  return Math.min(MAX_GUARDRAILS, Math.max(1, m?.guardrails?.length ?? 0, wanted));
}

/** The further guardrails (the first is the one-pager's original text and stop owner). */
function moreGuardrails(meta: MechanismModalMeta, m: Mechanism | null): KnownBlock[] {
  const count = guardrailSlots(meta, m);
  const blocks: KnownBlock[] = [];
  for (let slot = 1; slot < count; slot++) {
    const g = m?.guardrails?.[slot];
    const line = g ? guardrailLine(g) : "";
    blocks.push(
      textInput(guardrailBlock(slot, "text"), `Guardrail ${slot + 1} (optional)`, {
        initial: g ? (line ? `${g.name} ${line}` : g.name) : undefined,
        optional: true,
        placeholder: "Outreach cap ≤ 1 email per user per week",
        maxLength: 300,
      }),
      usersSelect(guardrailBlock(slot, "stopOwner"), "Who can say stop when it trips", {
        initial: g?.stopOwnerId,
        optional: true,
      }),
    );
  }
  if (count < MAX_GUARDRAILS) {
    blocks.push(
      actions([button("Add another guardrail", ADD_GUARDRAIL_ACTION, "guardrail")], "mech_add_guardrail"),
    );
  }
  return blocks;
}

/** A role's slots: what the metadata says, else as many as the mechanism has (at least one), at most 3. */
export function signalSlots(meta: MechanismModalMeta, m: Mechanism | null, kind: SignalKind): number {
  const saved = m?.signals.filter((s) => s.kind === kind).length ?? 0;
  const wanted = meta.slots?.[kind] ?? 1;
  return Math.min(SIGNALS_PER_KIND, Math.max(1, saved, Math.floor(wanted) || 1));
}

/** The one-pager form: Aim, Mechanism, Feedback, Checkpoint, Guardrail, Owner & cadence. */
export function buildMechanismModal(o: {
  meta: MechanismModalMeta;
  mechanism: Mechanism | null;
  defaultOwnerId: string;
  defaultCadence: 1 | 2;
  /** a new one-pager's first words, e.g. from an Anthropologist Hat case's balancing loop */
  prefill?: { title?: string; aim?: string; statement?: string };
}): ModalView {
  const m = o.mechanism;
  // Clipped to each input's max_length: Slack refuses a view whose initial value is longer.
  const pre = m ? undefined : o.prefill;
  const slots = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, signalSlots(o.meta, m, k)]));
  const blocks: KnownBlock[] = [
    context(
      md`A mechanism is a causal bet, not a task. Fill the one-pager; Ratchet checks it before saving.`,
    ),
    textInput(MECH_BLOCK.title, "Short name", {
      initial: m?.title ?? (pre?.title ? clip(pre.title, 80) : undefined),
      placeholder: "e.g. First-run nudge",
      maxLength: 80,
    }),
    header("Aim — the user behaviour to change"),
    textInput(MECH_BLOCK.aim, "Aim", {
      initial: m?.aim ?? (pre?.aim ? clip(pre.aim, 500) : undefined),
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
      initial: m?.statement ?? (pre?.statement ? clip(pre.statement, 1000) : undefined),
      multiline: true,
      maxLength: 1000,
      placeholder:
        "We believe making Action X unmissable will raise activation because it removes confusion at step N",
    }),
    header("Feedback signals"),
  ];
  for (const kind of SIGNAL_KINDS) {
    const saved = m?.signals.filter((s) => s.kind === kind) ?? [];
    const count = slots[kind] ?? 1;
    for (let slot = 0; slot < count; slot++) {
      const s = saved[slot];
      // A role's first proxy and outcome are required; every other slot may stay empty.
      const optional = kind === "leading" || slot > 0;
      const label = slot === 0 ? SIGNAL_LABEL[kind] : `${ANOTHER[kind]} ${slot + 1} (optional)`;
      const block = (part: "name" | "baseline" | "target" | "unit") => signalBlock(kind, part, slot);
      blocks.push(
        textInput(block("name"), `${label} — name`, {
          initial: s?.name,
          optional,
          maxLength: 120,
          placeholder: PLACEHOLDER[kind],
        }),
        numberInput(block("baseline"), "Baseline", { initial: s?.baseline, optional }),
        numberInput(block("target"), "Target", { initial: s?.target, optional }),
        textInput(block("unit"), "Unit", { initial: s?.unit, optional: true, maxLength: 20 }),
      );
    }
    if (count < SIGNALS_PER_KIND) {
      const noun = kind === "leading" ? "leading indicator" : `${kind} signal`;
      blocks.push(actions([button(`Add another ${noun}`, addSignalAction(kind), kind)], `mech_add_${kind}`));
    }
  }
  blocks.push(
    divider(),
    textInput(MECH_BLOCK.checkpointRule, "Checkpoint rule — continue if …", {
      initial: m?.checkpointRule,
      placeholder: "continue if proxy >= 80 and outcome change >= 3",
      hint: "Name a signal (p95) or its role (proxy, outcome, leading) with >=, <=, >, <; 'change' compares with the baseline (p95 -25%); 'reaches target'. Join with and / or.",
      maxLength: 300,
    }),
    textInput(MECH_BLOCK.guardrail, "Guardrail SLI/SLO", {
      initial: m?.guardrail,
      placeholder: "Error rate ≤ 0.1% on checkout",
      maxLength: 300,
    }),
    usersSelect(MECH_BLOCK.stopOwner, "Who can say stop when it trips", { initial: m?.stopOwnerId }),
    ...moreGuardrails(o.meta, m),
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
  // Editing: the rules (aim, baselines and targets, checkpoint) were set before the start; changing
  // them after a review needs a reason, which the decision log keeps.
  if (m) {
    blocks.push(
      textInput(MECH_BLOCK.ruleChangeReason, "If you change the aim, signals or checkpoint rule: why?", {
        optional: true,
        multiline: true,
        maxLength: 300,
        hint: "Needed once it has been reviewed. Logged in its decision log as “Rule changed: … because …”.",
      }),
    );
  }
  return modal({
    callbackId: VIEW.mechanism,
    title: m ? "Edit mechanism" : "New mechanism",
    submit: m ? "Save" : "Publish",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}
