import type { Logger } from "pino";
import type { Clock } from "../shared/clock.js";
import { DomainError } from "../shared/errors.js";
import { localDate } from "../shared/time-format.js";
import {
  buildIncidentMessage,
  buildIncidentNotPosted,
  buildSimilarIncidents,
} from "../slack/blocks/incident.js";
import { INCIDENT_BLOCK } from "../slack/ids.js";
import type { Notifier } from "../slack/notifier.js";
import type { Team } from "../teams/team.js";
import type { TeamRepository } from "../teams/team-repository.js";
import type {
  FindingInput,
  IncidentDetails,
  NewFactor,
  NewIncident,
  OpenActionItem,
  StoredIncident,
} from "./incident.js";
import type { IncidentRepository } from "./incident-repository.js";
import { checkIntegrationGate, type IntegrationGateResult } from "./integration-gate.js";
import { coeMarkdown } from "./markdown.js";
import { findSimilarIncidents, type SimilarIncident } from "./similarity.js";
import { canAddWhy } from "./why-tree.js";

/**
 * What a write changed, for the Slack side that follows the ack: the message is always updated, and
 * when tags or factors changed the similar-incident check runs again against `similarBefore`.
 */
export type IncidentChange = { incidentId: string; similarBefore: string[] | null };

/** Where a team's incidents are posted: its incidents channel, else the team channel. */
export const incidentsChannel = (team: Team): string => team.incidentsChannelId ?? team.channelId;

export class IncidentService {
  constructor(
    private readonly deps: {
      incidents: IncidentRepository;
      teams: TeamRepository;
      clock: Clock;
      notifier: Notifier;
      log: Logger;
    },
  ) {}

  // ---- reads: the API follow-through and stats build on ---------------------------------------

  async getRecord(id: string): Promise<StoredIncident> {
    const incident = await this.deps.incidents.findById(id);
    if (!incident) throw new DomainError("not_found", "That incident no longer exists.");
    return incident;
  }

  listForTeam(teamId: string): Promise<StoredIncident[]> {
    return this.deps.incidents.listForTeam(teamId);
  }

  listOpenActionItems(teamId: string): Promise<OpenActionItem[]> {
    return this.deps.incidents.listOpenActionItems(teamId);
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

  /** Records a new incident; times are shown in the reporter's zone, else the team's. */
  async create(input: Omit<NewIncident, "reporterTz">): Promise<StoredIncident> {
    const team = await this.team(input.teamId);
    // The reporter's zone only changes how times read; Slack being slow must not lose the incident.
    const reporter = await this.deps.notifier.userInfo(input.reporterId).catch(() => null);
    const reporterTz = reporter?.tz ?? team.timezone;
    const incident = await this.deps.incidents.create(
      { ...input, reporterTz },
      team.slackTeamId,
      this.deps.clock.now(),
    );
    this.deps.log.info({ incidentId: incident.id, teamId: team.id }, "incident recorded");
    return incident;
  }

  async updateDetails(id: string, details: IncidentDetails): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const team = await this.team(incident.teamId);
    const before = await this.similarIds(incident);
    await this.deps.incidents.updateDetails(id, details, team.slackTeamId);
    return { incidentId: id, similarBefore: before };
  }

  async addTimelineEntry(id: string, entry: { at: Date; text: string }): Promise<IncidentChange> {
    await this.openIncident(id);
    await this.deps.incidents.addTimelineEntry(id, entry);
    return { incidentId: id, similarBefore: null };
  }

  async addWhy(id: string, why: { parentId: string | null; text: string }): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const allowed = canAddWhy(incident.whys, why.parentId);
    if (!allowed.ok) throw new DomainError("invalid_input", allowed.reason, INCIDENT_BLOCK.whyParent);
    await this.deps.incidents.addWhy(id, { ...why, at: this.deps.clock.now() });
    return { incidentId: id, similarBefore: null };
  }

  async addFactor(id: string, factor: NewFactor): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const before = await this.similarIds(incident);
    await this.deps.incidents.addFactor(id, factor);
    return { incidentId: id, similarBefore: before };
  }

  async setLearned(id: string, learned: string): Promise<IncidentChange> {
    await this.openIncident(id);
    await this.deps.incidents.setLearned(id, learned);
    return { incidentId: id, similarBefore: null };
  }

  /**
   * Adds a finding (or completes an existing one) with its action item. The due date may not be in the
   * past on the owner's own calendar: a Tokyo owner's "today" can be London's tomorrow.
   */
  async addFinding(id: string, finding: FindingInput): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    if (finding.findingId !== null) {
      const existing = incident.findings.find((f) => f.id === finding.findingId);
      if (!existing) {
        throw new DomainError(
          "not_found",
          "That finding isn't part of this incident.",
          INCIDENT_BLOCK.findingExisting,
        );
      }
      if (existing.actionItem) {
        throw new DomainError(
          "conflict",
          "That finding already has an action item.",
          INCIDENT_BLOCK.findingExisting,
        );
      }
    }
    if (finding.action) {
      const owner = await this.deps.notifier.userInfo(finding.action.ownerId);
      if (!owner || owner.deleted) {
        throw new DomainError(
          "invalid_input",
          "Pick someone who is still in the workspace.",
          INCIDENT_BLOCK.findingOwner,
        );
      }
      const today = localDate(this.deps.clock.now(), owner.tz ?? "UTC");
      if (finding.action.dueDate < today) {
        throw new DomainError(
          "invalid_input",
          `That date has passed for the owner (today is ${today} in ${owner.tz ?? "UTC"}).`,
          INCIDENT_BLOCK.findingDue,
        );
      }
    }
    await this.deps.incidents.addFinding(id, finding, this.deps.clock.now());
    return { incidentId: id, similarBefore: null };
  }

  async setTags(id: string, tags: string[]): Promise<IncidentChange> {
    const incident = await this.openIncident(id);
    const team = await this.team(incident.teamId);
    const before = await this.similarIds(incident);
    await this.deps.incidents.setTags(id, tags, team.slackTeamId);
    return { incidentId: id, similarBefore: before };
  }

  /**
   * The integration gate: the COE completes only when every finding is owned, dated work (and the
   * analysis was started). On failure nothing is written and `missing` says what to add.
   */
  async complete(id: string): Promise<IntegrationGateResult> {
    const incident = await this.openIncident(id);
    const gate = checkIntegrationGate(incident);
    if (!gate.ok) return gate;
    if (!(await this.deps.incidents.complete(id, this.deps.clock.now()))) {
      throw new DomainError("already_done", "This COE was already completed.");
    }
    this.deps.log.info({ incidentId: id }, "COE completed");
    return gate;
  }

  // ---- Slack side: after the ack; failures are logged, the data is already safe -----------------

  /** Posts the incident to the team's incidents channel, or updates the message in place. */
  async publish(id: string): Promise<void> {
    const incident = await this.getRecord(id);
    const msg = buildIncidentMessage({ incident });
    if (incident.channelId && incident.messageTs) {
      await this.deps.notifier.update(incident.channelId, incident.messageTs, msg);
      return;
    }
    const team = await this.team(incident.teamId);
    const res = await this.deps.notifier.post(incidentsChannel(team), msg);
    await this.deps.incidents.setMessage(id, res.channel, res.ts);
  }

  /** Right after intake: post the incident, then "have we seen this before?" in its thread. */
  async announceNew(id: string): Promise<void> {
    try {
      await this.publish(id);
      const incident = await this.getRecord(id);
      await this.postSimilar(incident, await this.similarTo(incident), "intake");
    } catch (err) {
      this.deps.log.error({ err, incidentId: id }, "incident saved but not posted in Slack");
      const incident = await this.deps.incidents.findById(id).catch(() => null);
      const team = incident ? await this.deps.teams.findById(incident.teamId).catch(() => null) : null;
      if (incident && team) {
        await this.deps.notifier
          .dm(
            incident.reporterId,
            buildIncidentNotPosted({ title: incident.title, channelId: incidentsChannel(team) }),
          )
          .catch((e: unknown) => this.deps.log.error({ err: e }, "could not tell the reporter"));
      }
    }
  }

  /** After any change: update the message; when tags or factors changed, post newly similar incidents. */
  async afterChange(change: IncidentChange): Promise<void> {
    try {
      await this.publish(change.incidentId);
      if (change.similarBefore === null) return;
      const incident = await this.getRecord(change.incidentId);
      const known = new Set(change.similarBefore);
      const fresh = (await this.similarTo(incident)).filter((s) => !known.has(s.incident.id));
      if (fresh.length > 0) await this.postSimilar(incident, fresh, "recheck");
    } catch (err) {
      this.deps.log.error(
        { err, incidentId: change.incidentId },
        "incident changed but its message was not updated",
      );
    }
  }

  /** Uploads the COE as Markdown into the incident's thread (the team's incidents channel). */
  async exportMarkdown(id: string): Promise<void> {
    const incident = await this.getRecord(id);
    const team = await this.team(incident.teamId);
    const markdown = coeMarkdown(incident, {
      similar: await this.similarTo(incident),
      now: this.deps.clock.now(),
    });
    const channel = incident.channelId ?? incidentsChannel(team);
    try {
      await this.deps.notifier.uploadFile({
        channel,
        filename: `coe-${slug(incident.title)}-${localDate(incident.startedAt, team.timezone)}.md`,
        title: `COE: ${incident.title}`,
        bytes: Buffer.from(markdown, "utf8"),
        ...(incident.messageTs ? { threadTs: incident.messageTs } : {}),
      });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === "not_in_channel" || code === "channel_not_found") {
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

  private async postSimilar(
    incident: StoredIncident,
    similar: SimilarIncident[],
    when: "intake" | "recheck",
  ) {
    if (!incident.channelId || !incident.messageTs) return;
    const team = await this.team(incident.teamId);
    const msg = buildSimilarIncidents({ similar, when, tz: team.timezone });
    await this.deps.notifier.post(incident.channelId, msg, { threadTs: incident.messageTs });
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

const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "incident";
