/** Formatting shared by message builders. Pure: no clock, no I/O. */
export const user = (id: string | null | undefined): string => (id ? `<@${id}>` : "_nobody_");

export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

export function withUnit(n: number, unit: string): string {
  if (!unit) return num(n);
  return unit === "%" ? `${num(n)}%` : `${num(n)} ${unit}`;
}

export const DECISION_EMOJI = { continue: "🟢", change: "🟡", stop: "🔴" } as const;
export const DECISION_LABEL = { continue: "Continue", change: "Change", stop: "Stop" } as const;
export const CHECKPOINT_LABEL = {
  pass: "✅ checkpoint passed",
  fail: "❌ checkpoint failed",
  unknown: "❔ checkpoint undecided",
} as const;
