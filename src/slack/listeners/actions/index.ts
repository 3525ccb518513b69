import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as actionItem from "./action-item-buttons.js";
import * as alarm from "./alarm-buttons.js";
import * as debrief from "./debrief-buttons.js";
import * as deviation from "./deviation-buttons.js";
import * as guardrailBreach from "./guardrail-breach-buttons.js";
import * as incident from "./incident-buttons.js";
import * as incidentExport from "./incident-export.js";
import * as mechanism from "./mechanism-buttons.js";
import * as signalSlots from "./mechanism-signal-slots.js";
import * as readings from "./review-readings.js";

/** Every button and live input, on messages and in modals. */
export function register(app: App, deps: SlackDeps): void {
  for (const l of [
    mechanism,
    signalSlots,
    readings,
    deviation,
    debrief,
    alarm,
    incident,
    incidentExport,
    actionItem,
    guardrailBreach,
  ]) {
    l.register(app, deps);
  }
}
