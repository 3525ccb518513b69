/**
 * The Anthropologist Hat (the managed-disequilibrium playbook's Appendix C): step back like an
 * anthropologist and write down one slice of how work actually happens — where the friction is, the
 * cultural traits and symptoms, the reinforcing (vicious) loops that keep it in place and the balancing
 * loops that could break them. A balancing loop is the seed of a mechanism. Pure: no clock, no Slack.
 */

/** The playbook's own words, offered as choices; people add their own beside them. */
export const HAT_CHOICES = {
  traits: ["Big goals, no guidance", "Context vacuum", "Siloed incentives", "Conflict aversion"],
  symptoms: ["Faux alignment", "Fragmented execution", "Operational drift", "No experimentation mindset"],
  reinforcingLoops: ["Appearance loop", "Silo loop", "Drift loop", "Silence loop"],
  balancingLoops: [
    "Context & “How?” Checkpoint",
    "Cross-Team 1:1s",
    "Mini Prototype",
    "Publish v0.0.1 + Retros",
  ],
} as const satisfies Record<HatList, readonly string[]>;

/** What each reinforcing loop does, in the playbook's words ("The four loops that hold it in place"). */
export const LOOP_NOTES: Record<(typeof HAT_CHOICES.reinforcingLoops)[number], string> = {
  "Appearance loop": "Big goals, no guidance → faux alignment → polish gets rewarded",
  "Silo loop": "Context vacuum + siloed incentives → fragmented execution",
  "Drift loop": "No checkpoints → meandering backlog → stalled pilots go unremarked",
  "Silence loop": "Conflict aversion → hypotheses unspoken, failures hidden",
};

export const HAT_LISTS = ["traits", "symptoms", "reinforcingLoops", "balancingLoops"] as const;
export type HatList = (typeof HAT_LISTS)[number];

/** Longest texts a case keeps: "keep loops to a few lines" (the playbook's tip). */
export const HAT_MAX = {
  context: 500,
  /** one typed item (a line of an "other …" field) */
  item: 150,
  /** typed items per list, beside the playbook's four */
  typedItems: 5,
  /** an "other …" field as a whole */
  typed: 800,
} as const;

export interface HatCaseInput {
  context: string;
  traits: string[];
  symptoms: string[];
  reinforcingLoops: string[];
  balancingLoops: string[];
}

export interface HatCase extends HatCaseInput {
  id: string;
  teamId: string;
  authorId: string;
  createdAt: Date;
}

/** The picked choices, then the typed lines: trimmed, empty lines dropped, each once (any case). */
export function mergeItems(picked: readonly string[], typed: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of [...picked, ...typed.split(/\r?\n/)]) {
    const item = raw.trim().replace(/\s+/g, " ");
    const key = item.toLowerCase();
    if (!item || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/**
 * What a case must say to be worth posting: where (the context) and what is seen — a symptom or a
 * reinforcing loop. Traits and balancing loops may come later; without a symptom or loop there is
 * nothing for a counter-loop to break.
 */
export function hatCaseProblem(c: Pick<HatCaseInput, "symptoms" | "reinforcingLoops">): string | null {
  return c.symptoms.length + c.reinforcingLoops.length === 0
    ? "Name at least one symptom or reinforcing loop you see here."
    : null;
}

/** The mechanism one-pager a balancing loop starts: "We believe <loop> will move <…> because <…>". */
export interface MechanismDraft {
  title: string;
  aim: string;
  statement: string;
}

const list = (xs: readonly string[]) =>
  xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`;

/**
 * A first draft of the one-pager for one of the case's balancing loops: the loop is the mechanism,
 * the symptoms are what it should move, the reinforcing loops it breaks are the cause, and the case's
 * context stands in the aim until the person writes the user behaviour. Null when there is no such loop.
 */
export function mechanismDraft(c: HatCaseInput, loopIndex: number): MechanismDraft | null {
  const loop = c.balancingLoops[loopIndex];
  if (loop === undefined) return null;
  const moves = c.symptoms.length > 0 ? `less ${list(c.symptoms).toLowerCase()}` : "…";
  const cause =
    c.reinforcingLoops.length > 0
      ? `it breaks the ${list(c.reinforcingLoops.map((l) => l.replace(/\s+loop$/i, "")))} loop`
      : "…";
  return {
    title: loop,
    aim: c.context,
    statement: `We believe ${loop} will move ${moves} because ${cause}`,
  };
}
