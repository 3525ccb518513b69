import type { Db } from "../db/client.js";
import type { KeyedRow } from "./dataset.js";

/** A team as an export needs it. */
export interface ExportTeam {
  id: string;
  name: string;
  channelId: string;
  timezone: string;
}

type Page = (teamId: string, after: string | null, limit: number) => Promise<KeyedRow[]>;

/**
 * Each dataset's rows for one team, a page at a time: ordered by the row's id and read after the
 * last id seen (keyset), so every page is one indexed range read however large the team is.
 */
export interface ExportSource {
  decisions: Page;
  readings: Page;
  deviations: Page;
  alarms: Page;
  incidents: Page;
  findings: Page;
  actionItems: Page;
  reviews: Page;
  /** the audit log (src/audit/): every change, who, before → after (changed fields, JSON), surface */
  audit: Page;
  /** Teams whose id, channel id or name (case aside) is `text`: the script's `--team`. */
  findTeams(text: string): Promise<ExportTeam[]>;
}

const after = (id: string | null) => (id ? { id: { gt: id } } : {});
const keyed = <T extends { id: string }>(rows: T[], row: (r: T) => KeyedRow["row"]): KeyedRow[] =>
  rows.map((r) => ({ key: r.id, row: row(r) }));

export class PrismaExportRepository implements ExportSource {
  constructor(private readonly db: Db) {}

  decisions: Page = async (teamId, from, take) =>
    keyed(
      await this.db.decision.findMany({
        where: { mechanism: { teamId }, ...after(from) },
        orderBy: { id: "asc" },
        take,
        include: { mechanism: { select: { title: true } } },
      }),
      (d) => ({
        decision_id: d.id,
        mechanism_id: d.mechanismId,
        mechanism_title: d.mechanism.title,
        review_id: d.reviewId,
        decision: d.decision,
        entry: d.entry,
        what_changed: d.whatChanged,
        what_didnt: d.whatDidnt,
        why: d.why,
        change_detail: d.changeDetail,
        checkpoint: d.checkpoint,
        gate_reason: d.gateReason,
        source: d.source,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt,
      }),
    );

  readings: Page = async (teamId, from, take) =>
    keyed(
      await this.db.reading.findMany({
        where: { signal: { mechanism: { teamId } }, ...after(from) },
        orderBy: { id: "asc" },
        take,
        include: {
          signal: {
            select: {
              name: true,
              kind: true,
              unit: true,
              mechanismId: true,
              mechanism: { select: { title: true } },
            },
          },
        },
      }),
      (r) => ({
        reading_id: r.id,
        mechanism_id: r.signal.mechanismId,
        mechanism_title: r.signal.mechanism.title,
        signal_id: r.signalId,
        signal_name: r.signal.name,
        signal_kind: r.signal.kind,
        value: r.value,
        unit: r.signal.unit,
        review_id: r.reviewId,
        recorded_by: r.recordedBy,
        recorded_at: r.recordedAt,
      }),
    );

  deviations: Page = async (teamId, from, take) =>
    keyed(
      await this.db.deviation.findMany({ where: { teamId, ...after(from) }, orderBy: { id: "asc" }, take }),
      (d) => ({
        deviation_id: d.id,
        area: d.area,
        deviation: d.deviation,
        hypothesis: d.hypothesis,
        benefit: d.benefit,
        risk: d.risk,
        cycle_index: d.cycleIndex,
        sensitive: d.sensitive,
        approver_id: d.approverId,
        owner_id: d.ownerId,
        outcome: d.outcome,
        verdict: d.verdict,
        created_at: d.createdAt,
        decided_at: d.decidedAt,
      }),
    );

  alarms: Page = async (teamId, from, take) =>
    keyed(
      await this.db.alarm.findMany({ where: { teamId, ...after(from) }, orderBy: { id: "asc" }, take }),
      (a) => ({
        alarm_id: a.id,
        kind: a.kind,
        subject_key: a.subjectKey,
        cycle_index: a.cycleIndex,
        last_cycle: a.lastCycle,
        evidence: a.evidence,
        suggestion: a.suggestion,
        status: a.status,
        snooze_until_cycle: a.snoozeUntil,
        state_by: a.stateBy,
        raised_at: a.raisedAt,
        resolved_at: a.resolvedAt,
      }),
    );

  incidents: Page = async (teamId, from, take) =>
    keyed(
      await this.db.incident.findMany({ where: { teamId, ...after(from) }, orderBy: { id: "asc" }, take }),
      (i) => ({
        incident_id: i.id,
        title: i.title,
        severity: i.severity,
        impact: i.impact,
        description: i.description,
        started_at: i.startedAt,
        detected_at: i.detectedAt,
        mitigated_at: i.mitigatedAt,
        resolved_at: i.resolvedAt,
        how_noticed: i.howNoticed,
        how_mitigated: i.howMitigated,
        learned: i.learned,
        source_link: i.sourceLink,
        reporter_id: i.reporterId,
        status: i.status,
        completed_at: i.completedAt,
        created_at: i.createdAt,
      }),
    );

  findings: Page = async (teamId, from, take) =>
    keyed(
      await this.db.finding.findMany({
        where: { incident: { teamId }, ...after(from) },
        orderBy: { id: "asc" },
        take,
      }),
      (f) => ({
        finding_id: f.id,
        incident_id: f.incidentId,
        text: f.text,
        noted_reason: f.notedReason,
        created_at: f.createdAt,
      }),
    );

  actionItems: Page = async (teamId, from, take) =>
    keyed(
      await this.db.actionItem.findMany({
        where: { finding: { incident: { teamId } }, ...after(from) },
        orderBy: { id: "asc" },
        take,
        include: { finding: { select: { incidentId: true } } },
      }),
      (a) => ({
        action_item_id: a.id,
        finding_id: a.findingId,
        incident_id: a.finding.incidentId,
        owner_id: a.ownerId,
        due_date: a.dueDate,
        kind: a.kind,
        ticket_url: a.ticketUrl,
        status: a.status,
        reason: a.reason,
        closed_at: a.closedAt,
        created_at: a.createdAt,
      }),
    );

  reviews: Page = async (teamId, from, take) =>
    keyed(
      await this.db.review.findMany({
        where: { mechanism: { teamId }, ...after(from) },
        orderBy: { id: "asc" },
        take,
        include: { mechanism: { select: { title: true } } },
      }),
      (r) => ({
        review_id: r.id,
        mechanism_id: r.mechanismId,
        mechanism_title: r.mechanism.title,
        due_at: r.dueAt,
        status: r.status,
        late: r.late,
        created_at: r.createdAt,
        completed_at: r.completedAt,
      }),
    );

  audit: Page = async (teamId, from, take) =>
    keyed(
      await this.db.auditEntry.findMany({ where: { teamId, ...after(from) }, orderBy: { id: "asc" }, take }),
      (e) => ({
        audit_id: e.id,
        subject_type: e.subjectType,
        subject_id: e.subjectId,
        actor_id: e.actor,
        action: e.action,
        before: e.before,
        after: e.after,
        surface: e.surface,
        at: e.at,
      }),
    );

  async findTeams(text: string): Promise<ExportTeam[]> {
    const select = { id: true, name: true, channelId: true, timezone: true };
    const exact = await this.db.team.findMany({ where: { OR: [{ id: text }, { channelId: text }] }, select });
    if (exact.length > 0) return exact;
    // Names are few per install: compared in code, so case is ignored the same way on both databases.
    const all = await this.db.team.findMany({ select, orderBy: { createdAt: "asc" } });
    const wanted = text.trim().replace(/^#/, "").toLowerCase();
    return all.filter((t) => t.name.toLowerCase() === wanted);
  }
}
