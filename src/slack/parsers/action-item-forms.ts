import { z } from "zod";
import { ACTION_ITEM_BLOCK as B } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

/** The service's domain fields (its DomainError.field) → the Extend form's inputs. */
export const EXTEND_FIELDS = { toDate: B.newDate } as const;

const REASON_MAX = 500;

const reason = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .max(REASON_MAX, { error: `Keep it under ${REASON_MAX} characters.` });

const extendSchema = z.object({
  [B.newDate]: z
    .string({ error: "Pick the new due date." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Pick the new due date." }),
  [B.extendReason]: reason("Say why it needs longer: the reason is kept with the COE."),
});

const notDoingSchema = z.object({
  [B.notDoingReason]: reason("Say why it won't be done: the next similar incident will read it."),
});

/** Extend: a date and a reason, both required. Whether the date is late enough is the service's rule. */
export function parseExtendForm(values: StateValues): ParseResult<{ toDate: string; reason: string }> {
  const r = extendSchema.safeParse(readAll(values, [B.newDate, B.extendReason]));
  if (!r.success) return { ok: false, errors: toBlockErrors(r.error) };
  return { ok: true, value: { toDate: r.data[B.newDate], reason: r.data[B.extendReason] } };
}

export function parseNotDoingForm(values: StateValues): ParseResult<{ reason: string }> {
  const r = notDoingSchema.safeParse(readAll(values, [B.notDoingReason]));
  if (!r.success) return { ok: false, errors: toBlockErrors(r.error) };
  return { ok: true, value: { reason: r.data[B.notDoingReason] } };
}
