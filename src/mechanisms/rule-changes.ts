import { formatNumber } from "../shared/number-format.js";
import { clipText } from "../shared/text.js";
import type { Mechanism, MechanismInput, SignalSpec } from "./mechanism.js";

/**
 * "Set the rules before you start" (issue 11): once a mechanism has been reviewed, its aim, its
 * signals' baselines and targets and its checkpoint rule are what the reviews judged it by. An edit
 * to any of them is a change of rules, which the decision log must show with a reason. This lists
 * such changes, one readable line each, so the log says what moved: "Checkpoint rule: “…” → “…”".
 * Pure: the service decides whether a reason is needed.
 */
export function ruleChanges(before: Mechanism, after: MechanismInput): string[] {
  const out: string[] = [];
  const aim = (m: Pick<MechanismInput, "aim" | "aimForWhom" | "aimFrom" | "aimTo" | "aimUnit" | "aimBy">) =>
    `${m.aim} (${m.aimForWhom}): ${value(m.aimFrom, m.aimUnit)} → ${value(m.aimTo, m.aimUnit)} by ${m.aimBy}`;
  if (aim(before) !== aim(after)) out.push(`Aim: ${quoted(aim(before))} → ${quoted(aim(after))}`);

  const key = (s: Pick<SignalSpec, "name">) => s.name.trim().toLowerCase();
  const old = new Map(before.signals.map((s) => [key(s), s]));
  const now = new Map(after.signals.map((s) => [key(s), s]));
  for (const s of after.signals) {
    const was = old.get(key(s));
    if (!was) {
      out.push(
        `Signal added: ${quoted(s.name)} (${s.kind}, ${value(s.baseline, s.unit)} → ${value(s.target, s.unit)})`,
      );
      continue;
    }
    if (was.kind !== s.kind) out.push(`Signal ${quoted(s.name)} role: ${was.kind} → ${s.kind}`);
    if (was.baseline !== s.baseline || was.unit !== s.unit) {
      out.push(
        `Signal ${quoted(s.name)} baseline: ${value(was.baseline, was.unit)} → ${value(s.baseline, s.unit)}`,
      );
    }
    if (was.target !== s.target || was.unit !== s.unit) {
      out.push(
        `Signal ${quoted(s.name)} target: ${value(was.target, was.unit)} → ${value(s.target, s.unit)}`,
      );
    }
  }
  for (const s of before.signals) {
    if (!now.has(key(s))) out.push(`Signal removed: ${quoted(s.name)} (its readings are kept)`);
  }

  if (norm(before.checkpointRule) !== norm(after.checkpointRule)) {
    out.push(`Checkpoint rule: ${quoted(before.checkpointRule)} → ${quoted(after.checkpointRule)}`);
  }
  return out;
}

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
const value = (n: number, unit: string) =>
  `${formatNumber(n)}${unit ? (unit === "%" ? "%" : ` ${unit}`) : ""}`;
/** Each side clipped, so a long aim can't push the reason out of the entry. */
const quoted = (s: string) => `“${clipText(s.trim() || "(none)", 80)}”`;
