import { TZDate } from "@date-fns/tz";
import { format } from "date-fns/format";
import { countFindings } from "../../incidents/integration-gate.js";
import { MENTION, userIdOf } from "../../incidents/people.js";
import type { SimilarIncident } from "../../incidents/similarity.js";
import {
  type ActionItem,
  FACTOR_CATEGORIES,
  type FactorCategory,
  type Finding,
  type IncidentRecord,
} from "../../incidents/types.js";
import { buildWhyTree, flattenWhyTree } from "../../incidents/why-tree.js";
import type { Notices } from "../../notices.js";
import { localDate } from "../../shared/time-format.js";
import { isValidTimeZone } from "../../shared/time-zone.js";

/**
 * The whole COE as Markdown, for teams whose write-ups live in a wiki or repo: a second renderer of
 * the incident model, beside Slack's (src/slack/blocks/incident.ts); the incident service only hands
 * over the data. Pure: `now` only stamps the export and decides which open action items are overdue,
 * in the reporter's zone.
 */
export type IncidentMarkdownOptions = {
  similar?: readonly SimilarIncident[];
  now: Date;
  /** user id → name, for the people the incident names (src/incidents/people.ts); others show as "@U123" */
  names?: Readonly<Record<string, string>>;
};

const CATEGORY_HEADINGS: Record<FactorCategory, string> = {
  technical: "Technical",
  process: "Process",
  organisational: "Organisational",
};

const STATUS_LABELS: Record<ActionItem["status"], string> = {
  open: "open",
  done: "done",
  not_doing: "not doing",
};

const NONE = "_None recorded._";

// A zone saved from a profile could be stale or mistyped; the export must still render, in UTC.
const usableZone = (tz: string): string => (isValidTimeZone(tz) ? tz : "UTC");

const localTime = (date: Date, tz: string): string => format(new TZDate(date, tz), "yyyy-MM-dd HH:mm zzz");

/** "1 h 5 min" after the start, so readers see detection and mitigation speed without arithmetic. */
const elapsed = (from: Date, to: Date): string => {
  const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
  if (minutes < 0) return "";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    days > 0 ? `${days} d` : "",
    hours > 0 ? `${hours} h` : "",
    mins > 0 || minutes === 0 ? `${mins} min` : "",
  ];
  return `+${parts.filter(Boolean).join(" ")}`;
};

const cell = (text: string): string =>
  text
    .replace(/\|/g, "\\|")
    .replace(/\s*\n\s*/g, " ")
    .trim();

/** Keeps multi-line answers inside their list item instead of breaking the list. */
const indentContinuation = (text: string, indent: string): string =>
  text.trim().replace(/\n/g, `\n${indent}`);

const paragraph = (text: string): string => (text.trim() === "" ? NONE : text.trim());

/** An owner as a mention; `withNames` turns every mention into the person's name at the end. */
const owner = (ownerId: string | null): string => (ownerId?.trim() ? `<@${userIdOf(ownerId)}>` : "no owner");

/** A name as Markdown text: on one line, its Markdown and table characters escaped. */
const plainName = (name: string): string =>
  name
    .replace(/\s+/g, " ")
    .replace(/[<>]/g, "")
    .replace(/[\\`*_[\]|#]/g, "\\$&");

/**
 * Slack mentions mean nothing outside Slack: each "<@U123>" (an owner, or one typed in any text)
 * becomes the person's name when the export was given it, else "@U123".
 */
const withNames = (markdown: string, names: Readonly<Record<string, string>>): string =>
  markdown.replace(MENTION, (_, id: string) => {
    const name = names[id];
    return name ? plainName(name) : `@${id}`;
  });

// Code spans, because a line starting "#config" reads as a heading to lenient Markdown renderers.
const tagList = (tags: readonly string[]): string =>
  tags.map((t) => `\`#${t.trim().replace(/^#+/, "")}\``).join(" ");

function actionLine(item: ActionItem, today: string): string {
  const overdue = item.status === "open" && item.dueDate !== null && item.dueDate < today;
  const parts = [
    `owner ${owner(item.ownerId)}`,
    item.dueDate ? `due ${item.dueDate}` : "no due date",
    `kind: ${item.kind}`,
    item.ticketUrl ? `ticket: [${item.ticketUrl}](${item.ticketUrl})` : "no ticket",
    `status: ${STATUS_LABELS[item.status]}${overdue ? " (overdue)" : ""}`,
  ];
  return `Action item: ${parts.join(" · ")}`;
}

/** What became of a finding: its action item, or noted with no action and why. */
function findingOutcome(finding: Finding, today: string): string {
  if (finding.actionItem) return actionLine(finding.actionItem, today);
  if (finding.notedReason !== null) return `Noted, no action: ${cell(finding.notedReason)}`;
  return "No action item yet";
}

function similarLine(s: SimilarIncident, tz: string): string {
  const { incident, actionStatus: a } = s;
  const started = format(new TZDate(incident.startedAt, tz), "yyyy-MM-dd");
  const title = incident.sourceLink ? `[${incident.title}](${incident.sourceLink})` : incident.title;
  const actions =
    a.total === 0
      ? "no action items"
      : `action items: ${a.done} of ${a.total} done, ${a.open} open${a.overdue > 0 ? ` (${a.overdue} overdue)` : ""}, ${a.notDoing} not doing`;
  return `- **${title}** (${incident.severity.toUpperCase()}, started ${started}): similarity ${s.score.toFixed(2)}; ${s.reasons.join("; ")}; ${actions}`;
}

export function incidentMarkdown(incident: IncidentRecord, opts: IncidentMarkdownOptions): string {
  const tz = usableZone(incident.reporterTz);
  const at = (d: Date) => localTime(d, tz);
  const today = format(new TZDate(opts.now, tz), "yyyy-MM-dd");
  const out: string[] = [];

  out.push(`# COE: ${incident.title.trim()}`, "");
  // A light COE (a severity the team doesn't deep-dive) asks no whys or factors: their sections are
  // left out unless something was written there anyway.
  const light = incident.coeDepth === "light";
  out.push(
    `- **Severity:** ${incident.severity.toUpperCase()}${light ? " (light COE: a summary and one lesson)" : ""}`,
  );
  out.push(
    `- **Status:** ${incident.status === "complete" && incident.completedAt ? `complete (${at(incident.completedAt)})` : incident.status}`,
  );
  out.push(`- **Impact:** ${cell(incident.impact) || "not recorded"}`);
  if (incident.sourceLink) out.push(`- **Source:** ${incident.sourceLink}`);
  out.push("");

  out.push("## What happened", "", paragraph(incident.description), "");

  out.push(`## Times (${tz})`, "", "| Moment | Time | Since start |", "| --- | --- | --- |");
  const moments: [string, Date | null][] = [
    ["Started", incident.startedAt],
    ["Detected", incident.detectedAt],
    ["Mitigated", incident.mitigatedAt],
    ["Resolved", incident.resolvedAt],
  ];
  for (const [label, date] of moments) {
    out.push(
      date ? `| ${label} | ${at(date)} | ${elapsed(incident.startedAt, date)} |` : `| ${label} | not yet | |`,
    );
  }
  out.push("");
  out.push(`**How we noticed:** ${cell(incident.howNoticed) || "not recorded"}`);
  out.push("", `**How we mitigated:** ${cell(incident.howMitigated) || "not recorded"}`, "");

  out.push("## Timeline", "");
  const timeline = [...incident.timeline].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (timeline.length === 0) out.push(NONE);
  else {
    out.push(`| Time (${tz}) | Event |`, "| --- | --- |");
    for (const entry of timeline) out.push(`| ${at(entry.at)} | ${cell(entry.text)} |`);
  }
  out.push("");

  if (!light || incident.whys.length > 0) {
    out.push("## Why did this happen?", "");
    const whys = flattenWhyTree(buildWhyTree(incident.whys));
    if (whys.length === 0) out.push(NONE);
    for (const why of whys) {
      const indent = "  ".repeat(why.depth - 1);
      const mark = why.rootCause ? " _(root cause)_" : "";
      out.push(`${indent}- **Why ${why.label}** ${indentContinuation(why.text, `${indent}  `)}${mark}`);
    }
    out.push("");
  }

  if (!light || incident.factors.length > 0) {
    out.push("## Contributing factors", "");
    if (incident.factors.length === 0) out.push(NONE, "");
    for (const category of FACTOR_CATEGORIES) {
      const factors = incident.factors.filter((f) => f.category === category);
      if (factors.length === 0) continue;
      out.push(`### ${CATEGORY_HEADINGS[category]}`, "");
      for (const f of factors) out.push(`- ${indentContinuation(f.text, "  ")}`);
      out.push("");
    }
  }

  out.push("## What we learned", "", paragraph(incident.learned), "");

  out.push("## Findings and action items", "");
  if (incident.findings.length === 0) out.push(NONE);
  const counts = countFindings(incident);
  if (counts.noted > 0) {
    out.push(
      `_${counts.total} findings: ${counts.withAction} with action items, ${counts.noted} noted with no action._`,
      "",
    );
  }
  incident.findings.forEach((finding, i) => {
    out.push(`${i + 1}. ${indentContinuation(finding.text, "   ")}`);
    out.push(`   - ${findingOutcome(finding, today)}`);
  });
  out.push("");

  out.push("## Tags", "", incident.tags.length === 0 ? NONE : tagList(incident.tags), "");

  if (opts.similar !== undefined) {
    out.push("## Similar incidents", "");
    if (opts.similar.length === 0) out.push("_No similar incidents found._");
    for (const s of opts.similar) out.push(similarLine(s, tz));
    out.push("");
  }

  out.push(`_Exported from Ratchet on ${at(opts.now)}._`, "");
  return withNames(out.join("\n"), opts.names ?? {});
}

/** The export as a file: "coe-<title>-<start date in the team's zone>.md", titled "COE: <title>". */
export function coeFile(n: Notices["incident_export"]): {
  filename: string;
  title: string;
  markdown: string;
} {
  return {
    filename: `coe-${slug(n.incident.title)}-${localDate(n.incident.startedAt, n.timezone)}.md`,
    title: `COE: ${n.incident.title}`,
    markdown: incidentMarkdown(n.incident, { similar: n.similar, now: n.now, names: n.names }),
  };
}

const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40) || "incident";
