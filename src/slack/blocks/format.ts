/** Formatting shared by message builders. Pure: no clock, no I/O. */
import type { Decision, MechanismStatus } from "../../mechanisms/mechanism.js";
import { withUnit as withUnitText } from "../../shared/text.js";
import { type Mrkdwn, md, mention } from "./mrkdwn.js";

/** A person by id, or "nobody"; a value that isn't a Slack user id is shown as text, never as a mention. */
export const user = (id: string | null | undefined): Mrkdwn => (id ? mention(id) : md`_nobody_`);

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

/** "35%", "12 tickets": the unit is whatever a person typed, so it is escaped like any other text. */
export function withUnit(n: number, unit: string): Mrkdwn {
  return md`${withUnitText(num(n), unit)}`;
}

export const DECISION_EMOJI = { continue: "🟢", change: "🟡", stop: "🔴", graduate: "🎓" } as const;
export const DECISION_LABEL = {
  continue: "Continue",
  change: "Change",
  stop: "Stop",
  graduate: "Graduated",
} as const;
export const CHECKPOINT_LABEL = {
  pass: "✅ checkpoint passed",
  fail: "❌ checkpoint failed",
  unknown: "❔ checkpoint undecided",
} as const;

/** How an ended mechanism is badged wherever it is listed; a graduation is not a kill. */
export const ENDED_BADGE: Record<Exclude<MechanismStatus, "active">, string> = {
  stopped: "🔴 Stopped",
  graduated: "🎓 Graduated",
};

/** The lines a decision adds under its entry: what changes, the new default, a gate overridden. */
export function decisionDetails(
  d: Pick<Decision, "decision" | "changeDetail" | "gateReason"> & Partial<Pick<Decision, "source">>,
): Mrkdwn[] {
  const out: Mrkdwn[] = [];
  // A rule edit's entry already says what moved ("Rule changed: … → … because …").
  if (d.source === "edit") return out;
  if (d.decision === "graduate" && d.changeDetail) out.push(md`*Now a team default:* ${d.changeDetail}`);
  else if (d.changeDetail) out.push(md`*What changes:* ${d.changeDetail}`);
  if (d.gateReason) out.push(md`⚠️ *Continued against its gate:* ${d.gateReason}`);
  return out;
}

/** "🟡 *Change*", or "✏️ *Rule changed*" for a change logged by editing a reviewed one-pager. */
export const decisionHeadline = (d: Pick<Decision, "decision" | "source">): Mrkdwn =>
  d.source === "edit"
    ? md`✏️ *Rule changed*`
    : md`${DECISION_EMOJI[d.decision]} *${DECISION_LABEL[d.decision]}*`;
