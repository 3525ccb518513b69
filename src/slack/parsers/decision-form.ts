import { z } from "zod";
import {
  type DecisionKind,
  type Guardrail,
  isDecisionKind,
  type ReadingValues,
  type Signal,
  slotInKind,
} from "../../mechanisms/mechanism.js";
import { guardrailReadingBlock, REVIEW_BLOCK, readingBlock } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readValue, type StateValues } from "./view-state.js";

export interface DecisionForm {
  decision: DecisionKind;
  entry: string;
  /** what changes (change) or what becomes the team default (graduate) */
  changeDetail: string;
  gateReason: string;
  whatChanged: string;
  whatDidnt: string;
  why: string;
  /** by signal id */
  readings: ReadingValues;
  /** by guardrail id */
  guardrailReadings: ReadingValues;
  mechanismId: string | null;
}

const entrySchema = z
  .string({ error: "Write the decision log entry: 1–3 lines." })
  .transform((s) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join("\n"),
  )
  .refine((s) => s.length > 0, { error: "Write the decision log entry: 1–3 lines." })
  .refine((s) => s.split("\n").length <= 3, { error: "Keep the decision log entry to 1–3 lines." })
  .refine((s) => s.length <= 600, { error: "Keep the decision log entry under 600 characters." });

/**
 * Reads a review or /ratchet log submission. `signals` lists the readings to
 * expect (none for /ratchet log); `reviewQuestions` requires what changed / what didn't / why.
 */
export function parseDecisionForm(
  values: StateValues,
  o: {
    signals: Signal[];
    guardrails?: readonly Guardrail[];
    reviewQuestions: boolean;
    needsMechanism: boolean;
  },
): ParseResult<DecisionForm> {
  const errors: Record<string, string> = {};
  const decision = readValue(values, REVIEW_BLOCK.decision);
  if (!isDecisionKind(decision)) {
    errors[REVIEW_BLOCK.decision] = "Decide: continue, change, stop or graduate.";
  }
  const entry = entrySchema.safeParse(readValue(values, REVIEW_BLOCK.entry) ?? undefined);
  if (!entry.success) errors[REVIEW_BLOCK.entry] = entry.error.issues[0]?.message ?? "Check the entry.";
  const change = readValue(values, REVIEW_BLOCK.changeDetail) ?? "";
  const floor = readValue(values, REVIEW_BLOCK.floor) ?? "";
  if (decision === "change" && !change) {
    errors[REVIEW_BLOCK.changeDetail] = "Say what changes — the history keeps the old version.";
  }
  if (decision === "graduate" && !floor) {
    errors[REVIEW_BLOCK.floor] = "Say what becomes the team's default now that it's proven.";
  }
  // One column keeps the detail of whichever decision was taken.
  const changeDetail = decision === "graduate" ? floor : change;
  const mechanismId = readValue(values, REVIEW_BLOCK.mechanism);
  if (o.needsMechanism && !mechanismId)
    errors[REVIEW_BLOCK.mechanism] = "Pick the mechanism this decision is about.";
  const answers = {
    whatChanged: readValue(values, REVIEW_BLOCK.whatChanged) ?? "",
    whatDidnt: readValue(values, REVIEW_BLOCK.whatDidnt) ?? "",
    why: readValue(values, REVIEW_BLOCK.why) ?? "",
  };
  if (o.reviewQuestions) {
    if (!answers.whatChanged) errors[REVIEW_BLOCK.whatChanged] = "What changed since the last review?";
    if (!answers.whatDidnt) errors[REVIEW_BLOCK.whatDidnt] = "What didn't change (or didn't work)?";
    if (!answers.why) errors[REVIEW_BLOCK.why] = "Why do you think so?";
  }
  const readings = parseReadings(values, o.signals, errors);
  const guardrailReadings = parseGuardrailReadings(values, o.guardrails ?? [], errors);
  if (Object.keys(errors).length > 0 || !entry.success) return { ok: false, errors };
  return {
    ok: true,
    value: {
      decision: decision as DecisionKind,
      entry: entry.data,
      changeDetail,
      // Only a "continue" can be against the gate; the service decides whether it is.
      gateReason: decision === "continue" ? (readValue(values, REVIEW_BLOCK.gateReason) ?? "") : "",
      ...answers,
      readings,
      guardrailReadings,
      mechanismId,
    },
  };
}

/** The decision's domain fields (named in the service's errors) → the inputs that hold them. */
export const DECISION_FIELDS = {
  decision: REVIEW_BLOCK.decision,
  gateReason: REVIEW_BLOCK.gateReason,
  changeDetail: REVIEW_BLOCK.changeDetail,
} as const;

/** Guardrail readings typed so far (guardrails with a line only); a non-number is an inline error. */
export function parseGuardrailReadings(
  values: StateValues,
  guardrails: readonly Guardrail[],
  errors: Record<string, string> = {},
): ReadingValues {
  const readings: ReadingValues = {};
  guardrails.forEach((g, i) => {
    const raw = readValue(values, guardrailReadingBlock(i));
    if (raw === null || g.comparison === null) return;
    const n = Number(raw.replace(",", "."));
    if (Number.isFinite(n)) readings[g.id] = n;
    else errors[guardrailReadingBlock(i)] = "Enter a number, e.g. 0.1.";
  });
  return readings;
}

/** Readings typed so far; a non-number is an inline error on that reading. */
export function parseReadings(
  values: StateValues,
  signals: Signal[],
  errors: Record<string, string> = {},
): ReadingValues {
  const readings: ReadingValues = {};
  for (const s of signals) {
    const block = readingBlock(s.kind, slotInKind(signals, s));
    const raw = readValue(values, block);
    if (raw === null) continue;
    const n = Number(raw.replace(",", "."));
    if (Number.isFinite(n)) readings[s.id] = n;
    else errors[block] = "Enter a number, e.g. 42 or 0.5.";
  }
  return readings;
}
