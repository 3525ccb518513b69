import { z } from "zod";
import type { DebriefAnswerInput, DebriefSettings } from "../../debriefs/debrief.js";
import { ANSWER_MAX } from "../blocks/debrief.js";
import { DEBRIEF_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

const settingsSchema = z
  .object({
    [DEBRIEF_BLOCK.enabled]: z.enum(["on", "off"], { error: "Turn the debrief on or off." }),
    [DEBRIEF_BLOCK.weekday]: z.enum(["1", "2", "3", "4", "5", "6", "7"], { error: "Pick a day." }),
    [DEBRIEF_BLOCK.time]: z
      .string({ error: "Pick a prompt time." })
      .regex(hhmm, { error: "Use a time like 15:00." }),
    [DEBRIEF_BLOCK.digestTime]: z
      .string({ error: "Pick a digest time." })
      .regex(hhmm, { error: "Use a time like 17:00." }),
    [DEBRIEF_BLOCK.nudge]: z.enum(["on", "off"], { error: "Choose whether to nudge." }),
  })
  // Same-day window: "HH:mm" strings compare in time order.
  .refine((v) => v[DEBRIEF_BLOCK.digestTime] > v[DEBRIEF_BLOCK.time], {
    error: "The digest must come after the prompt, on the same day.",
    path: [DEBRIEF_BLOCK.digestTime],
  });

export function parseDebriefSettings(values: StateValues): ParseResult<DebriefSettings> {
  const parsed = settingsSchema.safeParse(
    readAll(values, [
      DEBRIEF_BLOCK.enabled,
      DEBRIEF_BLOCK.weekday,
      DEBRIEF_BLOCK.time,
      DEBRIEF_BLOCK.digestTime,
      DEBRIEF_BLOCK.nudge,
    ]),
  );
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      debriefEnabled: v[DEBRIEF_BLOCK.enabled] === "on",
      debriefWeekday: Number(v[DEBRIEF_BLOCK.weekday]),
      debriefTime: v[DEBRIEF_BLOCK.time],
      debriefDigestTime: v[DEBRIEF_BLOCK.digestTime],
      debriefNudge: v[DEBRIEF_BLOCK.nudge] === "on",
    },
  };
}

const tooLong = `Keep it under ${ANSWER_MAX} characters.`;
const optionalText = z
  .string()
  .nullable()
  .transform((s) => s ?? "")
  .refine((s) => s.length <= ANSWER_MAX, { error: tooLong });

const answerSchema = z.object({
  [DEBRIEF_BLOCK.shipped]: z
    .string({ error: "Share one thing you shipped or learned — a line is enough." })
    .max(ANSWER_MAX, { error: tooLong }),
  [DEBRIEF_BLOCK.input]: optionalText,
  [DEBRIEF_BLOCK.blockers]: optionalText,
});

/** The three debrief questions; only "shipped or learned" is required (readValue trims, so blanks are empty). */
export function parseDebriefAnswer(values: StateValues): ParseResult<DebriefAnswerInput> {
  const parsed = answerSchema.safeParse(
    readAll(values, [DEBRIEF_BLOCK.shipped, DEBRIEF_BLOCK.input, DEBRIEF_BLOCK.blockers]),
  );
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      shipped: v[DEBRIEF_BLOCK.shipped],
      input: v[DEBRIEF_BLOCK.input],
      blockers: v[DEBRIEF_BLOCK.blockers],
    },
  };
}
