import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as actionItem from "./action-item-buttons.js";
import * as alarm from "./alarm-buttons.js";
import * as audit from "./audit-buttons.js";
import * as debrief from "./debrief-buttons.js";
import * as deviation from "./deviation-buttons.js";
import * as floor from "./floor-buttons.js";
import * as guardrailBreach from "./guardrail-breach-buttons.js";
import * as hatCase from "./hat-case-buttons.js";
import * as home from "./home-buttons.js";
import * as incident from "./incident-buttons.js";
import * as incidentExport from "./incident-export.js";
import * as learning from "./learning-buttons.js";
import * as mechanism from "./mechanism-buttons.js";
import * as signalSlots from "./mechanism-signal-slots.js";
import * as people from "./people-buttons.js";
import * as quarter from "./quarter-buttons.js";
import * as readings from "./review-readings.js";
import * as wbr from "./wbr-buttons.js";

/** Every button and live input, on messages and in modals. */
export function register(app: App, deps: SlackDeps): void {
  hatCase.register(app, deps);
  const messages = [mechanism, signalSlots, readings, deviation, floor, debrief, alarm, incident];
  const more = [incidentExport, actionItem, guardrailBreach, wbr, learning, quarter, home, people, audit];
  for (const l of [...messages, ...more]) l.register(app, deps);
}
