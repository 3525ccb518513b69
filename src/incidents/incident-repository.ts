import {
  type ActionItemRow,
  insertActionItem,
  toActionItem,
} from "../action-items/action-item-repository.js";
import type { NewAuditEntry } from "../audit/audit-entry.js";
import { insertAuditEntry } from "../audit/audit-repository.js";
import type { Db } from "../db/client.js";
import { isUniqueViolation } from "../db/prisma-errors.js";
import { coeDepthFor } from "./coe-depth.js";
import type {
  FindingInput,
  IncidentDetails,
  NewFactor,
  NewIncident,
  NewWhy,
  StoredIncident,
} from "./incident.js";
import type { FactorCategory, IncidentStatus, Severity } from "./types.js";

/** Incidents and their COE analysis. The only code that knows how they are stored. */
export interface IncidentRepository {
  create(input: NewIncident, slackTeamId: string, at: Date): Promise<StoredIncident>;
  findById(id: string): Promise<StoredIncident | null>;
  /** Newest first. */
  listForTeam(teamId: string): Promise<StoredIncident[]>;
  /** Every team's incidents in a Slack workspace, for "have we seen this before?". */
  listForWorkspace(slackTeamId: string): Promise<StoredIncident[]>;
  /** The workspace's tag vocabulary, by name. */
  listTags(slackTeamId: string): Promise<string[]>;
  /** `audit`: the edit's entry, written in its transaction (an edit can drop tags: a delete). */
  updateDetails(
    id: string,
    details: IncidentDetails,
    slackTeamId: string,
    audit?: NewAuditEntry | null,
  ): Promise<void>;
  setMessage(id: string, channelId: string, ts: string): Promise<void>;
  addTimelineEntry(id: string, entry: { at: Date; text: string }): Promise<void>;
  addWhy(id: string, why: NewWhy & { at: Date }): Promise<void>;
  addFactor(id: string, factor: NewFactor): Promise<void>;
  setLearned(id: string, learned: string): Promise<void>;
  addFinding(id: string, finding: FindingInput, at: Date): Promise<void>;
  /** `audit`: written in the same transaction as the tag links it replaces, or neither is. */
  setTags(id: string, tags: string[], slackTeamId: string, audit?: NewAuditEntry | null): Promise<void>;
  /** Marks the COE complete unless it already is; false when another click got there first. */
  complete(id: string, at: Date): Promise<boolean>;
  /** The COE-deadline due index: when the coe-deadlines job next looks at the incident (null: never). */
  setCoeCheck(id: string, at: Date | null): Promise<void>;
  /** Incidents whose COE check is due at `now`, through the index, oldest first, at most `take`. */
  listCoeDue(now: Date, take: number): Promise<StoredIncident[]>;
  /** A team's open incidents looked at again at `at` (its COE settings changed). */
  recheckOpenCoes(teamId: string, at: Date): Promise<void>;
  /** A team's open incidents of these severities, detected at or before `detectedBy`, oldest first. */
  listOpenBySeverity(
    teamId: string,
    severities: readonly Severity[],
    detectedBy: Date,
  ): Promise<StoredIncident[]>;
}

const include = {
  timeline: { orderBy: [{ at: "asc" as const }, { id: "asc" as const }] },
  whys: { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }] },
  factors: { orderBy: { id: "asc" as const } },
  findings: {
    orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }],
    include: { actionItem: true },
  },
  tags: { include: { tag: true } },
  // The team's setting decides the COE's depth for the incident's severity.
  team: { select: { fullCoeSeverities: true } },
};

type Row = NonNullable<Awaited<ReturnType<Db["incident"]["findFirst"]>>>;
type FullRow = Awaited<ReturnType<Db["incident"]["findUniqueOrThrow"]>> & {
  timeline: { id: string; at: Date; text: string }[];
  whys: { id: string; parentId: string | null; text: string; rootCause: boolean; createdAt: Date }[];
  factors: { id: string; category: string; text: string }[];
  findings: { id: string; text: string; notedReason: string | null; actionItem: ActionItemRow | null }[];
  tags: { tag: { name: string } }[];
  team: { fullCoeSeverities: string };
};

function toStored(r: FullRow): StoredIncident {
  const base: Row = r;
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
    coeDepth: coeDepthFor(base.severity as Severity, r.team.fullCoeSeverities),
    timeline: r.timeline.map((t) => ({ id: t.id, at: t.at, text: t.text })),
    whys: r.whys.map((w) => ({
      id: w.id,
      parentId: w.parentId,
      text: w.text,
      rootCause: w.rootCause,
      createdAt: w.createdAt,
    })),
    factors: r.factors.map((f) => ({ id: f.id, category: f.category as FactorCategory, text: f.text })),
    findings: r.findings.map((f) => ({
      id: f.id,
      text: f.text,
      actionItem: f.actionItem ? toActionItem(f.actionItem) : null,
      notedReason: f.notedReason,
    })),
    tags: r.tags.map((t) => t.tag.name).sort(),
  };
}

const detailFields = (d: IncidentDetails) => ({
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

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Runs a transaction that may create workspace tags, again if it lost a race for a new tag's name.
 * tag.upsert reads, then inserts: two incidents bringing the same new tag at once both insert, and on
 * PostgreSQL the loser's transaction fails with P2002. Its second run finds the tag and links it.
 */
async function retryingTagRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 3) throw e;
    }
  }
}

/** Replaces an incident's tags, creating names the workspace has not used before. */
async function replaceTags(tx: Tx, incidentId: string, tags: string[], slackTeamId: string): Promise<void> {
  await tx.incidentTag.deleteMany({ where: { incidentId } });
  for (const name of [...new Set(tags)]) {
    const tag = await tx.tag.upsert({
      where: { slackTeamId_name: { slackTeamId, name } },
      create: { slackTeamId, name },
      update: {},
    });
    await tx.incidentTag.create({ data: { incidentId, tagId: tag.id } });
  }
}

export class PrismaIncidentRepository implements IncidentRepository {
  constructor(private readonly db: Db) {}

  async create(input: NewIncident, slackTeamId: string, at: Date) {
    const id = await retryingTagRace(() =>
      this.db.$transaction(async (tx) => {
        const row = await tx.incident.create({
          data: {
            ...detailFields(input),
            teamId: input.teamId,
            reporterId: input.reporterId,
            reporterTz: input.reporterTz,
            sourceLink: input.sourceLink,
            createdAt: at,
            // The coe-deadlines job decides at its next tick whether this COE has deadlines.
            coeCheckAt: at,
          },
        });
        await replaceTags(tx, row.id, input.tags, slackTeamId);
        return row.id;
      }),
    );
    const stored = await this.findById(id);
    if (!stored) throw new Error(`incident ${id} vanished after create`);
    return stored;
  }

  async findById(id: string) {
    const row = await this.db.incident.findUnique({ where: { id }, include });
    return row ? toStored(row) : null;
  }

  async listForTeam(teamId: string) {
    const rows = await this.db.incident.findMany({
      where: { teamId },
      include,
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toStored);
  }

  async listForWorkspace(slackTeamId: string) {
    const rows = await this.db.incident.findMany({
      where: { team: { slackTeamId } },
      include,
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toStored);
  }

  async listTags(slackTeamId: string) {
    const rows = await this.db.tag.findMany({ where: { slackTeamId }, orderBy: { name: "asc" } });
    return rows.map((t) => t.name);
  }

  async updateDetails(
    id: string,
    details: IncidentDetails,
    slackTeamId: string,
    audit: NewAuditEntry | null = null,
  ) {
    await retryingTagRace(() =>
      this.db.$transaction(async (tx) => {
        await tx.incident.update({ where: { id }, data: detailFields(details) });
        await replaceTags(tx, id, details.tags, slackTeamId);
        if (audit) await insertAuditEntry(tx, audit);
      }),
    );
  }

  async setMessage(id: string, channelId: string, ts: string) {
    await this.db.incident.update({ where: { id }, data: { channelId, messageTs: ts } });
  }

  async addTimelineEntry(id: string, entry: { at: Date; text: string }) {
    await this.db.timelineEntry.create({ data: { incidentId: id, at: entry.at, text: entry.text } });
  }

  async addWhy(id: string, why: NewWhy & { at: Date }) {
    await this.db.why.create({
      data: {
        incidentId: id,
        parentId: why.parentId,
        text: why.text,
        rootCause: why.rootCause,
        createdAt: why.at,
      },
    });
  }

  async addFactor(id: string, factor: NewFactor) {
    await this.db.factor.create({ data: { incidentId: id, category: factor.category, text: factor.text } });
  }

  async setLearned(id: string, learned: string) {
    await this.db.incident.update({ where: { id }, data: { learned } });
  }

  async addFinding(id: string, finding: FindingInput, at: Date) {
    await this.db.$transaction(async (tx) => {
      const { notedReason } = finding;
      if (finding.findingId !== null && notedReason !== null) {
        await tx.finding.update({ where: { id: finding.findingId }, data: { notedReason } });
      }
      const findingId =
        finding.findingId ??
        (
          await tx.finding.create({
            data: { incidentId: id, text: finding.text, notedReason, createdAt: at },
          })
        ).id;
      if (finding.action) await insertActionItem(tx, findingId, finding.action, at);
    });
  }

  async setTags(id: string, tags: string[], slackTeamId: string, audit: NewAuditEntry | null = null) {
    await retryingTagRace(() =>
      this.db.$transaction(async (tx) => {
        await replaceTags(tx, id, tags, slackTeamId);
        if (audit) await insertAuditEntry(tx, audit);
      }),
    );
  }

  async complete(id: string, at: Date) {
    const r = await this.db.incident.updateMany({
      where: { id, status: "open" },
      data: { status: "complete", completedAt: at, coeCheckAt: null },
    });
    return r.count === 1;
  }

  async setCoeCheck(id: string, at: Date | null) {
    await this.db.incident.updateMany({ where: { id }, data: { coeCheckAt: at } });
  }

  async listCoeDue(now: Date, take: number) {
    const rows = await this.db.incident.findMany({
      where: { coeCheckAt: { lte: now }, team: { workspaceAway: false } },
      include,
      orderBy: [{ coeCheckAt: "asc" }, { id: "asc" }],
      take,
    });
    return rows.map(toStored);
  }

  async recheckOpenCoes(teamId: string, at: Date) {
    await this.db.incident.updateMany({ where: { teamId, status: "open" }, data: { coeCheckAt: at } });
  }

  async listOpenBySeverity(teamId: string, severities: readonly Severity[], detectedBy: Date) {
    const rows = await this.db.incident.findMany({
      where: { teamId, status: "open", severity: { in: [...severities] }, detectedAt: { lte: detectedBy } },
      include,
      orderBy: [{ detectedAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toStored);
  }
}
