import { z } from "zod";
import { isValidTimeZone } from "../../shared/time-zone.js";
import type { TeamSetupInput } from "../../teams/team.js";
import { TEAM_BLOCK } from "../ids.js";
import { readAll, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

const schema = z.object({
  [TEAM_BLOCK.name]: z
    .string({ error: "Give the team a name." })
    .min(1, { error: "Give the team a name." })
    .max(80, { error: "Keep the name under 80 characters." }),
  [TEAM_BLOCK.channel]: z
    .string({ error: "Pick the channel the team works in." })
    .regex(/^[CG][A-Z0-9]+$/, { error: "Pick a channel (not a direct message)." }),
  [TEAM_BLOCK.timezone]: z
    .string({ error: "Enter a time zone such as Europe/London." })
    .refine(isValidTimeZone, {
      error: "Not a time zone I know. Use an IANA name such as America/New_York or Asia/Kolkata.",
    }),
  [TEAM_BLOCK.weekday]: z.enum(["1", "2", "3", "4", "5", "6", "7"], { error: "Pick a review day." }),
  [TEAM_BLOCK.time]: z
    .string({ error: "Pick a review time." })
    .regex(hhmm, { error: "Use a time like 10:00." }),
  [TEAM_BLOCK.cadence]: z.enum(["1", "2"], { error: "Pick a cadence." }),
});

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function parseTeamSetup(
  values: StateValues,
  ctx: { slackTeamId: string; userId: string },
): ParseResult<TeamSetupInput> {
  const parsed = schema.safeParse(readAll(values, Object.values(TEAM_BLOCK)));
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      slackTeamId: ctx.slackTeamId,
      userId: ctx.userId,
      name: v[TEAM_BLOCK.name],
      channelId: v[TEAM_BLOCK.channel],
      timezone: v[TEAM_BLOCK.timezone],
      reviewWeekday: Number(v[TEAM_BLOCK.weekday]),
      reviewTime: v[TEAM_BLOCK.time],
      cadenceWeeks: v[TEAM_BLOCK.cadence] === "2" ? 2 : 1,
    },
  };
}
