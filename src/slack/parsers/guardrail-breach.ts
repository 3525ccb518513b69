import { z } from "zod";
import { KEEP_GOING_REASON_MAX } from "../blocks/guardrail-breach.js";
import { GUARDRAIL_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const missing = "Say why it should keep going past its guardrail — it goes into the decision log.";

const keepGoingSchema = z.object({
  [GUARDRAIL_BLOCK.reason]: z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .max(KEEP_GOING_REASON_MAX, { error: `Keep it under ${KEEP_GOING_REASON_MAX} characters.` }),
});

/** Reads the Keep going modal: the reason, required. */
export function parseKeepGoingForm(values: StateValues): ParseResult<{ reason: string }> {
  const parsed = keepGoingSchema.safeParse(readAll(values, [GUARDRAIL_BLOCK.reason]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  return { ok: true, value: { reason: parsed.data[GUARDRAIL_BLOCK.reason] } };
}
