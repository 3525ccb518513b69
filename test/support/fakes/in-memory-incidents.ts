import type {
  ActionItemModel,
  FindingModel,
  IncidentModel,
  TagModel,
  WhyModel,
} from "../../../src/generated/sqlite/models.js";
import { coeDepthFor } from "../../../src/incidents/coe-depth.js";
import type {
  FindingInput,
  IncidentDetails,
  NewFactor,
  NewIncident,
  NewWhy,
  StoredIncident,
} from "../../../src/incidents/incident.js";
import type { IncidentRepository } from "../../../src/incidents/incident-repository.js";
import type { FactorCategory, IncidentStatus, Severity } from "../../../src/incidents/types.js";
import { toActionItem } from "./in-memory-action-items.js";
import { copy, FakePrismaError, type InMemoryStore, type Row } from "./store.js";

/**
 * PrismaIncidentRepository in memory, over the shared store; held to the same contract
 * (test/support/fakes/incidents-contract.ts). Orderings are the Prisma `include`'s, with the
 * database's `id` tie-break played by insertion order (`seq`); a transaction validates every write
 * first and commits with no `await` in between; every instant is the caller's.
 */
export class InMemoryIncidentRepository implements IncidentRepository {
  constructor(readonly store: InMemoryStore) {}

  async create(input: NewIncident, slackTeamId: string, at: Date): Promise<StoredIncident> {
    if (!this.store.teams.has(input.teamId))
      throw new FakePrismaError("P2003", "Foreign key: Incident.teamId");
    const row: Row<IncidentModel> = {
      ...detailFields(input),
      id: this.store.newId("inc_"),
      teamId: input.teamId,
      reporterId: input.reporterId,
      reporterTz: input.reporterTz,
      sourceLink: input.sourceLink,
      learned: "",
      status: "open",
      completedAt: null,
      channelId: null,
      messageTs: null,
      createdAt: new Date(at),
      coeCheckAt: new Date(at),
      seq: this.store.nextSeq(),
    };
    this.store.incidents.set(row.id, row);
    this.replaceTags(row.id, input.tags, slackTeamId);
    return this.toStored(row);
  }

  async findById(id: string): Promise<StoredIncident | null> {
    const row = this.store.incidents.get(id);
    return row ? this.toStored(row) : null;
  }

  async listForTeam(teamId: string): Promise<StoredIncident[]> {
    return this.newestFirst((i) => i.teamId === teamId);
  }

  async listForWorkspace(slackTeamId: string): Promise<StoredIncident[]> {
    return this.newestFirst((i) => this.store.teams.get(i.teamId)?.slackTeamId === slackTeamId);
  }

  async listTags(slackTeamId: string): Promise<string[]> {
    return [...this.store.tags.values()]
      .filter((t) => t.slackTeamId === slackTeamId)
      .map((t) => t.name)
      .sort(compare);
  }

  async updateDetails(id: string, details: IncidentDetails, slackTeamId: string): Promise<void> {
    const row = this.mustFind(id);
    Object.assign(row, detailFields(details));
    this.replaceTags(id, details.tags, slackTeamId);
  }

  async setMessage(id: string, channelId: string, ts: string): Promise<void> {
    Object.assign(this.mustFind(id), { channelId, messageTs: ts });
  }

  async addTimelineEntry(id: string, entry: { at: Date; text: string }): Promise<void> {
    this.mustExist(id, "TimelineEntry.incidentId");
    const row = { id: this.store.newId("tl_"), incidentId: id, at: new Date(entry.at), text: entry.text };
    this.store.timelineEntries.set(row.id, { ...row, seq: this.store.nextSeq() });
  }

  async addWhy(id: string, why: NewWhy & { at: Date }): Promise<void> {
    this.mustExist(id, "Why.incidentId");
    // The parent may belong to another incident: the schema only asks that it exists.
    if (why.parentId !== null && !this.store.whys.has(why.parentId))
      throw new FakePrismaError("P2003", "Foreign key: Why.parentId");
    const row: Row<WhyModel> = {
      id: this.store.newId("why_"),
      incidentId: id,
      parentId: why.parentId,
      text: why.text,
      rootCause: why.rootCause,
      createdAt: new Date(why.at),
      seq: this.store.nextSeq(),
    };
    this.store.whys.set(row.id, row);
  }

  async addFactor(id: string, factor: NewFactor): Promise<void> {
    this.mustExist(id, "Factor.incidentId");
    const fid = this.store.newId("fac_");
    this.store.factors.set(fid, {
      id: fid,
      incidentId: id,
      category: factor.category,
      text: factor.text,
      seq: this.store.nextSeq(),
    });
  }

  async setLearned(id: string, learned: string): Promise<void> {
    this.mustFind(id).learned = learned;
  }

  async addFinding(id: string, finding: FindingInput, at: Date): Promise<void> {
    // Validate what the transaction would write, then write it. With a findingId the incident id is
    // not used at all (as in Prisma), and without an action nothing is written for it.
    if (finding.findingId === null) this.mustExist(id, "Finding.incidentId");
    if (finding.action && finding.findingId !== null) {
      if (!this.store.findings.has(finding.findingId))
        throw new FakePrismaError("P2003", "Foreign key: ActionItem.findingId");
      if ([...this.store.actionItems.values()].some((a) => a.findingId === finding.findingId))
        throw new FakePrismaError("P2002", "Unique constraint failed: ActionItem(findingId)");
    }
    const noting = finding.findingId !== null && finding.notedReason !== null;
    const existing = finding.findingId === null ? undefined : this.store.findings.get(finding.findingId);
    if (noting && !existing) throw new FakePrismaError("P2025", "No Finding to update");
    if (existing && finding.notedReason !== null) existing.notedReason = finding.notedReason;
    let findingId = finding.findingId;
    if (findingId === null) {
      const row: Row<FindingModel> = {
        id: this.store.newId("find_"),
        incidentId: id,
        text: finding.text,
        notedReason: finding.notedReason,
        createdAt: new Date(at),
        seq: this.store.nextSeq(),
      };
      this.store.findings.set(row.id, row);
      findingId = row.id;
    }
    if (finding.action) {
      const row: Row<ActionItemModel> = {
        id: this.store.newId("ai_"),
        findingId,
        ownerId: finding.action.ownerId,
        dueDate: finding.action.dueDate,
        kind: finding.action.kind,
        ticketUrl: finding.action.ticketUrl,
        status: "open",
        nudgesDone: false,
        reason: "",
        closedAt: null,
        createdAt: new Date(at),
        seq: this.store.nextSeq(),
      };
      this.store.actionItems.set(row.id, row);
    }
  }

  async setTags(id: string, tags: string[], slackTeamId: string): Promise<void> {
    this.replaceTags(id, tags, slackTeamId);
  }

  async complete(id: string, at: Date): Promise<boolean> {
    const row = this.store.incidents.get(id);
    if (row?.status !== "open") return false;
    Object.assign(row, { status: "complete", completedAt: new Date(at), coeCheckAt: null });
    return true;
  }

  async setCoeCheck(id: string, at: Date | null): Promise<void> {
    const row = this.store.incidents.get(id);
    if (row) row.coeCheckAt = at ? new Date(at) : null;
  }

  async listCoeDue(now: Date, take: number): Promise<StoredIncident[]> {
    return [...this.store.incidents.values()]
      .filter((i) => i.coeCheckAt !== null && i.coeCheckAt.getTime() <= now.getTime())
      .sort((a, b) => (a.coeCheckAt?.getTime() ?? 0) - (b.coeCheckAt?.getTime() ?? 0) || compare(a.id, b.id))
      .slice(0, take)
      .map((r) => this.toStored(r));
  }

  async recheckOpenCoes(teamId: string, at: Date): Promise<void> {
    for (const row of this.store.incidents.values()) {
      if (row.teamId === teamId && row.status === "open") row.coeCheckAt = new Date(at);
    }
  }

  async listOpenBySeverity(
    teamId: string,
    severities: readonly Severity[],
    detectedBy: Date,
  ): Promise<StoredIncident[]> {
    return [...this.store.incidents.values()]
      .filter(
        (i) =>
          i.teamId === teamId &&
          i.status === "open" &&
          severities.includes(i.severity as Severity) &&
          i.detectedAt.getTime() <= detectedBy.getTime(),
      )
      .sort((a, b) => a.detectedAt.getTime() - b.detectedAt.getTime() || compare(a.id, b.id))
      .map((r) => this.toStored(r));
  }

  /**
   * As Prisma's replaceTags inside its transaction: drops the incident's tags, upserts each distinct
   * name in the workspace's vocabulary and links it. Linking to a missing incident fails the whole
   * transaction (P2003) before any tag is created; with no tags there is nothing to fail.
   */
  private replaceTags(incidentId: string, tags: readonly string[], slackTeamId: string): void {
    const names = [...new Set(tags)];
    if (names.length > 0) this.mustExist(incidentId, "IncidentTag.incidentId");
    for (const [key, link] of this.store.incidentTags) {
      if (link.incidentId === incidentId) this.store.incidentTags.delete(key);
    }
    for (const name of names) {
      let tag = [...this.store.tags.values()].find((t) => t.slackTeamId === slackTeamId && t.name === name);
      if (!tag) {
        const row: Row<TagModel> = {
          id: this.store.newId("tag_"),
          slackTeamId,
          name,
          seq: this.store.nextSeq(),
        };
        this.store.tags.set(row.id, row);
        tag = row;
      }
      this.store.incidentTags.set(`${incidentId}:${tag.id}`, {
        incidentId,
        tagId: tag.id,
        seq: this.store.nextSeq(),
      });
    }
  }

  private newestFirst(where: (i: Row<IncidentModel>) => boolean): StoredIncident[] {
    // Prisma orders by createdAt only; ties come back in whatever order the database picks. Newest
    // insert first is what SQLite's index scan gives, and the contract does not pin it.
    return [...this.store.incidents.values()]
      .filter(where)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq)
      .map((r) => this.toStored(r));
  }

  /** Like `findUnique({ include })` then the Prisma repository's toStored: a copy, in include order. */
  private toStored(r: Row<IncidentModel>): StoredIncident {
    const s = this.store;
    const of = <T extends { incidentId: string; seq: number }>(table: Map<string, T>) =>
      [...table.values()].filter((x) => x.incidentId === r.id);
    const byTimeThenId = (a: Date, b: Date, sa: number, sb: number) => a.getTime() - b.getTime() || sa - sb;
    const base = copy(r);
    return {
      id: base.id,
      teamId: base.teamId,
      reporterId: base.reporterId,
      channelId: base.channelId,
      messageTs: base.messageTs,
      title: base.title,
      severity: base.severity as Severity,
      impact: base.impact,
      description: base.description,
      startedAt: base.startedAt,
      detectedAt: base.detectedAt,
      mitigatedAt: base.mitigatedAt,
      resolvedAt: base.resolvedAt,
      howNoticed: base.howNoticed,
      howMitigated: base.howMitigated,
      learned: base.learned,
      sourceLink: base.sourceLink,
      status: base.status as IncidentStatus,
      completedAt: base.completedAt,
      createdAt: base.createdAt,
      reporterTz: base.reporterTz,
      coeDepth: coeDepthFor(base.severity as Severity, s.teams.get(base.teamId)?.fullCoeSeverities ?? ""),
      timeline: of(s.timelineEntries)
        .sort((a, b) => byTimeThenId(a.at, b.at, a.seq, b.seq))
        .map((t) => ({ id: t.id, at: new Date(t.at), text: t.text })),
      whys: of(s.whys)
        .sort((a, b) => byTimeThenId(a.createdAt, b.createdAt, a.seq, b.seq))
        .map((w) => ({
          id: w.id,
          parentId: w.parentId,
          text: w.text,
          rootCause: w.rootCause,
          createdAt: new Date(w.createdAt),
        })),
      factors: of(s.factors)
        .sort((a, b) => a.seq - b.seq)
        .map((f) => ({ id: f.id, category: f.category as FactorCategory, text: f.text })),
      findings: of(s.findings)
        .sort((a, b) => byTimeThenId(a.createdAt, b.createdAt, a.seq, b.seq))
        .map((f) => {
          const item = [...s.actionItems.values()].find((a) => a.findingId === f.id);
          return {
            id: f.id,
            text: f.text,
            actionItem: item ? toActionItem(item) : null,
            notedReason: f.notedReason,
          };
        }),
      tags: [...s.incidentTags.values()]
        .filter((l) => l.incidentId === r.id)
        .flatMap((l) => s.tags.get(l.tagId)?.name ?? [])
        .sort(),
    };
  }

  /** The row an `update` would change; P2025 when there is none. */
  private mustFind(id: string): Row<IncidentModel> {
    const row = this.store.incidents.get(id);
    if (!row) throw new FakePrismaError("P2025", `No Incident ${id} to update`);
    return row;
  }

  /** A child row's foreign key to the incident; P2003 when it is missing. */
  private mustExist(id: string, column: string): void {
    if (!this.store.incidents.has(id)) throw new FakePrismaError("P2003", `Foreign key: ${column}`);
  }
}

const detailFields = (d: IncidentDetails) =>
  copy({
    title: d.title,
    severity: d.severity,
    impact: d.impact,
    description: d.description,
    startedAt: d.startedAt,
    detectedAt: d.detectedAt,
    mitigatedAt: d.mitigatedAt,
    resolvedAt: d.resolvedAt,
    howNoticed: d.howNoticed,
    howMitigated: d.howMitigated,
  });

/** Code-unit order: SQLite's BINARY collation, and PostgreSQL's under the C collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
