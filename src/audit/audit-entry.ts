/** Through which surface a change came: the audit log says so beside who and when. */
const AUDIT_SURFACES = ["command", "button", "modal", "shortcut", "event", "job", "home"] as const;
export type AuditSurface = (typeof AUDIT_SURFACES)[number];

/** What an entry is about; stored as a plain string, so a new kind needs no migration. */
export const AUDIT_SUBJECTS = [
  "mechanism",
  "team",
  "deviation",
  "incident",
  "floor-entry",
  "hat-case",
  "learning-session",
  "wbr",
  "quarter",
  "person",
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECTS)[number];

/** A value the audit log keeps: what JSON can hold (instants as ISO strings). */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [k: string]: AuditValue };
export type AuditFields = Record<string, AuditValue>;

/** One change: who did what to which subject, the changed fields before and after, when and how. */
export interface AuditEntry {
  id: string;
  slackTeamId: string;
  teamId: string;
  subjectType: AuditSubjectType;
  subjectId: string;
  actor: string;
  /** a verb in the past tense: "created", "edited", "stopped", "settings changed" … */
  action: string;
  before: AuditFields;
  after: AuditFields;
  surface: AuditSurface;
  at: Date;
}

export type NewAuditEntry = Omit<AuditEntry, "id">;

/** Who acts and through which surface: what a service that records changes is told. */
export interface Actor {
  userId: string;
  surface: AuditSurface;
}

const same = (a: AuditValue | undefined, b: AuditValue | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

const toValue = (v: unknown): AuditValue | undefined => {
  if (v === undefined || typeof v === "function") return undefined;
  if (v instanceof Date) return v.toISOString();
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x) => toValue(x) ?? null);
  if (typeof v === "object") {
    const out: Record<string, AuditValue> = {};
    for (const [k, x] of Object.entries(v)) {
      const val = toValue(x);
      if (val !== undefined) out[k] = val;
    }
    return out;
  }
  return String(v);
};

/**
 * Only what changed, so entries stay compact: the fields whose values differ, each side's value.
 * `before` null is a creation (every field is "after"); `after` null a removal.
 */
export function auditDiff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ignore: readonly string[] = [],
): { before: AuditFields; after: AuditFields } {
  const b: AuditFields = {};
  const a: AuditFields = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (ignore.includes(k)) continue;
    const bv = before ? toValue(before[k]) : undefined;
    const av = after ? toValue(after[k]) : undefined;
    if (same(bv, av)) continue;
    if (bv !== undefined) b[k] = bv;
    if (av !== undefined) a[k] = av;
  }
  return { before: b, after: a };
}

export const isAuditSurface = (s: string): s is AuditSurface =>
  (AUDIT_SURFACES as readonly string[]).includes(s);

/** A change as a service describes it: the whole before and after, the entry keeps only what moved. */
export interface AuditChange {
  team: { id: string; slackTeamId: string };
  subject: { type: AuditSubjectType; id: string };
  actor: Actor;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** fields never worth an entry (bookkeeping the person didn't change) */
  ignore?: readonly string[];
}

/** Fields that move on every save without anyone choosing them. */
const BOOKKEEPING = ["updatedAt", "nextReviewAt", "messageTs", "messageChannelId", "createdAt", "id"];

/**
 * The entry a change makes, or null for an edit that changed nothing. Pure, so a service can hand
 * it to a repository that writes it in the same transaction as a delete.
 */
export function auditEntryFor(c: AuditChange, at: Date): NewAuditEntry | null {
  const { before, after } = auditDiff(c.before, c.after, [...BOOKKEEPING, ...(c.ignore ?? [])]);
  if (c.before && c.after && Object.keys(before).length + Object.keys(after).length === 0) return null;
  return {
    slackTeamId: c.team.slackTeamId,
    teamId: c.team.id,
    subjectType: c.subject.type,
    subjectId: c.subject.id,
    actor: c.actor.userId,
    action: c.action,
    before,
    after,
    surface: c.actor.surface,
    at,
  };
}
