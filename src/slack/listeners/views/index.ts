import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import * as actionItem from "./action-item-forms.js";
import * as debrief from "./debrief-forms.js";
import * as deviation from "./deviation-forms.js";
import * as floor from "./floor-forms.js";
import * as guardrailBreach from "./guardrail-breach-form.js";
import * as hatCase from "./hat-case-form.js";
import * as incidentAnalysis from "./incident-analysis-forms.js";
import * as incidentComplete from "./incident-complete-form.js";
import * as incidentIntake from "./incident-intake-form.js";
import * as learning from "./learning-forms.js";
import * as logDecision from "./log-decision-form.js";
import * as mechanism from "./mechanism-form.js";
import * as people from "./people-forms.js";
import * as quarter from "./quarter-forms.js";
import * as review from "./review-form.js";
import * as settings from "./settings-form.js";
import * as wbr from "./wbr-forms.js";
import * as wbrReadings from "./wbr-readings-form.js";
import * as wbrSettings from "./wbr-settings-form.js";

/** Every modal's submission. */
export function register(app: App, deps: SlackDeps): void {
  hatCase.register(app, deps);
  const forms = [settings, mechanism, review, logDecision, deviation, debrief, actionItem, learning];
  for (const l of [
    ...forms,
    incidentIntake,
    incidentAnalysis,
    incidentComplete,
    guardrailBreach,
    floor,
    quarter,
  ])
    l.register(app, deps);
  for (const l of [wbr, wbrReadings, wbrSettings]) l.register(app, deps);
  people.register(app, deps);
}
