import {
  asVerdict,
  type Deviation,
  type DeviationInput,
  type OutcomeInput,
} from "../../../src/deviations/deviation.js";
import type { DeviationRepository } from "../../../src/deviations/deviation-repository.js";
import type { DeviationModel } from "../../../src/generated/sqlite/models.js";
import { FakePrismaError, type InMemoryStore, type Row, strip } from "./store.js";

type DeviationRow = Row<DeviationModel>;

/**
 * PrismaDeviationRepository in memory, over the shared store; held to the same contract
 * (test/support/fakes/deviations-contract.ts). Ties in an ordering fall back to insertion order,
 * which the database does not promise: the contract never relies on it.
 */
export class InMemoryDeviationRepository implements DeviationRepository {
  constructor(readonly store: InMemoryStore) {}

  async create(input: DeviationInput & { teamId: string; ownerId: string; createdAt: Date }) {
    if (!this.store.teams.has(input.teamId))
      throw new FakePrismaError("P2003", "Foreign key: Deviation.teamId");
    // The columns PrismaDeviationRepository writes; anything else on the argument is ignored, as there.
    const row: DeviationRow = {
      id: this.store.newId("dev_"),
      teamId: input.teamId,
      area: input.area,
      deviation: input.deviation,
      hypothesis: input.hypothesis,
      benefit: input.benefit,
      risk: input.risk,
      cycleIndex: input.cycleIndex,
      sensitive: input.sensitive,
      approverId: input.approverId,
      ownerId: input.ownerId,
      outcome: "",
      verdict: "open",
      createdAt: new Date(input.createdAt),
      decidedAt: null,
      seq: this.store.nextSeq(),
    };
    this.store.deviations.set(row.id, row);
    return toDeviation(row);
  }

  async findById(id: string) {
    const row = this.store.deviations.get(id);
    return row ? toDeviation(row) : null;
  }

  async listByTeam(teamId: string, opts: { sinceCycle?: number; limit?: number } = {}) {
    const { sinceCycle, limit } = opts;
    const rows = this.rows(
      (d) => d.teamId === teamId && (sinceCycle === undefined || d.cycleIndex >= sinceCycle),
    ).sort(
      (a, b) => b.cycleIndex - a.cycleIndex || b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq,
    );
    return (limit === undefined ? rows : rows.slice(0, limit)).map(toDeviation);
  }

  async countByTeam(teamId: string) {
    return this.rows((d) => d.teamId === teamId).length;
  }

  async countInCycle(teamId: string, cycleIndex: number) {
    return this.rows((d) => d.teamId === teamId && d.cycleIndex === cycleIndex).length;
  }

  async listOpenBefore(teamId: string, cycleIndex: number) {
    return this.rows((d) => d.teamId === teamId && d.verdict === "open" && d.cycleIndex < cycleIndex)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq)
      .map(toDeviation);
  }

  async decide(id: string, input: OutcomeInput & { at: Date }) {
    // As the conditional updateMany: only a still-open deviation takes the verdict, so of two
    // people saving at once exactly one wins (no `await` between the check and the write).
    const row = this.store.deviations.get(id);
    if (row?.verdict !== "open") return null;
    Object.assign(row, { verdict: input.verdict, outcome: input.outcome, decidedAt: new Date(input.at) });
    return toDeviation(row);
  }

  private rows(where: (d: DeviationRow) => boolean): DeviationRow[] {
    return [...this.store.deviations.values()].filter(where);
  }
}

const toDeviation = (row: DeviationRow): Deviation => {
  const d = strip(row);
  return { ...d, verdict: asVerdict(d.verdict) };
};
