import type { App } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { StoredIncident } from "../../../incidents/incident.js";
import { checkIntegrationGate } from "../../../incidents/integration-gate.js";
import * as modals from "../../blocks/incident.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_ACTION as A } from "../../ids.js";
import { onButton } from "../kit/button.js";

const CLOSED = md`This COE is complete, so its analysis is closed.`;

/** Each analysis step is its own short modal, opened from the incident message; a complete COE's are closed. */
export function register(app: App, deps: SlackDeps): void {
  const tagsOf = (incident: StoredIncident) =>
    deps.teams.get(incident.teamId).then((team) => (team ? deps.incidents.listTags(team.slackTeamId) : []));
  const opens: Record<string, (incident: StoredIncident) => Promise<ModalView> | ModalView> = {
    [A.edit]: async (incident) =>
      modals.buildIntakeModal({
        meta: { teamId: incident.teamId, incidentId: incident.id, sourceLink: incident.sourceLink },
        workspaceTags: await tagsOf(incident),
        incident,
      }),
    [A.timeline]: (incident) => modals.buildTimelineModal({ incident }),
    [A.why]: (incident) => modals.buildWhyModal({ incident }),
    [A.factor]: (incident) => modals.buildFactorModal({ incident }),
    [A.learned]: (incident) => modals.buildLearnedModal({ incident }),
    [A.finding]: (incident) => modals.buildFindingModal({ incident }),
    [A.tags]: async (incident) => modals.buildTagsModal({ incident, workspaceTags: await tagsOf(incident) }),
    [A.complete]: (incident) => modals.buildCompleteModal({ incident, gate: checkIntegrationGate(incident) }),
  };
  for (const [actionId, build] of Object.entries(opens)) {
    onButton(app, deps, actionId, async (click) => {
      const incident = await deps.incidents.getRecord(click.value);
      if (incident.status === "complete") return click.answer(CLOSED);
      await click.openModal(await build(incident));
    });
  }
}
