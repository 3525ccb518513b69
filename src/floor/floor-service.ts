import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import { cycleAt } from "../deviations/deviation.js";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import { assertAdmin } from "../teams/roles.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import {
  assembleFloor,
  type BarbellPlan,
  DEFAULT_TEXT_MISSING,
  DEFAULT_WHY_MISSING,
  FLOOR_MAX,
  type FloorEntry,
  type FloorKind,
  NOVELTY_QUOTA,
  RETIRE_REASON_MISSING,
  textProblem,
} from "./floor.js";
import type { FloorRepository } from "./floor-repository.js";

export interface DefaultInput {
  kind: FloorKind;
  text: string;
  why: string;
}

export class FloorService {
  constructor(
    private readonly deps: {
      floor: FloorRepository;
      teams: TeamRepository;
      clock: Clock;
      log: Logger;
      /** Told after the Floor changes, so the barbell alarms re-evaluate; never throws. */
      onDataChanged?: (teamId: string) => Promise<void>;
      /** the audit log: every add and retirement is recorded */
      audit?: AuditService;
    },
  ) {}

  async team(teamId: string): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  async floorOf(teamId: string): Promise<FloorEntry[]> {
    return assembleFloor(await this.deps.floor.sources(teamId));
  }

  /** `/ratchet floor`: the Floor, the Ceiling's slices and this cycle's novelty quota, read in one go. */
  async plan(team: Team): Promise<BarbellPlan> {
    const cycle = cycleAt(team, this.deps.clock.now());
    const [floor, slices, logged] = await Promise.all([
      this.floorOf(team.id),
      this.deps.floor.slices(team.id),
      this.deps.floor.countDeviationsInCycle(team.id, cycle.index),
    ]);
    return { floor, slices, quota: { cycle, logged, quota: NOVELTY_QUOTA } };
  }

  /** "Add a default": checked again here so no caller skips the rules; one write (Slack's 3 seconds). */
  async add(
    teamId: string,
    input: DefaultInput,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<FloorEntry> {
    const text = textProblem(input.text, FLOOR_MAX.text, DEFAULT_TEXT_MISSING);
    if (text) throw new DomainError("invalid_input", text, "text");
    const why = textProblem(input.why, FLOOR_MAX.why, DEFAULT_WHY_MISSING);
    if (why) throw new DomainError("invalid_input", why, "why");
    const team = await this.team(teamId);
    const row = await this.deps.floor.addDefault({
      teamId,
      kind: input.kind,
      text: input.text.trim(),
      why: input.why.trim(),
      addedBy: by,
      createdAt: this.deps.clock.now(),
    });
    this.deps.log.info({ teamId, defaultId: row.id, kind: row.kind }, "floor default added");
    const entry = (await this.floorOf(teamId)).find((e) => e.ref === `default:${row.id}`);
    if (!entry) throw new DomainError("not_found", "That default could not be read back. Try again.");
    await this.audit(team, entry.ref, { userId: by, surface }, "added", null, auditable(entry));
    return entry;
  }

  /**
   * The entry behind a "Retire" button; refuses politely once it is retired or gone, and anyone but
   * a team admin (retiring takes a default away: the roles rule's "admins delete").
   */
  async openRetire(teamId: string, ref: string, by: string): Promise<FloorEntry> {
    assertAdmin(await this.team(teamId), by, "reason", "retire a Floor entry");
    const entry = (await this.floorOf(teamId)).find((e) => e.ref === ref);
    if (!entry) throw new DomainError("not_found", "That default is no longer on the Floor.");
    if (entry.retired) throw alreadyRetired();
    return entry;
  }

  /** Takes an entry off the Floor with its reason; the entry stays, shown as retired. */
  async retire(
    teamId: string,
    ref: string,
    reason: string,
    by: string,
    surface: AuditSurface = "modal",
  ): Promise<FloorEntry> {
    const problem = textProblem(reason, FLOOR_MAX.reason, RETIRE_REASON_MISSING);
    if (problem) throw new DomainError("invalid_input", problem, "reason");
    const entry = await this.openRetire(teamId, ref, by);
    const at = this.deps.clock.now();
    // Unique per (team, ref): of two people retiring at once, one records it.
    if (!(await this.deps.floor.retire({ teamId, ref, reason: reason.trim(), by, at })))
      throw alreadyRetired();
    this.deps.log.info({ teamId, ref }, "floor default retired");
    const retired = { ...entry, retired: { reason: reason.trim(), by, at } };
    await this.audit(
      await this.team(teamId),
      ref,
      { userId: by, surface },
      "retired",
      auditable(entry),
      auditable(retired),
    );
    return retired;
  }

  /** One audit entry for a Floor entry, keyed by its ref (a typed default, deviation or mechanism). */
  private async audit(
    team: Team,
    ref: string,
    actor: { userId: string; surface: AuditSurface },
    action: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    await this.deps.audit?.record({
      team,
      subject: { type: "floor-entry", id: ref },
      actor,
      action,
      before,
      after,
    });
  }

  /** After the ack: the barbell alarms (no guardrail on the Floor) look again. */
  changed(teamId: string): void {
    void this.deps.onDataChanged?.(teamId);
  }
}

/** What an audit entry compares: what a person reads of the entry, the retirement flattened. */
const auditable = (e: FloorEntry) => ({
  kind: e.kind,
  text: e.text,
  why: e.why,
  source: e.source,
  retired: e.retired !== null,
  retiredReason: e.retired?.reason ?? null,
});

const alreadyRetired = () =>
  new DomainError("already_done", "That default was already retired. Nothing changed.");
