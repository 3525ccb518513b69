import { z } from "zod";
import {
  DEFAULT_TEXT_MISSING,
  DEFAULT_WHY_MISSING,
  FLOOR_KINDS,
  FLOOR_MAX,
  RETIRE_REASON_MISSING,
} from "../../floor/floor.js";
import type { DefaultInput } from "../../floor/floor-service.js";
import { FLOOR_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const text = (missing: string, max: number) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .refine((v) => [...v].length <= max, { error: `Keep it under ${max} characters.` });

const addSchema = z.object({
  [FLOOR_BLOCK.text]: text(DEFAULT_TEXT_MISSING, FLOOR_MAX.text),
  [FLOOR_BLOCK.why]: text(DEFAULT_WHY_MISSING, FLOOR_MAX.why),
  [FLOOR_BLOCK.kind]: z.enum(FLOOR_KINDS, {
    error: "Pick the kind: a default, a guardrail or a non-negotiable.",
  }),
});

/** Reads "Add a default"; every missing answer comes back at once, on its own input. */
export function parseAddDefaultForm(values: StateValues): ParseResult<DefaultInput> {
  const parsed = addSchema.safeParse(readAll(values, [FLOOR_BLOCK.text, FLOOR_BLOCK.why, FLOOR_BLOCK.kind]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: { text: v[FLOOR_BLOCK.text], why: v[FLOOR_BLOCK.why], kind: v[FLOOR_BLOCK.kind] },
  };
}

const retireSchema = z.object({ [FLOOR_BLOCK.reason]: text(RETIRE_REASON_MISSING, FLOOR_MAX.reason) });

/** Reads "Retire a default": the reason is required (the Floor keeps it beside the retired entry). */
export function parseRetireForm(values: StateValues): ParseResult<{ reason: string }> {
  const parsed = retireSchema.safeParse(readAll(values, [FLOOR_BLOCK.reason]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  return { ok: true, value: { reason: parsed.data[FLOOR_BLOCK.reason] } };
}
