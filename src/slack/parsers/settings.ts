import { z } from "zod";
import { severityList } from "../../incidents/coe-depth.js";
import { SEVERITIES } from "../../incidents/incident.js";
import type { Severity } from "../../incidents/types.js";
import type { SettingsInput } from "../../teams/settings.js";
import { DEBRIEF_BLOCK, ROLLUP_SETTINGS_BLOCK, SETTINGS_BLOCK, TEAM_BLOCK } from "../ids.js";
import { parseDebriefSettings } from "./debrief.js";
import { parseRollupSettings } from "./rollup-settings.js";
import { type ParseResult, parseTeamSetup } from "./team-setup.js";
import { readAll, readValues, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

/** The settings service's domain fields → the inputs that hold them (for the error mapper). */
export const SETTINGS_FIELDS: Readonly<Record<string, string>> = {
  name: TEAM_BLOCK.name,
  channelId: TEAM_BLOCK.channel,
  timezone: TEAM_BLOCK.timezone,
  incidentsChannelId: SETTINGS_BLOCK.incidentsChannel,
  fullCoeSeverities: SETTINGS_BLOCK.fullCoeSeverities,
  coeDeepDiveHours: SETTINGS_BLOCK.coeDeepDiveHours,
  admins: SETTINGS_BLOCK.admins,
};

/** A deep dive longer than a month is no deadline at all. */
const MAX_DEEP_DIVE_HOURS = 720;

const deepDive = `Give the deep-dive window in whole hours, from 1 to ${MAX_DEEP_DIVE_HOURS}.`;
const incidentsSchema = z.object({
  [SETTINGS_BLOCK.incidentsChannel]: z
    .string()
    .regex(/^[CG][A-Z0-9]+$/, { error: "Pick a channel (not a direct message), or leave it empty." })
    .nullable(),
  [SETTINGS_BLOCK.fullCoeSeverities]: z.array(
    z.enum(SEVERITIES as [Severity, ...Severity[]], { error: "Pick severities from the list." }),
  ),
  [SETTINGS_BLOCK.coeDeepDiveHours]: z
    .string({ error: deepDive })
    .regex(/^\d+$/, { error: deepDive })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: deepDive }).max(MAX_DEEP_DIVE_HOURS, { error: deepDive })),
});

type IncidentsInput = NonNullable<SettingsInput["incidents"]>;

function parseIncidents(values: StateValues): ParseResult<IncidentsInput> {
  const parsed = incidentsSchema.safeParse({
    ...readAll(values, [SETTINGS_BLOCK.incidentsChannel, SETTINGS_BLOCK.coeDeepDiveHours]),
    [SETTINGS_BLOCK.fullCoeSeverities]: readValues(values, SETTINGS_BLOCK.fullCoeSeverities),
  });
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  return {
    ok: true,
    value: {
      incidentsChannelId: v[SETTINGS_BLOCK.incidentsChannel],
      fullCoeSeverities: severityList(v[SETTINGS_BLOCK.fullCoeSeverities]),
      coeDeepDiveHours: v[SETTINGS_BLOCK.coeDeepDiveHours],
    },
  };
}

/**
 * A section is in the submission when any of its inputs is: Slack sends every input of the view, so
 * a form opened before the team existed (team section only) leaves the others out. The team section
 * is always read: it is what a first setup saves.
 */
const carries = (values: StateValues, blocks: readonly string[]) =>
  blocks.some((id) => Object.hasOwn(values, id));
const DEBRIEF_INPUTS = [
  DEBRIEF_BLOCK.enabled,
  DEBRIEF_BLOCK.weekday,
  DEBRIEF_BLOCK.time,
  DEBRIEF_BLOCK.digestTime,
  DEBRIEF_BLOCK.nudge,
];

/** Every section of the settings modal, validated together: one section's errors refuse the whole save. */
export function parseSettings(
  values: StateValues,
  ctx: { slackTeamId: string; userId: string },
): ParseResult<SettingsInput> {
  const team = parseTeamSetup(values, ctx);
  const debrief = carries(values, DEBRIEF_INPUTS) ? parseDebriefSettings(values) : null;
  const rollup = carries(values, Object.values(ROLLUP_SETTINGS_BLOCK)) ? parseRollupSettings(values) : null;
  const incidents = carries(values, [
    SETTINGS_BLOCK.incidentsChannel,
    SETTINGS_BLOCK.fullCoeSeverities,
    SETTINGS_BLOCK.coeDeepDiveHours,
  ])
    ? parseIncidents(values)
    : null;
  const errors: Record<string, string> = {};
  for (const r of [team, debrief, rollup, incidents]) if (r && !r.ok) Object.assign(errors, r.errors);
  if (!team.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const value = <T>(r: ParseResult<T> | null): T | null => (r?.ok ? r.value : null);
  return {
    ok: true,
    value: {
      team: team.value,
      debrief: value(debrief),
      rollup: value(rollup),
      incidents: value(incidents),
      admins: carries(values, [SETTINGS_BLOCK.admins]) ? readValues(values, SETTINGS_BLOCK.admins) : null,
    },
  };
}
