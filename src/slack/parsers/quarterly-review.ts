import { z } from "zod";
import {
  type PriorityItem,
  parsePriorityLines,
  QUARTER_MAX,
  type QuarterlyReviewInput,
} from "../../quarters/quarterly-review.js";
import { QUARTER_BLOCK, quarterStayedBlock } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, readValue, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const text = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, { error: missing })
    .max(QUARTER_MAX.text, { error: `Keep it under ${QUARTER_MAX.text} characters.` });

const quote = (items: readonly string[]) =>
  items
    .slice(0, 3)
    .map((i) => `“${i.length > 40 ? `${i.slice(0, 39)}…` : i}”`)
    .join(", ");

/** A list typed as "item — why" per line: every item needs its why, and the error names the item. */
const priorities = (o: { required?: string }) =>
  z
    .string()
    .nullable()
    .transform((v, ctx): PriorityItem[] => {
      const { items, missingWhy } = parsePriorityLines(v ?? "");
      if (missingWhy.length > 0) {
        const more = missingWhy.length > 3 ? ` and ${missingWhy.length - 3} more` : "";
        ctx.addIssue({
          code: "custom",
          message: `Add the why to ${quote(missingWhy)}${more}: write it as “item — why”.`,
        });
        return z.NEVER;
      }
      const long = items.filter((i) => `${i.item} — ${i.why}`.length > QUARTER_MAX.itemLine);
      if (long.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `Shorten ${quote(long.map((i) => i.item))}: one line of at most ${QUARTER_MAX.itemLine} characters each.`,
        });
        return z.NEVER;
      }
      if (items.length > QUARTER_MAX.items) {
        ctx.addIssue({
          code: "custom",
          message: `At most ${QUARTER_MAX.items} items: a priority list that long is not one.`,
        });
        return z.NEVER;
      }
      if (o.required && items.length === 0) {
        ctx.addIssue({ code: "custom", message: o.required });
        return z.NEVER;
      }
      return items;
    });

const reviewSchema = z.object({
  [QUARTER_BLOCK.achieved]: text("Say what we achieved this quarter, even if it was little."),
  [QUARTER_BLOCK.learned]: text("Say what we learned this quarter."),
  [QUARTER_BLOCK.wentWell]: z
    .string()
    .trim()
    .max(QUARTER_MAX.text, { error: `Keep it under ${QUARTER_MAX.text} characters.` })
    .nullable(),
  [QUARTER_BLOCK.behaviour]: text("Name a behaviour we changed last quarter, and the evidence it changed."),
  [QUARTER_BLOCK.continueItems]: priorities({}),
  [QUARTER_BLOCK.newItems]: priorities({}),
  [QUARTER_BLOCK.stopItems]: priorities({
    required: "Name at least one thing we stop doing, and why: “item — why”.",
  }),
});

/**
 * Reads the guided review. `stops` is how many "Did it stay stopped?" questions the modal asked; the
 * answers come back in that order (the service matches them to last quarter's stop list).
 */
export function parseQuarterlyReview(
  values: StateValues,
  stops: number,
): ParseResult<Omit<QuarterlyReviewInput, "stoppedCheck"> & { stayed: boolean[] }> {
  const parsed = reviewSchema.safeParse(
    readAll(values, [
      QUARTER_BLOCK.achieved,
      QUARTER_BLOCK.learned,
      QUARTER_BLOCK.wentWell,
      QUARTER_BLOCK.behaviour,
      QUARTER_BLOCK.continueItems,
      QUARTER_BLOCK.newItems,
      QUARTER_BLOCK.stopItems,
    ]),
  );
  const errors = parsed.success ? {} : toBlockErrors(parsed.error);
  const stayed: boolean[] = [];
  for (let i = 0; i < Math.min(Math.max(stops, 0), 20); i++) {
    const answer = readValue(values, quarterStayedBlock(i));
    if (answer !== "yes" && answer !== "no") errors[quarterStayedBlock(i)] = "Say whether it stayed stopped.";
    stayed.push(answer === "yes");
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      achieved: v[QUARTER_BLOCK.achieved],
      learned: v[QUARTER_BLOCK.learned],
      wentWell: v[QUARTER_BLOCK.wentWell] ?? "",
      behaviourChanged: v[QUARTER_BLOCK.behaviour],
      continueItems: v[QUARTER_BLOCK.continueItems],
      newItems: v[QUARTER_BLOCK.newItems],
      stopItems: v[QUARTER_BLOCK.stopItems],
      stayed,
    },
  };
}

const settingsSchema = z.object({
  [QUARTER_BLOCK.date]: z
    .string({ error: "Pick the date of the next quarterly review." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Pick the date of the next quarterly review." }),
  [QUARTER_BLOCK.time]: z
    .string({ error: "Pick the time it opens." })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Pick the time it opens." }),
});

/** Reads `/ratchet quarter settings`. */
export function parseQuarterSettings(values: StateValues): ParseResult<{ date: string; time: string }> {
  const parsed = settingsSchema.safeParse(readAll(values, [QUARTER_BLOCK.date, QUARTER_BLOCK.time]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  return {
    ok: true,
    value: { date: parsed.data[QUARTER_BLOCK.date], time: parsed.data[QUARTER_BLOCK.time] },
  };
}
