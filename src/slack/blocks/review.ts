import type { KnownBlock, ModalView } from "@slack/types";
import type { Decision, Mechanism, Reading, SignalKind } from "../../mechanisms/mechanism.js";
import { ACTION, REVIEW_BLOCK, readingBlock, VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { CHECKPOINT_LABEL, DECISION_EMOJI, DECISION_LABEL, user, withUnit } from "./format.js";
import {
  actions,
  button,
  context,
  esc,
  header,
  modal,
  numberInput,
  option,
  radio,
  section,
  textInput,
} from "./kit.js";

export interface ReviewModalMeta {
  mechanismId: string;
  reviewId: string | null;
}

export interface CheckpointView {
  result: "pass" | "fail" | "unknown";
  lines: string[];
}

const decisionOptions = [
  option("🟢 Continue — the mechanism is working as bet", "continue"),
  option("🟡 Change — keep the aim, change the mechanism", "change"),
  option("🔴 Stop — kill it and log the lesson", "stop"),
];

export function checkpointText(rule: string, cp: CheckpointView | null): string {
  const head = `*Checkpoint:* continue if ${esc(rule.replace(/^continue if\s*/i, "")) || "_no rule written_"}`;
  if (!cp) return `${head}\n_Enter readings to evaluate the rule._`;
  return `${head}\n${CHECKPOINT_LABEL[cp.result]}\n${cp.lines.map(esc).join("\n")}`;
}

/** The 15-minute review: what changed, readings, the checkpoint evaluated live, and a decision. */
export function buildReviewModal(o: {
  meta: ReviewModalMeta;
  mechanism: Mechanism;
  latestReadings: Partial<Record<SignalKind, Reading>>;
  checkpoint: CheckpointView | null;
}): ModalView {
  const m = o.mechanism;
  const blocks: KnownBlock[] = [
    section(`*${esc(m.title)}*\n${esc(m.statement)}`),
    textInput(REVIEW_BLOCK.whatChanged, "What changed?", { multiline: true, maxLength: 600 }),
    textInput(REVIEW_BLOCK.whatDidnt, "What didn't?", { multiline: true, maxLength: 600 }),
    textInput(REVIEW_BLOCK.why, "Why?", { multiline: true, maxLength: 600 }),
    header("Signal readings"),
  ];
  for (const s of m.signals) {
    const last = o.latestReadings[s.kind];
    blocks.push(
      numberInput(readingBlock(s.kind), `${s.kind}: ${s.name}${s.unit ? ` (${s.unit})` : ""}`, {
        optional: true,
        dispatch: true,
        hint: `Baseline ${withUnit(s.baseline, s.unit)} → target ${withUnit(s.target, s.unit)}${
          last ? ` · last reading ${withUnit(last.value, s.unit)}` : ""
        }`,
      }),
    );
  }
  blocks.push(
    section(checkpointText(m.checkpointRule, o.checkpoint), REVIEW_BLOCK.checkpoint),
    radio(REVIEW_BLOCK.decision, "Decision", decisionOptions),
    textInput(REVIEW_BLOCK.changeDetail, "If change: what changes?", {
      optional: true,
      multiline: true,
      maxLength: 600,
    }),
    textInput(REVIEW_BLOCK.entry, "Decision log entry (1–3 lines)", {
      multiline: true,
      maxLength: 600,
      placeholder: "Continue: proxy +12 pts, outcome +2; widen to all of Segment S next week.",
    }),
  );
  return modal({
    callbackId: VIEW.review,
    title: "15-minute review",
    submit: "Record decision",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

/** /ratchet log: a decision on any mechanism at any time. */
export function buildLogDecisionModal(o: {
  teamId: string;
  mechanisms: Mechanism[];
  preset: Mechanism | null;
}): ModalView {
  const blocks: KnownBlock[] = o.preset
    ? [section(`*${esc(o.preset.title)}*\n${esc(o.preset.statement)}`)]
    : [
        {
          type: "input",
          block_id: REVIEW_BLOCK.mechanism,
          label: { type: "plain_text", text: "Mechanism" },
          element: {
            type: "static_select",
            action_id: REVIEW_BLOCK.mechanism,
            options: o.mechanisms.slice(0, 100).map((m) => option(m.title, m.id)),
          },
        },
      ];
  blocks.push(
    radio(REVIEW_BLOCK.decision, "Decision", decisionOptions),
    textInput(REVIEW_BLOCK.changeDetail, "If change: what changes?", {
      optional: true,
      multiline: true,
      maxLength: 600,
    }),
    textInput(REVIEW_BLOCK.entry, "Decision log entry (1–3 lines)", { multiline: true, maxLength: 600 }),
  );
  return modal({
    callbackId: VIEW.logDecision,
    title: "Log a decision",
    submit: "Log",
    blocks,
    privateMetadata: JSON.stringify({ teamId: o.teamId, mechanismId: o.preset?.id ?? null }),
  });
}

/** The reminder posted in the team channel when a review is due. */
export function buildReviewReminder(o: {
  mechanism: Mechanism;
  reviewId: string;
  dueLabel: string;
  late: boolean;
}): SlackMessage {
  const m = o.mechanism;
  return {
    text: `15-minute review due: ${m.title}`,
    blocks: [
      section(
        `⏱️ *15-minute review due — ${esc(m.title)}*${o.late ? " _(posted late: Ratchet was offline at the scheduled time)_" : ""}\nWhat changed? What didn't? Why? Then decide: continue, change or stop.`,
      ),
      context(`Scheduled ${o.dueLabel} · owner ${user(m.ownerId)}`),
      actions([button("Open review", ACTION.openReview, o.reviewId, "primary")]),
    ],
  };
}

/** The reminder after the review was held, edited in place. */
export function buildReviewDone(o: {
  mechanism: Mechanism;
  decision: Decision;
  dueLabel: string;
}): SlackMessage {
  const d = o.decision;
  return {
    text: `Review held: ${o.mechanism.title} — ${DECISION_LABEL[d.decision]}`,
    blocks: [
      section(
        `✅ *Review held — ${esc(o.mechanism.title)}*: ${DECISION_EMOJI[d.decision]} ${DECISION_LABEL[d.decision]} by ${user(d.decidedBy)}`,
      ),
      context(`Scheduled ${o.dueLabel} · ${CHECKPOINT_LABEL[d.checkpoint]}`),
    ],
  };
}

/** A decision-log entry, posted in the one-pager's thread. */
export function buildDecisionEntry(o: {
  mechanism: Mechanism;
  decision: Decision;
  checkpointLines: string[];
}): SlackMessage {
  const d = o.decision;
  const parts = [
    `${DECISION_EMOJI[d.decision]} *${DECISION_LABEL[d.decision]}* — ${esc(o.mechanism.title)} · ${CHECKPOINT_LABEL[d.checkpoint]}`,
    `>${esc(d.entry).replace(/\n/g, "\n>")}`,
  ];
  if (d.changeDetail) parts.push(`*What changes:* ${esc(d.changeDetail)}`);
  if (d.whatChanged) parts.push(`*What changed:* ${esc(d.whatChanged)}`);
  if (d.whatDidnt) parts.push(`*What didn't:* ${esc(d.whatDidnt)}`);
  if (d.why) parts.push(`*Why:* ${esc(d.why)}`);
  const blocks: KnownBlock[] = [section(parts.join("\n"))];
  if (o.checkpointLines.length > 0) blocks.push(context(o.checkpointLines.map(esc).join(" · ")));
  blocks.push(
    context(
      `Logged by ${user(d.decidedBy)}${d.source === "command" ? " with /ratchet log" : " at the review"}`,
    ),
  );
  return { text: `Decision: ${DECISION_LABEL[d.decision]} — ${o.mechanism.title}`, blocks };
}
