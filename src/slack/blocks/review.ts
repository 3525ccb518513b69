import type { KnownBlock, ModalView } from "@slack/types";
import {
  type Decision,
  type LatestReadings,
  type Mechanism,
  type ReadingValues,
  slotInKind,
} from "../../mechanisms/mechanism.js";
import { ACTION, PEOPLE_ACTION, REVIEW_BLOCK, readingBlock, VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import {
  CHECKPOINT_LABEL,
  DECISION_EMOJI,
  DECISION_LABEL,
  decisionDetails,
  user,
  withUnit,
} from "./format.js";
import { guardrailReadingBlocks } from "./guardrails.js";
import {
  actions,
  button,
  context,
  header,
  message,
  modal,
  numberInput,
  option,
  radio,
  section,
  textInput,
} from "./kit.js";
import { joinMd, type Mrkdwn, md, quote } from "./mrkdwn.js";

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
  option("🎓 Graduate — it's proven: make it a team default", "graduate"),
];

/** The inputs every decision form shares, after the decision itself: its details and its entry. */
function decisionDetailInputs(entryPlaceholder?: string): KnownBlock[] {
  return [
    textInput(REVIEW_BLOCK.changeDetail, "If change: what changes?", {
      optional: true,
      multiline: true,
      maxLength: 600,
    }),
    textInput(REVIEW_BLOCK.floor, "If graduate: what becomes the team default?", {
      optional: true,
      multiline: true,
      maxLength: 600,
      hint: "It joins the team's Floor: the defaults every new mechanism starts from.",
    }),
    textInput(REVIEW_BLOCK.gateReason, "If you continue although the checkpoint fails: why?", {
      optional: true,
      multiline: true,
      maxLength: 600,
      hint: "Required then. It's logged as continued against its gate; twice in a row raises an alarm.",
    }),
    textInput(REVIEW_BLOCK.entry, "Decision log entry (1–3 lines)", {
      multiline: true,
      maxLength: 600,
      ...(entryPlaceholder ? { placeholder: entryPlaceholder } : {}),
    }),
  ];
}

function checkpointText(rule: string, cp: CheckpointView | null): Mrkdwn {
  const bare = rule.replace(/^continue if\s*/i, "");
  const head = md`*Checkpoint:* continue if ${bare ? md`${bare}` : md`_no rule written_`}`;
  if (!cp) return md`${head}\n_Enter readings to evaluate the rule._`;
  const gate =
    cp.result === "fail"
      ? md`\n⚠️ *The gate fails on these readings.* Continuing anyway needs a reason below.`
      : md``;
  return md`${head}\n${CHECKPOINT_LABEL[cp.result]}\n${joinMd(cp.lines, "\n")}${gate}`;
}

/** The 15-minute review: what changed, readings, the checkpoint evaluated live, and a decision. */
export function buildReviewModal(o: {
  meta: ReviewModalMeta;
  mechanism: Mechanism;
  latestReadings: LatestReadings;
  checkpoint: CheckpointView | null;
  /** guardrail readings typed so far (by guardrail id), to show a breach as it is typed */
  guardrailReadings?: ReadingValues;
}): ModalView {
  const m = o.mechanism;
  const blocks: KnownBlock[] = [
    section(md`*${m.title}*\n${m.statement}`),
    textInput(REVIEW_BLOCK.whatChanged, "What changed?", { multiline: true, maxLength: 600 }),
    textInput(REVIEW_BLOCK.whatDidnt, "What didn't?", { multiline: true, maxLength: 600 }),
    textInput(REVIEW_BLOCK.why, "Why?", { multiline: true, maxLength: 600 }),
    header("Signal readings"),
  ];
  for (const s of m.signals) {
    const last = o.latestReadings[s.id];
    blocks.push(
      numberInput(
        readingBlock(s.kind, slotInKind(m.signals, s)),
        `${s.kind}: ${s.name}${s.unit ? ` (${s.unit})` : ""}`,
        {
          optional: true,
          dispatch: true,
          // A hint is plain text (never parsed for mentions), so the unescaped unit is safe here.
          hint: `Baseline ${withUnit(s.baseline, s.unit).text} → target ${withUnit(s.target, s.unit).text}${
            last ? ` · last reading ${withUnit(last.value, s.unit).text}` : ""
          }`,
        },
      ),
    );
  }
  blocks.push(...guardrailReadingBlocks(m, o.guardrailReadings ?? {}));
  blocks.push(
    section(checkpointText(m.checkpointRule, o.checkpoint), REVIEW_BLOCK.checkpoint),
    radio(REVIEW_BLOCK.decision, "Decision", decisionOptions),
    ...decisionDetailInputs("Continue: proxy +12 pts, outcome +2; widen to all of Segment S next week."),
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
    ? [section(md`*${o.preset.title}*\n${o.preset.statement}`)]
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
  blocks.push(radio(REVIEW_BLOCK.decision, "Decision", decisionOptions), ...decisionDetailInputs());
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
  const late = o.late ? md` _(posted late: Ratchet was offline at the scheduled time)_` : md``;
  return message(md`15-minute review due: ${m.title}`, [
    section(
      md`⏱️ *15-minute review due — ${m.title}*${late}\nWhat changed? What didn't? Why? Then decide: continue, change or stop.`,
    ),
    context(md`Scheduled ${o.dueLabel} · owner ${user(m.ownerId)}`),
    actions([
      button("Open review", ACTION.openReview, o.reviewId, "primary"),
      button("Skip this one", PEOPLE_ACTION.skipReview, o.reviewId),
      button("Add to calendar", PEOPLE_ACTION.addToCalendar, m.id),
    ]),
  ]);
}

/** The reminder after someone skipped it, edited in place: who, and where the occurrence went. */
export function buildReviewSkipped(o: {
  mechanism: Mechanism;
  by: string;
  dueLabel: string;
  movedLabel: string | null;
  nextLabel: string | null;
}): SlackMessage {
  const where = o.movedLabel
    ? md`Moved to *${o.movedLabel}*.`
    : o.nextLabel
      ? md`It merges into the next review, *${o.nextLabel}*.`
      : md`No later review is scheduled.`;
  return message(md`Review skipped: ${o.mechanism.title}`, [
    section(md`⏭️ *Review skipped — ${o.mechanism.title}* by ${user(o.by)}. ${where}`),
    context(md`Was scheduled ${o.dueLabel} · skipped reviews don't count as missed`),
  ]);
}

/** The reminder after the review was held, edited in place. */
export function buildReviewDone(o: {
  mechanism: Mechanism;
  decision: Decision;
  dueLabel: string;
}): SlackMessage {
  const d = o.decision;
  return message(md`Review held: ${o.mechanism.title} — ${DECISION_LABEL[d.decision]}`, [
    section(
      md`✅ *Review held — ${o.mechanism.title}*: ${DECISION_EMOJI[d.decision]} ${DECISION_LABEL[d.decision]} by ${user(d.decidedBy)}`,
    ),
    context(md`Scheduled ${o.dueLabel} · ${CHECKPOINT_LABEL[d.checkpoint]}`),
  ]);
}

/** A decision-log entry, posted in the one-pager's thread. */
export function buildDecisionEntry(o: {
  mechanism: Mechanism;
  decision: Decision;
  checkpointLines: string[];
}): SlackMessage {
  const d = o.decision;
  const parts: Mrkdwn[] = [
    md`${DECISION_EMOJI[d.decision]} *${DECISION_LABEL[d.decision]}* — ${o.mechanism.title} · ${CHECKPOINT_LABEL[d.checkpoint]}`,
    quote(d.entry),
    ...decisionDetails(d),
  ];
  if (d.whatChanged) parts.push(md`*What changed:* ${d.whatChanged}`);
  if (d.whatDidnt) parts.push(md`*What didn't:* ${d.whatDidnt}`);
  if (d.why) parts.push(md`*Why:* ${d.why}`);
  const blocks: KnownBlock[] = [section(joinMd(parts, "\n"))];
  if (o.checkpointLines.length > 0) blocks.push(context(joinMd(o.checkpointLines, " · ")));
  blocks.push(
    context(
      md`Logged by ${user(d.decidedBy)}${d.source === "command" ? " with /ratchet log" : " at the review"}`,
    ),
  );
  return message(md`Decision: ${DECISION_LABEL[d.decision]} — ${o.mechanism.title}`, blocks);
}
