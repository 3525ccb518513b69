/**
 * Block Kit for the weekly business review: `/ratchet wbr` (the team's metrics and its buttons), the
 * four modals (add a metric, link a mechanism signal, record this week's readings, WBR settings), the
 * WBR itself and the owner's reminder DM. Pure: data in, views out.
 */
import type { KnownBlock, ModalView } from "@slack/types";
import type { Notices } from "../../notices.js";
import { localDateKey, localTimeLabel } from "../../scheduler/schedule.js";
import { formatNumber } from "../../shared/number-format.js";
import { WEEKDAYS, weekdayName } from "../../teams/team.js";
import type {
  LinkableSignal,
  Series,
  WbrFlag,
  WbrMetricRow,
  WbrReport,
  WbrSchedule,
  WbrTeamReport,
} from "../../wbr/wbr.js";
import { WBR_ACTION, WBR_BLOCK, WBR_VIEW, wbrReadingBlock } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import {
  actions,
  button,
  channelSelect,
  context,
  divider,
  header,
  message,
  modal,
  numberInput,
  option,
  radio,
  section,
  staticSelect,
  textInput,
  timepicker,
  usersSelect,
} from "./kit.js";
import { channelLink, joinMd, type Mrkdwn, md } from "./mrkdwn.js";

export interface WbrModalMeta {
  teamId: string;
}

/** Longest texts the metric modal accepts. */
export const WBR_MAX = { name: 80, unit: 20 };
/** How many teams the WBR shows in full, and metrics per team, before "and N more". */
export const WBR_TEAM_CAP = 8;
const WBR_METRIC_CAP = 8;
/** The readings modal's inputs (Slack allows 100 blocks in a modal). */
const READINGS_CAP = 40;

const KIND_LABEL = { input: "Input (we control it)", output: "Output (the result we want)" } as const;
const DIRECTION_LABEL = { up: "Up is good", down: "Down is good" } as const;

const FLAG_TEXT: Record<WbrFlag, string> = {
  output_moved_no_input: "⚠️ An output moved, but no input moved: luck, or an input we don't measure?",
  input_moved_output_flat:
    "⚠️ An input moved, but every output stayed flat for 3 weeks: does this input drive the output?",
};

const num = (n: number | null, unit = ""): string =>
  n === null ? "–" : `${formatNumber(n, "−")}${unit && unit !== "%" ? ` ${unit}` : unit}`;

const signed = (n: number | null, unit: string): string =>
  n === null ? "no change to compare" : `${n > 0 ? "+" : n < 0 ? "" : "±"}${num(n, unit)} week over week`;

const targetText = (r: WbrMetricRow): string => {
  const arrow = r.metric.direction === "up" ? "↑" : "↓";
  const t = `target ${arrow} ${num(r.metric.target, r.metric.unit)}`;
  if (r.vsTarget === "met") return `✅ ${t}`;
  if (r.vsTarget === "short") return `🔻 ${t}`;
  return t;
};

const weeksText = (s: Series, unit: string): string => s.map((v) => num(v, unit)).join(" → ");

function metricLine(r: WbrMetricRow): Mrkdwn {
  const source = r.linkedTo ? md` · from _${r.linkedTo}_'s reviews` : md``;
  return md`*${r.metric.name}* · ${user(r.metric.ownerId)}${source}\n${weeksText(r.series, r.metric.unit)} · ${signed(r.change, r.metric.unit)} · ${targetText(r)}`;
}

/** A kind's lines, capped with "and N more". */
function kindLines(rows: WbrMetricRow[], kind: "input" | "output", cap: number): Mrkdwn | null {
  const mine = rows.filter((r) => r.metric.kind === kind);
  if (mine.length === 0) return null;
  const title = kind === "input" ? "Inputs" : "Outputs";
  const shown = mine.slice(0, cap).map(metricLine);
  const more = mine.length > cap ? [md`_…and ${mine.length - cap} more_`] : [];
  return md`*${title}*\n${joinMd([...shown, ...more], "\n")}`;
}

// --- /ratchet wbr -------------------------------------------------------------------------------

export function buildWbrOverview(o: {
  teamId: string;
  teamName: string;
  rows: WbrMetricRow[];
  schedule: WbrSchedule | null;
  wbrAt: Date;
  timezone: string;
}): SlackMessage {
  const blocks: KnownBlock[] = [header(`Weekly business review — ${o.teamName}`)];
  const when = o.schedule
    ? md`The WBR posts in ${channelLink(o.schedule.channelId)} every ${weekdayName(o.schedule.weekday)} at ${o.schedule.time} (${o.schedule.timezone}). This week's readings feed the one on ${localDateKey(o.wbrAt, o.timezone)}.`
    : md`No WBR time is set for this workspace yet: choose its day, time and channel in *WBR settings*.`;
  blocks.push(context(when));
  if (o.rows.length === 0) {
    blocks.push(
      section(
        md`No metrics yet. Add the few numbers this team reviews each week: *inputs* it controls (e.g. experiments shipped) and the *outputs* they should move (e.g. activation). Or link a mechanism's signal so its review readings feed the WBR.`,
      ),
    );
  } else {
    for (const kind of ["input", "output"] as const) {
      const lines = kindLines(o.rows, kind, 20);
      if (lines) blocks.push(section(lines));
    }
  }
  blocks.push(
    actions([
      button("Add a metric", WBR_ACTION.addMetric, o.teamId, "primary"),
      button("Link a mechanism signal", WBR_ACTION.linkSignal, o.teamId),
      button("Record readings", WBR_ACTION.readings, o.teamId),
      button("WBR settings", WBR_ACTION.settings, o.teamId),
    ]),
  );
  const count = o.rows.length;
  return message(
    md`Weekly business review — ${o.teamName}: ${count} metric${count === 1 ? "" : "s"}`,
    blocks,
  );
}

// --- modals -------------------------------------------------------------------------------------

const kindRadio = () =>
  radio(WBR_BLOCK.kind, "Input or output?", [
    option(KIND_LABEL.input, "input"),
    option(KIND_LABEL.output, "output"),
  ]);
const directionRadio = () =>
  radio(WBR_BLOCK.direction, "Which way is good?", [
    option(DIRECTION_LABEL.up, "up"),
    option(DIRECTION_LABEL.down, "down"),
  ]);

export function buildAddMetricModal(o: { meta: WbrModalMeta; teamName: string }): ModalView {
  return modal({
    callbackId: WBR_VIEW.addMetric,
    title: "Add a metric",
    submit: "Add metric",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      context(md`A number *${o.teamName}* reviews every week at the WBR.`),
      textInput(WBR_BLOCK.name, "Metric name", {
        maxLength: WBR_MAX.name,
        placeholder: "e.g. Experiments shipped",
      }),
      kindRadio(),
      usersSelect(WBR_BLOCK.owner, "Owner (records its weekly reading)"),
      textInput(WBR_BLOCK.unit, "Unit", {
        optional: true,
        maxLength: WBR_MAX.unit,
        placeholder: "e.g. %, ms, count",
      }),
      directionRadio(),
      numberInput(WBR_BLOCK.target, "Target"),
    ],
  });
}

export function buildLinkSignalModal(o: {
  meta: WbrModalMeta;
  teamName: string;
  signals: LinkableSignal[];
}): ModalView {
  const options = o.signals.map((s) => option(`${s.mechanismTitle} — ${s.name}`, s.id));
  return modal({
    callbackId: WBR_VIEW.linkSignal,
    title: "Link a signal",
    submit: "Link signal",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      context(
        md`A mechanism's signal as a WBR metric of *${o.teamName}*: the readings its reviews record feed the WBR, so nobody types them twice.`,
      ),
      staticSelect(WBR_BLOCK.signal, "Signal", options),
      kindRadio(),
      usersSelect(WBR_BLOCK.owner, "Owner"),
      directionRadio(),
      numberInput(WBR_BLOCK.target, "Target (empty: the signal's own target)", { optional: true }),
    ],
  });
}

const initialReading = (v: number | null): string | null => (v === null ? null : String(v));

export function buildReadingsModal(o: {
  meta: WbrModalMeta;
  teamName: string;
  weekLabel: string;
  typed: WbrMetricRow[];
}): ModalView {
  const rows = o.typed.slice(0, READINGS_CAP);
  const blocks: KnownBlock[] = [
    context(md`*${o.teamName}*: readings for the WBR of ${o.weekLabel}. Leave a box empty to skip it.`),
  ];
  if (rows.length === 0) {
    blocks.push(
      section(
        md`No metrics to type in: add one with *Add a metric* (metrics linked to a signal read their mechanism's reviews).`,
        WBR_BLOCK.none,
      ),
    );
  }
  for (const r of rows) {
    const unit = r.metric.unit ? ` (${r.metric.unit})` : "";
    blocks.push(
      // A text input, not number_input: people paste "1,234" or "12 %", and get told inline what to fix.
      textInput(wbrReadingBlock(r.metric.id), `${r.metric.name}${unit}`, {
        optional: true,
        initial: initialReading(r.series.at(-1) ?? null),
        placeholder: "e.g. 12 or 3.5",
        maxLength: 30,
      }),
    );
  }
  return modal({
    callbackId: WBR_VIEW.readings,
    title: "This week's readings",
    ...(rows.length > 0 ? { submit: "Save readings" } : {}),
    privateMetadata: JSON.stringify(o.meta),
    blocks,
  });
}

export function buildWbrSettingsModal(o: {
  meta: WbrModalMeta;
  schedule: WbrSchedule | null;
  defaultTimezone: string;
  defaultChannel: string;
}): ModalView {
  const s = o.schedule;
  return modal({
    callbackId: WBR_VIEW.settings,
    title: "WBR settings",
    submit: "Save",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      context(md`One weekly business review for the whole workspace: every team's metrics in one message.`),
      channelSelect(WBR_BLOCK.channel, "Post the WBR in", { initial: s?.channelId ?? o.defaultChannel }),
      staticSelect(
        WBR_BLOCK.weekday,
        "WBR day",
        WEEKDAYS.map((d, i) => option(d, String(i + 1))),
        { initial: String(s?.weekday ?? 1) },
      ),
      timepicker(WBR_BLOCK.time, "WBR time", { initial: s?.time ?? "09:00" }),
      textInput(WBR_BLOCK.timezone, "Time zone (IANA)", {
        initial: s?.timezone ?? o.defaultTimezone,
        hint: "The WBR follows this zone's local time, including daylight-saving changes.",
      }),
    ],
  });
}

// --- the WBR ------------------------------------------------------------------------------------

function teamBlocks(t: WbrTeamReport): KnownBlock[] {
  const blocks: KnownBlock[] = [section(md`*${t.name}* · ${channelLink(t.channelId)}`)];
  for (const kind of ["input", "output"] as const) {
    const lines = kindLines(t.metrics, kind, WBR_METRIC_CAP);
    if (lines) blocks.push(section(lines));
  }
  const notes = [
    ...t.flags.map((f) => md`${FLAG_TEXT[f]}`),
    ...(t.missing.length > 0 ? [md`Missing this week: ${t.missing.join(", ")}`] : []),
  ];
  if (notes.length > 0) blocks.push(context(joinMd(notes, "\n")));
  return blocks;
}

export function buildWbrMessage(r: WbrReport): SlackMessage {
  const label = `${weekdayName(Number(localDayOfWeek(r)))} ${r.week}`;
  const blocks: KnownBlock[] = [header(`Weekly business review — ${label}`)];
  const withMetrics = r.teams.filter((t) => t.metrics.length > 0);
  const without = r.teams.filter((t) => t.metrics.length === 0);
  blocks.push(
    context(
      md`Inputs first (what teams control), then outputs. Each metric: the last ${r.weekKeys.length} weeks, oldest first (${r.weekKeys[0] ?? ""} → ${r.week}), this week against last, and against its target.`,
    ),
  );
  if (withMetrics.length === 0) {
    blocks.push(section(md`No team has WBR metrics yet. Add some with \`/ratchet wbr\` in a team channel.`));
  }
  for (const t of withMetrics.slice(0, WBR_TEAM_CAP)) blocks.push(divider(), ...teamBlocks(t));
  if (withMetrics.length > WBR_TEAM_CAP) {
    const rest = withMetrics.slice(WBR_TEAM_CAP).map((t) => t.name);
    blocks.push(context(md`_…and ${rest.length} more teams: ${rest.join(", ")}_`));
  }
  const missed = withMetrics.filter((t) => t.missing.length > 0);
  blocks.push(divider());
  blocks.push(
    section(
      missed.length > 0
        ? md`*Teams that missed readings this week:* ${joinMd(
            missed.map((t) => md`${t.name} (${t.missing.join(", ")})`),
            "; ",
          )}`
        : md`*Every metric has this week's reading.*`,
    ),
  );
  if (without.length > 0) blocks.push(context(md`No metrics yet: ${without.map((t) => t.name).join(", ")}`));
  const summary = `${withMetrics.length} team${withMetrics.length === 1 ? "" : "s"}, ${missed.length} missed readings`;
  return message(md`Weekly business review — ${label}: ${summary}`, blocks);
}

const localDayOfWeek = (r: WbrReport): number => {
  const [y, m, d] = r.week.split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
};

export function buildWbrReminder(n: Notices["wbr_reminder"]): SlackMessage {
  const when = localTimeLabel(n.wbrAt, n.timezone);
  return message(md`This week's reading of ${n.metric.name} is missing (WBR ${when})`, [
    section(
      md`*${n.metric.name}* (${n.teamName}) has no reading for this week yet. The weekly business review is ${when} (${n.timezone}); without it, the WBR lists the team as missing it.`,
    ),
    actions([button("Record readings", WBR_ACTION.readings, n.teamId, "primary")]),
  ]);
}
