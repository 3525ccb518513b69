import { cycleBounds, cycleIndex } from "../scheduler/schedule.js";
import type { Team } from "../teams/team.js";
import type { SnapshotData } from "./alarm-repository.js";
import type { CycleSpan, TeamSnapshot } from "./types.js";

/** The rules look back two completed cycles; one more keeps a margin for evidence that spans them. */
export const CYCLES_BACK = 3;

type CycleTeam = Pick<Team, "cycleAnchor" | "cadenceWeeks" | "timezone">;

export const currentCycleOf = (team: CycleTeam, now: Date): number =>
  cycleIndex(team.cycleAnchor, team.cadenceWeeks, team.timezone, now);

export function cycleSpan(team: CycleTeam, index: number): CycleSpan {
  return { index, ...cycleBounds(team.cycleAnchor, team.cadenceWeeks, team.timezone, index) };
}

/** The current cycle and the CYCLES_BACK before it, oldest first. */
export function teamCycles(team: CycleTeam, now: Date): { current: number; cycles: CycleSpan[] } {
  const current = currentCycleOf(team, now);
  const cycles = Array.from({ length: CYCLES_BACK + 1 }, (_, i) =>
    cycleSpan(team, current - CYCLES_BACK + i),
  );
  return { current, cycles };
}

/**
 * The rules' input, from stored data plus who Slack says is gone. Pure, so the cycle maths and the
 * deactivation flags can be tested without a database or Slack.
 */
export function assembleSnapshot(o: {
  team: CycleTeam & Pick<Team, "createdAt">;
  now: Date;
  data: SnapshotData;
  deactivated: ReadonlySet<string>;
}): TeamSnapshot {
  const { current, cycles } = teamCycles(o.team, o.now);
  const gone = (id: string | null) => id !== null && o.deactivated.has(id);
  return {
    now: o.now,
    currentCycle: current,
    cycles,
    timeZone: o.team.timezone,
    teamCreatedAt: o.team.createdAt,
    deviations: o.data.deviations,
    ...(o.data.floor ? { floor: o.data.floor } : {}),
    mechanisms: o.data.mechanisms.map((m) => ({
      ...m,
      ownerDeactivated: gone(m.ownerId),
      stopOwnerDeactivated: gone(m.stopOwnerId),
      ...(m.guardrails
        ? { guardrails: m.guardrails.map((g) => ({ ...g, stopOwnerDeactivated: gone(g.stopOwnerId) })) }
        : {}),
    })),
  };
}
