import { z } from "zod";
import { DURATIONS, type LinksInput, type SessionInput, TOPIC_MAX } from "../../learning/learning-session.js";
import { localDateTimeToInstant } from "../../scheduler/schedule.js";
import { URL_MAX } from "../blocks/learning.js";
import { LEARN_BLOCK } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const DURATION_VALUES = DURATIONS.map(String) as [string, ...string[]];

const scheduleSchema = z.object({
  [LEARN_BLOCK.topic]: z
    .string({ error: "Name the topic." })
    .trim()
    .min(1, { error: "Name the topic." })
    .max(TOPIC_MAX, { error: `Keep the topic under ${TOPIC_MAX} characters.` }),
  [LEARN_BLOCK.speaker]: z.string({ error: "Pick who will speak." }).regex(/^[UW][A-Z0-9]+$/, {
    error: "Pick who will speak.",
  }),
  [LEARN_BLOCK.date]: z
    .string({ error: "Pick the day." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Pick the day." }),
  [LEARN_BLOCK.time]: z
    .string({ error: "Pick the start time." })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Pick the start time." }),
  [LEARN_BLOCK.duration]: z.enum(DURATION_VALUES, { error: "Pick 30, 35, 40 or 45 minutes." }),
});

/** The multi_conversations_select's channels (view-state reads single values and users only). */
const conversations = z.object({ selected_conversations: z.array(z.string()) });
function readChannels(values: StateValues): string[] {
  const block = values[LEARN_BLOCK.channels];
  const el =
    typeof block === "object" && block !== null
      ? (block as Record<string, unknown>)[LEARN_BLOCK.channels]
      : undefined;
  const parsed = conversations.safeParse(el);
  return parsed.success ? parsed.data.selected_conversations.filter((c) => /^[CG][A-Z0-9]+$/.test(c)) : [];
}

/**
 * Reads the schedule modal. Every problem comes back at once, keyed by block; the day and time are read
 * in the team's zone and must be after `now` (the service checks again when it saves).
 */
export function parseScheduleForm(
  values: StateValues,
  ctx: { now: Date; tz: string },
): ParseResult<SessionInput> {
  const raw = readAll(values, [
    LEARN_BLOCK.topic,
    LEARN_BLOCK.speaker,
    LEARN_BLOCK.date,
    LEARN_BLOCK.time,
    LEARN_BLOCK.duration,
  ]);
  const parsed = scheduleSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  const date = v[LEARN_BLOCK.date];
  const time = v[LEARN_BLOCK.time];
  if (localDateTimeToInstant(date, time, ctx.tz) <= ctx.now) {
    return { ok: false, errors: { [LEARN_BLOCK.date]: "Pick a date and time in the future." } };
  }
  return {
    ok: true,
    value: {
      topic: v[LEARN_BLOCK.topic],
      speakerId: v[LEARN_BLOCK.speaker],
      date,
      time,
      durationMinutes: Number(v[LEARN_BLOCK.duration]),
      channels: readChannels(values),
    },
  };
}

const optionalUrl = z
  .string()
  .max(URL_MAX, { error: `Keep the link under ${URL_MAX} characters.` })
  .regex(/^https?:\/\/[^\s<>|]+$/i, { error: "Paste a full link starting with https://" })
  .refine((u) => URL.canParse(u), { error: "Paste a full link starting with https://" })
  .nullable();

const linksSchema = z.object({ [LEARN_BLOCK.recording]: optionalUrl, [LEARN_BLOCK.slides]: optionalUrl });

/** Reads the speaker's links: each a http(s) link when given, and at least one of the two. */
export function parseLinksForm(values: StateValues): ParseResult<LinksInput> {
  const parsed = linksSchema.safeParse(readAll(values, [LEARN_BLOCK.recording, LEARN_BLOCK.slides]));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const recordingUrl = parsed.data[LEARN_BLOCK.recording] ?? "";
  const slidesUrl = parsed.data[LEARN_BLOCK.slides] ?? "";
  if (!recordingUrl && !slidesUrl) {
    return {
      ok: false,
      errors: { [LEARN_BLOCK.recording]: "Add the recording link, the slides link, or both." },
    };
  }
  return { ok: true, value: { recordingUrl, slidesUrl } };
}

/** The service's domain fields (its DomainError.field) → the schedule form's inputs, for inline errors. */
export const SCHEDULE_FIELDS = {
  topic: LEARN_BLOCK.topic,
  date: LEARN_BLOCK.date,
  durationMinutes: LEARN_BLOCK.duration,
  channels: LEARN_BLOCK.channels,
} as const;
