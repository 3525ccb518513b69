import type { Notices } from "../../notices.js";
import { type PriorityItem, quarterLabel } from "../../quarters/quarterly-review.js";
import { localDate } from "../../shared/time-format.js";

/**
 * A quarterly review as Markdown, for teams that keep their reviews in a wiki or repo: a second
 * renderer of the record beside Slack's (src/slack/blocks/quarterly-review.ts). Pure.
 */
const NONE = "_None._";

// Typed text stays text: Markdown markup and HTML in it are escaped, so a pasted "<script>" or
// "# heading" shows as written in the document.
const escapeMd = (text: string): string => text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);

const paragraph = (text: string): string => (text.trim() === "" ? NONE : escapeMd(text.trim()));

const list = (items: readonly PriorityItem[]): string =>
  items.length === 0 ? NONE : items.map((i) => `- **${escapeMd(i.item)}** — ${escapeMd(i.why)}`).join("\n");

export function quarterlyReviewFile(n: Notices["quarterly_review_export"]): {
  filename: string;
  title: string;
  markdown: string;
} {
  const r = n.review;
  const label = quarterLabel(r.quarter);
  const title = `Quarterly review ${label}: ${n.teamName}`;
  const stayed =
    r.stoppedCheck.length === 0
      ? NONE
      : r.stoppedCheck
          .map((s) => `- ${escapeMd(s.item)}: ${s.stayed ? "stayed stopped" : "crept back"}`)
          .join("\n");
  const markdown = [
    `# ${escapeMd(title)}`,
    "",
    `Submitted ${localDate(r.submittedAt, n.timezone)} by @${r.submittedBy}${r.revision > 1 ? ` (revision ${r.revision})` : ""}.`,
    "",
    "## What we achieved",
    paragraph(r.achieved),
    "",
    "## What we learned",
    paragraph(r.learned),
    "",
    "## What went well",
    paragraph(r.wentWell),
    "",
    "## Did last quarter's stops stay stopped?",
    stayed,
    "",
    "## A behaviour we changed, and the evidence",
    paragraph(r.behaviourChanged),
    "",
    "## We continue",
    list(r.continueItems),
    "",
    "## New priorities",
    list(r.newItems),
    "",
    "## We stop",
    list(r.stopItems),
    "",
  ].join("\n");
  return { filename: `quarterly-review-${r.quarter}.md`, title, markdown };
}
