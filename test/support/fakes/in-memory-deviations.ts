import type { Deviation, DeviationInput, OutcomeInput } from "../../../src/deviations/deviation.js";
import type { DeviationRepository } from "../../../src/deviations/deviation-repository.js";
import type { InMemoryStore } from "./store.js";

/**
 * DeviationRepository in memory, over the shared store. SKELETON: each method throws until it is written;
 * the contract suite (test/support/fakes/*-contract.ts) says what it must do.
 */
export class InMemoryDeviationRepository implements DeviationRepository {
  constructor(readonly store: InMemoryStore) {}

  async create(
    _input: DeviationInput & { teamId: string; ownerId: string; createdAt: Date },
  ): Promise<Deviation> {
    throw notYet("create");
  }

  async findById(_id: string): Promise<Deviation | null> {
    throw notYet("findById");
  }

  async listByTeam(_teamId: string, _opts: { sinceCycle?: number; limit?: number }): Promise<Deviation[]> {
    throw notYet("listByTeam");
  }

  async countByTeam(_teamId: string): Promise<number> {
    throw notYet("countByTeam");
  }

  async countInCycle(_teamId: string, _cycleIndex: number): Promise<number> {
    throw notYet("countInCycle");
  }

  async listOpenBefore(_teamId: string, _cycleIndex: number): Promise<Deviation[]> {
    throw notYet("listOpenBefore");
  }

  async decide(_id: string, _input: OutcomeInput & { at: Date }): Promise<Deviation | null> {
    throw notYet("decide");
  }
}

const notYet = (method: string) => new Error(`InMemoryDeviationRepository.${method} is not written yet`);
