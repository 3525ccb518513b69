import type { Logger } from "pino";
import type { AuditSurface } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Notices } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import { type DeliveryHandler, enqueueAfterSave, type Outbox } from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import {
  type HatCase,
  type HatCaseInput,
  hatCaseProblem,
  type MechanismDraft,
  mechanismDraft,
} from "./hat-case.js";
import type { HatCaseRepository } from "./hat-case-repository.js";

/** Anthropologist Hat cases: saved once per Submit, posted in the team channel through the outbox. */
export class HatCaseService {
  constructor(
    private readonly deps: {
      hatCases: HatCaseRepository;
      teams: TeamRepository;
      clock: Clock;
      outbox: Outbox;
      log: Logger;
      /** the audit log: every case recorded */
      audit?: AuditService;
    },
  ) {}

  async team(teamId: string): Promise<Team> {
    const team = await this.deps.teams.findById(teamId);
    if (!team)
      throw new DomainError("not_found", "That team no longer exists. Run `/ratchet setup` in its channel.");
    return team;
  }

  /**
   * Writes the case and queues its post in the team channel, in the same call (Slack's 3 seconds):
   * the rule is checked again here so no caller can skip it. A second copy of the same submission
   * (`submissionKey`) finds the first case and queues nothing new.
   */
  async record(
    teamId: string,
    input: HatCaseInput,
    authorId: string,
    submissionKey: string,
    surface: AuditSurface = "modal",
  ): Promise<HatCase> {
    const problem = hatCaseProblem(input);
    if (problem) throw new DomainError("invalid_input", problem, "symptoms");
    if (!input.context.trim())
      throw new DomainError("invalid_input", "Say where you see the friction.", "context");
    const team = await this.team(teamId);
    const now = this.deps.clock.now();
    const { hatCase, created } = await this.deps.hatCases.createOnce({
      ...input,
      teamId: team.id,
      authorId,
      submissionKey,
      createdAt: now,
    });
    if (created) {
      this.deps.log.info({ teamId, hatCaseId: hatCase.id }, "hat case recorded");
      // Once per case: a copy of the same Submit recorded nothing new.
      await this.deps.audit?.record({
        team,
        subject: { type: "hat-case", id: hatCase.id },
        actor: { userId: authorId, surface },
        action: "recorded",
        before: null,
        after: { ...hatCase },
        ignore: ["teamId", "authorId"],
      });
    }
    // Keyed by the case: queueing it again (a copy of the Submit) changes nothing.
    await enqueueAfterSave(this.deps.outbox, this.deps.log, {
      key: postKey(hatCase.id),
      kind: "hat_case",
      ref: { hatCaseId: hatCase.id },
      target: team.channelId,
      teamId: team.id,
      notBefore: now,
      at: now,
    });
    return hatCase;
  }

  /** The newest `limit` cases of a team, and how many it has. */
  async recent(team: Team, limit: number): Promise<{ cases: HatCase[]; total: number }> {
    const [cases, total] = await Promise.all([
      this.deps.hatCases.listByTeam(team.id, limit),
      this.deps.hatCases.countByTeam(team.id),
    ]);
    return { cases, total };
  }

  /** The one-pager draft behind a balancing loop's "Make this a mechanism", with the case's team. */
  async draftFor(hatCaseId: string, loopIndex: number): Promise<{ team: Team; draft: MechanismDraft }> {
    const hatCase = await this.deps.hatCases.findById(hatCaseId);
    if (!hatCase) throw new DomainError("not_found", "That Anthropologist Hat case no longer exists.");
    const draft = mechanismDraft(hatCase, loopIndex);
    if (!draft) throw new DomainError("not_found", "That balancing loop is no longer on the case.");
    return { team: await this.team(hatCase.teamId), draft };
  }

  /** The case's post, drawn from the case as stored. */
  readonly postHandler: DeliveryHandler<"hat_case", Notices["hat_case"]> = {
    resolve: async ({ hatCaseId }) => {
      const hatCase = await this.deps.hatCases.findById(hatCaseId);
      return hatCase ? { hatCase } : null;
    },
  };
}

const postKey = (hatCaseId: string) => `hat-case:${hatCaseId}`;
