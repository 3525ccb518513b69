import type { OutcomeSeries } from "../../../src/rollups/chart.js";
import type { RollupData, RollupTeam } from "../../../src/rollups/rollup.js";
import type { RollupRepository } from "../../../src/rollups/rollup-repository.js";
import type { InMemoryStore } from "./store.js";

/**
 * RollupRepository in memory, over the shared store. SKELETON: each method throws until it is written;
 * the contract suite (test/support/fakes/*-contract.ts) says what it must do.
 */
export class InMemoryRollupRepository implements RollupRepository {
  constructor(readonly store: InMemoryStore) {}

  async listTeams(): Promise<RollupTeam[]> {
    throw notYet("listTeams");
  }

  async findTeam(_id: string): Promise<RollupTeam | null> {
    throw notYet("findTeam");
  }

  async load(_team: RollupTeam, _window: { from: Date; to: Date }): Promise<RollupData> {
    throw notYet("load");
  }

  async chartSeries(
    _teamId: string,
    _o: { from: Date; to: Date; stoppedSince: Date },
  ): Promise<OutcomeSeries[]> {
    throw notYet("chartSeries");
  }

  async workspaceChannel(_slackTeamId: string): Promise<string | null> {
    throw notYet("workspaceChannel");
  }

  async setWorkspaceChannel(_slackTeamId: string, _channelId: string | null, _at: Date): Promise<void> {
    throw notYet("setWorkspaceChannel");
  }

  async workspacesWithChannel(): Promise<{ slackTeamId: string; channelId: string }[]> {
    throw notYet("workspacesWithChannel");
  }
}

const notYet = (method: string) => new Error(`InMemoryRollupRepository.${method} is not written yet`);
