import type { IncidentRecord } from "./types.js";

/**
 * The people an incident names, so documents read outside the chat (the COE export) can show their
 * names instead of user ids. Pure except `namesOf`, which asks a lookup the caller passes in.
 */

/** A mention as the chat writes it: "<@U123>", or "<@U123|label>" (its "|" may be escaped "\|" in a table cell). */
export const MENTION = /<@([UW][A-Z0-9]+)(?:\\?\|[^>]*)?>/g;

/** The user id in an owner field as people type or paste it: "U123", "@U123", "<@U123>", "<@U123|ana>". */
export function userIdOf(ref: string): string {
  return ref
    .trim()
    .replace(/^<@([^|>]+)(\|[^>]*)?>$/, "$1")
    .replace(/^@/, "");
}

/** Everyone the incident names: action-item owners and anyone mentioned in its text, once each. */
export function peopleIn(incident: IncidentRecord): string[] {
  const owners = incident.findings.flatMap((f) =>
    f.actionItem?.ownerId?.trim() ? [userIdOf(f.actionItem.ownerId)] : [],
  );
  // Every text field, present and future, without listing them: mentions survive JSON as they are.
  const mentioned = [...JSON.stringify(incident).matchAll(MENTION)].map((m) => m[1] ?? "");
  return [...new Set([...owners, ...mentioned])].filter(Boolean);
}

/** Lookups at once, and at most this many people per document (past it, the rest keep their ids). */
const AT_ONCE = 4;
const MAX_PEOPLE = 50;

/**
 * id → name for each person the lookup knows. Each id is asked once (the cache of one document); one
 * that fails or is unknown is left out, so the document shows its id. Failures are reported once,
 * together, through `failed`.
 */
export async function namesOf(
  ids: readonly string[],
  lookUp: (id: string) => Promise<{ name: string } | null>,
  failed: (ids: string[], err: unknown) => void,
): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const missed: string[] = [];
  let firstError: unknown;
  const wanted = [...new Set(ids)].slice(0, MAX_PEOPLE);
  for (let i = 0; i < wanted.length; i += AT_ONCE) {
    const batch = wanted.slice(i, i + AT_ONCE);
    const found = await Promise.allSettled(batch.map((id) => lookUp(id)));
    found.forEach((r, j) => {
      const id = batch[j] ?? "";
      if (r.status === "rejected") {
        missed.push(id);
        firstError ??= r.reason;
      } else {
        const name = r.value?.name.trim();
        // A profile with no name at all answers the id itself: the id reads better with its "@".
        if (name && name !== id) names[id] = name;
      }
    });
  }
  if (missed.length > 0) failed(missed, firstError);
  return names;
}
