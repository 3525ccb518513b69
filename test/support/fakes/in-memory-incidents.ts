import type {
  FindingInput,
  IncidentDetails,
  NewFactor,
  NewIncident,
  OpenActionItem,
  StoredIncident,
} from "../../../src/incidents/incident.js";
import type { IncidentRepository } from "../../../src/incidents/incident-repository.js";
import type { InMemoryStore } from "./store.js";

/**
 * IncidentRepository in memory, over the shared store. SKELETON: each method throws until it is written;
 * the contract suite (test/support/fakes/*-contract.ts) says what it must do.
 */
export class InMemoryIncidentRepository implements IncidentRepository {
  constructor(readonly store: InMemoryStore) {}

  async create(_input: NewIncident, _slackTeamId: string, _at: Date): Promise<StoredIncident> {
    throw notYet("create");
  }

  async findById(_id: string): Promise<StoredIncident | null> {
    throw notYet("findById");
  }

  async listForTeam(_teamId: string): Promise<StoredIncident[]> {
    throw notYet("listForTeam");
  }

  async listForWorkspace(_slackTeamId: string): Promise<StoredIncident[]> {
    throw notYet("listForWorkspace");
  }

  async listOpenActionItems(_teamId: string): Promise<OpenActionItem[]> {
    throw notYet("listOpenActionItems");
  }

  async listTags(_slackTeamId: string): Promise<string[]> {
    throw notYet("listTags");
  }

  async updateDetails(_id: string, _details: IncidentDetails, _slackTeamId: string): Promise<void> {
    throw notYet("updateDetails");
  }

  async setMessage(_id: string, _channelId: string, _ts: string): Promise<void> {
    throw notYet("setMessage");
  }

  async addTimelineEntry(_id: string, _entry: { at: Date; text: string }): Promise<void> {
    throw notYet("addTimelineEntry");
  }

  async addWhy(_id: string, _why: { parentId: string | null; text: string; at: Date }): Promise<void> {
    throw notYet("addWhy");
  }

  async addFactor(_id: string, _factor: NewFactor): Promise<void> {
    throw notYet("addFactor");
  }

  async setLearned(_id: string, _learned: string): Promise<void> {
    throw notYet("setLearned");
  }

  async addFinding(_id: string, _finding: FindingInput, _at: Date): Promise<void> {
    throw notYet("addFinding");
  }

  async setTags(_id: string, _tags: string[], _slackTeamId: string): Promise<void> {
    throw notYet("setTags");
  }

  async complete(_id: string, _at: Date): Promise<boolean> {
    throw notYet("complete");
  }
}

const notYet = (method: string) => new Error(`InMemoryIncidentRepository.${method} is not written yet`);
