import { z } from "zod";
import {
  type DeviationInput,
  type DeviationSubmission,
  guardrailProblem,
  hypothesisProblem,
  mentionsProblem,
  type OutcomeInput,
  sensitiveMentions,
} from "../../deviations/deviation.js";
import { DEVIATION_MAX, NOT_SENSITIVE_VALUE, SENSITIVE_VALUE } from "../blocks/deviations.js";
import { DEV_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, readValues, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

/** The service's domain fields (its DomainError.field) → this form's inputs, for inline errors. */
export const DEVIATION_FIELDS = {
  hypothesis: DEV_BLOCK.hypothesis,
  approverId: DEV_BLOCK.approver,
  cycleIndex: DEV_BLOCK.cycle,
} as const satisfies Partial<Record<keyof DeviationInput, string>>;

const text = (missing: string, max: number) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .max(max, { error: `Keep it under ${max} characters.` });

const logSchema = z.object({
  [DEV_BLOCK.area]: text("Name the default you deviate from, e.g. API framework.", DEVIATION_MAX.area),
  [DEV_BLOCK.deviation]: text("Say what you will do differently, for whom.", DEVIATION_MAX.deviation),
  [DEV_BLOCK.hypothesis]: text("Write the hypothesis: because…", DEVIATION_MAX.hypothesis),
  [DEV_BLOCK.benefit]: text("What do you expect to gain?", DEVIATION_MAX.benefit),
  [DEV_BLOCK.risk]: text("What could it cost? Name the risk.", DEVIATION_MAX.risk),
  [DEV_BLOCK.cycle]: z
    .string({ error: "Pick the cycle this deviation belongs to." })
    .regex(/^-?\d+$/, { error: "Pick the cycle this deviation belongs to." })
    .transform(Number),
  [DEV_BLOCK.approver]: z.string().nullable(),
});

/**
 * Reads /ratchet deviate. Every problem comes back at once, keyed by block: missing fields, a
 * hypothesis without a cause, and the guardrail (sensitive needs an approver who is not the submitter).
 */
export function parseDeviationForm(
  values: StateValues,
  ctx: { submitterId: string },
): ParseResult<DeviationSubmission> {
  const raw = readAll(values, [
    DEV_BLOCK.area,
    DEV_BLOCK.deviation,
    DEV_BLOCK.hypothesis,
    DEV_BLOCK.benefit,
    DEV_BLOCK.risk,
    DEV_BLOCK.cycle,
    DEV_BLOCK.approver,
  ]);
  const parsed = logSchema.safeParse(raw);
  const errors = parsed.success ? {} : toBlockErrors(parsed.error);
  const hypothesis = raw[DEV_BLOCK.hypothesis];
  if (hypothesis && !errors[DEV_BLOCK.hypothesis]) {
    const problem = hypothesisProblem(hypothesis);
    if (problem) errors[DEV_BLOCK.hypothesis] = problem;
  }
  const ticked = readValues(values, DEV_BLOCK.sensitive);
  const sensitive = ticked.includes(SENSITIVE_VALUE);
  const notSensitive = ticked.includes(NOT_SENSITIVE_VALUE);
  const approverId = raw[DEV_BLOCK.approver];
  const guardrail = guardrailProblem({ sensitive, approverId, submitterId: ctx.submitterId });
  if (guardrail) errors[DEV_BLOCK.approver] = guardrail;
  // Read from what they wrote too, whatever they ticked (issue 11).
  const written = [
    DEV_BLOCK.area,
    DEV_BLOCK.deviation,
    DEV_BLOCK.hypothesis,
    DEV_BLOCK.benefit,
    DEV_BLOCK.risk,
  ];
  const mentions = sensitiveMentions(written.map((b) => raw[b] ?? ""));
  const unconfirmed = mentionsProblem({ sensitive, notSensitive, mentions });
  if (unconfirmed) errors[DEV_BLOCK.sensitive] = unconfirmed;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      area: v[DEV_BLOCK.area],
      deviation: v[DEV_BLOCK.deviation],
      hypothesis: v[DEV_BLOCK.hypothesis],
      benefit: v[DEV_BLOCK.benefit],
      risk: v[DEV_BLOCK.risk],
      cycleIndex: v[DEV_BLOCK.cycle],
      sensitive,
      approverId,
      notSensitive,
    },
  };
}

const outcomeSchema = z.object({
  [DEV_BLOCK.outcome]: text("Write what happened: the evidence, not the effort.", DEVIATION_MAX.outcome),
  [DEV_BLOCK.verdict]: z.enum(["promote", "retire"], {
    error: "Decide: promote it to a default, or retire it.",
  }),
});

/** Reads the cycle-end outcome modal. */
export function parseOutcomeForm(values: StateValues): ParseResult<OutcomeInput> {
  const parsed = outcomeSchema.safeParse(readAll(values, [DEV_BLOCK.outcome, DEV_BLOCK.verdict]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  return {
    ok: true,
    value: { outcome: parsed.data[DEV_BLOCK.outcome], verdict: parsed.data[DEV_BLOCK.verdict] },
  };
}
