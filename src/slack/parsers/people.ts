import { z } from "zod";
import type { QuietDaysInput } from "../../people/people-service.js";
import { REMINDER_WAYS, type ReminderWay } from "../../people/person-prefs.js";
import { dayNumber, MAX_QUIET_DAYS } from "../../people/quiet-days.js";
import { PEOPLE_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

/** The quiet-days service's fields → the modal's inputs, for errors the service finds. */
export const QUIET_DAY_FIELDS = {
  whose: PEOPLE_BLOCK.whose,
  fromDate: PEOPLE_BLOCK.fromDate,
  toDate: PEOPLE_BLOCK.toDate,
} as const;

const way = (missing: string) => z.enum(REMINDER_WAYS, { error: missing });

const prefsSchema = z.object({
  [PEOPLE_BLOCK.reviewReminder]: way("Pick where review reminders reach you."),
  [PEOPLE_BLOCK.debriefReminder]: way("Pick where the debrief prompt reaches you."),
});

export function parsePrefsForm(
  values: StateValues,
): ParseResult<{ reviewReminder: ReminderWay; debriefReminder: ReminderWay }> {
  const parsed = prefsSchema.safeParse(
    readAll(values, [PEOPLE_BLOCK.reviewReminder, PEOPLE_BLOCK.debriefReminder]),
  );
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  return {
    ok: true,
    value: {
      reviewReminder: parsed.data[PEOPLE_BLOCK.reviewReminder],
      debriefReminder: parsed.data[PEOPLE_BLOCK.debriefReminder],
    },
  };
}

const date = (missing: string) =>
  z.string({ error: missing }).refine((d) => dayNumber(d) !== null, { error: "Pick a real date." });

const quietSchema = z
  .object({
    [PEOPLE_BLOCK.whose]: z.enum(["me", "team"], { error: "Pick whose quiet days these are." }),
    [PEOPLE_BLOCK.fromDate]: date("Pick the first quiet day."),
    [PEOPLE_BLOCK.toDate]: date("Pick the last quiet day."),
    [PEOPLE_BLOCK.note]: z
      .string()
      .nullable()
      .refine((v) => (v ?? "").length <= 200, { error: "Keep the note under 200 characters." }),
  })
  .superRefine((v, ctx) => {
    const from = dayNumber(v[PEOPLE_BLOCK.fromDate]) ?? 0;
    const to = dayNumber(v[PEOPLE_BLOCK.toDate]) ?? 0;
    if (to < from) {
      ctx.addIssue({
        code: "custom",
        path: [PEOPLE_BLOCK.toDate],
        message: "The last day can't be before the first.",
      });
    } else if (to - from + 1 > MAX_QUIET_DAYS) {
      ctx.addIssue({
        code: "custom",
        path: [PEOPLE_BLOCK.toDate],
        message: `At most ${MAX_QUIET_DAYS} days at a time.`,
      });
    }
  });

/** Reads "Add quiet days": every problem comes back at once, on its own input. */
export function parseQuietDaysForm(values: StateValues): ParseResult<QuietDaysInput> {
  const parsed = quietSchema.safeParse(
    readAll(
      values,
      Object.values(PEOPLE_BLOCK).filter((b) => b.startsWith("quiet_")),
    ),
  );
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      whose: v[PEOPLE_BLOCK.whose],
      fromDate: v[PEOPLE_BLOCK.fromDate],
      toDate: v[PEOPLE_BLOCK.toDate],
      note: v[PEOPLE_BLOCK.note] ?? "",
    },
  };
}
