import { z } from "zod";
import {
  HAT_CHOICES,
  HAT_LISTS,
  HAT_MAX,
  type HatCaseInput,
  hatCaseProblem,
  mergeItems,
} from "../../hat-cases/hat-case.js";
import { isPlaceholder } from "../../mechanisms/placeholder.js";
import { HAT_FIELDS } from "../blocks/hat-cases.js";
import { HAT_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readValue, readValues, type StateValues } from "./view-state.js";

/** The service's domain fields (its DomainError.field) → this form's inputs, for inline errors. */
export const HAT_CASE_FIELDS = {
  context: HAT_BLOCK.context,
  symptoms: HAT_BLOCK.symptoms,
} as const satisfies Partial<Record<keyof HatCaseInput, string>>;

const contextSchema = z
  .string({ error: "Say where you see the friction: a team, a vertical or a domain." })
  .trim()
  .min(1, { error: "Say where you see the friction: a team, a vertical or a domain." })
  .max(HAT_MAX.context, { error: `Keep it under ${HAT_MAX.context} characters.` })
  .refine((t) => !isPlaceholder(t), { error: "Write where you see the friction, not a placeholder." });

/** A typed "other …" field: a few short lines, each saying something. */
const typedSchema = z
  .string()
  .max(HAT_MAX.typed, { error: `Keep it under ${HAT_MAX.typed} characters.` })
  .transform((t) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== ""),
  )
  .refine((lines) => lines.length <= HAT_MAX.typedItems, {
    error: `At most ${HAT_MAX.typedItems} of your own, one per line: keep loops to a few lines.`,
  })
  .refine((lines) => lines.every((l) => l.length <= HAT_MAX.item), {
    error: `Keep each line under ${HAT_MAX.item} characters.`,
  })
  .refine((lines) => lines.every((l) => !isPlaceholder(l)), {
    error: "Write what you see on each line, or leave it empty (no “TBD”).",
  });

const firstIssue = (e: z.ZodError): string => e.issues[0]?.message ?? "Check this field.";

/**
 * Reads /ratchet hat. Every problem comes back at once, keyed by block: the context, a typed field
 * that is too long or a placeholder, a choice the modal never offered (a forged submission), and the
 * case's rule (at least one symptom or reinforcing loop), shown on the symptoms.
 */
export function parseHatCaseForm(values: StateValues): ParseResult<HatCaseInput> {
  const errors: Record<string, string> = {};
  const context = contextSchema.safeParse(readValue(values, HAT_BLOCK.context) ?? "");
  if (!context.success) errors[HAT_BLOCK.context] = firstIssue(context.error);
  const lists = {} as Record<(typeof HAT_LISTS)[number], string[]>;
  for (const list of HAT_LISTS) {
    const f = HAT_FIELDS[list];
    const offered: readonly string[] = HAT_CHOICES[list];
    const picked = readValues(values, f.picked);
    if (!picked.every((p) => offered.includes(p))) errors[f.picked] = "Pick from the list.";
    const typed = typedSchema.safeParse(readValue(values, f.typed) ?? "");
    if (!typed.success) errors[f.typed] = firstIssue(typed.error);
    lists[list] = mergeItems(
      picked.filter((p) => offered.includes(p)),
      typed.success ? typed.data.join("\n") : "",
    );
  }
  const problem = hatCaseProblem(lists);
  // Said once, where nothing else is wrong already: a refused line or choice may be the symptom meant.
  const seen = [
    HAT_BLOCK.symptoms,
    HAT_BLOCK.symptomsOther,
    HAT_BLOCK.reinforcing,
    HAT_BLOCK.reinforcingOther,
  ];
  if (problem && seen.every((b) => !errors[b])) errors[HAT_BLOCK.symptoms] = problem;
  if (!context.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { context: context.data, ...lists } };
}
