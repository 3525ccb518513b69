import type { SignalKind } from "./checkpoint-rule.js";
import type { SignalSpec } from "./mechanism.js";

/** A stored signal as an edit sees it, archived ones included. */
export type StoredSignal = {
  id: string;
  kind: SignalKind;
  name: string;
  position: number;
  archivedAt: Date | null;
};

/**
 * What saving a one-pager's signals does to the stored ones. No signal is ever deleted, so no reading is:
 * a signal the edit leaves out is archived, and one named again comes back with its history.
 */
export type SignalPlan = {
  /** stored signals that take these values (and are no longer archived) */
  update: { id: string; spec: SignalSpec }[];
  create: SignalSpec[];
  archive: string[];
};

/** Names compare as people read them: case and repeated spaces aside. */
export const sameName = (a: string, b: string) => nameOf(a) === nameOf(b);
const nameOf = (name: string) => name.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * Matches the edited signals to the stored ones. A signal is known by its name first (so one that moved
 * to another slot or role, or was removed and added back, keeps its readings); an edit that renames a
 * signal keeps it by its slot, the same role and position it had.
 */
export function planSignals(stored: readonly StoredSignal[], specs: readonly SignalSpec[]): SignalPlan {
  const claimed = new Set<string>();
  const matched = new Map<SignalSpec, string>();
  for (const spec of specs) {
    const byName = stored.find((s) => !claimed.has(s.id) && sameName(s.name, spec.name));
    if (byName) {
      claimed.add(byName.id);
      matched.set(spec, byName.id);
    }
  }
  const active = stored.filter((s) => s.archivedAt === null);
  for (const spec of specs) {
    if (matched.has(spec)) continue;
    const inSlot = active.find(
      (s) =>
        !claimed.has(s.id) &&
        s.kind === spec.kind &&
        s.position === (spec.position ?? 0) &&
        // Its old name is not wanted elsewhere in this edit (that spec claimed it by name above).
        !specs.some((other) => sameName(other.name, s.name)),
    );
    if (inSlot) {
      claimed.add(inSlot.id);
      matched.set(spec, inSlot.id);
    }
  }
  const update: SignalPlan["update"] = [];
  const create: SignalSpec[] = [];
  for (const spec of specs) {
    const id = matched.get(spec);
    if (id === undefined) create.push(spec);
    else update.push({ id, spec });
  }
  const archive = active.filter((s) => !claimed.has(s.id)).map((s) => s.id);
  return { update, create, archive };
}
