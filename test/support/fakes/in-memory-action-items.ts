import type { ActionItemInContext, CloseInput, ExtendInput } from "../../../src/action-items/action-item.js";
import type { ActionItemRepository } from "../../../src/action-items/action-item-repository.js";
import type { ActionItemEventModel, ActionItemModel } from "../../../src/generated/sqlite/models.js";
import type { OpenActionItem } from "../../../src/incidents/incident.js";
import type { ActionItem, ActionItemKind, ActionItemStatus } from "../../../src/incidents/types.js";
import { FakePrismaError, type InMemoryStore, type Row } from "./store.js";

/**
 * PrismaActionItemRepository in memory, over the shared store; held to the same contract
 * (test/support/fakes/action-items-contract.ts). Each transaction of the Prisma repository is one
 * synchronous stretch here: its conditions are checked and its rows written with no `await` in
 * between, so of two racing callers exactly one wins. Every instant is the caller's.
 */
export class InMemoryActionItemRepository implements ActionItemRepository {
  constructor(readonly store: InMemoryStore) {}

  async listOpenForTeam(teamId: string): Promise<OpenActionItem[]> {
    const out: (OpenActionItem & { seq: number })[] = [];
    for (const a of this.store.actionItems.values()) {
      if (a.status !== "open") continue;
      const finding = this.store.findings.get(a.findingId);
      const incident = finding && this.store.incidents.get(finding.incidentId);
      if (!finding || !incident || incident.teamId !== teamId) continue;
      out.push({
        incidentId: incident.id,
        incidentTitle: incident.title,
        findingId: finding.id,
        findingText: finding.text,
        channelId: incident.channelId,
        messageTs: incident.messageTs,
        actionItem: toActionItem(a),
        seq: a.seq,
      });
    }
    return out
      .sort((a, b) => compare(a.actionItem.dueDate, b.actionItem.dueDate) || a.seq - b.seq)
      .map(({ seq: _seq, ...item }) => item);
  }

  async find(id: string): Promise<ActionItemInContext | null> {
    const row = this.store.actionItems.get(id);
    return row ? this.toItem(row) : null;
  }

  async listOpenDueBy(horizon: string): Promise<ActionItemInContext[]> {
    return [...this.store.actionItems.values()]
      .filter((a) => a.status === "open" && !a.nudgesDone && a.dueDate <= horizon)
      .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.seq - b.seq))
      .map((a) => this.toItem(a));
  }

  async markNudgesDone(id: string, dueDate: string): Promise<void> {
    const row = this.store.actionItems.get(id);
    if (row?.dueDate === dueDate) row.nudgesDone = true;
  }

  async logNudge(nudge: { actionItemId: string; reason: string; dueDate: string; at: Date }): Promise<void> {
    if (!this.store.actionItems.has(nudge.actionItemId))
      throw new FakePrismaError("P2003", "Foreign key: ActionItemEvent.actionItemId");
    this.addEvent(nudge.actionItemId, {
      kind: "nudge",
      fromDate: null,
      toDate: nudge.dueDate,
      reason: nudge.reason,
      by: "ratchet",
      at: nudge.at,
    });
  }

  async close(id: string, input: CloseInput): Promise<boolean> {
    const row = this.store.actionItems.get(id);
    // Conditional on "open": of two clicks racing, only one closes the item and logs it.
    if (row?.status !== "open") return false;
    Object.assign(row, { status: input.status, reason: input.reason, closedAt: new Date(input.at) });
    this.addEvent(id, {
      kind: input.status,
      fromDate: null,
      toDate: null,
      reason: input.reason,
      by: input.by,
      at: input.at,
    });
    return true;
  }

  async extend(id: string, input: ExtendInput): Promise<boolean> {
    const row = this.store.actionItems.get(id);
    if (row?.status !== "open" || row.dueDate !== input.fromDate) return false;
    row.dueDate = input.toDate;
    row.nudgesDone = false;
    this.addEvent(id, {
      kind: "extend",
      fromDate: input.fromDate,
      toDate: input.toDate,
      reason: input.reason,
      by: input.by,
      at: input.at,
    });
    return true;
  }

  private addEvent(actionItemId: string, e: Omit<ActionItemEventModel, "id" | "actionItemId">): void {
    const id = this.store.newId("aie_");
    this.store.actionItemEvents.set(id, {
      ...e,
      id,
      actionItemId,
      at: new Date(e.at),
      seq: this.store.nextSeq(),
    });
  }

  /** As Prisma's `include` + toItem: the finding's text, its incident and team, and when the due date was set. */
  private toItem(r: Row<ActionItemModel>): ActionItemInContext {
    const s = this.store;
    const finding = s.findings.get(r.findingId);
    const incident = finding && s.incidents.get(finding.incidentId);
    const team = incident && s.teams.get(incident.teamId);
    // Foreign keys make this impossible in the database, and only repositories write the fake's tables.
    if (!finding || !incident || !team)
      throw new Error(`action item ${r.id} lost its finding, incident or team`);
    // The latest extension by its instant (`at desc`, take 1), else the item's creation.
    const [extended] = [...s.actionItemEvents.values()]
      .filter((e) => e.actionItemId === r.id && e.kind === "extend")
      .sort((a, b) => b.at.getTime() - a.at.getTime());
    return {
      id: r.id,
      ownerId: r.ownerId,
      dueDate: r.dueDate,
      kind: r.kind as ActionItemKind,
      ticketUrl: r.ticketUrl,
      status: r.status as ActionItemStatus,
      reason: r.reason,
      closedAt: r.closedAt ? new Date(r.closedAt) : null,
      dueSetAt: new Date(extended ? extended.at : r.createdAt),
      findingText: finding.text,
      incident: {
        id: incident.id,
        title: incident.title,
        channelId: incident.channelId,
        messageTs: incident.messageTs,
      },
      team: {
        id: team.id,
        timezone: team.timezone,
        channelId: team.channelId,
        incidentsChannelId: team.incidentsChannelId,
      },
    };
  }
}

/** What Prisma's toActionItem keeps of the row (not its reason or createdAt). */
export const toActionItem = (a: Row<ActionItemModel>): ActionItem & { ownerId: string; dueDate: string } => ({
  id: a.id,
  ownerId: a.ownerId,
  dueDate: a.dueDate,
  kind: a.kind as ActionItemKind,
  ticketUrl: a.ticketUrl,
  status: a.status as ActionItemStatus,
  closedAt: a.closedAt ? new Date(a.closedAt) : null,
});

/** Code-unit order: SQLite's BINARY collation, and PostgreSQL's under the C collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
