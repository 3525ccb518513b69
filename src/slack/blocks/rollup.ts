/** The weekly rollup as Slack messages: a team's (posted, or previewed), and the workspace's. */
import type { KnownBlock } from "@slack/types";
import { CHART_WEEKS, type RollupData, type RollupPreview } from "../../rollups/rollup.js";
import { localLabel } from "../../shared/time-format.js";
import { weekdayName } from "../../teams/team.js";
import { ROLLUP_BLOCK } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { context, header, LIMIT, message, section } from "./kit.js";
import { channelLink, type Mrkdwn, md } from "./mrkdwn.js";
import { actionItemsSection, loopMetricsSection, overdueCoesSection } from "./rollup-action-items.js";
import { MAX_BLOCKS, ROLLUP_SECTIONS, type RollupSection } from "./rollup-sections.js";

/** A team's rollup, in order: the built-in sections, then its COE action items and learning loop. */
export const TEAM_ROLLUP_SECTIONS: readonly RollupSection[] = [
  ...ROLLUP_SECTIONS,
  overdueCoesSection,
  actionItemsSection,
  loopMetricsSection,
];

/** The rollup's line about its chart: in the thread, or why there is none this week. */
export function chartNote(hasChart: boolean): Mrkdwn {
  return hasChart
    ? md`📊 The outcome chart (last ${CHART_WEEKS} weeks, progress from baseline to target) is in the thread.`
    : md`📊 No outcome readings in the last ${CHART_WEEKS} weeks, so no chart this week. Record readings at your next review.`;
}

/** `/ratchet rollup`: what the rollup would say now, shown only to the person who asked. */
export function buildRollupPreview(p: RollupPreview, sections = TEAM_ROLLUP_SECTIONS): SlackMessage {
  const { team } = p;
  return buildRollupMessage({
    data: p.data,
    sections,
    chartNote: p.hasChart
      ? md`📊 The posted rollup adds the outcome chart in its thread.`
      : md`📊 No outcome readings in the last ${CHART_WEEKS} weeks, so no chart this week. Record readings at your next review.`,
    preview: md`👀 *Preview* — only you can see this. The rollup posts in ${channelLink(team.channelId)} every ${weekdayName(team.rollupWeekday)} at ${team.rollupTime} (${team.timezone}). Change it with \`/ratchet rollup settings\`.`,
  });
}

/**
 * The team's rollup message. `chartNote` is a line about the chart (it follows in the thread, or
 * why there is none); `preview` marks an ephemeral preview.
 */
export function buildRollupMessage(o: {
  data: RollupData;
  sections: readonly RollupSection[];
  chartNote: Mrkdwn;
  preview?: Mrkdwn;
}): SlackMessage {
  const { data } = o;
  const period = `${localLabel(data.window.from, data.team.timezone)} – ${localLabel(data.window.to, data.team.timezone)}`;
  const blocks: KnownBlock[] = [header(`Weekly rollup — ${data.team.name}`), context(md`${period}`)];
  if (o.preview) blocks.unshift(context(o.preview));
  const body = o.sections.flatMap((s) => s.build(data));
  // Two blocks are kept for the chart note and a possible "more sections" line.
  const room = MAX_BLOCKS - blocks.length - 2;
  blocks.push(...body.slice(0, room));
  if (body.length > room) blocks.push(context(md`_…and ${body.length - room} more sections not shown._`));
  if (body.length === 0) {
    blocks.push(
      section(
        md`A quiet week: no outcomes moved, nothing was stopped, changed or promoted, and no alarms are open. Next week's review is a good moment to log a reading.`,
        ROLLUP_BLOCK.empty,
      ),
    );
  }
  blocks.push(context(o.chartNote, ROLLUP_BLOCK.chart));
  const headlines = rollupHeadline(data, o.sections);
  return message(md`Weekly rollup — ${data.team.name}: ${headlines}`, blocks);
}

/** "2 outcomes moved · 1 killed" or "quiet week": the per-team line of the workspace rollup. */
export function rollupHeadline(data: RollupData, sections: readonly RollupSection[]): string {
  const parts = sections.map((s) => s.headline(data)).filter((x): x is string => x !== null);
  return parts.length > 0 ? parts.join(" · ") : "quiet week";
}

/** One message for the workspace rollup channel: every team's headline. */
export function buildWorkspaceRollup(o: {
  week: string;
  teams: { name: string; channelId: string; headline: string }[];
}): SlackMessage {
  const lines = o.teams.map((t) => md`*${t.name}* (${channelLink(t.channelId)}) — ${t.headline}`);
  const blocks: KnownBlock[] = [header(`Weekly rollup — all teams (${o.week})`)];
  if (lines.length === 0) blocks.push(section(md`No team has a rollup this week.`));
  // Pack the lines into as few sections as fit Slack's text limit, within the block budget.
  let current: Mrkdwn | null = null;
  let packed = 0;
  for (const line of lines) {
    const next: Mrkdwn = current ? md`${current}\n${line}` : line;
    if (next.length > LIMIT.text - 40 && current) {
      // Room for this section, the "…and N more teams" line and the footer.
      if (blocks.length >= MAX_BLOCKS - 3) break;
      blocks.push(section(current));
      current = line;
    } else current = next;
    packed++;
  }
  if (current) blocks.push(section(current));
  if (packed < lines.length) blocks.push(context(md`_…and ${lines.length - packed} more teams_`));
  blocks.push(context(md`Each team's full rollup and outcome chart are in its own channel.`));
  return message(md`Weekly rollup — all teams (${o.week}): ${lines.length} teams`, blocks);
}
