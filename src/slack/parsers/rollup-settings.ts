import { z } from "zod";
import { ROLLUP_SETTINGS_BLOCK } from "../ids.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z.object({
  [ROLLUP_SETTINGS_BLOCK.weekday]: z.enum(["1", "2", "3", "4", "5", "6", "7"], {
    error: "Pick a rollup day.",
  }),
  [ROLLUP_SETTINGS_BLOCK.time]: z
    .string({ error: "Pick a rollup time." })
    .regex(hhmm, { error: "Use a time like 09:00." }),
  [ROLLUP_SETTINGS_BLOCK.channel]: z
    .string()
    .regex(/^[CG][A-Z0-9]+$/, { error: "Pick a channel (not a direct message), or leave it empty." })
    .nullable(),
});

export interface RollupSettingsForm {
  rollupWeekday: number;
  rollupTime: string;
  workspaceChannelId: string | null;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function parseRollupSettings(values: StateValues): ParseResult<RollupSettingsForm> {
  const parsed = schema.safeParse(readAll(values, Object.values(ROLLUP_SETTINGS_BLOCK)));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      rollupWeekday: Number(v[ROLLUP_SETTINGS_BLOCK.weekday]),
      rollupTime: v[ROLLUP_SETTINGS_BLOCK.time],
      workspaceChannelId: v[ROLLUP_SETTINGS_BLOCK.channel],
    },
  };
}
