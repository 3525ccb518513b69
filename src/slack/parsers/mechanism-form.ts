import { guardrailFromText, guardrailTextProblem, MAX_GUARDRAILS } from "../../mechanisms/guardrail.js";
import {
  type GuardrailSpec,
  type MechanismInput,
  SIGNAL_KINDS,
  SIGNALS_PER_KIND,
  type SignalKind,
  type SignalSpec,
} from "../../mechanisms/mechanism.js";
import {
  checkMechanismDraft,
  type MechanismDraft,
  type SignalDraft,
} from "../../mechanisms/one-pager-checks.js";
import { guardrailBlock, MECH_BLOCK, signalBlock } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readValue, type StateValues } from "./view-state.js";

/** Maps the quality checks' field keys ("proxy.name", "outcome.1.name", "statement", …) to modal block ids. */
function blockFor(field: string): string {
  const [kind, ...rest] = field.split(".");
  const part = rest.at(-1);
  if (part && SIGNAL_KINDS.includes(kind as SignalKind)) {
    const slot = rest.length > 1 ? Number(rest[0]) : 0;
    return signalBlock(kind as SignalKind, part as "name" | "baseline" | "target", slot);
  }
  const map: Record<string, string> = {
    aimFrom: MECH_BLOCK.aimFrom,
    aimTo: MECH_BLOCK.aimTo,
    aimBy: MECH_BLOCK.aimBy,
    statement: MECH_BLOCK.statement,
    checkpointRule: MECH_BLOCK.checkpointRule,
    stopOwner: MECH_BLOCK.stopOwner,
  };
  return map[field] ?? MECH_BLOCK.title;
}

const text = (values: StateValues, id: string) => readValue(values, id) ?? "";

/** Number inputs arrive as strings; anything not a finite number is an inline error, not a NaN. */
function number(values: StateValues, id: string, errors: Record<string, string>): number | null {
  const raw = readValue(values, id);
  if (raw === null) return null;
  const n = Number(raw.replace(",", "."));
  if (!Number.isFinite(n)) {
    errors[id] = "Enter a number, e.g. 27 or 0.5.";
    return null;
  }
  return n;
}

const LIMITS: [string, number][] = [
  [MECH_BLOCK.title, 80],
  [MECH_BLOCK.aim, 500],
  [MECH_BLOCK.aimForWhom, 200],
  [MECH_BLOCK.statement, 1000],
  [MECH_BLOCK.checkpointRule, 300],
  [MECH_BLOCK.guardrail, 300],
  [MECH_BLOCK.rollbackPath, 500],
  [MECH_BLOCK.opsPath, 500],
];

/**
 * The guardrails as typed: the first slot is the one-pager's text and stop owner, further ones may name
 * their own stop owner (else the first's). A line that can't be read is an inline error.
 */
function readGuardrails(
  values: StateValues,
  mainStopOwner: string | null,
  errors: Record<string, string>,
): GuardrailSpec[] {
  const out: GuardrailSpec[] = [];
  for (let slot = 0; slot < MAX_GUARDRAILS; slot++) {
    const block = guardrailBlock(slot, "text");
    const typed = text(values, block).trim();
    if (typed === "") continue;
    const problem = guardrailTextProblem(typed);
    if (problem) errors[block] = problem;
    if (typed.length > 300) errors[block] = "Keep this under 300 characters.";
    const owner =
      slot === 0 ? mainStopOwner : (readValue(values, guardrailBlock(slot, "stopOwner")) ?? mainStopOwner);
    out.push(...guardrailFromText(typed, owner));
  }
  return out;
}

/** view.state.values → a validated mechanism, or inline errors keyed by block id. */
export function parseMechanismForm(values: StateValues, today: string): ParseResult<MechanismInput> {
  const errors: Record<string, string> = {};
  const signals: Partial<Record<SignalKind, (SignalDraft | undefined)[]>> = {};
  for (const kind of SIGNAL_KINDS) {
    // Every slot the modal may show; a slot it didn't show reads as untouched.
    signals[kind] = Array.from({ length: SIGNALS_PER_KIND }, (_, slot) => {
      const block = (part: "name" | "baseline" | "target" | "unit") => signalBlock(kind, part, slot);
      const name = text(values, block("name"));
      const baseline = number(values, block("baseline"), errors);
      const target = number(values, block("target"), errors);
      const unit = text(values, block("unit"));
      return name || baseline !== null || target !== null ? { name, baseline, target, unit } : undefined;
    });
  }
  const draft: MechanismDraft = {
    title: text(values, MECH_BLOCK.title),
    aim: text(values, MECH_BLOCK.aim),
    aimForWhom: text(values, MECH_BLOCK.aimForWhom),
    aimFrom: number(values, MECH_BLOCK.aimFrom, errors),
    aimTo: number(values, MECH_BLOCK.aimTo, errors),
    aimBy: readValue(values, MECH_BLOCK.aimBy),
    statement: text(values, MECH_BLOCK.statement),
    signals,
    checkpointRule: text(values, MECH_BLOCK.checkpointRule),
    guardrail: text(values, MECH_BLOCK.guardrail),
    stopOwnerId: readValue(values, MECH_BLOCK.stopOwner),
    rollbackPath: text(values, MECH_BLOCK.rollbackPath),
    ownerId: readValue(values, MECH_BLOCK.owner),
    cadenceWeeks: readValue(values, MECH_BLOCK.cadence) === "2" ? 2 : 1,
  };
  for (const [id, max] of LIMITS) {
    if (text(values, id).length > max) errors[id] = `Keep this under ${max} characters.`;
  }
  if (!draft.title) errors[MECH_BLOCK.title] = "Give the mechanism a short name.";
  if (!draft.aim) errors[MECH_BLOCK.aim] = "State the user behaviour you want to change.";
  if (!draft.aimForWhom) errors[MECH_BLOCK.aimForWhom] = "Say whose behaviour: which users or segment.";
  if (!draft.guardrail)
    errors[MECH_BLOCK.guardrail] = "Attach one SLI/SLO that protects users while you test.";
  const guardrails = readGuardrails(values, draft.stopOwnerId, errors);
  if (!draft.rollbackPath) errors[MECH_BLOCK.rollbackPath] = "Write how you roll back or kill it.";
  for (const [field, message] of Object.entries(checkMechanismDraft(draft, today))) {
    const block = blockFor(field);
    if (!errors[block]) errors[block] = message.slice(0, 150);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const specs: SignalSpec[] = [];
  for (const kind of SIGNAL_KINDS) {
    // Positions close up over emptied slots, so the next edit shows the signals in slots 0, 1, …
    let position = 0;
    for (const s of signals[kind] ?? []) {
      if (s?.name && s.baseline !== null && s.target !== null) {
        specs.push({
          kind,
          name: s.name.trim(),
          baseline: s.baseline,
          target: s.target,
          unit: s.unit,
          position,
        });
        position++;
      }
    }
  }
  return {
    ok: true,
    value: {
      title: draft.title,
      aim: draft.aim,
      aimForWhom: draft.aimForWhom,
      aimFrom: draft.aimFrom ?? 0,
      aimTo: draft.aimTo ?? 0,
      aimUnit: text(values, MECH_BLOCK.aimUnit),
      aimBy: draft.aimBy ?? today,
      statement: draft.statement,
      checkpointRule: draft.checkpointRule,
      guardrail: draft.guardrail,
      stopOwnerId: draft.stopOwnerId,
      rollbackPath: draft.rollbackPath,
      opsPath: text(values, MECH_BLOCK.opsPath).trim(),
      ownerId: draft.ownerId,
      cadenceWeeks: draft.cadenceWeeks,
      signals: specs,
      guardrails,
    },
  };
}
