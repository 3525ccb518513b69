/**
 * The barbell plan (playbook Appendix E): the Floor — what the team starts from and does not lose
 * (defaults, guardrails, non-negotiables) — beside the Ceiling — at most three bounded mechanism
 * slices with gates, and the novelty quota of one deviation per cycle.
 * Pure types and rules: no clock, no I/O.
 *
 * One source of truth per Floor entry: a typed default is its own row (FloorDefault); a promoted
 * deviation and a graduated mechanism are read from the deviation and the graduate decision as they
 * stand (a union at read time), so nothing is copied, nothing can drift, and every promotion or
 * graduation from before the Floor existed is on it without a backfill. Retiring any of them adds a
 * FloorRetirement row keyed by the entry's `ref`; the entry stays, shown as retired.
 */

export const FLOOR_KINDS = ["default", "guardrail", "non_negotiable"] as const;
export type FloorKind = (typeof FLOOR_KINDS)[number];
export const asFloorKind = (v: string): FloorKind =>
  (FLOOR_KINDS as readonly string[]).includes(v) ? (v as FloorKind) : "default";

/** What each kind is called wherever a person reads it. */
export const FLOOR_KIND_LABEL: Record<FloorKind, string> = {
  default: "Default",
  guardrail: "Guardrail",
  non_negotiable: "Non-negotiable",
};

/** Where an entry came from: typed in, a promoted deviation, a graduated mechanism. */
type FloorSource = "typed" | "deviation" | "mechanism";

/** The novelty quota: one explicit deviation per cycle (Appendix B and E). */
export const NOVELTY_QUOTA = 1;
/** The Ceiling holds three slices (Appendix E: "three bounded mechanism tests"). */
export const MAX_SLICES = 3;

export interface Retirement {
  reason: string;
  by: string;
  at: Date;
}

export interface FloorEntry {
  /** "default:<id>", "deviation:<id>" or "mechanism:<id>": names the entry whatever its source */
  ref: string;
  kind: FloorKind;
  text: string;
  /** why it became a default ("" when nobody wrote it) */
  why: string;
  source: FloorSource;
  /** what it came from, as a person reads it ("Deviation: API framework", a mechanism's title); "" when typed */
  origin: string;
  /** who made it a default */
  by: string;
  since: Date;
  retired: Retirement | null;
}

export interface TypedDefault {
  id: string;
  kind: FloorKind;
  text: string;
  why: string;
  addedBy: string;
  createdAt: Date;
}

interface PromotedDeviation {
  id: string;
  area: string;
  deviation: string;
  hypothesis: string;
  outcome: string;
  ownerId: string;
  decidedAt: Date | null;
  createdAt: Date;
}

interface GraduatedMechanism {
  id: string;
  title: string;
  stoppedAt: Date | null;
  createdAt: Date;
  createdBy: string;
  /** the newest graduate decision; null for data that has none */
  graduation: { changeDetail: string; why: string; entry: string; decidedBy: string; decidedAt: Date } | null;
}

/** What the repository reads for one team's Floor. */
export interface FloorSources {
  typed: readonly TypedDefault[];
  deviations: readonly PromotedDeviation[];
  mechanisms: readonly GraduatedMechanism[];
  retirements: ReadonlyMap<string, Retirement>;
}

export const typedRef = (id: string) => `default:${id}`;
export const deviationRef = (id: string) => `deviation:${id}`;
export const mechanismRef = (id: string) => `mechanism:${id}`;

const firstWritten = (...texts: string[]): string => texts.find((t) => t.trim() !== "")?.trim() ?? "";

/**
 * The Floor as one list: standing entries first (guardrails, then non-negotiables, then defaults; the
 * newest first within a kind), then the retired ones, most recently retired first.
 */
export function assembleFloor(s: FloorSources): FloorEntry[] {
  const retiredOf = (ref: string) => s.retirements.get(ref) ?? null;
  const entries: FloorEntry[] = [
    ...s.typed.map((t) => ({
      ref: typedRef(t.id),
      kind: t.kind,
      text: t.text,
      why: t.why,
      source: "typed" as const,
      origin: "",
      by: t.addedBy,
      since: t.createdAt,
      retired: retiredOf(typedRef(t.id)),
    })),
    ...s.deviations.map((d) => ({
      ref: deviationRef(d.id),
      kind: "default" as const,
      text: d.deviation,
      why: firstWritten(d.outcome, d.hypothesis),
      source: "deviation" as const,
      origin: d.area,
      by: d.ownerId,
      since: d.decidedAt ?? d.createdAt,
      retired: retiredOf(deviationRef(d.id)),
    })),
    ...s.mechanisms.map((m) => ({
      ref: mechanismRef(m.id),
      kind: "default" as const,
      text: firstWritten(m.graduation?.changeDetail ?? "", m.title),
      why: firstWritten(m.graduation?.why ?? "", m.graduation?.entry ?? ""),
      source: "mechanism" as const,
      origin: m.title,
      by: m.graduation?.decidedBy ?? m.createdBy,
      since: m.graduation?.decidedAt ?? m.stoppedAt ?? m.createdAt,
      retired: retiredOf(mechanismRef(m.id)),
    })),
  ];
  const rank: Record<FloorKind, number> = { guardrail: 0, non_negotiable: 1, default: 2 };
  const standing = entries
    .filter((e) => !e.retired)
    .sort((a, b) => rank[a.kind] - rank[b.kind] || b.since.getTime() - a.since.getTime());
  const retired = entries
    .filter((e) => e.retired)
    .sort((a, b) => (b.retired?.at.getTime() ?? 0) - (a.retired?.at.getTime() ?? 0));
  return [...standing, ...retired];
}

/** A mechanism slice on the Ceiling: an active mechanism and its checkpoint gate. */
export interface Slice {
  id: string;
  title: string;
  /** "We will continue if …"; "" when not written */
  checkpointRule: string;
  nextReviewAt: Date | null;
}

export interface BarbellPlan {
  floor: FloorEntry[];
  /** the active mechanisms, oldest first */
  slices: Slice[];
  quota: { cycle: { index: number; start: Date; end: Date }; logged: number; quota: number };
}

/** What the plan says about its own shape; each is also an alarm (src/alarms/rules.ts). */
export function barbellProblems(plan: Pick<BarbellPlan, "floor" | "slices">): {
  noGuardrail: boolean;
  noSlice: boolean;
  tooManySlices: boolean;
} {
  const standing = plan.floor.filter((e) => !e.retired);
  return {
    noGuardrail: !standing.some((e) => e.kind === "guardrail"),
    noSlice: plan.slices.length === 0,
    tooManySlices: plan.slices.length > MAX_SLICES,
  };
}

/** The limits of what a person types into "Add a default" and "Retire". */
export const FLOOR_MAX = { text: 300, why: 500, reason: 500 } as const;

/** The service's own check (the modal's parser checks first): blank or too long is refused. */
export function textProblem(value: string, max: number, missing: string): string | null {
  const v = value.trim();
  if (v === "") return missing;
  if ([...v].length > max) return `Keep it under ${max} characters.`;
  return null;
}

export const RETIRE_REASON_MISSING = "Say why it is no longer a default — the Floor keeps the reason.";
export const DEFAULT_TEXT_MISSING = "Write the default, e.g. Every deploy goes through the canary.";
export const DEFAULT_WHY_MISSING = "Say why it became a default.";
