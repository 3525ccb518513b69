/**
 * Filler people type to get past a field ("TBD", "n/a", "-", "?", "later"…): the one rule for what
 * counts as not written. The one-pager's Definition of Done, its checks and the alarms all use it, so
 * the one-pager can't say "✅ Definition of Done complete" beside "Rollback / kill: TBD" while an
 * alarm calls that field missing (issue 11).
 */
const FILLER = new Set([
  "tbd",
  "tba",
  "tbc",
  "todo",
  "to do",
  "n/a",
  "na",
  "none",
  "nil",
  "null",
  "later",
  "soon",
  "pending",
  "wip",
  "x",
  "xx",
  "xxx",
  // The template's own letters: "We believe X will move Y because Z".
  "z",
]);

/** True when the text says nothing: empty, punctuation only, or a known filler word (any case, trailing dots). */
export function isPlaceholder(text: string | null | undefined): boolean {
  if (text == null) return true;
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[.!…]+$/u, "")
    .trim();
  return !/[\p{L}\p{N}]/u.test(t) || FILLER.has(t);
}
