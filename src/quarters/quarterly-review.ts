import { type Quarter, quarterOf } from "../incidents/quarters.js";
import type { IncidentRecord } from "../incidents/types.js";
import { localDateTimeToInstant } from "../scheduler/schedule.js";

/**
 * The quarterly review (mechanisms-for-technical-teams, "Quarterly Review"): look back on what the
 * quarter achieved and taught, then name what we continue, what is new and what we stop — each with
 * its why — and check last quarter's stop list really stayed stopped (managed-disequilibrium spot check).
 */

/** One priority, continued, new or stopped; the why is what lets people decide without asking. */
export type PriorityItem = { item: string; why: string };
/** Last quarter's stopped item, and whether it stayed stopped. */
type StayedStopped = { item: string; stayed: boolean };

export interface QuarterlyReviewInput {
  achieved: string;
  learned: string;
  wentWell: string;
  continueItems: PriorityItem[];
  newItems: PriorityItem[];
  stopItems: PriorityItem[];
  stoppedCheck: StayedStopped[];
  /** the spot check: a behaviour we changed last quarter, and the evidence */
  behaviourChanged: string;
}

export interface QuarterlyReview extends QuarterlyReviewInput {
  id: string;
  teamId: string;
  /** "2026-Q4" */
  quarter: string;
  /** 1 for the first submission; each later submission for the same quarter replaces it and adds 1 */
  revision: number;
  submittedBy: string;
  submittedAt: Date;
}

/** When a team's next review opens: the local date and time it set, and that instant (null once opened). */
export interface QuarterlySchedule {
  id: string;
  teamId: string;
  localDate: string;
  localTime: string;
  opensAt: Date | null;
  quarter: string;
}

export const QUARTER_MAX = {
  text: 2900,
  itemLine: 300,
  items: 20,
  /** last quarter's stop items asked about ("Did it stay stopped?"), each one an input of the modal */
  stopCheck: 10,
} as const;

/** "2026-Q4": a quarter as a key (records, delivery keys, button values). */
export const quarterKey = (q: Quarter): string => q.label.replace(" ", "-");

const KEY = /^(\d{4})-Q([1-4])$/;
export const isQuarterKey = (key: string): boolean => KEY.test(key);

/** The quarter a key names, on the wall clock of `tz`. */
export function quarterFromKey(key: string, tz: string): Quarter {
  const m = KEY.exec(key);
  if (!m) throw new Error(`not a quarter key: ${key}`);
  const month = (Number(m[2]) - 1) * 3 + 2;
  return quarterOf(localDateTimeToInstant(`${m[1]}-${String(month).padStart(2, "0")}-15`, "12:00", tz), tz);
}

/** "2026-Q4" → "2026 Q4", as people read it. */
export const quarterLabel = (key: string): string => key.replace("-", " ");

// "item — why": an em or en dash, or a hyphen with spaces around it, or a colon.
const SEPARATOR = /\s*[—–]\s*|\s+-\s+|:\s+/;

/**
 * Reads a list typed one item per line as "item — why". Blank lines are skipped; a line without a
 * why is named in `missingWhy` (people fix the item the error names, not "line 3").
 */
export function parsePriorityLines(text: string): { items: PriorityItem[]; missingWhy: string[] } {
  const items: PriorityItem[] = [];
  const missingWhy: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^[-*•]\s+/, "");
    if (line === "") continue;
    const m = SEPARATOR.exec(line);
    const item = (m ? line.slice(0, m.index) : line).trim();
    const why = m ? line.slice(m.index + m[0].length).trim() : "";
    if (item === "" || why === "") missingWhy.push(item || line);
    else items.push({ item, why });
  }
  return { items, missingWhy };
}

/** The list as typed back into the modal, one "item — why" per line. */
export const priorityLines = (items: readonly PriorityItem[]): string =>
  items.map((i) => `${i.item} — ${i.why}`).join("\n");

/** The quarter's data the first draft is written from, read by the repository (mechanisms, deviations). */
export interface QuarterSnapshot {
  graduated: { title: string }[];
  killed: { title: string }[];
  /** outcome signals whose latest reading in the quarter met the target or moved toward it */
  outcomes: {
    mechanism: string;
    signal: string;
    baseline: number;
    target: number;
    latest: number;
    unit: string;
  }[];
  /** deviations decided in the quarter */
  deviations: { area: string; deviation: string; verdict: "promote" | "retire"; outcome: string }[];
}

/** An outcome signal's reading met its target (targets may be below the baseline: fewer errors). */
export function metTarget(o: { baseline: number; target: number; latest: number }): boolean {
  return o.target >= o.baseline ? o.latest >= o.target : o.latest <= o.target;
}

/** It moved from the baseline in the target's direction (met or not). */
export function movedTowardTarget(o: { baseline: number; target: number; latest: number }): boolean {
  const direction = Math.sign(o.target - o.baseline);
  return direction !== 0 && Math.sign(o.latest - o.baseline) === direction;
}

const within = (at: Date | null, q: Quarter): at is Date =>
  at !== null && at.getTime() >= q.start.getTime() && at.getTime() < q.end.getTime();

const num = (n: number) => String(Math.round(n * 100) / 100);

/**
 * The review's first draft, plain text for the modal's inputs: what we achieved (outcomes moved,
 * mechanisms graduated and killed, deviations promoted to defaults, COE action items done) and what
 * we learned (COE lessons, deviation outcomes), from the quarter's data. People edit it before saving.
 */
export function draftOf(
  snapshot: QuarterSnapshot,
  incidents: readonly IncidentRecord[],
  quarter: Quarter,
): { achieved: string; learned: string } {
  const achieved: string[] = [];
  for (const o of snapshot.outcomes.filter((x) => metTarget(x) || movedTowardTarget(x))) {
    const verb = metTarget(o) ? "met its target" : "moved";
    achieved.push(
      `Outcome ${verb}: ${o.mechanism} — ${o.signal} ${num(o.baseline)} → ${num(o.latest)}${o.unit} (target ${num(o.target)}${o.unit})`,
    );
  }
  for (const m of snapshot.graduated) achieved.push(`Graduated (now a team default): ${m.title}`);
  for (const m of snapshot.killed) achieved.push(`Killed: ${m.title}`);
  for (const d of snapshot.deviations.filter((x) => x.verdict === "promote"))
    achieved.push(`Deviation promoted to a default: ${d.area} — ${d.deviation}`);
  for (const incident of incidents) {
    for (const f of incident.findings) {
      if (f.actionItem?.status === "done" && within(f.actionItem.closedAt, quarter))
        achieved.push(`COE action item done: ${f.text} (${incident.title})`);
    }
  }

  const learned: string[] = [];
  for (const incident of incidents) {
    if (incident.learned.trim() !== "" && within(incident.completedAt ?? incident.createdAt, quarter))
      learned.push(`COE lesson — ${incident.title}: ${incident.learned.trim()}`);
  }
  for (const d of snapshot.deviations) {
    const how = d.verdict === "promote" ? "promoted" : "retired";
    learned.push(`Deviation ${how} — ${d.deviation}${d.outcome.trim() ? `: ${d.outcome.trim()}` : ""}`);
  }
  const bullets = (lines: string[]) => fitDraft(lines.map((l) => `• ${l.replace(/\s+/g, " ")}`));
  return { achieved: bullets(achieved), learned: bullets(learned) };
}

/** Keeps a draft within the input's limit, saying how many lines were left out. */
function fitDraft(lines: string[]): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const tail = `…and ${lines.length - i} more`;
    if (used + line.length + 1 + tail.length > QUARTER_MAX.text) {
      out.push(tail);
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join("\n");
}

/** The COE pattern review of a quarter: repeats, top factor categories and tags, action items still open. */
export interface CoePatterns {
  incidentCount: number;
  repeatCount: number;
  topCategories: { category: string; count: number }[];
  topTags: { tag: string; count: number }[];
  openActionItems: { text: string; incident: string; ownerId: string | null; dueDate: string | null }[];
}

/** Every open action item of the team's COEs, oldest due first (any quarter: still open is still open). */
export function openActionItems(incidents: readonly IncidentRecord[]): CoePatterns["openActionItems"] {
  return incidents
    .flatMap((i) =>
      i.findings.flatMap((f) =>
        f.actionItem?.status === "open"
          ? [
              {
                text: f.text,
                incident: i.title,
                ownerId: f.actionItem.ownerId,
                dueDate: f.actionItem.dueDate,
              },
            ]
          : [],
      ),
    )
    .sort((a, b) => (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999"));
}
