import { z } from "zod";
import { isValidTimeZone } from "../../shared/time-zone.js";
import type { MetricInput, WbrSettingsInput } from "../../wbr/wbr.js";
import type { LinkInput } from "../../wbr/wbr-service.js";
import { WBR_MAX } from "../blocks/wbr.js";
import { WBR_BLOCK, wbrReadingBlock } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, readValue, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)$/;
const numberText = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .regex(NUMBER, { error: "Enter a number, like 12 or 3.5." })
    .transform(Number)
    .refine(Number.isFinite, { error: "Enter a number, like 12 or 3.5." });

const kind = z.enum(["input", "output"], {
  error: "Say whether the team controls it (input) or not (output).",
});
const direction = z.enum(["up", "down"], { error: "Say which way is good." });
const owner = z.string({ error: "Pick who owns this metric." }).regex(/^[UW][A-Z0-9]+$/, {
  error: "Pick a person as the owner.",
});

const metricSchema = z.object({
  [WBR_BLOCK.name]: z
    .string({ error: "Name the metric, e.g. Experiments shipped." })
    .trim()
    .min(1, { error: "Name the metric, e.g. Experiments shipped." })
    .max(WBR_MAX.name, { error: `Keep the name under ${WBR_MAX.name} characters.` }),
  [WBR_BLOCK.kind]: kind,
  [WBR_BLOCK.owner]: owner,
  [WBR_BLOCK.unit]: z
    .string()
    .trim()
    .max(WBR_MAX.unit, { error: `Keep the unit under ${WBR_MAX.unit} characters.` })
    .nullable(),
  [WBR_BLOCK.direction]: direction,
  [WBR_BLOCK.target]: numberText("Set the target this metric should reach."),
});

/** Reads "Add a metric"; every problem at once, keyed by block. */
export function parseMetricForm(values: StateValues): ParseResult<MetricInput> {
  const parsed = metricSchema.safeParse(readAll(values, Object.values(pick(metricSchema.shape))));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      name: v[WBR_BLOCK.name],
      kind: v[WBR_BLOCK.kind],
      ownerId: v[WBR_BLOCK.owner],
      unit: v[WBR_BLOCK.unit] ?? "",
      direction: v[WBR_BLOCK.direction],
      target: v[WBR_BLOCK.target],
    },
  };
}

const linkSchema = z.object({
  [WBR_BLOCK.signal]: z
    .string({ error: "Pick the signal to link." })
    .min(1, { error: "Pick the signal to link." }),
  [WBR_BLOCK.kind]: kind,
  [WBR_BLOCK.owner]: owner,
  [WBR_BLOCK.direction]: direction,
  [WBR_BLOCK.target]: numberText("").nullable(),
});

/** Reads "Link a mechanism signal"; an empty target takes the signal's own. */
export function parseLinkForm(values: StateValues): ParseResult<LinkInput> {
  const parsed = linkSchema.safeParse(readAll(values, Object.values(pick(linkSchema.shape))));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      signalId: v[WBR_BLOCK.signal],
      kind: v[WBR_BLOCK.kind],
      ownerId: v[WBR_BLOCK.owner],
      direction: v[WBR_BLOCK.direction],
      target: v[WBR_BLOCK.target],
    },
  };
}

/**
 * Reads "Record this week's readings": one optional number per metric the modal listed (by id);
 * a box that isn't a number gets its own inline error.
 */
export function parseReadingsForm(
  values: StateValues,
  metricIds: readonly string[],
): ParseResult<{ metricId: string; value: number }[]> {
  const errors: Record<string, string> = {};
  const out: { metricId: string; value: number }[] = [];
  for (const metricId of metricIds) {
    const block = wbrReadingBlock(metricId);
    const raw = readValue(values, block);
    if (raw === null) continue;
    const n = numberText("").safeParse(raw);
    if (!n.success) errors[block] = "Enter a number, like 12 or 3.5 (or leave it empty).";
    else out.push({ metricId, value: n.data });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** The readings modal's metric ids, from its own input blocks. */
export function readingMetricIds(values: StateValues): string[] {
  const prefix = wbrReadingBlock("");
  return Object.keys(values)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
}

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const settingsSchema = z.object({
  [WBR_BLOCK.channel]: z
    .string({ error: "Pick the channel the WBR posts in." })
    .regex(/^[CG][A-Z0-9]+$/, { error: "Pick a channel (not a direct message)." }),
  [WBR_BLOCK.weekday]: z.enum(["1", "2", "3", "4", "5", "6", "7"], { error: "Pick the WBR day." }),
  [WBR_BLOCK.time]: z
    .string({ error: "Pick the WBR time." })
    .regex(hhmm, { error: "Use a time like 09:00." }),
  [WBR_BLOCK.timezone]: z
    .string({ error: "Enter a time zone such as Europe/London." })
    .refine(isValidTimeZone, {
      error: "Not a time zone I know. Use an IANA name such as America/New_York or Asia/Kolkata.",
    }),
});

export function parseWbrSettings(values: StateValues): ParseResult<WbrSettingsInput> {
  const parsed = settingsSchema.safeParse(readAll(values, Object.values(pick(settingsSchema.shape))));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      channelId: v[WBR_BLOCK.channel],
      weekday: Number(v[WBR_BLOCK.weekday]),
      time: v[WBR_BLOCK.time],
      timezone: v[WBR_BLOCK.timezone],
    },
  };
}

/** A schema's block ids, typed, for readAll. */
const pick = <S extends Record<string, unknown>>(shape: S): { [K in keyof S & string]: K } =>
  Object.fromEntries(Object.keys(shape).map((k) => [k, k])) as { [K in keyof S & string]: K };
