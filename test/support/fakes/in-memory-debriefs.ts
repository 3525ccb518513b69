import type {
  DebriefAnswer,
  DebriefAnswerInput,
  DebriefRound,
  RoundWindow,
} from "../../../src/debriefs/debrief.js";
import type { DebriefRepository } from "../../../src/debriefs/debrief-repository.js";
import type { InMemoryStore } from "./store.js";

/**
 * DebriefRepository in memory, over the shared store. SKELETON: each method throws until it is written;
 * the contract suite (test/support/fakes/*-contract.ts) says what it must do.
 */
export class InMemoryDebriefRepository implements DebriefRepository {
  constructor(readonly store: InMemoryStore) {}

  async roundsSince(_since: Date): Promise<DebriefRound[]> {
    throw notYet("roundsSince");
  }

  async createRound(
    _teamId: string,
    _w: RoundWindow,
    _status: "pending" | "skipped",
    _at: Date,
  ): Promise<DebriefRound | null> {
    throw notYet("createRound");
  }

  async listPending(_limit: number): Promise<DebriefRound[]> {
    throw notYet("listPending");
  }

  async markPosting(_id: string): Promise<boolean> {
    throw notYet("markPosting");
  }

  async markPosted(_id: string, _channelId: string, _ts: string): Promise<void> {
    throw notYet("markPosted");
  }

  async markPostFailed(_id: string): Promise<void> {
    throw notYet("markPostFailed");
  }

  async skipUnpostedPast(_now: Date): Promise<number> {
    throw notYet("skipUnpostedPast");
  }

  async listDueDigests(_now: Date, _limit: number): Promise<DebriefRound[]> {
    throw notYet("listDueDigests");
  }

  async expireDigests(_cutoff: Date): Promise<number> {
    throw notYet("expireDigests");
  }

  async markDigesting(_id: string): Promise<boolean> {
    throw notYet("markDigesting");
  }

  async markDigested(_id: string, _ts: string): Promise<void> {
    throw notYet("markDigested");
  }

  async markDigestFailed(_id: string): Promise<void> {
    throw notYet("markDigestFailed");
  }

  async listDueNudges(_now: Date, _limit: number): Promise<DebriefRound[]> {
    throw notYet("listDueNudges");
  }

  async claimNudge(_id: string, _at: Date): Promise<boolean> {
    throw notYet("claimNudge");
  }

  async findRound(_id: string): Promise<DebriefRound | null> {
    throw notYet("findRound");
  }

  async findAnswer(_roundId: string, _userId: string): Promise<DebriefAnswer | null> {
    throw notYet("findAnswer");
  }

  async upsertAnswer(
    _roundId: string,
    _userId: string,
    _input: DebriefAnswerInput,
    _at: Date,
  ): Promise<DebriefAnswer> {
    throw notYet("upsertAnswer");
  }

  async setAnswerThreadTs(_answerId: string, _ts: string): Promise<void> {
    throw notYet("setAnswerThreadTs");
  }

  async listAnswers(_roundId: string): Promise<DebriefAnswer[]> {
    throw notYet("listAnswers");
  }

  async recentSharers(_teamId: string, _rounds: number): Promise<string[]> {
    throw notYet("recentSharers");
  }

  async mechanismOwners(_teamId: string): Promise<string[]> {
    throw notYet("mechanismOwners");
  }
}

const notYet = (method: string) => new Error(`InMemoryDebriefRepository.${method} is not written yet`);
