import type { ActionItem, ActionItemKind, FactorCategory, IncidentRecord, Severity } from "./types.js";

/**
 * An incident as stored: the pure `IncidentRecord` the COE rules read, plus where it lives (team,
 * reporter, and the Slack message kept updated in place).
 */
export type StoredIncident = IncidentRecord & {
  teamId: string;
  reporterId: string;
  channelId: string | null;
  messageTs: string | null;
};

export const SEVERITIES: readonly Severity[] = ["sev1", "sev2", "sev3", "sev4"];
export const ACTION_ITEM_KINDS: readonly ActionItemKind[] = ["detect", "mitigate", "prevent"];

/** The intake form: what happened and when (times are UTC instants), and its tags (normalised names). */
export type IncidentDetails = Pick<
  IncidentRecord,
  | "title"
  | "severity"
  | "impact"
  | "description"
  | "startedAt"
  | "detectedAt"
  | "mitigatedAt"
  | "resolvedAt"
  | "howNoticed"
  | "howMitigated"
  | "tags"
>;

export type NewIncident = IncidentDetails & {
  teamId: string;
  reporterId: string;
  reporterTz: string;
  sourceLink: string | null;
};

export type NewFactor = { category: FactorCategory; text: string };

/** A why as the form gives it: what it answers (null: the incident), and whether it is a root cause. */
export type NewWhy = { parentId: string | null; text: string; rootCause: boolean };

/**
 * A finding, optionally with its action item, or noted with no action and the reason why (`notedReason`
 * set means `action` is null). `findingId` set means "complete this existing finding": give it its
 * action item or note it (the ways an incomplete finding is settled before the integration gate).
 */
export type FindingInput = {
  findingId: string | null;
  text: string;
  action: { ownerId: string; dueDate: string; kind: ActionItemKind; ticketUrl: string | null } | null;
  notedReason: string | null;
};

/** An open action item with enough context for the action-item nudges (DMs) and stats to act on it. */
export type OpenActionItem = {
  incidentId: string;
  incidentTitle: string;
  findingId: string;
  findingText: string;
  channelId: string | null;
  messageTs: string | null;
  actionItem: ActionItem & { ownerId: string; dueDate: string };
};
