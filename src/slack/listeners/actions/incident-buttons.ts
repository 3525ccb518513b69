import type { App, BlockAction } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { StoredIncident } from "../../../incidents/incident.js";
import { checkIntegrationGate } from "../../../incidents/integration-gate.js";
import {
  buildCompleteModal,
  buildFactorModal,
  buildFindingModal,
  buildIntakeModal,
  buildLearnedModal,
  buildTagsModal,
  buildTimelineModal,
  buildWhyModal,
} from "../../blocks/incident.js";
import { md } from "../../blocks/mrkdwn.js";
import type { SlackDeps } from "../../deps.js";
import { INCIDENT_ACTION } from "../../ids.js";
import { answerClick } from "../reply.js";
import { buttonValue, guarded } from "./mechanism-buttons.js";

/** Each analysis step is its own short modal, opened from the incident message. */
export function register(app: App, deps: SlackDeps): void {
  const tagsOf = async (incident: StoredIncident) => {
    const team = await deps.teams.get(incident.teamId);
    return team ? deps.incidents.listTags(team.slackTeamId) : [];
  };
  const opens: Record<string, (incident: StoredIncident) => Promise<ModalView> | ModalView> = {
    [INCIDENT_ACTION.edit]: async (incident) =>
      buildIntakeModal({
        meta: { teamId: incident.teamId, incidentId: incident.id, sourceLink: incident.sourceLink },
        workspaceTags: await tagsOf(incident),
        incident,
      }),
    [INCIDENT_ACTION.timeline]: (incident) => buildTimelineModal({ incident }),
    [INCIDENT_ACTION.why]: (incident) => buildWhyModal({ incident }),
    [INCIDENT_ACTION.factor]: (incident) => buildFactorModal({ incident }),
    [INCIDENT_ACTION.learned]: (incident) => buildLearnedModal({ incident }),
    [INCIDENT_ACTION.finding]: (incident) => buildFindingModal({ incident }),
    [INCIDENT_ACTION.tags]: async (incident) =>
      buildTagsModal({ incident, workspaceTags: await tagsOf(incident) }),
    [INCIDENT_ACTION.complete]: (incident) =>
      buildCompleteModal({ incident, gate: checkIntegrationGate(incident) }),
  };
  for (const [actionId, build] of Object.entries(opens)) {
    app.action<BlockAction>(
      actionId,
      guarded(deps, actionId, async (args) => {
        const incident = await deps.incidents.getRecord(buttonValue(args));
        if (incident.status === "complete") {
          await answerClick(args, deps.notifier, md`This COE is complete, so its analysis is closed.`);
          return;
        }
        await args.client.views.open({ trigger_id: args.body.trigger_id, view: await build(incident) });
      }),
    );
  }

  app.action<BlockAction>(
    INCIDENT_ACTION.export,
    guarded(deps, INCIDENT_ACTION.export, async (args) => {
      await deps.incidents.exportMarkdown(buttonValue(args));
    }),
  );
}
