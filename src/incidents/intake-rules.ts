/**
 * The intake's time rules, pure so they can be tested as a table. Times come from Slack's
 * datetimepicker (minute resolution, the reporter's clock), so "in the future" allows a minute of skew.
 */
export type IncidentTimes = {
  startedAt: Date | null;
  detectedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
};
export type TimeField = keyof IncidentTimes;

const SKEW_MS = 60_000;

const LABEL: Record<TimeField, string> = {
  startedAt: "start",
  detectedAt: "detection",
  mitigatedAt: "mitigation",
  resolvedAt: "resolution",
};
const ORDER: readonly TimeField[] = ["startedAt", "detectedAt", "mitigatedAt", "resolvedAt"];

/**
 * Problems per field: a required time missing, a time in the future, or a time before an earlier
 * moment (start ≤ detection ≤ mitigation ≤ resolution; a missing optional moment is skipped, so
 * resolution is still checked against detection when mitigation is blank).
 */
export function checkIncidentTimes(times: IncidentTimes, now: Date): Partial<Record<TimeField, string>> {
  const errors: Partial<Record<TimeField, string>> = {};
  if (!times.startedAt) errors.startedAt = "When did it start? A best guess is fine.";
  if (!times.detectedAt) errors.detectedAt = "When did we notice?";
  for (const field of ORDER) {
    const at = times[field];
    if (at && at.getTime() > now.getTime() + SKEW_MS) {
      errors[field] = `The ${LABEL[field]} time is in the future.`;
    }
  }
  for (const [i, field] of ORDER.entries()) {
    const at = times[field];
    if (!at || errors[field]) continue;
    // Named by the earliest moment it comes before: a resolution before the start is "before the
    // start", not "before the mitigation", which only follows from it.
    const first = ORDER.slice(0, i).find((earlier) => {
      const t = times[earlier];
      return t !== null && t !== undefined && at.getTime() < t.getTime();
    });
    if (first) errors[field] = `The ${LABEL[field]} can't be before the ${LABEL[first]}.`;
  }
  return errors;
}

/** "a, #B c ,, d" → normalised, de-duplicated tag names; the caller normalises with normaliseTag. */
export function splitTags(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

/** http(s) URLs only: a ticket link people can click. */
/** An http(s) URL without `<`, `>` or `|`, which would break (or relabel) the Slack link built from it. */
export const isTicketUrl = (url: string): boolean => /^https?:\/\/[^\s/$.?#<>|][^\s<>|]*$/i.test(url);
