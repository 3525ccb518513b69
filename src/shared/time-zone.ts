/**
 * True when `tz` names a zone this runtime knows (IANA names and aliases such as "UTC",
 * "Asia/Kolkata", "US/Eastern"). Raw offsets like "+05:30" are refused: teams live in zones, and an
 * offset would keep its winter time all summer. The one check for team setup, the schedule maths,
 * the rollup chart and the COE export.
 */
export function isValidTimeZone(tz: string): boolean {
  // Intl.supportedValuesOf("timeZone") omits aliases ("UTC", "Asia/Kolkata" on Node 20), so ask
  // the formatter instead; newer runtimes accept offsets there, which we refuse explicitly.
  if (tz.length === 0 || /^[+-]/.test(tz)) return false;
  // A formatter costs ~0.25 ms (issue 10: 38% of a tick asked again for every team), so known
  // zones are remembered: at most the runtime's zone names. Refused names are not (any input).
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    return false;
  }
  knownZones.add(tz);
  return true;
}

const knownZones = new Set<string>();
