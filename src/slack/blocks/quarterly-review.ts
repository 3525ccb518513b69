import type { KnownBlock, ModalView } from "@slack/types";
import {
  type CoePatterns,
  type PriorityItem,
  priorityLines,
  QUARTER_MAX,
  type QuarterlyReview,
  type QuarterlySchedule,
  quarterLabel,
} from "../../quarters/quarterly-review.js";
import { clipText } from "../../shared/text.js";
import { localLabel } from "../../shared/time-format.js";
import { QUARTER_ACTION, QUARTER_BLOCK, QUARTER_VIEW, quarterStayedBlock } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import {
  actions,
  button,
  context,
  datepicker,
  divider,
  header,
  message,
  modal,
  option,
  radio,
  section,
  textInput,
  timepicker,
} from "./kit.js";
import { EMPTY, joinMd, literal, type Mrkdwn, md, mention } from "./mrkdwn.js";

/** Shown per list in a post before "…and N more": a list that long is not a priority list. */
export const LIST_CAP = 10;
/** Section texts are cut well under Slack's 3,000 so escaping (`&` → `&amp;`) still fits. */
const SECTION_BUDGET = 2800;

export interface QuarterModalMeta {
  teamId: string;
  quarter: string;
  /** how many "Did it stay stopped?" questions the modal asks (as text: metadata keeps unknown keys as text) */
  stops: string;
}

/** "Start the quarterly review": value "<team id>|<quarter>". */
const startValue = (teamId: string, quarter: string) => `${teamId}|${quarter}`;
export function readStartValue(value: string): { teamId: string; quarter: string } {
  const [teamId = "", quarter = ""] = value.split("|");
  return { teamId, quarter };
}

const startButton = (teamId: string, quarter: string) =>
  button("Start the quarterly review", QUARTER_ACTION.start, startValue(teamId, quarter), "primary");

/** `/ratchet quarter settings`: the date and time the next review opens, in the team's zone. */
export function buildQuarterSettingsModal(o: {
  teamId: string;
  teamName: string;
  timezone: string;
  schedule: QuarterlySchedule | null;
}): ModalView {
  return modal({
    callbackId: QUARTER_VIEW.settings,
    title: "Quarterly review date",
    submit: "Save",
    privateMetadata: JSON.stringify({ teamId: o.teamId }),
    blocks: [
      section(
        md`When should ${o.teamName}'s next quarterly review open? At that time I post “Quarterly review is open” in the team channel with a button to start it. The review looks back on the quarter its date falls in.`,
      ),
      datepicker(QUARTER_BLOCK.date, "Date of the next quarterly review", {
        initial: o.schedule?.localDate ?? null,
      }),
      timepicker(QUARTER_BLOCK.time, `Time it opens (${o.timezone})`, {
        initial: o.schedule?.localTime ?? "10:00",
      }),
    ],
  });
}

const lines = (items: readonly PriorityItem[]) => priorityLines(items);

/** The guided review: a first draft from the quarter's data, then continue / new / stop, each with its why. */
export function buildQuarterReviewModal(o: {
  teamId: string;
  teamName: string;
  quarter: string;
  existing: QuarterlyReview | null;
  draft: { achieved: string; learned: string };
  lastStopList: readonly string[];
}): ModalView {
  const e = o.existing;
  const stops = o.lastStopList.slice(0, QUARTER_MAX.stopCheck);
  const meta: QuarterModalMeta = { teamId: o.teamId, quarter: o.quarter, stops: String(stops.length) };
  const text = (
    blockId: string,
    label: string,
    initial: string,
    opts: { optional?: boolean; hint?: string; placeholder?: string } = {},
  ) =>
    textInput(blockId, label, {
      multiline: true,
      maxLength: QUARTER_MAX.text,
      initial: initial.slice(0, QUARTER_MAX.text),
      ...opts,
    });
  const listHint = "One per line: item — why. Every item needs its why.";
  const blocks: KnownBlock[] = [
    context(
      e
        ? md`*${quarterLabel(o.quarter)}* · ${o.teamName} · already reviewed: saving replaces revision ${e.revision}.`
        : md`*${quarterLabel(o.quarter)}* · ${o.teamName} · a first draft from this quarter's data: edit freely.`,
    ),
    text(QUARTER_BLOCK.achieved, "What we achieved", e?.achieved ?? o.draft.achieved, {
      hint: "Outcomes moved, mechanisms graduated and killed, deviations promoted, COE action items done.",
    }),
    text(QUARTER_BLOCK.learned, "What we learned", e?.learned ?? o.draft.learned, {
      hint: "COE lessons and deviation outcomes.",
    }),
    text(QUARTER_BLOCK.wentWell, "What went well", e?.wentWell ?? "", { optional: true }),
  ];
  if (stops.length > 0) {
    blocks.push(divider(), section(literal("*Last quarter we stopped these. Did each stay stopped?*")));
    stops.forEach((item, i) => {
      blocks.push(
        radio(
          quarterStayedBlock(i),
          `Did it stay stopped? ${item}`,
          [option("Yes, it stayed stopped", "yes"), option("No, it crept back", "no")],
          {},
        ),
      );
    });
  }
  blocks.push(
    text(
      QUARTER_BLOCK.behaviour,
      "Name a behaviour we changed last quarter and the evidence",
      e?.behaviourChanged ?? "",
      {
        placeholder: "We now … — the evidence: …",
      },
    ),
    divider(),
    text(QUARTER_BLOCK.continueItems, "Priorities to continue", lines(e?.continueItems ?? []), {
      optional: true,
      hint: listHint,
    }),
    text(QUARTER_BLOCK.newItems, "New priorities", lines(e?.newItems ?? []), {
      optional: true,
      hint: listHint,
    }),
    text(QUARTER_BLOCK.stopItems, "What we stop", lines(e?.stopItems ?? []), {
      hint: `${listHint} Name at least one thing we stop doing.`,
      placeholder: "Weekly status report — nobody reads it; the rollup covers it",
    }),
  );
  return modal({
    callbackId: QUARTER_VIEW.review,
    title: "Quarterly review",
    submit: "Save and post",
    privateMetadata: JSON.stringify(meta),
    blocks,
  });
}

/** The scheduled post in the team channel. */
export function buildQuarterOpen(o: { teamId: string; quarter: string }): SlackMessage {
  return message(md`Quarterly review is open: ${quarterLabel(o.quarter)}`, [
    section(
      md`*Quarterly review is open* for ${quarterLabel(o.quarter)}. Look back on what we achieved and learned, then agree what we continue, start and stop — each with its why.`,
    ),
    actions([startButton(o.teamId, o.quarter)]),
  ]);
}

/** Lines cut into sections under Slack's limit; past `cap` lines, "…and N more". */
function listSections(title: string, items: readonly Mrkdwn[], empty: string): KnownBlock[] {
  if (items.length === 0) return [section(md`*${title}*\n_${empty}_`)];
  // Items are at most QUARTER_MAX.itemLine characters (the parser's limit), so a line fits a section.
  const shown = items.slice(0, LIST_CAP).map((l) => md`• ${l}`);
  if (items.length > LIST_CAP) shown.push(md`_…and ${items.length - LIST_CAP} more_`);
  return sectionsOf(title, shown);
}

/** Free text, one escaped line per paragraph, each paragraph clipped so it fits a section. */
function textSections(title: string, text: string, empty: string): KnownBlock[] {
  const paras = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (paras.length === 0) return [section(md`*${title}*\n_${empty}_`)];
  return sectionsOf(
    title,
    paras.map((p) => md`${clipText(p, 1200)}`),
  );
}

/** At most this many sections per part, so the whole review stays one message under 50 blocks. */
const SECTIONS_PER_PART = 3;

/** Lines packed into sections under Slack's limit; what does not fit in SECTIONS_PER_PART is counted. */
function sectionsOf(title: string, lines: readonly Mrkdwn[]): KnownBlock[] {
  const chunks: Mrkdwn[][] = [[md`*${title}*`]];
  let size = title.length + 2;
  let left = 0;
  for (const [i, l] of lines.entries()) {
    if (size + l.length + 1 > SECTION_BUDGET) {
      if (chunks.length === SECTIONS_PER_PART) {
        left = lines.length - i;
        break;
      }
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)?.push(l);
    size += l.length + 1;
  }
  const out: KnownBlock[] = chunks.map((c) => section(joinMd(c, "\n")));
  if (left > 0)
    out.push(context(md`…and ${left} more line(s): \`/ratchet quarter export\` has the whole review.`));
  return out;
}

const itemLine = (i: PriorityItem): Mrkdwn => md`*${i.item}* — ${i.why}`;

/** The submitted review as ONE message in the team channel. */
export function buildQuarterlyReviewPost(o: { review: QuarterlyReview; teamName: string }): SlackMessage {
  const r = o.review;
  const label = quarterLabel(r.quarter);
  const revised = r.revision > 1 ? md` (revision ${r.revision}: replaces the earlier one)` : EMPTY;
  const stayed = r.stoppedCheck.map((s) => md`${s.item}: ${s.stayed ? "stayed stopped" : "crept back"}`);
  return message(md`Quarterly review ${label}: ${o.teamName}`, [
    header(`Quarterly review ${label}: ${o.teamName}`),
    context(md`By ${mention(r.submittedBy)}${revised}`),
    ...textSections("What we achieved", r.achieved, "Nothing written."),
    ...textSections("What we learned", r.learned, "Nothing written."),
    ...textSections("What went well", r.wentWell, "Nothing written."),
    ...(stayed.length > 0 ? listSections("Did last quarter's stops stay stopped?", stayed, "") : []),
    ...textSections("A behaviour we changed, and the evidence", r.behaviourChanged, "Nothing written."),
    divider(),
    ...listSections("We continue", r.continueItems.map(itemLine), "Nothing carried on."),
    ...listSections("New priorities", r.newItems.map(itemLine), "Nothing new."),
    ...listSections("We stop", r.stopItems.map(itemLine), "Nothing stopped."),
  ]);
}

/** `/ratchet quarter`: this quarter's review (or how to start one) and the COE pattern review. */
export function buildQuarterOverview(o: {
  teamId: string;
  teamName: string;
  quarter: string;
  review: QuarterlyReview | null;
  schedule: QuarterlySchedule | null;
  timezone: string;
  patterns: CoePatterns;
}): SlackMessage {
  const label = quarterLabel(o.quarter);
  const r = o.review;
  const status = r
    ? md`Reviewed by ${mention(r.submittedBy)}${r.revision > 1 ? md` (revision ${r.revision})` : EMPTY}: ${r.continueItems.length} continued, ${r.newItems.length} new, ${r.stopItems.length} stopped. Starting it again replaces it.`
    : md`No quarterly review for ${label} yet. Start it now: it opens with a first draft from this quarter's mechanisms, deviations and COEs.`;
  const when = o.schedule?.opensAt
    ? md`The next review opens ${localLabel(o.schedule.opensAt, o.timezone)}. Change it with \`/ratchet quarter settings\`.`
    : md`No review date set. Set one with \`/ratchet quarter settings\` and I'll open it in the channel.`;
  const p = o.patterns;
  const pattern: Mrkdwn[] = [];
  if (p.incidentCount === 0) pattern.push(md`No COEs this quarter yet.`);
  else {
    pattern.push(
      md`${p.incidentCount} COE(s) this quarter, ${p.repeatCount} repeat(s) of an earlier incident.`,
    );
    if (p.topCategories.length > 0)
      pattern.push(
        md`Top contributing factors: ${p.topCategories.map((c) => `${c.category} (${c.count})`).join(", ")}`,
      );
    if (p.topTags.length > 0)
      pattern.push(md`Top tags: ${p.topTags.map((t) => `${t.tag} (${t.count})`).join(", ")}`);
  }
  const open = p.openActionItems.map(
    (a) =>
      md`${a.text} (${a.incident})${a.ownerId ? md` · ${mention(a.ownerId)}` : EMPTY}${a.dueDate ? md` · due ${a.dueDate}` : EMPTY}`,
  );
  return message(md`Quarter ${label}: ${o.teamName}`, [
    header(`Quarter ${label}: ${o.teamName}`),
    section(status),
    context(when),
    actions([
      startButton(o.teamId, o.quarter),
      button("Set the review date", QUARTER_ACTION.settings, o.teamId),
    ]),
    divider(),
    section(md`*COE pattern review*\n${joinMd(pattern, "\n")}`),
    ...listSections("Action items still open", open, "None: every COE action item is closed."),
  ]);
}

/** The answer to `/ratchet quarter export`, and to a word `/ratchet quarter` doesn't know. */
export const quarterReply = (o: "exported" | "nothing" | "usage"): Mrkdwn =>
  o === "exported"
    ? md`Uploaded the latest quarterly review as Markdown to the team channel.`
    : o === "nothing"
      ? md`No quarterly review to export yet. Start one with \`/ratchet quarter\`.`
      : md`Try \`/ratchet quarter\`, \`/ratchet quarter settings\` or \`/ratchet quarter export\`.`;
