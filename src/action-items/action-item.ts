import type { ActionItemKind, ActionItemStatus } from "../incidents/types.js";

/**
 * One action item with what its nudges and buttons need to talk about it: what (the finding), which
 * incident (and where its message is), and whose team (for the fallback time zone and channel).
 */
export type ActionItemInContext = {
  id: string;
  ownerId: string;
  /** owner-local calendar date, yyyy-MM-dd */
  dueDate: string;
  kind: ActionItemKind;
  ticketUrl: string | null;
  status: ActionItemStatus;
  reason: string;
  closedAt: Date | null;
  /** when the current due date was set: creation, or the latest extension */
  dueSetAt: Date;
  findingText: string;
  incident: {
    id: string;
    title: string;
    channelId: string | null;
    messageTs: string | null;
  };
  team: { id: string; timezone: string; channelId: string; incidentsChannelId: string | null };
};

/** The Slack message a nudge was sent as; its buttons carry the item id, modals carry this too. */
export type DmRef = { channel: string; ts: string };

export type CloseInput = { status: "done" | "not_doing"; reason: string; by: string; at: Date };
export type ExtendInput = { fromDate: string; toDate: string; reason: string; by: string; at: Date };
