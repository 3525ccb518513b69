import type { Logger } from "pino";
import { isDatabaseBusy, isDomainError } from "../shared/errors.js";
import { noteRequestOutcome } from "../shared/request-context.js";
import { RoleRefusal } from "../teams/roles.js";
import { channelLink, joinMd, type Mrkdwn, md, mention } from "./blocks/mrkdwn.js";
import {
  ACTION_ITEM_VIEW,
  DEVIATION_VIEW,
  HAT_VIEW,
  INCIDENT_VIEW,
  LEARN_VIEW,
  MECH_BLOCK,
  PEOPLE_VIEW,
  VIEW,
} from "./ids.js";
import { EXTEND_FIELDS } from "./parsers/action-item-forms.js";
import { DECISION_FIELDS } from "./parsers/decision-form.js";
import { DEVIATION_FIELDS } from "./parsers/deviation-form.js";
import { HAT_CASE_FIELDS } from "./parsers/hat-case.js";
import { FINDING_FIELDS, WHY_FIELDS } from "./parsers/incident-forms.js";
import { SCHEDULE_FIELDS } from "./parsers/learning-forms.js";
import { QUIET_DAY_FIELDS } from "./parsers/people.js";
import { SETTINGS_FIELDS } from "./parsers/settings.js";

export const APOLOGY = md`Sorry — something went wrong on our side. It has been logged; please try again in a moment.`;
/** Another process held the (SQLite) database past Ratchet's short wait: nothing is broken, just try again. */
const BUSY_APOLOGY = md`Ratchet's database is busy — try again in a moment.`;
/** A modal could not open because Slack's trigger was spent or too old (it lives 3 seconds). */
export const TRIGGER_EXPIRED = md`Slack's moment to open that form passed before Ratchet could answer — please try again.`;

const TRIGGER_CODES = new Set(["expired_trigger_id", "invalid_trigger_id", "trigger_exchanged"]);
/** Slack's answer when views.open came too late or with a trigger it doesn't know: not our bug. */
function triggerProblem(err: unknown): string | null {
  const code = (err as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === "string" && TRIGGER_CODES.has(code) ? code : null;
}

/**
 * A domain error's sentence as mrkdwn. Domain messages quote what people typed ("No mechanism matches
 * “…”"), so the whole sentence is escaped; the channels the error names (as data, never parsed out of
 * the text) follow it as channel links.
 */
export function domainText(message: string, channels: readonly string[] = []): Mrkdwn {
  if (channels.length === 0) return md`${message}`;
  return md`${message} ${joinMd(channels.map(channelLink), ", ")}.`;
}

/**
 * The one place errors become words. A DomainError carries a message written for
 * the user; a busy database and a trigger Slack no longer accepts get their own one-line answers;
 * anything else is logged with its context and the user gets an apology.
 */
export function userMessage(err: unknown, log: Logger, context: Record<string, unknown>): Mrkdwn {
  // The request metrics count a refusal apart from a failure: one is the product working.
  if (isDomainError(err)) {
    noteRequestOutcome("rejected");
    // A role refusal names people as data: mentioned, while its text stays escaped.
    if (err instanceof RoleRefusal) {
      return joinMd(
        err.parts.map((p) => (typeof p === "string" ? md`${p}` : mention(p.user))),
        "",
      );
    }
    return domainText(err.message, err.channels);
  }
  noteRequestOutcome("error");
  if (isDatabaseBusy(err)) {
    log.warn({ err, ...context }, "database busy; asked the person to try again");
    return BUSY_APOLOGY;
  }
  const trigger = triggerProblem(err);
  if (trigger) {
    log.warn({ code: trigger, ...context }, "a modal could not open; asked the person to try again");
    return TRIGGER_EXPIRED;
  }
  log.error({ err, ...context }, "unexpected error in a Slack listener");
  return APOLOGY;
}

/**
 * Per form (by callback_id): the domain fields its service's errors name → the input blocks that hold
 * them. The domain speaks of "dueDate"; only Slack knows it is typed into `incident_finding_due`.
 */
const FORM_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [DEVIATION_VIEW.log]: DEVIATION_FIELDS,
  [HAT_VIEW.case]: HAT_CASE_FIELDS,
  [INCIDENT_VIEW.why]: WHY_FIELDS,
  [INCIDENT_VIEW.finding]: FINDING_FIELDS,
  [ACTION_ITEM_VIEW.extend]: EXTEND_FIELDS,
  [VIEW.settings]: SETTINGS_FIELDS,
  [VIEW.review]: DECISION_FIELDS,
  [VIEW.mechanism]: { ruleChangeReason: MECH_BLOCK.ruleChangeReason },
  [VIEW.logDecision]: DECISION_FIELDS,
  [LEARN_VIEW.schedule]: SCHEDULE_FIELDS,
  [PEOPLE_VIEW.quietDays]: QUIET_DAY_FIELDS,
};

/**
 * Inline modal errors for a failed submission: on the input holding the error's field (looked up for
 * the form `context.view`), else `fallbackBlock`. Slack shows these as plain text (no mentions or
 * links), so the domain's own sentence is used as it is.
 */
export function viewErrors(
  err: unknown,
  fallbackBlock: string,
  log: Logger,
  context: { view: string } & Record<string, unknown>,
): Record<string, string> {
  const message = isDomainError(err) ? err.message : userMessage(err, log, context).text;
  const field = isDomainError(err) ? err.field : undefined;
  const block = (field && FORM_FIELDS[context.view]?.[field]) || fallbackBlock;
  return { [block]: message.slice(0, 150) };
}
