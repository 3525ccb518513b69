import type { FindingInput, IncidentDetails, NewFactor } from "../../incidents/incident.js";
import { ACTION_ITEM_KINDS, SEVERITIES } from "../../incidents/incident.js";
import { checkIncidentTimes, isTicketUrl, splitTags, type TimeField } from "../../incidents/intake-rules.js";
import { normaliseTag } from "../../incidents/similarity.js";
import {
  type ActionItemKind,
  FACTOR_CATEGORIES,
  type FactorCategory,
  type Severity,
} from "../../incidents/types.js";
import { CONFIRM_VALUE, WHY_ROOT } from "../blocks/incident.js";
import { INCIDENT_BLOCK as B } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readValue, readValues, type StateValues } from "./view-state.js";

/** The service's domain fields (its DomainError.field) → the Why form's inputs. */
export const WHY_FIELDS = { parentId: B.whyParent } as const;

/** The service's domain fields → the Finding form's inputs (an action item's owner and due date). */
export const FINDING_FIELDS = {
  findingId: B.findingExisting,
  ownerId: B.findingOwner,
  dueDate: B.findingDue,
} as const;

type Errors = Record<string, string>;
const result = <T>(errors: Errors, value: () => T): ParseResult<T> =>
  Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value() };

/** A datetimepicker's unix seconds as an instant; null when empty. */
function readInstant(values: StateValues, blockId: string): Date | null {
  const raw = readValue(values, blockId);
  if (raw === null) return null;
  const seconds = Number(raw);
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

const required = (values: StateValues, blockId: string, message: string, errors: Errors): string => {
  const v = readValue(values, blockId);
  if (v === null) errors[blockId] = message;
  return v ?? "";
};

const MAX_TAG = 40;
const MAX_TAGS = 10;

/** Picked tags plus typed ones, normalised ("#Config Management" → "config-management"). */
function parseTags(values: StateValues, errors: Errors): string[] {
  const typed = splitTags(readValue(values, B.newTags) ?? "").map(normaliseTag);
  const tags = [...new Set([...readValues(values, B.tags), ...typed].filter((t) => t !== ""))];
  if (tags.some((t) => t.length > MAX_TAG)) errors[B.newTags] = `Keep each tag under ${MAX_TAG} characters.`;
  else if (tags.length > MAX_TAGS)
    errors[B.newTags] = `Up to ${MAX_TAGS} tags, please: name the failure modes.`;
  return tags;
}

const TIME_BLOCKS: Record<TimeField, string> = {
  startedAt: B.startedAt,
  detectedAt: B.detectedAt,
  mitigatedAt: B.mitigatedAt,
  resolvedAt: B.resolvedAt,
};

/** The intake form; `now` decides what is "in the future". */
export function parseIntakeForm(values: StateValues, now: Date): ParseResult<IncidentDetails> {
  const errors: Errors = {};
  const title = required(values, B.title, "Give the incident a title.", errors);
  const severity = readValue(values, B.severity);
  if (!SEVERITIES.includes(severity as Severity)) errors[B.severity] = "Pick a severity.";
  const impact = required(values, B.impact, "Describe the customer impact (or write “none”).", errors);
  const times = {
    startedAt: readInstant(values, B.startedAt),
    detectedAt: readInstant(values, B.detectedAt),
    mitigatedAt: readInstant(values, B.mitigatedAt),
    resolvedAt: readInstant(values, B.resolvedAt),
  };
  for (const [field, message] of Object.entries(checkIncidentTimes(times, now))) {
    errors[TIME_BLOCKS[field as TimeField]] = message;
  }
  const tags = parseTags(values, errors);
  return result(errors, () => ({
    title,
    severity: severity as Severity,
    impact,
    description: readValue(values, B.description) ?? "",
    startedAt: times.startedAt as Date,
    detectedAt: times.detectedAt as Date,
    mitigatedAt: times.mitigatedAt,
    resolvedAt: times.resolvedAt,
    howNoticed: readValue(values, B.howNoticed) ?? "",
    howMitigated: readValue(values, B.howMitigated) ?? "",
    tags,
  }));
}

export function parseTimelineForm(values: StateValues, now: Date): ParseResult<{ at: Date; text: string }> {
  const errors: Errors = {};
  const at = readInstant(values, B.timelineAt);
  if (!at) errors[B.timelineAt] = "When did it happen?";
  else if (at.getTime() > now.getTime() + 60_000) errors[B.timelineAt] = "That time is in the future.";
  const text = required(values, B.timelineText, "What happened at that time?", errors);
  return result(errors, () => ({ at: at as Date, text }));
}

export function parseWhyForm(values: StateValues): ParseResult<{ parentId: string | null; text: string }> {
  const errors: Errors = {};
  const parent = readValue(values, B.whyParent);
  if (parent === null) errors[B.whyParent] = "Pick what this answers.";
  const text = required(values, B.whyText, "Write the answer to “why?”.", errors);
  return result(errors, () => ({ parentId: parent === WHY_ROOT ? null : parent, text }));
}

export function parseFactorForm(values: StateValues): ParseResult<NewFactor> {
  const errors: Errors = {};
  const category = readValue(values, B.factorCategory);
  if (!FACTOR_CATEGORIES.includes(category as FactorCategory)) {
    errors[B.factorCategory] = "Pick technical, process or organisational.";
  }
  const text = required(values, B.factorText, "Describe the factor.", errors);
  return result(errors, () => ({ category: category as FactorCategory, text }));
}

export function parseLearnedForm(values: StateValues): ParseResult<string> {
  const errors: Errors = {};
  const learned = required(values, B.learned, "Write what the team learned.", errors);
  return result(errors, () => learned);
}

/**
 * A finding, optionally with its action item: owner and due date come together or not at all, and
 * completing an existing finding needs both. The due date's "not in the past" is checked by the
 * service, in the owner's time zone.
 */
export function parseFindingForm(values: StateValues): ParseResult<FindingInput> {
  const errors: Errors = {};
  const findingId = readValue(values, B.findingExisting);
  const text = readValue(values, B.findingText) ?? "";
  if (findingId === null && text === "")
    errors[B.findingText] = "Write the finding, or pick one to complete.";
  if (findingId !== null && text !== "") {
    errors[B.findingText] = "Either complete the finding you picked or write a new one — not both.";
  }
  const ownerId = readValue(values, B.findingOwner);
  const dueDate = readValue(values, B.findingDue);
  if (ownerId && !dueDate)
    errors[B.findingDue] = "Give a due date too — or leave owner and date blank for now.";
  if (dueDate && !ownerId) errors[B.findingOwner] = "Who owns it? Or leave owner and date blank for now.";
  if (findingId !== null && !ownerId && !dueDate) {
    errors[B.findingOwner] = "To complete a finding, give its action item an owner and a due date.";
  }
  const kind = readValue(values, B.findingKind) ?? "prevent";
  if (!ACTION_ITEM_KINDS.includes(kind as ActionItemKind))
    errors[B.findingKind] = "Pick detect, mitigate or prevent.";
  const ticketUrl = readValue(values, B.findingTicket);
  if (ticketUrl !== null && !isTicketUrl(ticketUrl)) {
    errors[B.findingTicket] = "Use a full link starting with https:// (or http://).";
  }
  return result(errors, () => ({
    findingId,
    text,
    action:
      ownerId && dueDate
        ? { ownerId, dueDate, kind: kind as ActionItemKind, ticketUrl: ticketUrl ?? null }
        : null,
  }));
}

export function parseTagsForm(values: StateValues): ParseResult<string[]> {
  const errors: Errors = {};
  const tags = parseTags(values, errors);
  return result(errors, () => tags);
}

export function parseCompleteForm(values: StateValues): ParseResult<true> {
  const errors: Errors = {};
  if (!readValues(values, B.completeConfirm).includes(CONFIRM_VALUE)) {
    errors[B.completeConfirm] = "Tick the box once the team has reviewed the COE.";
  }
  return result(errors, () => true as const);
}
