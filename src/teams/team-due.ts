import type { Logger } from "pino";
import { yieldToEventLoop } from "../shared/yield.js";
import type { Team } from "./team.js";

/**
 * The team-wide jobs. Each keeps, per team, the instant it next needs to look at that team (a
 * nullable, indexed column on the team row), so a tick reads only the teams due now instead of
 * every team: a quiet minute costs one indexed query per job, whatever the number of teams.
 *
 * A null due instant means "look at the next tick": a new team starts that way, and saving a team
 * (any settings change) clears all four, so the jobs recompute from the new settings at once.
 */
export type TeamJob = "deviations" | "debriefs" | "alarms" | "rollups";

/** A team as the due index returns it, with the due instant it was read at (see `advance`). */
export interface DueTeam {
  team: Team;
  dueAt: Date | null;
}

export interface TeamDueIndex {
  /** Teams whose `job` is due at `now` (null or at/before `now`), most overdue first, at most `limit`. */
  listDue(job: TeamJob, now: Date, limit: number): Promise<DueTeam[]>;
  /**
   * Moves the team's due instant for `job` to `next`, unless it changed since `due` was read (the
   * team was saved meanwhile: then it stays cleared, so the new settings are looked at next tick).
   */
  advance(job: TeamJob, due: DueTeam, next: Date): Promise<void>;
  /** Every team due for every job at the next look (see DueIndexReset). */
  clearAll(): Promise<void>;
}

/**
 * The due instants were computed from some clock; a process started with a clock set earlier (a
 * restored backup, a test run at another date, a host whose clock was wrong) would find them all
 * in the future and hold work back. So the first tick of a process, and any tick whose instant is
 * earlier than the last one's, looks at every team again: one visit each, then the index is
 * rebuilt from this clock. Runs as the first job of a tick.
 */
export class DueIndexReset {
  private last: number | null = null;

  constructor(private readonly index: TeamDueIndex) {}

  async beforeTick(now: Date): Promise<boolean> {
    const reset = this.last === null || now.getTime() < this.last;
    if (reset) await this.index.clearAll();
    this.last = now.getTime();
    return reset;
  }
}

/** At most this many teams per job per tick; the rest are next tick's (they stay due). */
const DUE_BATCH = 500;

export interface DueSweep {
  index: TeamDueIndex;
  job: TeamJob;
  now: Date;
  log: Logger;
  /**
   * Does the job's work for one due team and returns when the team next needs a look. The instant
   * may be early (an extra look costs one visit), never late. A visit that throws leaves the team
   * due, so the next tick retries it, as the every-team sweep did.
   */
  visit(team: Team): Promise<Date>;
  /** Checked between teams: true stops this tick's sweep; the teams left stay due for the next. */
  enough?: () => boolean;
}

/** Visits each due team once; yields to the event loop between teams so acks are not held up. */
export async function sweepDueTeams(o: DueSweep): Promise<{ visited: Team[]; failed: number }> {
  const visited: Team[] = [];
  let failed = 0;
  for (const due of await o.index.listDue(o.job, o.now, DUE_BATCH)) {
    if (o.enough?.()) break;
    try {
      const next = await o.visit(due.team);
      await o.index.advance(o.job, due, next);
      visited.push(due.team);
    } catch (err) {
      failed++;
      o.log.error(
        { err, teamId: due.team.id, job: o.job },
        "team's scheduled work failed; next tick retries",
      );
    }
    await yieldToEventLoop();
  }
  return { visited, failed };
}
