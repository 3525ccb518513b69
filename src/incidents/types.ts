/**
 * Plain domain types for an incident and its COE (Correction of Error) write-up. The repository maps
 * database rows to these, so every rule in this folder is a pure function of data.
 */

export type Severity = "sev1" | "sev2" | "sev3" | "sev4";
export type IncidentStatus = "open" | "complete";

export const FACTOR_CATEGORIES = ["technical", "process", "organisational"] as const;
export type FactorCategory = (typeof FACTOR_CATEGORIES)[number];

export type ActionItemKind = "detect" | "mitigate" | "prevent";
export type ActionItemStatus = "open" | "done" | "not_doing";

type TimelineEntry = { id: string; at: Date; text: string };

/**
 * One answer in the branching five whys; `parentId` null means it answers the incident itself.
 * `rootCause`: the team marked this answer as a root cause, where they stopped asking "why?".
 */
export type Why = { id: string; parentId: string | null; text: string; rootCause: boolean; createdAt: Date };

export type ContributingFactor = { id: string; category: FactorCategory; text: string };

export type ActionItem = {
  id: string;
  /** Slack user id ("U123"); a mention ("<@U123>") is tolerated by the renderers. */
  ownerId: string | null;
  /** Calendar date in the team's terms, yyyy-MM-dd, so "overdue" never depends on a server timezone. */
  dueDate: string | null;
  kind: ActionItemKind;
  ticketUrl: string | null;
  status: ActionItemStatus;
  closedAt: Date | null;
};

/**
 * A finding of the COE. It needs an action item, unless the team noted it with no action and said why
 * (beyond-the-post-mortem, "action item proliferation": only the high-impact, feasible items get
 * tickets; the rest are noted for reference). `notedReason` null: it needs an action item.
 */
export type Finding = { id: string; text: string; actionItem: ActionItem | null; notedReason: string | null };

export type IncidentRecord = {
  id: string;
  title: string;
  severity: Severity;
  impact: string;
  description: string;
  startedAt: Date;
  detectedAt: Date;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  howNoticed: string;
  howMitigated: string;
  learned: string;
  sourceLink: string | null;
  status: IncidentStatus;
  completedAt: Date | null;
  createdAt: Date;
  /** Full (whys, factors, findings) or light (summary, one lesson): the team's setting for its severity. */
  coeDepth: "full" | "light";
  /** IANA zone of the person who reported it; times are shown to readers in this zone. */
  reporterTz: string;
  timeline: TimelineEntry[];
  whys: Why[];
  factors: ContributingFactor[];
  findings: Finding[];
  tags: string[];
};
