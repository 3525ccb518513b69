import type { Guardrail, GuardrailBreach, Mechanism } from "../mechanisms/mechanism.js";
import { formatNumber } from "../shared/number-format.js";
import { clipText, withUnit } from "../shared/text.js";

/**
 * A breached guardrail is a signal someone must act on (issue 11: "guardrails are signals"): whoever
 * can say stop is asked, and decides stop now or keep going (with a reason). Pure rules, no I/O.
 */

type Owners = Pick<Mechanism, "ownerId" | "stopOwnerId">;

/** Who can say stop: the guardrail's stop owner, else the mechanism's, else its owner; null: nobody. */
export const breachStopOwner = (b: Pick<GuardrailBreach, "guardrail">, m: Owners): string | null =>
  b.guardrail.stopOwnerId ?? m.stopOwnerId ?? m.ownerId;

/** Who may decide a breach: the one who can say stop, and the mechanism's owner. */
export const breachDeciders = (b: Pick<GuardrailBreach, "guardrail">, m: Owners): string[] =>
  [...new Set([breachStopOwner(b, m), m.ownerId])].filter((id): id is string => id !== null);

const PRETTY = { "<=": "≤", "<": "<", ">=": "≥", ">": ">" } as const;

type Line = Pick<Guardrail, "threshold" | "unit"> & { comparison: string | null };

/** "0.3% vs ≤ 0.1%": the reading against its guardrail's line. */
export function breachReadingText(b: { guardrail: Line; value: number }): string {
  const g = b.guardrail;
  const value = withUnit(formatNumber(b.value), g.unit);
  const sign = PRETTY[g.comparison as keyof typeof PRETTY] ?? null;
  if (sign === null || g.threshold === null) return value;
  return `${value} vs ${sign} ${withUnit(formatNumber(g.threshold), g.unit)}`;
}

/** The decision-log entry of a breach decision. */
export function breachEntry(
  b: Pick<GuardrailBreach, "guardrail" | "value">,
  decision: "stop" | "continue",
  reason: string,
): string {
  const name = clipText(b.guardrail.name, 120);
  return decision === "stop"
    ? `Stopped: guardrail ${name} breached (${breachReadingText(b)})`
    : `Kept going past a breached guardrail: ${name} (${breachReadingText(b)}) — ${reason}`;
}
