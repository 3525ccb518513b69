import type { KnownBlock, ModalView } from "@slack/types";
import type { ActionItemInContext, DmRef } from "../../action-items/action-item.js";
import type { NudgeKind } from "../../action-items/nudge-plan.js";
import { type LoopMetrics, type QuarterMetrics, type Trend, trendOf } from "../../incidents/metrics.js";
import { FACTOR_CATEGORIES } from "../../incidents/types.js";
import { ACTION_ITEM_ACTION, ACTION_ITEM_BLOCK, ACTION_ITEM_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { actions, button, context, datepicker, header, message, modal, section, textInput } from "./kit.js";
import { channelLink, clip, joinMd, link, type Mrkdwn, md } from "./mrkdwn.js";

/** Rides in the Extend / Not doing modals' private_metadata: which item, and the DM to update after. */
export interface ActionItemModalMeta {
  actionItemId: string;
  dm: DmRef | null;
}

const KIND_LABEL = { detect: "🔎 Detect", mitigate: "🩹 Mitigate", prevent: "🛡️ Prevent" } as const;

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** "*Checkout timeouts*" linked to the incident message when Slack gave a link. */
function incidentRef(item: ActionItemInContext, permalink: string | null): Mrkdwn {
  const title = clip(oneLine(item.incident.title), 150);
  if (permalink) return link(permalink, title);
  return item.incident.channelId
    ? md`*${title}* (in ${channelLink(item.incident.channelId)})`
    : md`*${title}*`;
}

const HEADLINE: Record<NudgeKind, (due: string) => Mrkdwn> = {
  pre: (due) => md`⏳ An action item of yours is due on *${due}*`,
  overdue: (due) => md`🔥 An action item of yours is overdue: it was due on *${due}*`,
};

/** What the item is and where it came from: the body every variant of the DM shares. */
function itemLines(item: ActionItemInContext, permalink: string | null): Mrkdwn {
  return joinMd(
    [
      md`*${clip(oneLine(item.findingText), 500)}*`,
      md`${KIND_LABEL[item.kind]} · from the COE ${incidentRef(item, permalink)}`,
      md`Due ${item.dueDate}${item.ticketUrl ? md` · ${link(item.ticketUrl, "ticket")}` : ""}`,
    ],
    "\n",
  );
}

function statusLine(item: ActionItemInContext): Mrkdwn {
  switch (item.status) {
    case "done":
      return md`✅ *Done.* Thanks for closing the loop — the incident's COE is updated.`;
    case "not_doing":
      return md`🚫 *Not doing:* ${clip(oneLine(item.reason), 500)}`;
    default:
      return md`Is it done? If not, move the date with a reason, or say why it won't be done.`;
  }
}

/**
 * The nudge DM and every later state of it (it is updated in place): buttons while the item is
 * open, a status line once it is closed. `note` says what just happened ("Extended to …").
 */
export function buildActionItemDm(o: {
  item: ActionItemInContext;
  kind: NudgeKind;
  link: string | null;
  note?: string;
}): SlackMessage {
  const { item } = o;
  const blocks: KnownBlock[] = [
    section(HEADLINE[o.kind](item.dueDate)),
    section(itemLines(item, o.link), ACTION_ITEM_BLOCK.dmBody),
  ];
  if (o.note) blocks.push(context(md`${o.note}`));
  blocks.push(section(statusLine(item), ACTION_ITEM_BLOCK.dmStatus));
  if (item.status === "open") {
    blocks.push(
      actions(
        [
          button("Done", ACTION_ITEM_ACTION.done, item.id, "primary"),
          button("Extend", ACTION_ITEM_ACTION.extend, item.id),
          button("Not doing", ACTION_ITEM_ACTION.notDoing, item.id),
        ],
        ACTION_ITEM_BLOCK.dmActions,
      ),
    );
  }
  const state =
    item.status === "open"
      ? o.kind === "overdue"
        ? "overdue"
        : `due ${item.dueDate}`
      : item.status === "done"
        ? "done"
        : "not doing";
  return message(md`Action item ${state}: ${clip(oneLine(item.findingText), 120)}`, blocks);
}

/**
 * The nudge for an owner who has left the workspace, posted in the incident's thread so the team
 * can reassign the work: a deactivated account can't read a DM.
 */
export function buildOrphanedNudge(o: { item: ActionItemInContext; kind: NudgeKind }): SlackMessage {
  const { item } = o;
  const when =
    o.kind === "overdue" ? md`was due on *${item.dueDate}* and is overdue` : md`is due on *${item.dueDate}*`;
  return message(md`Action item without an active owner: ${clip(oneLine(item.findingText), 120)}`, [
    section(
      md`⚠️ This action item ${when}, but its owner ${user(item.ownerId)} is deactivated, so I can't remind them.\n*${clip(oneLine(item.findingText), 500)}*`,
    ),
    context(
      md`Pick a new owner by adding the finding again with someone who is still here, or close it as not doing.`,
    ),
  ]);
}

export function buildExtendModal(o: { item: ActionItemInContext; meta: ActionItemModalMeta }): ModalView {
  return modal({
    callbackId: ACTION_ITEM_VIEW.extend,
    title: "Extend action item",
    submit: "Extend",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(md`*${clip(oneLine(o.item.findingText), 500)}*\nDue ${o.item.dueDate}`),
      datepicker(ACTION_ITEM_BLOCK.newDate, "New due date", {
        hint: "After the current due date, and not in the past where you are.",
      }),
      textInput(ACTION_ITEM_BLOCK.extendReason, "Why does it need longer?", {
        multiline: true,
        maxLength: 500,
        placeholder: "Blocked on the database upgrade until the 10th",
      }),
    ],
  });
}

export function buildNotDoingModal(o: { item: ActionItemInContext; meta: ActionItemModalMeta }): ModalView {
  return modal({
    callbackId: ACTION_ITEM_VIEW.notDoing,
    title: "Not doing it",
    submit: "Close it",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(md`*${clip(oneLine(o.item.findingText), 500)}*`),
      textInput(ACTION_ITEM_BLOCK.notDoingReason, "Why won't it be done?", {
        multiline: true,
        maxLength: 500,
        placeholder: "Superseded by the pool autoscaling work in OPS-51",
        hint: "Recorded on the COE, so the next similar incident can see the decision.",
      }),
    ],
  });
}

const pct = (rate: number) => `${Math.round(rate * 100)}%`;
const hours = (h: number) =>
  h < 48 ? `${Math.round(h * 10) / 10} h` : `${Math.round((h / 24) * 10) / 10} days`;
const NOT_ENOUGH = md`_not enough data yet_`;

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `/ratchet incident stats`: the learning loop's health for one team (beyond-the-post-mortem). */
export function buildIncidentStats(o: {
  teamName: string;
  metrics: LoopMetrics;
  quarters: { current: QuarterMetrics; previous: QuarterMetrics };
}): SlackMessage {
  const m = o.metrics;
  const title = `Learning-loop stats — ${o.teamName}, last ${m.windowDays} days`;
  const trend = section(quarterTrendText(o.quarters), ACTION_ITEM_BLOCK.statsTrend);
  if (m.incidentCount === 0) {
    return message(md`${title}`, [
      header(title),
      section(
        md`No incidents were recorded in the last ${m.windowDays} days, so there is nothing to measure yet — a quiet quarter is not a perfect one. Record one with \`/ratchet incident\`.`,
        ACTION_ITEM_BLOCK.stats,
      ),
      trend,
    ]);
  }
  const repeat =
    m.repeatRate === null
      ? NOT_ENOUGH
      : md`*${pct(m.repeatRate)}* (${m.repeatCount} of ${m.incidentCount} incidents looked like an earlier one)`;
  const rootCause =
    m.knownRootCause.rate === null
      ? NOT_ENOUGH
      : md`*${pct(m.knownRootCause.rate)}* (${m.knownRootCause.count} of ${m.incidentCount} COEs have a why-chain ending in a why marked as a root cause)`;
  const tti =
    m.timeToInsight.medianHours === null
      ? md`${NOT_ENOUGH} (no resolved incident has a completed COE)`
      : md`median *${hours(m.timeToInsight.medianHours)}* from resolution to COE complete (${m.timeToInsight.count} COEs)`;
  const notRemediated =
    m.timeToRemediation.notRemediated > 0
      ? md`; ${count(m.timeToRemediation.notRemediated, "COE")} closed every action item as not doing, so nothing was remediated`
      : md``;
  const ttr =
    m.timeToRemediation.medianHours === null
      ? md`${NOT_ENOUGH} (no completed COE has all its action items closed, one at least done)${notRemediated}`
      : md`median *${hours(m.timeToRemediation.medianHours)}* from COE complete to its last action item done (${m.timeToRemediation.count} COEs; items closed as not doing are not remediation)${notRemediated}`;
  const f = m.findings;
  const findings = md`${f.total} (${f.withAction} with action items, ${f.noted} noted with no action${
    f.total - f.withAction - f.noted > 0 ? `, ${f.total - f.withAction - f.noted} not settled yet` : ""
  })`;
  const categories = FACTOR_CATEGORIES.map((c) => `${c} ${m.byCategory[c]}`).join(" · ");
  const tags =
    m.byTag.length === 0
      ? md`_no tags_`
      : joinMd(
          m.byTag.slice(0, 5).map((t) => md`#${t.tag} ${t.count}`),
          " · ",
        );
  return message(md`${title}: ${m.incidentCount} incidents`, [
    header(title),
    section(
      joinMd(
        [
          md`*Incidents:* ${m.incidentCount}`,
          md`*Repeat-incident rate:* ${repeat}`,
          md`*Known root cause:* ${rootCause}`,
          md`*Time to insight:* ${tti}`,
          md`*Time to remediation:* ${ttr}`,
          md`*Findings:* ${findings}`,
          md`*Contributing factors* (incidents with at least one): ${categories}`,
          md`*Top tags:* ${tags}`,
        ],
        "\n",
      ),
      ACTION_ITEM_BLOCK.stats,
    ),
    trend,
    context(
      md`A falling repeat rate means fixes are landing; long remediation means findings aren't becoming prioritised work. Only you can see this.`,
    ),
  ]);
}

const ARROW: Record<Trend, string> = { better: "better", worse: "worse", same: "no change" };

/** One metric this quarter against last: "*33%* vs 50% (better)". */
function versus(
  now: number | null,
  before: number | null,
  show: (v: number) => string,
  better: "lower" | "higher",
): Mrkdwn {
  const shown = (v: number | null) => (v === null ? "—" : show(v));
  const t = trendOf(now, before, better);
  return md`*${shown(now)}* vs ${shown(before)}${t ? ` (${ARROW[t]})` : ""}`;
}

/**
 * This quarter (so far) against last quarter, per metric, on the team's calendar. A dash where a
 * quarter has nothing to measure; "better"/"worse" only when both have a number.
 */
function quarterTrendText(q: { current: QuarterMetrics; previous: QuarterMetrics }): Mrkdwn {
  const c = q.current.metrics;
  const p = q.previous.metrics;
  return joinMd(
    [
      md`*Quarter over quarter:* ${q.current.label} so far vs ${q.previous.label}`,
      md`• Incidents: *${c.incidentCount}* vs ${p.incidentCount}`,
      md`• Repeat-incident rate: ${versus(c.repeatRate, p.repeatRate, pct, "lower")}`,
      md`• Known root cause: ${versus(c.knownRootCause.rate, p.knownRootCause.rate, pct, "higher")}`,
      md`• Time to insight: ${versus(c.timeToInsight.medianHours, p.timeToInsight.medianHours, hours, "lower")}`,
      md`• Time to remediation: ${versus(c.timeToRemediation.medianHours, p.timeToRemediation.medianHours, hours, "lower")}`,
      md`• Findings noted with no action: *${c.findings.noted}* of ${c.findings.total} vs ${p.findings.noted} of ${p.findings.total}`,
    ],
    "\n",
  );
}
