/**
 * Block Kit for the novelty quota: the /ratchet deviate modal, the channel card, the deviation log,
 * the mid-cycle reminder, the cycle-end outcome prompt and its modal. Pure: data in, views out.
 */
import { TZDate } from "@date-fns/tz";
import type { InputBlock, KnownBlock, ModalView } from "@slack/types";
import { format } from "date-fns/format";
import type { Cycle, Deviation, FinalVerdict, Verdict } from "../../deviations/deviation.js";
import type { Team } from "../../teams/team.js";
import { DEV_BLOCK, DEVIATION_ACTION, DEVIATION_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import {
  actions,
  button,
  context,
  header,
  message,
  modal,
  option,
  plain,
  radio,
  section,
  staticSelect,
  textInput,
  usersSelect,
} from "./kit.js";
import { clip, joinMd, literal, type Mrkdwn, md, quote } from "./mrkdwn.js";

export interface DeviationModalMeta {
  teamId: string;
}

export interface OutcomeModalMeta {
  deviationId: string;
  /** the DM holding the "Record outcome" button, edited once the outcome is saved */
  prompt?: { channel: string; ts: string };
}

/** Longest texts the modal accepts; the log and cards clip further. */
export const DEVIATION_MAX = {
  area: 80,
  deviation: 300,
  hypothesis: 500,
  benefit: 300,
  risk: 300,
  outcome: 600,
};

/** How many deviations /ratchet deviations shows before "…and N more". */
export const LOG_CAP = 20;
/** Slack allows 50 blocks in a message; one is kept for "…and N more". */
const MAX_LOG_BLOCKS = 49;

export const SENSITIVE_VALUE = "sensitive";
export const NOT_SENSITIVE_VALUE = "not_sensitive";

const VERDICT_TEXT: Record<Verdict, string> = {
  open: "⏳ open — decide at cycle end",
  promote: "🟢 Promoted to a default",
  retire: "⚪ Retired",
};

/** "Tue 24 Nov – Tue 1 Dec": a cycle as people in the team's zone read it (end is the next cycle's start). */
export function cycleLabel(c: Pick<Cycle, "start" | "end">, tz: string): string {
  const day = (d: Date) => format(new TZDate(d, tz), "EEE d MMM");
  return `${day(c.start)} – ${day(c.end)}`;
}

/** /ratchet deviate: one row of the Appendix B deviation log, plus the guardrail. */
export function buildDeviationModal(o: {
  meta: DeviationModalMeta;
  teamName: string;
  tz: string;
  current: Cycle;
  next: Cycle;
}): ModalView {
  const cycles = [
    option(`This cycle (${cycleLabel(o.current, o.tz)})`, String(o.current.index)),
    option(`Next cycle (${cycleLabel(o.next, o.tz)})`, String(o.next.index)),
  ];
  const sensitive: InputBlock = {
    type: "input",
    block_id: DEV_BLOCK.sensitive,
    optional: true,
    label: plain("Guardrail"),
    element: {
      type: "checkboxes",
      action_id: DEV_BLOCK.sensitive,
      options: [
        option("Touches security, compliance or user-data handling", SENSITIVE_VALUE),
        option("Doesn't touch them, though it mentions such words", NOT_SENSITIVE_VALUE),
      ],
    },
    hint: plain(
      "Those areas are off-limits unless pre-approved: tick the first and name the approver below. Tick the second only when asked.",
    ),
  };
  const blocks: KnownBlock[] = [
    context(
      md`*Novelty quota* for *${o.teamName}*: at least one small, reversible deviation from a default each cycle. Label it, review it at cycle end, promote the winners to defaults and retire the rest.`,
    ),
    textInput(DEV_BLOCK.area, "Default area you deviate from", {
      maxLength: DEVIATION_MAX.area,
      placeholder: "e.g. API framework, demo-first calls, template outreach",
    }),
    textInput(DEV_BLOCK.deviation, "Deviation", {
      multiline: true,
      maxLength: DEVIATION_MAX.deviation,
      placeholder: "e.g. Try X on service Y for one cycle",
    }),
    textInput(DEV_BLOCK.hypothesis, "Hypothesis (because…)", {
      multiline: true,
      maxLength: DEVIATION_MAX.hypothesis,
      placeholder: "Because Z should cut p95 by 20%",
    }),
    textInput(DEV_BLOCK.benefit, "Expected benefit", {
      maxLength: DEVIATION_MAX.benefit,
      placeholder: "Better latency",
    }),
    textInput(DEV_BLOCK.risk, "Expected risk", {
      maxLength: DEVIATION_MAX.risk,
      placeholder: "Small migration cost",
    }),
    staticSelect(DEV_BLOCK.cycle, "Cycle", cycles, { initial: String(o.current.index) }),
    sensitive,
    usersSelect(DEV_BLOCK.approver, "Approver", {
      optional: true,
      hint: "Required when the guardrail box is ticked: who pre-approved it (not you).",
    }),
  ];
  return modal({
    callbackId: DEVIATION_VIEW.log,
    title: "Log a deviation",
    submit: "Log deviation",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

/** The short card posted in the team channel when a deviation is logged. */
export function buildDeviationCard(o: { deviation: Deviation; cycleLabel: string }): SlackMessage {
  const d = o.deviation;
  const meta: Mrkdwn[] = [md`Owner ${user(d.ownerId)}`, md`cycle ${o.cycleLabel}`];
  if (d.approverId) meta.push(md`approved by ${user(d.approverId)}`);
  if (d.sensitive) meta.push(md`🔒 security / compliance / user data`);
  return message(md`Deviation logged: ${clip(d.deviation, 200)} (${clip(d.area, 80)})`, [
    section(
      md`🧪 *Deviation logged* — from the default *${clip(d.area, 80)}*\n${quote(clip(d.deviation, 300))}`,
    ),
    section(
      md`*Hypothesis:* ${clip(d.hypothesis, 500)}\n*Benefit:* ${clip(d.benefit, 300)} · *Risk:* ${clip(d.risk, 300)}`,
    ),
    context(joinMd(meta, " · ")),
  ]);
}

/** /ratchet deviations: the Appendix B log, newest cycle first, capped for Slack. */
export function buildDeviationLog(o: {
  team: Team;
  deviations: Deviation[];
  total: number;
  current: Cycle;
  /** deviations filed under the current cycle (counted apart: the shown rows are capped) */
  loggedThisCycle: number;
  cycleLabel: (index: number) => string;
}): SlackMessage {
  const loggedNow = o.loggedThisCycle;
  const quota =
    loggedNow > 0
      ? md`✅ Quota met this cycle (${o.cycleLabel(o.current.index)}): ${loggedNow} logged.`
      : md`⚠️ Nothing logged yet this cycle (${o.cycleLabel(o.current.index)}).`;
  const blocks: KnownBlock[] = [header(`Deviation log — ${o.team.name}`)];
  if (o.total === 0) {
    blocks.push(
      section(
        md`*No deviations yet.* The novelty quota asks each team for *at least one deviation per cycle*: one small, reversible change to a default way of working, with a “because…” hypothesis. At cycle end its owner records the outcome and you promote it to a default or retire it.`,
      ),
      section(
        md`Log one with \`/ratchet deviate\`. Security, compliance and user-data handling are off-limits unless pre-approved.`,
      ),
      context(quota),
    );
    return message(md`${o.team.name} has no deviations yet.`, blocks);
  }
  blocks.push(context(md`${quota} Quota: ≥1 deviation per team per cycle · \`/ratchet deviate\` logs one.`));
  let cycle: number | null = null;
  let shown = 0;
  for (const d of o.deviations.slice(0, LOG_CAP)) {
    const newCycle = d.cycleIndex !== cycle;
    // Every deviation in its own cycle costs two blocks; stop before Slack's limit rather than fail.
    if (blocks.length + (newCycle ? 2 : 1) > MAX_LOG_BLOCKS) break;
    if (newCycle) {
      cycle = d.cycleIndex;
      blocks.push(
        context(md`*Cycle ${o.cycleLabel(cycle)}*${cycle === o.current.index ? " · this cycle" : ""}`),
      );
    }
    blocks.push(section(logRow(d)));
    shown++;
  }
  const more = o.total - shown;
  if (more > 0) blocks.push(context(md`…and ${more} more.`));
  return message(md`Deviation log: ${o.team.name} (${o.total})`, blocks);
}

/** One row with the worksheet's columns: area, deviation, hypothesis, benefit/risk, outcome, verdict. */
function logRow(d: Deviation): Mrkdwn {
  const outcome = d.outcome ? md` · Outcome: ${clip(d.outcome, 400)}` : md``;
  return joinMd(
    [
      md`*${clip(d.area, 80)}* → ${clip(d.deviation, 300)}`,
      md`_${clip(d.hypothesis, 400)}_`,
      md`Benefit: ${clip(d.benefit, 200)} · Risk: ${clip(d.risk, 200)}`,
      md`${VERDICT_TEXT[d.verdict]}${outcome} · owner ${user(d.ownerId)}${d.sensitive ? " · 🔒" : ""}`,
    ],
    "\n",
  );
}

/** Posted once mid-cycle when the team has not logged a deviation yet. */
export function buildQuotaReminder(o: { teamId: string; cycleLabel: string }): SlackMessage {
  return message(literal("Novelty quota: no deviation logged yet this cycle."), [
    section(
      md`🧪 *Novelty quota:* no deviation logged yet this cycle (${o.cycleLabel}).\nPick one reflex — a default way of working — and try one small, reversible deviation with a “because…”. Security, compliance and user-data handling stay off-limits unless pre-approved.`,
    ),
    actions([button("Log a deviation", DEVIATION_ACTION.open, o.teamId, "primary")]),
  ]);
}

/** The cycle-end DM to a deviation's owner. */
export function buildOutcomePrompt(o: { deviation: Deviation; cycleLabel: string }): SlackMessage {
  const d = o.deviation;
  return message(md`Cycle over: how did “${clip(d.deviation, 200)}” go?`, [
    section(
      md`🧪 *Cycle ${o.cycleLabel} is over.* How did your deviation go?\n*${clip(d.area, 80)}* → ${clip(d.deviation, 300)}\n_${clip(d.hypothesis, 400)}_`,
    ),
    context(md`Record what happened, then promote it to a default or retire it.`),
    actions([button("Record outcome", DEVIATION_ACTION.recordOutcome, d.id, "primary")]),
  ]);
}

/** The DM once its outcome is recorded, edited in place so the button is gone. */
export function buildOutcomePromptDone(o: { deviation: Deviation }): SlackMessage {
  const d = o.deviation;
  return message(md`Outcome recorded: ${clip(d.deviation, 200)}`, [
    section(md`✅ *Outcome recorded* — ${clip(d.deviation, 300)}\n${VERDICT_TEXT[d.verdict]}`),
  ]);
}

const verdictOptions = [
  option("🟢 Promote — it becomes a default", "promote"),
  option("⚪ Retire — go back to the default", "retire"),
];

export function buildOutcomeModal(o: { meta: OutcomeModalMeta; deviation: Deviation }): ModalView {
  const d = o.deviation;
  return modal({
    callbackId: DEVIATION_VIEW.outcome,
    title: "Record outcome",
    submit: "Record",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(md`*${clip(d.area, 80)}* → ${clip(d.deviation, 300)}\n_${clip(d.hypothesis, 400)}_`),
      context(md`Expected benefit: ${clip(d.benefit, 300)} · risk: ${clip(d.risk, 300)}`),
      textInput(DEV_BLOCK.outcome, "Outcome: what happened?", {
        multiline: true,
        maxLength: DEVIATION_MAX.outcome,
        placeholder: "e.g. p95 −18%, one rollback during the migration",
      }),
      radio(DEV_BLOCK.verdict, "Verdict", verdictOptions),
    ],
  });
}

const VERDICT_HEADLINE: Record<FinalVerdict, Mrkdwn> = {
  promote: literal("🟢 *Default changed:*"),
  retire: literal("⚪ *Retired:*"),
};

/** Posted in the team channel when a deviation is promoted or retired. */
export function buildVerdictAnnouncement(o: {
  deviation: Deviation & { verdict: FinalVerdict };
  by: string;
}): SlackMessage {
  const d = o.deviation;
  const what = md`${clip(d.deviation, 300)} (instead of ${clip(d.area, 80)})`;
  const text = d.verdict === "promote" ? md`Default changed: ${what}` : md`Retired: ${what}`;
  return message(text, [
    section(
      md`${VERDICT_HEADLINE[d.verdict]} ${clip(d.deviation, 300)} _(instead of ${clip(d.area, 80)})_\n*Outcome:* ${clip(d.outcome, 600)}`,
    ),
    context(md`Owner ${user(d.ownerId)} · recorded by ${user(o.by)}`),
  ]);
}
