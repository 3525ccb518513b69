import type { Db } from "../db/client.js";
import type { FindingInput, OpenActionItem } from "../incidents/incident.js";
import type { ActionItem, ActionItemKind, ActionItemStatus } from "../incidents/types.js";
import type { ActionItemInContext, CloseInput, ExtendInput } from "./action-item.js";

/**
 * Action items: nudges, closing and extending with an audit trail, and the open items a rollup
 * lists. The only code that knows the ActionItem table; the incident repository creates an item
 * with its finding through `insertActionItem` and reads a finding's item through `toActionItem`.
 */
export interface ActionItemRepository {
  find(id: string): Promise<ActionItemInContext | null>;
  /** A team's open items by due date (ties in creation order), with the incident they came from. */
  listOpenForTeam(teamId: string): Promise<OpenActionItem[]>;
  /** Open items due on or before `horizon` (yyyy-MM-dd), oldest due first. */
  listOpenDueBy(horizon: string): Promise<ActionItemInContext[]>;
  /**
   * Marks the item's nudges for `dueDate` all queued, so listOpenDueBy passes it over until an
   * extension moves the date; nothing when the date moved meanwhile.
   */
  markNudgesDone(id: string, dueDate: string): Promise<void>;
  /** Logs a "nudge" ActionItemEvent (the audit trail of what the owner was told, and when). */
  logNudge(nudge: { actionItemId: string; reason: string; dueDate: string; at: Date }): Promise<void>;
  /** Closes an open item (status, reason, closedAt) and logs it; false when it was not open any more. */
  close(id: string, input: CloseInput): Promise<boolean>;
  /** Moves an open item's due date from `fromDate` and logs it; false when it changed meanwhile. */
  extend(id: string, input: ExtendInput): Promise<boolean>;
}

const include = {
  finding: {
    select: {
      text: true,
      incident: {
        select: {
          id: true,
          title: true,
          channelId: true,
          messageTs: true,
          team: { select: { id: true, timezone: true, channelId: true, incidentsChannelId: true } },
        },
      },
    },
  },
  events: { where: { kind: "extend" }, orderBy: { at: "desc" as const }, take: 1, select: { at: true } },
};

type Row = Awaited<ReturnType<Db["actionItem"]["findUniqueOrThrow"]>> & {
  finding: {
    text: string;
    incident: {
      id: string;
      title: string;
      channelId: string | null;
      messageTs: string | null;
      team: { id: string; timezone: string; channelId: string; incidentsChannelId: string | null };
    };
  };
  events: { at: Date }[];
};

/** The columns of an item as its incident shows it. */
export type ActionItemRow = {
  id: string;
  ownerId: string;
  dueDate: string;
  kind: string;
  ticketUrl: string | null;
  status: string;
  closedAt: Date | null;
};

export const toActionItem = (a: ActionItemRow): ActionItem & { ownerId: string; dueDate: string } => ({
  id: a.id,
  ownerId: a.ownerId,
  dueDate: a.dueDate,
  kind: a.kind as ActionItemKind,
  ticketUrl: a.ticketUrl,
  status: a.status as ActionItemStatus,
  closedAt: a.closedAt,
});

function toItem(r: Row): ActionItemInContext {
  const { team, ...incident } = r.finding.incident;
  return {
    ...toActionItem(r),
    reason: r.reason,
    dueSetAt: r.events[0]?.at ?? r.createdAt,
    findingText: r.finding.text,
    incident,
    team,
  };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Creates a finding's action item inside the caller's transaction, so the two are saved together. */
export async function insertActionItem(
  tx: Tx,
  findingId: string,
  action: NonNullable<FindingInput["action"]>,
  at: Date,
): Promise<void> {
  await tx.actionItem.create({
    data: {
      findingId,
      ownerId: action.ownerId,
      dueDate: action.dueDate,
      kind: action.kind,
      ticketUrl: action.ticketUrl,
      createdAt: at,
    },
  });
}

export class PrismaActionItemRepository implements ActionItemRepository {
  constructor(private readonly db: Db) {}

  async find(id: string) {
    const row = await this.db.actionItem.findUnique({ where: { id }, include });
    return row ? toItem(row) : null;
  }

  async listOpenForTeam(teamId: string) {
    const rows = await this.db.actionItem.findMany({
      where: { status: "open", finding: { incident: { teamId } } },
      include: { finding: { include: { incident: true } } },
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    });
    return rows.map((a) => ({
      incidentId: a.finding.incident.id,
      incidentTitle: a.finding.incident.title,
      findingId: a.finding.id,
      findingText: a.finding.text,
      channelId: a.finding.incident.channelId,
      messageTs: a.finding.incident.messageTs,
      actionItem: toActionItem(a),
    }));
  }

  async listOpenDueBy(horizon: string) {
    // yyyy-MM-dd strings sort as dates, so the comparison runs in the database on both providers.
    const rows = await this.db.actionItem.findMany({
      where: {
        status: "open",
        nudgesDone: false,
        dueDate: { lte: horizon },
        // not while the team's workspace has uninstalled Ratchet (Team.workspaceAway)
        finding: { incident: { team: { workspaceAway: false } } },
      },
      include,
      orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    });
    return rows.map(toItem);
  }

  async markNudgesDone(id: string, dueDate: string) {
    await this.db.actionItem.updateMany({ where: { id, dueDate }, data: { nudgesDone: true } });
  }

  async logNudge(nudge: { actionItemId: string; reason: string; dueDate: string; at: Date }) {
    await this.db.actionItemEvent.create({
      data: {
        actionItemId: nudge.actionItemId,
        kind: "nudge",
        toDate: nudge.dueDate,
        reason: nudge.reason,
        by: "ratchet",
        at: nudge.at,
      },
    });
  }

  async close(id: string, input: CloseInput) {
    return this.db.$transaction(async (tx) => {
      // Conditional on "open": of two clicks racing, only one closes the item and logs it.
      const r = await tx.actionItem.updateMany({
        where: { id, status: "open" },
        data: { status: input.status, reason: input.reason, closedAt: input.at },
      });
      if (r.count !== 1) return false;
      await tx.actionItemEvent.create({
        data: { actionItemId: id, kind: input.status, reason: input.reason, by: input.by, at: input.at },
      });
      return true;
    });
  }

  async extend(id: string, input: ExtendInput) {
    return this.db.$transaction(async (tx) => {
      const r = await tx.actionItem.updateMany({
        where: { id, status: "open", dueDate: input.fromDate },
        // A new date re-arms its nudges.
        data: { dueDate: input.toDate, nudgesDone: false },
      });
      if (r.count !== 1) return false;
      await tx.actionItemEvent.create({
        data: {
          actionItemId: id,
          kind: "extend",
          fromDate: input.fromDate,
          toDate: input.toDate,
          reason: input.reason,
          by: input.by,
          at: input.at,
        },
      });
      return true;
    });
  }
}
