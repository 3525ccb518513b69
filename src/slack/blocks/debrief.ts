import type { KnownBlock, ModalView } from "@slack/types";
import type { DebriefAnswer } from "../../debriefs/debrief.js";
import { DEBRIEF_ACTION, DEBRIEF_BLOCK, DEBRIEF_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { actions, button, context, header, message, modal, section, textInput } from "./kit.js";
import { channelLink, joinMd, literal, type Mrkdwn, md, quote } from "./mrkdwn.js";

/** Longest answer per field: a debrief is three short lines, not a report. */
export const ANSWER_MAX = 500;
/** Slack allows 50 blocks per message; the digest keeps a margin for its header and footer. */
const MAX_DIGEST_BLOCKS = 45;
const SECTION_CHARS = 2900;

export interface DebriefAnswerMeta {
  roundId: string;
}

/** The week's prompt in the team channel. */
export function buildDebriefPrompt(o: { roundId: string; digestTime: string; late: boolean }): SlackMessage {
  const late = o.late ? md` _(posted late: Ratchet was offline at the scheduled time)_` : md``;
  return message(literal("End-of-week debrief: what did you ship or learn this week?"), [
    section(
      md`🗓️ *End-of-week debrief*${late}\nNo preparation needed — three short lines: what you shipped or learned, where you'd like input or a second pair of eyes, and anything blocking you.`,
    ),
    actions([button("Share my week", DEBRIEF_ACTION.share, o.roundId, "primary")]),
    context(md`Answers appear in this thread. Digest at ${o.digestTime}.`),
  ]);
}

/** The three-question modal, prefilled with what the person already shared this round. */
export function buildDebriefAnswerModal(o: {
  meta: DebriefAnswerMeta;
  answer: DebriefAnswer | null;
  digested: boolean;
}): ModalView {
  const a = o.answer;
  const blocks: KnownBlock[] = [];
  if (o.digested) {
    blocks.push(
      context(
        md`⏰ This week's digest is already posted. You can still share — your answer goes in the prompt's thread, not in the digest.`,
      ),
    );
  }
  blocks.push(
    textInput(DEBRIEF_BLOCK.shipped, "What I shipped or learned", {
      multiline: true,
      maxLength: ANSWER_MAX,
      initial: a?.shipped ?? null,
      placeholder: "e.g. Cut the nightly pipeline from 3h to 40 min",
    }),
    textInput(DEBRIEF_BLOCK.input, "Where I want input / a second pair of eyes", {
      optional: true,
      multiline: true,
      maxLength: ANSWER_MAX,
      initial: a?.input ?? null,
      placeholder: "e.g. Is the retry design in PR #412 sound?",
    }),
    textInput(DEBRIEF_BLOCK.blockers, "Blockers", {
      optional: true,
      multiline: true,
      maxLength: ANSWER_MAX,
      initial: a?.blockers ?? null,
    }),
  );
  return modal({
    callbackId: DEBRIEF_VIEW.answer,
    title: "Share my week",
    submit: a ? "Update" : "Share",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

/** One person's answer, as a reply in the prompt's thread (edited in place on resubmit). */
export function buildDebriefAnswerReply(o: { answer: DebriefAnswer; afterDigest: boolean }): SlackMessage {
  const a = o.answer;
  const parts: Mrkdwn[] = [
    md`*${user(a.userId)}'s week*${o.afterDigest ? " _(shared after the digest)_" : ""}`,
    md`✅ *Shipped / learned*\n${quote(a.shipped)}`,
  ];
  if (a.input) parts.push(md`🙋 *Wants input on*\n${quote(a.input)}`);
  if (a.blockers) parts.push(md`🚧 *Blocked by*\n${quote(a.blockers)}`);
  return message(md`End-of-week debrief: ${user(a.userId)}'s week`, [section(joinMd(parts, "\n"))]);
}

/**
 * The DM to someone who has not shared yet, with the same button as the prompt and a way to stop
 * these DMs; once stopped (`optedOut`), the DM says so and offers the way back.
 */
export function buildDebriefNudge(o: {
  roundId: string;
  channelId: string;
  digestTime: string;
  teamName: string;
  optedOut: boolean;
}): SlackMessage {
  const share = button("Share my week", DEBRIEF_ACTION.share, o.roundId, "primary");
  const toggle = o.optedOut
    ? button("Nudge me again", DEBRIEF_ACTION.nudgesOn, o.roundId)
    : button("Stop nudging me", DEBRIEF_ACTION.nudgesOff, o.roundId);
  const note = o.optedOut
    ? md`🔕 You won't get debrief nudges from *${o.teamName}* any more; you can still share. *Nudge me again* or \`/ratchet debrief nudges on\` in ${channelLink(o.channelId)} turns them back on.`
    : md`Not for you? *Stop nudging me* turns these DMs off for *${o.teamName}*; \`/ratchet debrief nudges on\` turns them back on.`;
  return message(md`Share your week before the debrief digest at ${o.digestTime}`, [
    section(
      md`👋 The end-of-week debrief in ${channelLink(o.channelId)} closes at *${o.digestTime}*. Three short lines — what you shipped or learned, where you'd like input, what blocks you.`,
    ),
    actions([share, toggle]),
    context(note),
  ]);
}

/** Lines grouped into sections under Slack's text limit (measured after escaping). */
function sections(title: Mrkdwn, lines: Mrkdwn[]): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = title;
  for (const line of lines) {
    if (current.length + line.length + 1 > SECTION_CHARS) {
      out.push(section(current));
      current = line;
    } else {
      current = md`${current}\n${line}`;
    }
  }
  out.push(section(current));
  return out;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " / ");

/**
 * The digest: who shared, every request for input with its author, blockers, and what was shipped.
 * People who did not share are counted, never named: the debrief is an invitation, not a roll call.
 */
export function buildDebriefDigest(o: {
  dateLabel: string;
  answers: DebriefAnswer[];
  memberCount: number;
}): SlackMessage {
  const answers = [...o.answers].sort((a, b) => a.userId.localeCompare(b.userId));
  const shared = answers.length;
  const total = Math.max(o.memberCount, shared);
  const title = `End-of-week debrief — ${o.dateLabel}`;
  if (shared === 0) {
    return message(md`${title}: nobody shared this week`, [
      header(title),
      section(
        md`Nobody shared this week${total > 0 ? ` (0 of ${total})` : ""}. That's fine — the debrief needs no preparation: next time, press *Share my week* on the prompt and write three short lines. A half-finished idea is exactly what a second pair of eyes is for.`,
      ),
    ]);
  }
  const count = md`*${shared} of ${total} shared*: ${joinMd(
    answers.map((a) => user(a.userId)),
    ", ",
  )}`;
  const line = (a: DebriefAnswer, text: string) => md`• ${user(a.userId)}: ${oneLine(text)}`;
  const inputs = answers.filter((a) => a.input).map((a) => line(a, a.input));
  const blockers = answers.filter((a) => a.blockers).map((a) => line(a, a.blockers));
  const shipped = answers.map((a) => line(a, a.shipped));
  const blocks: KnownBlock[] = [header(title), section(count)];
  blocks.push(
    ...(inputs.length > 0
      ? sections(md`🙋 *Asking for input* — can you help?`, inputs)
      : [section(md`🙋 *Asking for input* — nobody asked this week.`)]),
  );
  blocks.push(
    ...(blockers.length > 0
      ? sections(md`🚧 *Blockers*`, blockers)
      : [section(md`🚧 *Blockers* — none reported.`)]),
  );
  blocks.push(...sections(md`✅ *Shipped & learned*`, shipped));
  const kept = blocks.slice(0, MAX_DIGEST_BLOCKS);
  kept.push(context(md`Full answers are in the thread of this week's prompt.`));
  return message(md`${title}: ${shared} of ${total} shared`, kept);
}
