import { clipWords } from "../shared/text.js";
import type { IncidentRecord } from "./types.js";

export type IntegrationGateResult = { ok: true } | { ok: false; missing: string[] };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Long findings would drown the list of what is missing; the number already identifies them. */
const quote = (text: string, max = 60): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return `“${clipWords(flat, max)}”`;
};

/**
 * The integration gate (beyond-the-post-mortem, phase 3): a COE is not complete until every finding
 * has become owned, dated work, because a write-up nobody acts on is "documentation as a graveyard".
 * A finding the team noted with no action, saying why, is settled too: the seed's remedy for "action
 * item proliferation" is that only the high-impact, feasible items get tickets, the rest are noted.
 *
 * It also asks for at least one why and at least one contributing factor, not just findings. A COE
 * with findings but no analysis is the "root cause scapegoat" antipattern: the team jumps to one
 * narrow fix and leaves the systemic contributors unexamined. Requiring the branching whys and the
 * contribution-factor map to be started is the cheapest guard a bot can enforce.
 *
 * `missing` is written for the person completing the COE, one line per gap, naming the finding.
 */
export function checkIntegrationGate(incident: IncidentRecord): IntegrationGateResult {
  if (incident.coeDepth === "light") return checkLightGate(incident);
  const missing: string[] = [];
  if (incident.whys.length === 0) {
    missing.push("No whys yet: ask “why?” at least once, and branch where there is more than one cause.");
  }
  if (incident.factors.length === 0) {
    missing.push(
      "No contributing factors yet: name at least one technical, process or organisational factor.",
    );
  }
  if (incident.findings.length === 0) {
    missing.push("No findings yet: add at least one finding with an owned, dated action item.");
  }
  incident.findings.forEach((finding, i) => {
    const gaps: string[] = [];
    const item = finding.actionItem;
    if (item === null) {
      // Noted with no action, and why: settled without a ticket (a blank reason is no reason).
      if (finding.notedReason?.trim()) return;
      gaps.push("no action item");
    } else {
      if (!item.ownerId?.trim()) gaps.push("no owner");
      if (!item.dueDate?.trim()) gaps.push("no due date");
      else if (!DATE_ONLY.test(item.dueDate)) gaps.push(`due date “${item.dueDate}” is not yyyy-MM-dd`);
    }
    if (gaps.length > 0) missing.push(`Finding ${i + 1} ${quote(finding.text)}: ${gaps.join(", ")}`);
  });
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

/**
 * The light COE's gate (a severity the team does not deep-dive): a summary of what happened and one
 * lesson. Findings and their action items are optional, but an action item that exists must still be
 * owned and dated, so nothing unowned slips through the shorter path.
 */
function checkLightGate(incident: IncidentRecord): IntegrationGateResult {
  const missing: string[] = [];
  if (incident.description.trim() === "") {
    missing.push("No summary yet: say in a few lines what happened (Edit details → What happened).");
  }
  if (incident.learned.trim() === "") {
    missing.push("No lesson yet: write the one thing the team learned (What we learned).");
  }
  incident.findings.forEach((finding, i) => {
    const item = finding.actionItem;
    if (!item) return;
    const gaps: string[] = [];
    if (!item.ownerId?.trim()) gaps.push("no owner");
    if (!item.dueDate?.trim() || !DATE_ONLY.test(item.dueDate)) gaps.push("no due date");
    if (gaps.length > 0) missing.push(`Finding ${i + 1} ${quote(finding.text)}: ${gaps.join(", ")}`);
  });
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

/** How a COE's findings were settled: with an action item, noted with no action, or not yet. */
export type FindingCounts = { total: number; withAction: number; noted: number; unsettled: number };

export function countFindings(incident: Pick<IncidentRecord, "findings">): FindingCounts {
  const withAction = incident.findings.filter((f) => f.actionItem !== null).length;
  const noted = incident.findings.filter((f) => f.actionItem === null && f.notedReason?.trim()).length;
  const total = incident.findings.length;
  return { total, withAction, noted, unsettled: total - withAction - noted };
}
