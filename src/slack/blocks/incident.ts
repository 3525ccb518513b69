import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { CoeOverdue } from "../../incidents/coe-depth.js";
import type { StoredIncident } from "../../incidents/incident.js";
import {
  checkIntegrationGate,
  countFindings,
  type IntegrationGateResult,
} from "../../incidents/integration-gate.js";
import type { ActionStatus, SimilarIncident } from "../../incidents/similarity.js";
import {
  FACTOR_CATEGORIES,
  type FactorCategory,
  type Finding,
  type Severity,
} from "../../incidents/types.js";
import { buildWhyTree, flattenWhyTree, type WhyNode } from "../../incidents/why-tree.js";
import { localDate, localLabel } from "../../shared/time-format.js";
import { AUDIT_ACTION, INCIDENT_ACTION, INCIDENT_BLOCK, INCIDENT_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import {
  actions,
  button,
  context,
  datepicker,
  divider,
  header,
  message,
  modal,
  option,
  plain,
  radio,
  section,
  staticSelect,
  textInput,
  usersSelect,
} from "./kit.js";
import { channelLink, clip, clipMd, joinMd, link, literal, type Mrkdwn, md, slackDate } from "./mrkdwn.js";

/** Rides in every incident modal's private_metadata. */
export interface IncidentModalMeta {
  teamId: string;
  /** Set when editing an existing incident (or analysing one). */
  incidentId: string | null;
  /** The message a COE was started from, via the message shortcut. */
  sourceLink: string | null;
}

const SEVERITY_LABEL: Record<Severity, string> = {
  sev1: "SEV1 — critical, customers broadly affected",
  sev2: "SEV2 — major, many customers affected",
  sev3: "SEV3 — minor, some customers affected",
  sev4: "SEV4 — low, little or no customer impact",
};
const SEVERITY_EMOJI: Record<Severity, string> = { sev1: "🔴", sev2: "🟠", sev3: "🟡", sev4: "🔵" };
const CATEGORY_LABEL: Record<FactorCategory, string> = {
  technical: "Technical",
  process: "Process",
  organisational: "Organisational",
};
const KIND_LABEL = { detect: "🔎 detect", mitigate: "🩹 mitigate", prevent: "🛡️ prevent" } as const;
const STATUS_LABEL = { open: "open", done: "✅ done", not_doing: "🚫 not doing" } as const;

/** The "because of" value for a why that answers the incident itself. */
export const WHY_ROOT = "incident";
export const CONFIRM_VALUE = "confirmed";
/** The Why form's checkbox: this answer is a root cause. */
export const ROOT_CAUSE_VALUE = "root_cause";
/** The Finding form's two ways to settle a finding. */
export const FINDING_DISPOSITION = { action: "action", noted: "noted" } as const;
/** Every section stays well inside Slack's 3,000 characters, with room for the heading. */
const SECTION_BODY = 2800;

const input = (
  blockId: string,
  label: string,
  element: InputBlock["element"],
  optional = false,
): InputBlock => ({
  type: "input",
  block_id: blockId,
  label: plain(label, 2000),
  element,
  optional,
});

/** Slack renders <!date…> in each reader's own time zone; the fallback is the reporter's. */
const slackTime = (at: Date, tz: string): Mrkdwn =>
  slackDate(at, "{date_short_pretty} {time}", localLabel(at, tz));

// Slack strips leading ASCII spaces from message lines, so indentation uses em spaces.
const INDENT = "\u2003\u2003";

/** The incident's audit log (src/audit/), in a modal. */
const historyButton = (id: string) =>
  button("History", AUDIT_ACTION.history, JSON.stringify({ t: "incident", id }));

/** Indented mrkdwn, one line per why: "*Why 1* …", then "↳ *Why 1.1* …" nested under it. */

export function whyTreeText(tree: readonly WhyNode[]): Mrkdwn {
  return joinMd(
    flattenWhyTree(tree).map((node) => {
      const prefix = node.depth === 1 ? "" : `${INDENT.repeat(node.depth - 1)}↳ `;
      const mark = node.rootCause ? md` 🎯 _root cause_` : "";
      return md`${prefix}*Why ${node.label}* ${oneLine(node.text)}${mark}`;
    }),
    "\n",
  );
}

const sinceStart = (from: Date, to: Date): string => {
  const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
  if (minutes < 60) return `+${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `+${hours} h ${minutes % 60} min` : `+${Math.floor(hours / 24)} d`;
};

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();

/** Numbered findings, "1. …", as the gate's messages number them. */
const findingLabel = (f: Finding, i: number): string => `${i + 1}. ${oneLine(f.text)}`;

// ---- modals -------------------------------------------------------------------------------------

const datetime = (blockId: string, label: string, at: Date | null, optional: boolean): InputBlock =>
  input(
    blockId,
    label,
    {
      type: "datetimepicker",
      action_id: blockId,
      ...(at ? { initial_date_time: Math.floor(at.getTime() / 1000) } : {}),
    },
    optional,
  );

const tagSelect = (tags: readonly string[], selected: readonly string[]): InputBlock[] => {
  if (tags.length === 0) return [];
  const options = tags.slice(0, 100).map((t) => option(`#${t}`, t));
  const initial = options.filter((o) => selected.includes(o.value ?? ""));
  return [
    input(
      INCIDENT_BLOCK.tags,
      "Tags",
      {
        type: "multi_static_select",
        action_id: INCIDENT_BLOCK.tags,
        options,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
      true,
    ),
  ];
};

const newTagsInput = (hasTags: boolean) =>
  textInput(INCIDENT_BLOCK.newTags, hasTags ? "New tags, comma separated" : "Tags, comma separated", {
    optional: true,
    maxLength: 300,
    placeholder: "config, auth-failure",
    hint: "Name the failure mode, so the next incident like this one finds this COE.",
  });

/** Intake (and "Edit details"): what happened, how bad, and when. */
export function buildIntakeModal(o: {
  meta: IncidentModalMeta;
  workspaceTags: readonly string[];
  incident?: StoredIncident | null;
  prefillDescription?: string;
}): ModalView {
  const i = o.incident ?? null;
  const blocks: KnownBlock[] = [];
  if (o.meta.sourceLink) blocks.push(context(md`Started from ${link(o.meta.sourceLink, "this message")}.`));
  blocks.push(
    textInput(INCIDENT_BLOCK.title, "Title", {
      maxLength: 140,
      initial: i?.title ?? null,
      placeholder: "Checkout timeouts: connection pool exhausted",
    }),
    staticSelect(
      INCIDENT_BLOCK.severity,
      "Severity",
      (Object.keys(SEVERITY_LABEL) as Severity[]).map((s) => option(SEVERITY_LABEL[s], s)),
      { initial: i?.severity ?? null },
    ),
    textInput(INCIDENT_BLOCK.impact, "Customer impact", {
      multiline: true,
      maxLength: 1000,
      initial: i?.impact ?? null,
      placeholder: "Who was affected, how, and for how long?",
    }),
    textInput(INCIDENT_BLOCK.description, "What happened", {
      optional: true,
      multiline: true,
      maxLength: 3000,
      initial: i?.description ?? (o.prefillDescription ? clip(o.prefillDescription, 3000) : null),
    }),
    datetime(INCIDENT_BLOCK.startedAt, "Started", i?.startedAt ?? null, false),
    datetime(INCIDENT_BLOCK.detectedAt, "Detected", i?.detectedAt ?? null, false),
    datetime(INCIDENT_BLOCK.mitigatedAt, "Mitigated", i?.mitigatedAt ?? null, true),
    datetime(INCIDENT_BLOCK.resolvedAt, "Resolved", i?.resolvedAt ?? null, true),
    textInput(INCIDENT_BLOCK.howNoticed, "How was it noticed?", {
      optional: true,
      multiline: true,
      maxLength: 1000,
      initial: i?.howNoticed ?? null,
      placeholder: "An alarm? A customer? Someone happened to look?",
    }),
    textInput(INCIDENT_BLOCK.howMitigated, "How was it mitigated?", {
      optional: true,
      multiline: true,
      maxLength: 1000,
      initial: i?.howMitigated ?? null,
    }),
    ...tagSelect(o.workspaceTags, i?.tags ?? []),
    newTagsInput(o.workspaceTags.length > 0),
  );
  return modal({
    callbackId: INCIDENT_VIEW.intake,
    title: i ? "Edit incident" : "Start a COE",
    submit: i ? "Save" : "Record incident",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

const analysisModal = (o: {
  callbackId: string;
  title: string;
  /** no submit: a modal that only tells (nothing to confirm yet) */
  submit?: string;
  close?: string;
  incident: StoredIncident;
  blocks: KnownBlock[];
}): ModalView =>
  modal({
    callbackId: o.callbackId,
    title: o.title,
    ...(o.submit ? { submit: o.submit } : {}),
    ...(o.close ? { close: o.close } : {}),
    blocks: [context(md`*${oneLine(o.incident.title)}*`), ...o.blocks],
    privateMetadata: JSON.stringify({ incidentId: o.incident.id }),
  });

export function buildTimelineModal(o: { incident: StoredIncident }): ModalView {
  return analysisModal({
    callbackId: INCIDENT_VIEW.timeline,
    title: "Timeline entry",
    submit: "Add",
    incident: o.incident,
    blocks: [
      datetime(INCIDENT_BLOCK.timelineAt, "When", null, false),
      textInput(INCIDENT_BLOCK.timelineText, "What happened then", { multiline: true, maxLength: 500 }),
    ],
  });
}

/** "Because of" lists every existing why by its path number, so an answer can branch or go deeper. */
export function buildWhyModal(o: { incident: StoredIncident }): ModalView {
  const nodes = flattenWhyTree(buildWhyTree(o.incident.whys));
  const options: PlainTextOption[] = [
    option("The incident itself (a new top-level why)", WHY_ROOT),
    // "Why 1.2 …" as the message and the tree above call it, not a bare "1.2 …".
    ...nodes.slice(0, 99).map((n) => option(`Why ${n.label}: ${oneLine(n.text)}`, n.id)),
  ];
  const blocks: KnownBlock[] = [];
  if (nodes.length > 0)
    blocks.push(section(clipMd(whyTreeText(buildWhyTree(o.incident.whys)), SECTION_BODY)));
  blocks.push(
    staticSelect(INCIDENT_BLOCK.whyParent, "Because of", options, { initial: WHY_ROOT }),
    textInput(INCIDENT_BLOCK.whyText, "Why did that happen?", {
      multiline: true,
      maxLength: 500,
      hint: "Several causes? Add each as its own why under the same parent — branches are the point.",
    }),
    input(
      INCIDENT_BLOCK.whyRootCause,
      "Root cause?",
      {
        type: "checkboxes",
        action_id: INCIDENT_BLOCK.whyRootCause,
        options: [option("This answer is a root cause: the place to stop asking “why?”", ROOT_CAUSE_VALUE)],
      },
      true,
    ),
  );
  return analysisModal({
    callbackId: INCIDENT_VIEW.why,
    title: "Add a why",
    submit: "Add",
    incident: o.incident,
    blocks,
  });
}

export function buildFactorModal(o: { incident: StoredIncident }): ModalView {
  return analysisModal({
    callbackId: INCIDENT_VIEW.factor,
    title: "Contributing factor",
    submit: "Add",
    incident: o.incident,
    blocks: [
      radio(
        INCIDENT_BLOCK.factorCategory,
        "Category",
        FACTOR_CATEGORIES.map((c) => option(CATEGORY_LABEL[c], c)),
      ),
      textInput(INCIDENT_BLOCK.factorText, "Factor", {
        multiline: true,
        maxLength: 500,
        placeholder: "Pool size is set by hand and never revisited",
      }),
    ],
  });
}

export function buildLearnedModal(o: { incident: StoredIncident }): ModalView {
  return analysisModal({
    callbackId: INCIDENT_VIEW.learned,
    title: "What we learned",
    submit: "Save",
    incident: o.incident,
    blocks: [
      textInput(INCIDENT_BLOCK.learned, "What we learned", {
        multiline: true,
        maxLength: 2500,
        initial: o.incident.learned || null,
      }),
    ],
  });
}

/** A finding unsettled yet: no action item, and not noted with no action. */
const unsettled = (f: Finding): boolean => f.actionItem === null && f.notedReason === null;

/**
 * A finding and its action item, or noted with no action and why (not every finding needs a ticket);
 * findings still unsettled can be completed here too.
 */
export function buildFindingModal(o: { incident: StoredIncident }): ModalView {
  const incomplete = o.incident.findings.map((f, i) => ({ f, i })).filter(({ f }) => unsettled(f));
  // The new finding first and the "or" after it: an "Or …" above the thing it is an alternative to
  // read backwards (issue 11).
  const blocks: KnownBlock[] = [
    textInput(INCIDENT_BLOCK.findingText, incomplete.length > 0 ? "New finding" : "Finding", {
      optional: incomplete.length > 0,
      multiline: true,
      maxLength: 500,
      placeholder: "Pool size is static infrastructure-as-code",
    }),
  ];
  if (incomplete.length > 0) {
    blocks.push(
      staticSelect(
        INCIDENT_BLOCK.findingExisting,
        "…or give an earlier finding its action item",
        incomplete.slice(0, 100).map(({ f, i }) => option(findingLabel(f, i), f.id)),
        { optional: true },
      ),
    );
  }
  blocks.push(
    radio(
      INCIDENT_BLOCK.findingDisposition,
      "What does it need?",
      [
        option("Needs an action item", FINDING_DISPOSITION.action),
        option("Noted, no action", FINDING_DISPOSITION.noted),
      ],
      { initial: FINDING_DISPOSITION.action },
    ),
    textInput(INCIDENT_BLOCK.findingNotedReason, "Why no action? (when noted)", {
      optional: true,
      multiline: true,
      maxLength: 500,
      placeholder: "Low impact, and the new pool alarm already covers it",
      hint: "Only the high-impact, feasible findings need tickets; say why this one doesn't.",
    }),
    usersSelect(INCIDENT_BLOCK.findingOwner, "Action item owner", { optional: true }),
    datepicker(INCIDENT_BLOCK.findingDue, "Due", {
      optional: true,
      hint: "Owner and due date together make it an action item; leave both blank to add them later.",
    }),
    radio(
      INCIDENT_BLOCK.findingKind,
      "Kind",
      [
        option("Detect — find out sooner", "detect"),
        option("Mitigate — recover faster", "mitigate"),
        option("Prevent — stop it happening", "prevent"),
      ],
      { initial: "prevent" },
    ),
    textInput(INCIDENT_BLOCK.findingTicket, "Ticket URL", {
      optional: true,
      maxLength: 500,
      placeholder: "https://tracker.example.com/OPS-123",
    }),
  );
  return analysisModal({
    callbackId: INCIDENT_VIEW.finding,
    title: "Finding → action item",
    submit: "Add",
    incident: o.incident,
    blocks,
  });
}

export function buildTagsModal(o: { incident: StoredIncident; workspaceTags: readonly string[] }): ModalView {
  const blocks: KnownBlock[] = [
    ...tagSelect(o.workspaceTags, o.incident.tags),
    newTagsInput(o.workspaceTags.length > 0),
  ];
  return analysisModal({
    callbackId: INCIDENT_VIEW.tags,
    title: "Tags",
    submit: "Save",
    incident: o.incident,
    blocks,
  });
}

/**
 * The integration gate. Ready: what completing means, and the confirm box. Not ready: only what is
 * missing and where to add it, with no box to tick and no Complete button — nobody should have to
 * confirm a review just to learn the COE isn't ready (issue 11).
 */
export function buildCompleteModal(o: { incident: StoredIncident; gate: IntegrationGateResult }): ModalView {
  if (!o.gate.ok) {
    return analysisModal({
      callbackId: INCIDENT_VIEW.complete,
      title: "Complete the COE",
      close: "Close",
      incident: o.incident,
      blocks: [
        section(
          md`*Not ready yet — still missing:*\n${clipMd(
            joinMd(
              o.gate.missing.map((m) => md`• ${m}`),
              "\n",
            ),
            SECTION_BODY,
          )}`,
        ),
        context(
          md`Add them with the buttons on the incident's message, then press *Mark COE complete* again. Not every finding needs a ticket: under *Add finding*, pick it and choose *Noted, no action* with the reason.`,
        ),
      ],
    });
  }
  return analysisModal({
    callbackId: INCIDENT_VIEW.complete,
    title: "Complete the COE",
    submit: "Complete",
    incident: o.incident,
    blocks: [
      o.incident.coeDepth === "light"
        ? section(
            md`The summary and the lesson are written; any action items are owned and dated. Completing the COE freezes it; the action items stay open until they ship.`,
          )
        : section(
            md`Every finding has an owned, dated action item${
              countFindings(o.incident).noted > 0 ? " or was noted with no action, and why" : ""
            }. Completing the COE freezes the analysis; the action items stay open until they ship.`,
          ),
      input(INCIDENT_BLOCK.completeConfirm, "Confirm", {
        type: "checkboxes",
        action_id: INCIDENT_BLOCK.completeConfirm,
        options: [option("We reviewed the whys, factors and action items together", CONFIRM_VALUE)],
      }),
    ],
  });
}

// ---- messages -----------------------------------------------------------------------------------

function timesLine(i: StoredIncident): Mrkdwn {
  const tz = i.reporterTz;
  const parts = [
    md`Started ${slackTime(i.startedAt, tz)}`,
    md`detected ${slackTime(i.detectedAt, tz)} (${sinceStart(i.startedAt, i.detectedAt)})`,
  ];
  if (i.mitigatedAt)
    parts.push(md`mitigated ${slackTime(i.mitigatedAt, tz)} (${sinceStart(i.startedAt, i.mitigatedAt)})`);
  if (i.resolvedAt)
    parts.push(md`resolved ${slackTime(i.resolvedAt, tz)} (${sinceStart(i.startedAt, i.resolvedAt)})`);
  return joinMd(parts, " · ");
}

function factorsText(i: StoredIncident): Mrkdwn {
  if (i.factors.length === 0)
    return md`_None yet — name the technical, process and organisational conditions that let this happen._`;
  return joinMd(
    FACTOR_CATEGORIES.flatMap((c) => {
      const list = i.factors.filter((f) => f.category === c);
      return list.length === 0
        ? []
        : [md`_${CATEGORY_LABEL[c]}_`, ...list.map((f) => md`• ${oneLine(f.text)}`)];
    }),
    "\n",
  );
}

/** "3 findings: 2 with action items, 1 noted with no action" — blank with none, or all with actions. */
function findingCountsText(i: Pick<StoredIncident, "findings">): string {
  const c = countFindings(i);
  if (c.total === 0 || c.withAction === c.total) return "";
  const parts = [`${c.withAction} with action item${c.withAction === 1 ? "" : "s"}`];
  if (c.noted > 0) parts.push(`${c.noted} noted with no action`);
  if (c.unsettled > 0) parts.push(`${c.unsettled} still to settle`);
  return `${c.total} finding${c.total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

function findingsText(i: StoredIncident): Mrkdwn {
  if (i.findings.length === 0) return md`_None yet — each finding becomes an owned, dated action item._`;
  const counts = findingCountsText(i);
  return joinMd([...(counts ? [md`_${counts}_`] : []), ...i.findings.map((f, n) => findingLine(f, n))], "\n");
}

function findingLine(f: Finding, n: number): Mrkdwn {
  const a = f.actionItem;
  const item = a
    ? joinMd(
        [
          KIND_LABEL[a.kind],
          md`owner ${user(a.ownerId)}`,
          `due ${a.dueDate ?? "?"}`,
          STATUS_LABEL[a.status],
          ...(a.ticketUrl ? [link(a.ticketUrl, "ticket")] : []),
        ],
        " · ",
      )
    : f.notedReason !== null
      ? md`📝 noted, no action — ${oneLine(f.notedReason)}`
      : md`⚠️ no action item yet (owner and due date), or note it with no action`;
  return md`*${n + 1}.* ${oneLine(f.text)}\n\u2003↳ ${item}`;
}

/** The incident's one message, updated in place on every change. */
export function buildIncidentMessage(o: { incident: StoredIncident }): SlackMessage {
  const i = o.incident;
  const complete = i.status === "complete";
  // A light COE (a severity the team doesn't deep-dive) is the same message with a shorter path:
  // summary, one lesson, optional action items; no whys or factors asked for.
  const light = i.coeDepth === "light";
  const body = (heading: string, text: Mrkdwn) => section(md`*${heading}*\n${clipMd(text, SECTION_BODY)}`);
  const blocks: KnownBlock[] = [
    header(`${complete ? "✅ COE complete" : "🚨 Incident"}: ${oneLine(i.title)}`),
    section(
      joinMd(
        [
          md`${SEVERITY_EMOJI[i.severity]} *${i.severity.toUpperCase()}*`,
          complete && i.completedAt
            ? md`completed ${slackTime(i.completedAt, i.reporterTz)}`
            : "analysis open",
          light ? "light COE: a summary and one lesson" : "full COE",
          md`reported by ${user(i.reporterId)}`,
          ...(i.sourceLink ? [link(i.sourceLink, "source message")] : []),
        ],
        " · ",
      ),
    ),
    context(timesLine(i)),
    body("Customer impact", i.impact ? md`${i.impact}` : md`_not recorded_`),
  ];
  if (i.description.trim()) blocks.push(body("What happened", md`${i.description}`));
  else if (light) blocks.push(body("What happened", md`_No summary yet — add it under *Edit details*._`));
  if (i.howNoticed.trim() || i.howMitigated.trim()) {
    const lines: Mrkdwn[] = [];
    if (i.howNoticed.trim()) lines.push(md`*How we noticed:* ${i.howNoticed}`);
    if (i.howMitigated.trim()) lines.push(md`*How we mitigated:* ${i.howMitigated}`);
    blocks.push(section(clipMd(joinMd(lines, "\n"), SECTION_BODY)));
  }
  blocks.push(divider());
  const timeline = [...i.timeline].sort((a, b) => a.at.getTime() - b.at.getTime());
  blocks.push(
    body(
      "Timeline",
      timeline.length === 0
        ? md`_No entries yet._`
        : joinMd(
            timeline.map((t) => md`• ${slackTime(t.at, i.reporterTz)} — ${oneLine(t.text)}`),
            "\n",
          ),
    ),
    ...(light
      ? []
      : [
          body(
            "Why did this happen?",
            i.whys.length === 0
              ? md`_No whys yet — ask “why?”, and branch wherever there is more than one cause._`
              : whyTreeText(buildWhyTree(i.whys)),
          ),
          body("Contributing factors", factorsText(i)),
        ]),
    body(
      light ? "The lesson" : "What we learned",
      i.learned.trim() ? md`${i.learned.trim()}` : md`_Not written yet._`,
    ),
    body(light ? "Action items (optional)" : "Findings and action items", findingsText(i)),
    context(
      i.tags.length === 0
        ? md`No tags yet`
        : md`Tags: ${joinMd(
            i.tags.map((t) => md`#${t}`),
            " ",
          )}`,
    ),
  );
  if (complete) {
    blocks.push(
      actions(
        [button("Export Markdown", INCIDENT_ACTION.export, i.id), historyButton(i.id)],
        INCIDENT_BLOCK.actions,
      ),
    );
  } else {
    blocks.push(
      actions(
        [
          button("Edit details", INCIDENT_ACTION.edit, i.id),
          button("Add timeline entry", INCIDENT_ACTION.timeline, i.id),
          ...(light
            ? []
            : [
                button("Add why", INCIDENT_ACTION.why, i.id),
                button("Add factor", INCIDENT_ACTION.factor, i.id),
              ]),
          button("Add finding", INCIDENT_ACTION.finding, i.id),
        ],
        INCIDENT_BLOCK.actions,
      ),
      actions(
        [
          button("What we learned", INCIDENT_ACTION.learned, i.id),
          button("Tags", INCIDENT_ACTION.tags, i.id),
          button("Export Markdown", INCIDENT_ACTION.export, i.id),
          historyButton(i.id),
          button("Mark COE complete", INCIDENT_ACTION.complete, i.id, "primary"),
        ],
        INCIDENT_BLOCK.actionsMore,
      ),
    );
  }
  return message(
    md`${complete ? "COE complete" : "Incident"}: ${clip(oneLine(i.title), 140)} (${i.severity.toUpperCase()})`,
    blocks,
  );
}

/** "Did last time's fix ship?" in one line. */
export function actionStatusLine(a: ActionStatus): string {
  if (a.total === 0) return "⚠️ no action items were recorded";
  if (a.done === a.total) return `✅ all ${a.total} action item${a.total === 1 ? "" : "s"} done`;
  const parts = [`${a.done} of ${a.total} done`];
  if (a.open > 0) parts.push(`${a.open} open${a.overdue > 0 ? ` (${a.overdue} overdue)` : ""}`);
  if (a.notDoing > 0) parts.push(`${a.notDoing} not doing`);
  return `${a.overdue > 0 ? "🔥" : "⏳"} ${parts.join(", ")}`;
}

/** The thread reply under a new incident: similar past incidents, why they match, and their fixes. */
export function buildSimilarIncidents(o: {
  similar: readonly SimilarIncident[];
  when: "intake" | "recheck";
  tz: string;
}): SlackMessage {
  if (o.similar.length === 0) {
    return message(literal("No similar past incidents found."), [
      section(
        md`🔍 *Have we seen this before?* No similar past incidents found. I'll look again when tags or factors change.`,
      ),
    ]);
  }
  const intro =
    o.when === "intake"
      ? md`🔁 *Have we seen this before?* ${o.similar.length} similar past incident${o.similar.length === 1 ? "" : "s"}:`
      : md`🔁 *New similar incidents* now that the tags or factors changed:`;
  const blocks: KnownBlock[] = [section(intro)];
  for (const s of o.similar.slice(0, 5)) {
    const p = s.incident;
    blocks.push(
      section(
        clipMd(
          joinMd(
            [
              md`*${oneLine(p.title)}* · ${p.severity.toUpperCase()} · started ${localDate(p.startedAt, o.tz)} · ${p.status === "complete" ? "COE complete" : "COE open"}`,
              md`_Why it matches:_ ${s.reasons.join("; ")}`,
              md`*Did last time's fix ship?* ${actionStatusLine(s.actionStatus)}`,
            ],
            "\n",
          ),
          SECTION_BODY,
        ),
      ),
    );
  }
  return message(md`${o.similar.length} similar past incidents`, blocks);
}

/**
 * The DM to a full COE's owner when a deadline passed: not started within 24 h of detection, or not
 * complete within the team's deep-dive window. Says what is still missing, so the owner can act.
 */
export function buildCoeOverdueDm(o: {
  incident: StoredIncident;
  condition: CoeOverdue;
  deepDiveHours: number;
}): SlackMessage {
  const i = o.incident;
  const where = i.channelId ? md` on its message in ${channelLink(i.channelId)}` : md``;
  const title = md`*${oneLine(i.title)}* (${i.severity.toUpperCase()})`;
  const detected = slackTime(i.detectedAt, i.reporterTz);
  const lines: Mrkdwn[] =
    o.condition === "not_started"
      ? [
          md`⏰ *COE not started:* ${title} was detected ${detected}, more than 24 h ago, and its COE is still empty.`,
          md`Start it while memories are fresh: add the timeline, a why or a finding${where}.`,
        ]
      : [
          md`⏰ *COE overdue:* ${title} was detected ${detected}; the team completes full COEs within ${o.deepDiveHours} h.`,
          ...(() => {
            const gate = checkIntegrationGate(i);
            return gate.ok
              ? [md`Everything the gate asks for is there: press *Mark COE complete*${where}.`]
              : [
                  md`Still missing:\n${clipMd(
                    joinMd(
                      gate.missing.slice(0, 5).map((m) => md`• ${m}`),
                      "\n",
                    ),
                    SECTION_BODY,
                  )}`,
                ];
          })(),
        ];
  return message(
    md`${o.condition === "not_started" ? "COE not started" : "COE overdue"}: ${clip(oneLine(i.title), 140)}`,
    [section(joinMd(lines, "\n"), INCIDENT_BLOCK.overdue)],
  );
}
