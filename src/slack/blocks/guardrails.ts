import type { KnownBlock } from "@slack/types";
import { isBreached } from "../../mechanisms/guardrail.js";
import type { Guardrail, Mechanism, ReadingValues } from "../../mechanisms/mechanism.js";
import { formatNumber } from "../../shared/number-format.js";
import { withUnit } from "../../shared/text.js";
import { guardrailReadingBlock } from "../ids.js";
import { user } from "./format.js";
import { context, header, numberInput, section } from "./kit.js";
import { joinMd, md } from "./mrkdwn.js";

const PRETTY = { "<=": "≤", "<": "<", ">=": "≥", ">": ">" } as const;

/** "≤ 0.1%": a guardrail's line as people read it; "" when it draws none. */
export const guardrailLine = (g: Guardrail): string =>
  g.comparison === null || g.threshold === null
    ? ""
    : `${PRETTY[g.comparison]} ${withUnit(formatNumber(g.threshold), g.unit)}`;

/**
 * The review modal's guardrail part: a reading for each guardrail with a line, and each one the typed
 * readings cross shown as breached, in red, with who decides (issue 11).
 */
export function guardrailReadingBlocks(
  m: Pick<Mechanism, "guardrails" | "stopOwnerId">,
  typed: ReadingValues,
): KnownBlock[] {
  const guardrails = m.guardrails ?? [];
  if (guardrails.length === 0) return [];
  const blocks: KnownBlock[] = [header("Guardrail readings")];
  const breached: Guardrail[] = [];
  guardrails.forEach((g, i) => {
    const line = guardrailLine(g);
    if (line === "") {
      blocks.push(context(md`🛡️ ${g.name}: no threshold — add one on the one-pager so it can be read`));
      return;
    }
    blocks.push(
      numberInput(guardrailReadingBlock(i), `🛡️ ${g.name}${g.unit ? ` (${g.unit})` : ""}`, {
        optional: true,
        dispatch: true,
        // A hint is plain text (never parsed for mentions), so the unescaped name is safe here.
        hint: `Holds while ${line}; crossing it stops the test unless its stop owner says keep going.`,
      }),
    );
    const value = typed[g.id];
    if (value !== undefined && isBreached(g, value)) breached.push(g);
  });
  if (breached.length > 0) {
    const lines = breached.map(
      (g) =>
        md`🔴 *Breached* — ${g.name}: ${withUnit(formatNumber(typed[g.id] ?? 0), g.unit)}, the line is ${guardrailLine(g)} · ${user(g.stopOwnerId ?? m.stopOwnerId)} can say stop`,
    );
    blocks.push(section(joinMd(lines, "\n"), "review_guardrails"));
  }
  return blocks;
}
