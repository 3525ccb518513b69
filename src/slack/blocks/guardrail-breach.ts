/**
 * A breached guardrail's DM to whoever can say stop (issue 11: "guardrails are signals"): which
 * mechanism, which guardrail, the reading against its line, and Stop now / Keep going; once someone
 * decides, the same DM shows the outcome. The Keep going modal asks for the reason. Pure.
 */
import type { ModalView } from "@slack/types";
import type { GuardrailBreach, Mechanism } from "../../mechanisms/mechanism.js";
import { breachReadingText, breachStopOwner } from "../../reviews/guardrail-breach.js";
import { GUARDRAIL_ACTION, GUARDRAIL_BLOCK, GUARDRAIL_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { actions, button, context, message, modal, section, textInput } from "./kit.js";
import { clip, joinMd, type Mrkdwn, md, quote } from "./mrkdwn.js";

/** The Keep going modal's metadata: the reading, and the DM to redraw once decided. */
export interface KeepGoingMeta {
  readingId: string;
  dm?: { channel: string; ts: string };
}

export const KEEP_GOING_REASON_MAX = 500;

/** The breach DM; with the decision once someone decided (its buttons gone). */
export function buildGuardrailBreachDm(o: { mechanism: Mechanism; breach: GuardrailBreach }): SlackMessage {
  const { mechanism: m, breach: b } = o;
  const name = clip(b.guardrail.name, 150);
  const title = clip(m.title, 150);
  const what = md`🔴 *Guardrail breached* on *${title}*\n*${name}*: ${breachReadingText(b)}`;
  const text = md`Guardrail breached on ${title}: ${name}`;
  if (b.decision === null) {
    return message(text, [
      section(what),
      context(md`${user(breachStopOwner(b, m))} can say stop. Stop it now, or keep going and say why.`),
      actions([
        button("Stop now", GUARDRAIL_ACTION.stop, b.readingId, "danger"),
        button("Keep going (reason)", GUARDRAIL_ACTION.keepGoing, b.readingId),
      ]),
    ]);
  }
  const outcome: Mrkdwn =
    b.decision === "stop"
      ? md`⛔ *Stopped* by ${user(b.decidedBy)}`
      : joinMd([md`🟢 *Kept going* by ${user(b.decidedBy)}`, quote(clip(b.decisionReason ?? "", 500))], "\n");
  return message(text, [section(what), section(outcome)]);
}

/** Keep going: the reason is required (it goes into the decision log). */
export function buildKeepGoingModal(o: {
  meta: KeepGoingMeta;
  breach: GuardrailBreach;
  title: string;
}): ModalView {
  return modal({
    callbackId: GUARDRAIL_VIEW.keepGoing,
    title: "Keep going",
    submit: "Keep going",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(
        md`*${clip(o.title, 150)}* — *${clip(o.breach.guardrail.name, 150)}*: ${breachReadingText(o.breach)}`,
      ),
      textInput(GUARDRAIL_BLOCK.reason, "Why keep going past the line?", {
        multiline: true,
        maxLength: KEEP_GOING_REASON_MAX,
        placeholder: "e.g. one noisy hour from a known outage; re-read tomorrow",
      }),
    ],
  });
}

/** Why a click on the breach DM did nothing: someone decided first, or the clicker can't decide. */
export function breachRefusal(
  o: { kind: "already"; breach: GuardrailBreach } | { kind: "not_allowed"; deciders: string[] },
): Mrkdwn {
  if (o.kind === "not_allowed") {
    const who = o.deciders.length ? joinMd(o.deciders.map(user), " or ") : md`its stop owner`;
    return md`Sorry — only ${who} can decide on this guardrail.`;
  }
  const b = o.breach;
  if (b.decision === null) return md`That mechanism has already ended; nothing to decide.`;
  return md`Already decided by ${user(b.decidedBy)}: ${b.decision === "stop" ? "stopped" : "kept going"}.`;
}
