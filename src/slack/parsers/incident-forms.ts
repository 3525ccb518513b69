import { z } from "zod";
import type { FindingInput, IncidentDetails, NewFactor, NewWhy } from "../../incidents/incident.js";
import { ACTION_ITEM_KINDS, SEVERITIES } from "../../incidents/incident.js";
import { checkIncidentTimes, isTicketUrl, splitTags, type TimeField } from "../../incidents/intake-rules.js";
import { normaliseTag } from "../../incidents/similarity.js";
import {
  type ActionItemKind,
  FACTOR_CATEGORIES,
  type FactorCategory,
  type Severity,
} from "../../incidents/types.js";
import { CONFIRM_VALUE, FINDING_DISPOSITION, ROOT_CAUSE_VALUE, WHY_ROOT } from "../blocks/incident.js";
import { INCIDENT_BLOCK as B } from "../ids.js";
import type { ParseResult } from "./team-setup.js";
import { readAll, readValue, readValues, type StateValues } from "./view-state.js";
import { toBlockErrors } from "./zod-errors.js";

/** The service's domain fields (its DomainError.field) → the Why form's inputs. */
export const WHY_FIELDS = { parentId: B.whyParent } as const;

/** The service's domain fields → the Finding form's inputs (an action item's owner and due date). */
export const FINDING_FIELDS = {
  findingId: B.findingExisting,
  notedReason: B.findingNotedReason,
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

export function parseWhyForm(values: StateValues): ParseResult<NewWhy> {
  const errors: Errors = {};
  const parent = readValue(values, B.whyParent);
  if (parent === null) errors[B.whyParent] = "Pick what this answers.";
  const text = required(values, B.whyText, "Write the answer to “why?”.", errors);
  const rootCause = readValues(values, B.whyRootCause).includes(ROOT_CAUSE_VALUE);
  return result(errors, () => ({ parentId: parent === WHY_ROOT ? null : parent, text, rootCause }));
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

const FINDING_INPUTS = [
  B.findingExisting,
  B.findingText,
  B.findingDisposition,
  B.findingNotedReason,
  B.findingOwner,
  B.findingDue,
  B.findingKind,
  B.findingTicket,
] as const;

const optional = z.string().nullable();

/**
 * The Finding form's rules, each problem at its input: a new finding or an existing one (not both);
 * noted with no action needs a reason and no action item; an action item's owner and due date come
 * together or not at all, and completing an existing finding needs both.
 */
const findingSchema = z
  .object({
    [B.findingExisting]: optional,
    [B.findingText]: optional,
    [B.findingDisposition]: z.enum([FINDING_DISPOSITION.action, FINDING_DISPOSITION.noted]).nullable(),
    [B.findingNotedReason]: z
      .string()
      .max(500, { error: "Keep the reason under 500 characters." })
      .nullable(),
    [B.findingOwner]: optional,
    [B.findingDue]: optional,
    [B.findingKind]: z.enum(ACTION_ITEM_KINDS as [ActionItemKind, ...ActionItemKind[]], {
      error: "Pick detect, mitigate or prevent.",
    }),
    [B.findingTicket]: optional.refine((url) => url === null || isTicketUrl(url), {
      error: "Use a full link starting with https:// (or http://).",
    }),
  })
  .superRefine((v, ctx) => {
    const problem = (block: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [block], message });
    const existing = v[B.findingExisting];
    const text = v[B.findingText];
    const owner = v[B.findingOwner];
    const due = v[B.findingDue];
    if (existing === null && text === null)
      problem(B.findingText, "Write the finding, or pick one to complete.");
    if (existing !== null && text !== null) {
      problem(B.findingText, "Either complete the finding you picked or write a new one — not both.");
    }
    if (v[B.findingDisposition] === FINDING_DISPOSITION.noted) {
      if (v[B.findingNotedReason] === null) {
        problem(B.findingNotedReason, "Say why this finding needs no action: it is what readers will trust.");
      }
      if (owner !== null || due !== null) {
        problem(
          B.findingOwner,
          "A finding noted with no action has no owner or due date: clear them, or pick “Needs an action item”.",
        );
      }
      return;
    }
    if (owner && !due) problem(B.findingDue, "Give a due date too — or leave owner and date blank for now.");
    if (due && !owner) problem(B.findingOwner, "Who owns it? Or leave owner and date blank for now.");
    if (existing !== null && !owner && !due) {
      problem(
        B.findingOwner,
        "To complete a finding, give its action item an owner and a due date — or note it with no action.",
      );
    }
  });

/**
 * A finding with its action item, without one yet, or noted with no action and the reason why. The
 * due date's "not in the past" is checked by the service, in the owner's time zone.
 */
export function parseFindingForm(values: StateValues): ParseResult<FindingInput> {
  const raw = readAll(values, FINDING_INPUTS);
  const parsed = findingSchema.safeParse({ ...raw, [B.findingKind]: raw[B.findingKind] ?? "prevent" });
  if (!parsed.success) return { ok: false, errors: toBlockErrors(parsed.error) };
  const v = parsed.data;
  const noted = v[B.findingDisposition] === FINDING_DISPOSITION.noted;
  const ownerId = v[B.findingOwner];
  const dueDate = v[B.findingDue];
  return {
    ok: true,
    value: {
      findingId: v[B.findingExisting],
      text: v[B.findingText] ?? "",
      action:
        !noted && ownerId && dueDate
          ? { ownerId, dueDate, kind: v[B.findingKind], ticketUrl: v[B.findingTicket] }
          : null,
      notedReason: noted ? v[B.findingNotedReason] : null,
    },
  };
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
