import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { type Actor, auditEntryFor } from "../audit/audit-entry.js";
import type { AuditService } from "../audit/audit-service.js";
import { type Announcer, ChannelUnreachable, type Notices } from "../notices.js";
import type { Clock } from "../shared/clock.js";
import {
  type DeliveryHandler,
  enqueueAfterSave,
  type NewDelivery,
  type Outbox,
} from "../shared/deliveries.js";
import { DomainError } from "../shared/errors.js";
import { localDate } from "../shared/time-format.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import { coeDeadlines, type OverdueCoe, parseSeverityList, START_WITHIN_HOURS } from "./coe-depth.js";
import type {
  FindingInput,
  IncidentDetails,
  NewFactor,
  NewIncident,
  NewWhy,
  StoredIncident,
} from "./incident.js";
import type { IncidentRepository } from "./incident-repository.js";
import { checkIntegrationGate, type IntegrationGateResult } from "./integration-gate.js";
import { namesOf, peopleIn } from "./people.js";
import { findSimilarIncidents, type SimilarIncident } from "./similarity.js";
import { canAddWhy } from "./why-tree.js";

/** How many incidents one tick of the coe-deadlines job looks at; the rest wait for the next tick. */
const COE_BATCH = 200;

/** What a write changed, for the Slack side that follows the ack: the incident's message is updated. */
export type IncidentChange = { incidentId: string };

/** Where a team's incidents are posted: its incidents channel, else the team channel. */
const incidentsChannel = (team: Team): string => team.incidentsChannelId ?? team.channelId;

const cardKey = (incidentId: string) => `incident:${incidentId}`;
/** A note per incident at intake, and one per set of incidents that became similar after a change. */
const noteKey = (incidentId: string, similarIds: readonly string[] | null) =>
  `incident-note:${incidentId}:${
    similarIds === null
      ? "intake"
      : createHash("sha256")
          .update([...similarIds].sort().join(","))
          .digest("hex")
          .slice(0, 24)
  }`;

export class IncidentService {
  constructor(
    private readonly deps: {
      incidents: IncidentRepository;
      teams: TeamRepository;
      clock: Clock;
      announcer: Announcer;
      outbox: Outbox;
      log: Logger;
      /** the audit log: an incident's intake and edits are recorded */
      audit?: AuditService;
    },
  ) {}

  // ---- reads: the API action items and stats build on ----------------------------------------

  async getRecord(id: string): Promise<StoredIncident> {
    const incident = await this.deps.incidents.findById(id);
    if (!incident) throw new DomainError("not_found", "That incident no longer exists.");
    return incident;
  }

  listForTeam(teamId: string): Promise<StoredIncident[]> {
    return this.deps.incidents.listForTeam(teamId);
  }

  listTags(slackTeamId: string): Promise<string[]> {
    return this.deps.incidents.listTags(slackTeamId);
  }

  /** Past incidents in the workspace most like this one, with how their action items stand. */
  async similarTo(incident: StoredIncident): Promise<SimilarIncident[]> {
    const team = await this.team(incident.teamId);
    const history = (await this.deps.incidents.listForWorkspace(team.slackTeamId)).filter(
      (h) => h.startedAt.getTime() <= incident.startedAt.getTime(),
    );
    return findSimilarIncidents(incident, history, {
      today: localDate(this.deps.clock.now(), team.timezone),
    });
  }

  // ---- writes: database only, so a modal can be answered within Slack's 3 seconds --------------

  /**
   * Records a new incident and queues its message in the team's incidents channel ("have we seen this
   * before?" follows in its thread once it is posted); times are shown in the reporter's zone, else the team's.
   */
  async create(input: Omit<NewIncident, "reporterTz">): Promise<StoredIncident> {
    const team = await this.team(input.teamId);
    // The reporter's zone only changes how times read; Slack being slow must not lose the incident.
    const reporter = await this.deps.announcer.person(input.reporterId).catch(() => null);
    const reporterTz = reporter?.tz ?? team.timezone;
    const now = this.deps.clock.now();
    const incident = await this.deps.incidents.create({ ...input, reporterTz }, team.slackTeamId, now);
    this.deps.log.info({ incidentId: incident.id, teamId: team.id }, "incident recorded");
    await this.deps.audit?.record({
      team,
      subject: { type: "incident", id: incident.id },
      actor: { userId: input.reporterId, surface: "modal" },
      action: "recorded",
      before: null,
      after: { title: incident.title, severity: incident.severity, status: incident.status },
    });
    await enqueueAfterSave(this.deps.outbox, this.deps.log, this.cardDelivery(incident.id, team, now));
    return incident;
  }

  async updateDetails(id: string, details: IncidentDetails, actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const team = await this.team(incident.teamId);
    const before = await this.similarIds(incident);
    const was: Record<string, unknown> = { ...incident };
    // Written with the change: an edit can drop tags, a hard delete that must not go unrecorded.
    const entry = actor
      ? auditEntryFor(
          {
            team,
            subject: { type: "incident", id },
            actor,
            action: "edited",
            before: Object.fromEntries(Object.keys(details).map((k) => [k, was[k]])),
            after: { ...details },
          },
          this.deps.clock.now(),
        )
      : null;
    await this.deps.incidents.updateDetails(id, details, team.slackTeamId, entry);
    // Severity or detection time may have moved its COE deadlines: the job looks again next tick.
    await this.deps.incidents.setCoeCheck(id, this.deps.clock.now());
    await this.queueNewlySimilar(id, before);
    return { incidentId: id };
  }

  // The analysis steps below take the person who saved them: each save is an entry in the
  // incident's history (without an actor — a script, a test — nothing is recorded).

  async addTimelineEntry(
    id: string,
    entry: { at: Date; text: string },
    actor?: Actor,
  ): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    await this.deps.incidents.addTimelineEntry(id, entry);
    await this.recordStep(incident, actor, "timeline entry added", null, { at: entry.at, text: entry.text });
    return { incidentId: id };
  }

  async addWhy(id: string, why: NewWhy, actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const allowed = canAddWhy(incident.whys, why.parentId);
    if (!allowed.ok) throw new DomainError("invalid_input", allowed.reason, "parentId");
    await this.deps.incidents.addWhy(id, { ...why, at: this.deps.clock.now() });
    const answers = incident.whys.find((w) => w.id === why.parentId)?.text ?? null;
    await this.recordStep(incident, actor, "why added", null, {
      why: why.text,
      answers: answers ?? "the incident",
      rootCause: why.rootCause,
    });
    return { incidentId: id };
  }

  async addFactor(id: string, factor: NewFactor, actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const before = await this.similarIds(incident);
    await this.deps.incidents.addFactor(id, factor);
    await this.recordStep(incident, actor, "contributing factor added", null, { ...factor });
    await this.queueNewlySimilar(id, before);
    return { incidentId: id };
  }

  async setLearned(id: string, learned: string, actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    await this.deps.incidents.setLearned(id, learned);
    await this.recordStep(incident, actor, "lessons edited", { learned: incident.learned }, { learned });
    return { incidentId: id };
  }

  /**
   * Adds a finding (or completes an existing one) with its action item, or notes it with no action and
   * the reason why. The due date may not be in the past on the owner's own calendar: a Tokyo owner's
   * "today" can be London's tomorrow.
   */
  async addFinding(id: string, finding: FindingInput, actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    if (finding.notedReason !== null) {
      if (finding.action) {
        throw new DomainError(
          "invalid_input",
          "A finding noted with no action has no action item.",
          "notedReason",
        );
      }
      if (finding.notedReason.trim() === "") {
        throw new DomainError("invalid_input", "Say why this finding needs no action.", "notedReason");
      }
    }
    if (finding.findingId !== null) {
      const existing = incident.findings.find((f) => f.id === finding.findingId);
      if (!existing) {
        throw new DomainError("not_found", "That finding isn't part of this incident.", "findingId");
      }
      if (existing.actionItem) {
        throw new DomainError("conflict", "That finding already has an action item.", "findingId");
      }
      if (existing.notedReason !== null) {
        throw new DomainError("conflict", "That finding is already noted with no action.", "findingId");
      }
    }
    if (finding.action) {
      const owner = await this.deps.announcer.person(finding.action.ownerId);
      if (!owner || owner.deleted) {
        throw new DomainError("invalid_input", "Pick someone who is still in the workspace.", "ownerId");
      }
      const today = localDate(this.deps.clock.now(), owner.tz ?? "UTC");
      if (finding.action.dueDate < today) {
        throw new DomainError(
          "invalid_input",
          `That date has passed for the owner (today is ${today} in ${owner.tz ?? "UTC"}).`,
          "dueDate",
        );
      }
    }
    await this.deps.incidents.addFinding(id, finding, this.deps.clock.now());
    const existing = incident.findings.find((f) => f.id === finding.findingId);
    const text = existing?.text ?? finding.text;
    // An action item belongs to its incident's finding, so its entries go under the incident: the
    // incident's History is where a team reads how its action items came and went.
    await this.recordStep(
      incident,
      actor,
      finding.action
        ? "action item created"
        : finding.notedReason !== null
          ? "finding noted"
          : "finding added",
      null,
      finding.action
        ? { finding: text, ...finding.action }
        : { finding: text, ...(finding.notedReason !== null ? { notedReason: finding.notedReason } : {}) },
    );
    return { incidentId: id };
  }

  async setTags(id: string, tags: string[], actor?: Actor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const team = await this.team(incident.teamId);
    const before = await this.similarIds(incident);
    // Dropping a tag deletes its link: the entry is written in the same transaction.
    const entry = actor
      ? auditEntryFor(
          {
            team,
            subject: { type: "incident", id },
            actor,
            action: "tags changed",
            before: { tags: incident.tags },
            after: { tags: [...new Set(tags)].sort() },
          },
          this.deps.clock.now(),
        )
      : null;
    await this.deps.incidents.setTags(id, tags, team.slackTeamId, entry);
    await this.queueNewlySimilar(id, before);
    return { incidentId: id };
  }

  /**
   * The integration gate: the COE completes only when every finding is owned, dated work (and the
   * analysis was started). On failure nothing is written and `missing` says what to add.
   */
  async complete(id: string, actor?: Actor): Promise<IntegrationGateResult> {
    const incident = await this.openIncident(id);
    const gate = checkIntegrationGate(incident);
    if (!gate.ok) return gate;
    if (!(await this.deps.incidents.complete(id, this.deps.clock.now()))) {
      throw new DomainError("already_done", "This COE was already completed.");
    }
    await this.recordStep(
      incident,
      actor,
      "COE completed",
      { status: incident.status },
      { status: "complete" },
    );
    this.deps.log.info({ incidentId: id }, "COE completed");
    return gate;
  }

  // ---- COE deadlines: a full COE started within 24 h and complete within the deep-dive window ----

  /**
   * The coe-deadlines job: looks only at incidents whose check is due (the Incident.coeCheckAt index),
   * queues a DM to the owner (the reporter) for each deadline passed — once per condition, by its
   * outbox key — and stores when the incident next needs a look (null: nothing left to watch).
   * Catch-up: after downtime a passed deadline is nudged late, once; both at once if both passed.
   */
  async sweepCoeDeadlines(now: Date): Promise<{ queued: number }> {
    const due = await this.deps.incidents.listCoeDue(now, COE_BATCH);
    const teams = new Map<string, Promise<Team | null>>();
    let queued = 0;
    for (const incident of due) {
      const teamOf = teams.get(incident.teamId) ?? this.deps.teams.findById(incident.teamId);
      teams.set(incident.teamId, teamOf);
      const team = await teamOf;
      const { overdue, nextCheck } = team
        ? coeDeadlines(incident, team.coeDeepDiveHours, now)
        : { overdue: [], nextCheck: null };
      for (const condition of overdue) {
        const fresh = await this.deps.outbox.enqueue({
          key: `coe-overdue:${incident.id}:${condition}`,
          kind: "coe_overdue",
          ref: { incidentId: incident.id, condition },
          target: incident.reporterId,
          teamId: incident.teamId,
          notBefore: now,
          at: now,
        });
        if (fresh) queued++;
      }
      await this.deps.incidents.setCoeCheck(incident.id, nextCheck);
    }
    return { queued };
  }

  /** The nudge as it stands when sent: cancelled when the COE was completed, started or made light since. */
  readonly overdueHandler: DeliveryHandler<"coe_overdue", Notices["coe_overdue"]> = {
    resolve: async ({ incidentId, condition }) => {
      const incident = await this.deps.incidents.findById(incidentId);
      const team = incident ? await this.deps.teams.findById(incident.teamId) : null;
      if (!incident || !team) return null;
      const { overdue } = coeDeadlines(incident, team.coeDeepDiveHours, this.deps.clock.now());
      if (!overdue.includes(condition)) return null;
      return { incident, condition, deepDiveHours: team.coeDeepDiveHours };
    },
  };

  /** Full COEs past a deadline now, for the team's weekly rollup. */
  async overdueCoes(teamId: string, now: Date): Promise<OverdueCoe[]> {
    const team = await this.deps.teams.findById(teamId);
    if (!team) return [];
    const severities = parseSeverityList(team.fullCoeSeverities);
    if (severities.length === 0) return [];
    // Nothing can be overdue before 24 h after detection, the earlier of the two deadlines.
    const detectedBy = new Date(
      now.getTime() - Math.min(START_WITHIN_HOURS, team.coeDeepDiveHours) * 3_600_000,
    );
    const open = await this.deps.incidents.listOpenBySeverity(teamId, severities, detectedBy);
    return open.flatMap((incident) => {
      const { overdue } = coeDeadlines(incident, team.coeDeepDiveHours, now);
      return overdue.length === 0
        ? []
        : [
            {
              title: incident.title,
              severity: incident.severity,
              ownerId: incident.reporterId,
              overdue,
              detectedAt: incident.detectedAt,
            },
          ];
    });
  }

  /** A team's COE settings changed: its open incidents' deadlines are looked at again next tick. */
  async coeSettingsChanged(teamId: string): Promise<void> {
    await this.deps.incidents.recheckOpenCoes(teamId, this.deps.clock.now());
  }

  // ---- Slack side: after the ack; failures are logged, the data is already safe -----------------

  /**
   * Updates the incident's message in place. Not posted yet: its delivery draws it as it is when sent
   * (queued again here if it never was).
   */
  async publish(id: string): Promise<void> {
    const incident = await this.getRecord(id);
    if (incident.channelId && incident.messageTs) {
      await this.deps.announcer.edit(
        { channel: incident.channelId, ts: incident.messageTs },
        "incident_card",
        {
          incident,
        },
      );
      return;
    }
    const team = await this.team(incident.teamId);
    await this.deps.outbox.enqueue(this.cardDelivery(id, team, this.deps.clock.now()));
  }

  /** After any change: update the message (newly similar incidents were queued with the change). */
  async afterChange(change: IncidentChange): Promise<void> {
    try {
      await this.publish(change.incidentId);
    } catch (err) {
      this.deps.log.error(
        { err, incidentId: change.incidentId },
        "incident changed but its message was not updated",
      );
    }
  }

  /** The incident's message; cancelled when it is already posted (changes update that one). */
  readonly cardHandler: DeliveryHandler<"incident_card", Notices["incident_card"]> = {
    resolve: async ({ incidentId }) => {
      const incident = await this.deps.incidents.findById(incidentId);
      return incident && !incident.messageTs ? { incident } : null;
    },
    // Posted: "have we seen this before?" goes in its thread.
    delivered: async ({ incidentId }, where, now) => {
      await this.deps.incidents.setMessage(incidentId, where.channel, where.ts);
      const incident = await this.deps.incidents.findById(incidentId);
      await this.deps.outbox.enqueue({
        key: noteKey(incidentId, null),
        kind: "incident_note",
        ref: { incidentId, when: "intake" },
        target: where.channel,
        teamId: incident?.teamId ?? null,
        threadTs: where.ts,
        notBefore: now,
        at: now,
      });
    },
  };

  /** Similar incidents in the card's thread: all of them at intake, or those a change made similar. */
  readonly noteHandler: DeliveryHandler<"incident_note", Notices["incident_note"]> = {
    resolve: async (ref) => {
      const incident = await this.deps.incidents.findById(ref.incidentId);
      const team = incident ? await this.deps.teams.findById(incident.teamId) : null;
      if (!incident || !team) return null;
      const similar = await this.similarTo(incident);
      if (ref.when === "intake") return { similar, when: "intake", timezone: team.timezone };
      const wanted = new Set(ref.similarIds);
      const still = similar.filter((s) => wanted.has(s.incident.id));
      return still.length > 0 ? { similar: still, when: "recheck", timezone: team.timezone } : null;
    },
  };

  /**
   * Shares the whole COE as a document in the incident's thread (the team's incidents channel); the
   * surface draws it (as Markdown: src/renderers/markdown/incident.ts).
   */
  async exportMarkdown(id: string): Promise<void> {
    const incident = await this.getRecord(id);
    const team = await this.team(incident.teamId);
    const channel = incident.channelId ?? incidentsChannel(team);
    try {
      await this.deps.announcer.send({ channel, threadTs: incident.messageTs }, "incident_export", {
        incident,
        similar: await this.similarTo(incident),
        now: this.deps.clock.now(),
        timezone: team.timezone,
        names: await this.namesIn(incident),
      });
    } catch (err) {
      if (err instanceof ChannelUnreachable) {
        throw new DomainError(
          "forbidden",
          "I can't upload to the incident's channel. Invite me there with `/invite @Ratchet` and export again:",
          undefined,
          [channel],
        );
      }
      throw err;
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * One change in the incident's history (analysis steps, its action items); like every edit,
   * written after the change.
   */
  async recordStep(
    incident: { id: string; teamId: string },
    actor: Actor | undefined,
    action: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
  ): Promise<void> {
    if (!actor || !this.deps.audit) return;
    const team = await this.team(incident.teamId);
    await this.deps.audit.record({
      team,
      subject: { type: "incident", id: incident.id },
      actor,
      action,
      before,
      after,
    });
  }

  /** The names of the people an export names (users.info); one it can't look up keeps its id. */
  private namesIn(incident: StoredIncident): Promise<Record<string, string>> {
    return namesOf(
      peopleIn(incident),
      (userId) => this.deps.announcer.person(userId),
      (failed, err) =>
        this.deps.log.warn(
          { err, incidentId: incident.id, failed },
          "COE export: could not look up some people's names; the export shows their ids",
        ),
    );
  }

  private cardDelivery(incidentId: string, team: Team, now: Date): NewDelivery<"incident_card"> {
    return {
      key: cardKey(incidentId),
      kind: "incident_card",
      ref: { incidentId },
      target: incidentsChannel(team),
      teamId: team.id,
      notBefore: now,
      at: now,
    };
  }

  /**
   * After tags, factors or details changed: queues a note in the thread naming the incidents that are
   * similar now and weren't before. Before the message is posted there is no thread: its intake note,
   * drawn when it is sent, lists them all.
   */
  private async queueNewlySimilar(id: string, before: readonly string[]): Promise<void> {
    // The change is saved: a failure here is logged, so a resubmission can't save it twice.
    try {
      const incident = await this.getRecord(id);
      if (!incident.channelId || !incident.messageTs) return;
      const known = new Set(before);
      const fresh = (await this.similarTo(incident)).map((s) => s.incident.id).filter((x) => !known.has(x));
      if (fresh.length === 0) return;
      const now = this.deps.clock.now();
      await this.deps.outbox.enqueue({
        key: noteKey(id, fresh),
        kind: "incident_note",
        ref: { incidentId: id, when: "recheck", similarIds: fresh },
        target: incident.channelId,
        teamId: incident.teamId,
        threadTs: incident.messageTs,
        notBefore: now,
        at: now,
      });
    } catch (err) {
      this.deps.log.error({ err, incidentId: id }, "incident changed, but the similar-incident check failed");
    }
  }

  private async similarIds(incident: StoredIncident): Promise<string[]> {
    return (await this.similarTo(incident)).map((s) => s.incident.id);
  }

  private async openIncident(id: string): Promise<StoredIncident> {
    const incident = await this.getRecord(id);
    if (incident.status === "complete") {
      throw new DomainError("already_done", "This COE is complete, so its analysis is closed.");
    }
    return incident;
  }

  private async team(id: string): Promise<Team> {
    const team = await this.deps.teams.findById(id);
    if (!team) throw new DomainError("not_found", "That team no longer exists.");
    return team;
  }
}
