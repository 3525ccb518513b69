import type { CloseInput, ExtendInput, FollowUpItem } from "../../../src/follow-through/action-item.js";
import type { ActionItemRepository } from "../../../src/follow-through/action-item-repository.js";
import type { InMemoryStore } from "./store.js";

/**
 * ActionItemRepository in memory, over the shared store. SKELETON: each method throws until it is written;
 * the contract suite (test/support/fakes/*-contract.ts) says what it must do.
 */
export class InMemoryActionItemRepository implements ActionItemRepository {
  constructor(readonly store: InMemoryStore) {}

  async find(_id: string): Promise<FollowUpItem | null> {
    throw notYet("find");
  }

  async listOpenDueBy(_horizon: string): Promise<FollowUpItem[]> {
    throw notYet("listOpenDueBy");
  }

  async claimNudge(
    _job: string,
    _key: string,
    _nudge: { actionItemId: string; reason: string; dueDate: string; at: Date },
  ): Promise<boolean> {
    throw notYet("claimNudge");
  }

  async close(_id: string, _input: CloseInput): Promise<boolean> {
    throw notYet("close");
  }

  async extend(_id: string, _input: ExtendInput): Promise<boolean> {
    throw notYet("extend");
  }
}

const notYet = (method: string) => new Error(`InMemoryActionItemRepository.${method} is not written yet`);
