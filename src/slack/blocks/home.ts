import type { HomeView, KnownBlock } from "@slack/types";
import { ALARM_KIND_INFO, isAlarmKind } from "../../alarms/types.js";
import { HOME_PAGE, type HomeData, type HomeList, type Page } from "../../home/home.js";
import { localLabel } from "../../shared/time-format.js";
import { DEBRIEF_ACTION, HOME_ACTION, HOME_BLOCK, homeListBlock } from "../ids.js";
import { user } from "./format.js";
import { actions, button, context, divider, header, section } from "./kit.js";
import { channelLink, clip, link, type Mrkdwn, md } from "./mrkdwn.js";

/** Slack's limit for a Home tab (the fake enforces it too). */
const HOME_MAX_BLOCKS = 100;

/** One list's title, empty state and how each item reads. */
interface ListSpec<T> {
  title: string;
  empty: Mrkdwn;
  item: (x: T) => Mrkdwn;
}

/** A list: its title with the count, a page of items, and "Show more" / "Back to the start". */
function list<T>(name: HomeList, page: Page<T>, spec: ListSpec<T>): KnownBlock[] {
  const blocks: KnownBlock[] = [section(md`*${spec.title}* (${page.total})`, homeListBlock(name, "title"))];
  if (page.total === 0) return [...blocks, context(spec.empty, homeListBlock(name, "paging"))];
  page.items.forEach((x, i) => {
    blocks.push(section(spec.item(x), homeListBlock(name, page.offset + i)));
  });
  const shownTo = page.offset + page.items.length;
  const buttons = [];
  if (shownTo < page.total) {
    const next = JSON.stringify({ list: name, offset: page.offset + HOME_PAGE });
    buttons.push(button(`Show more (${page.total - shownTo} left)`, HOME_ACTION.page, next));
  }
  if (page.offset > 0) {
    buttons.push(
      button("Back to the start", HOME_ACTION.pageStart, JSON.stringify({ list: name, offset: 0 })),
    );
  }
  const where = context(
    md`Showing ${page.offset + 1}–${shownTo} of ${page.total}`,
    homeListBlock(name, "paging"),
  );
  return buttons.length > 0 ? [...blocks, where, actions(buttons)] : [...blocks, where];
}

const when = (at: Date | null, tz: string): string => (at ? localLabel(at, tz) : "not scheduled");

/**
 * A person's Home tab: what they own and what waits for them, their team's alarms, debrief and
 * rollup, and the buttons for the common actions. Pure; every list is one page (HomeData), so the
 * view stays under Slack's 100 blocks however much a person owns.
 */
export function buildHomeView(data: HomeData): HomeView {
  const blocks: KnownBlock[] = [header("Your Ratchet")];
  const { team } = data;
  if (!team) {
    blocks.push(
      section(
        md`You're not on a Ratchet team yet. *Run \`/ratchet setup\` in your team's channel* to start one (its review slot, debrief and rollup), then \`/ratchet new\` there to write your first mechanism.`,
        HOME_BLOCK.empty,
      ),
    );
  } else {
    blocks.push(
      context(md`Team *${team.name}* in ${channelLink(team.channelId)} · times in ${team.timezone}`),
      actions(
        [
          button("New mechanism", HOME_ACTION.newMechanism, team.id, "primary"),
          button("Log a decision", HOME_ACTION.logDecision, team.id),
          button("Log a deviation", HOME_ACTION.deviate, team.id),
          button("Report an incident", HOME_ACTION.incident, team.id),
          button("Settings", HOME_ACTION.settings, team.id),
        ],
        HOME_BLOCK.actions,
      ),
    );
  }
  blocks.push(divider());
  blocks.push(
    ...list("mechanisms", data.mechanisms, {
      title: "My mechanisms",
      empty: md`You own no active mechanism. Press *New mechanism* (or \`/ratchet new\` in your team's channel) to write one.`,
      item: (m) =>
        md`*${clip(m.title, 150)}* · ${m.teamName}\nNext review: ${when(m.nextReviewAt, m.timezone)}`,
    }),
    ...list("reviews", data.reviews, {
      title: "Reviews waiting for me",
      empty: md`No review is waiting for you.`,
      item: (r) =>
        md`*${clip(r.mechanismTitle, 150)}* · due ${localLabel(r.dueAt, r.timezone)}${r.channelId ? md` · the reminder is in ${channelLink(r.channelId)}` : md``}`,
    }),
    ...list("breaches", data.breaches, {
      title: "Guardrails breached",
      empty: md`No guardrail of yours is breached.`,
      item: (b) =>
        md`🚧 *${clip(b.mechanismTitle, 150)}* · ${clip(b.guardrailName, 150)}: ${b.value}${b.unit ? ` ${b.unit}` : ""} on ${localLabel(b.recordedAt, b.timezone)} · waiting for Stop now or Keep going`,
    }),
    ...list("actionItems", data.actionItems, {
      title: "My open action items",
      empty: md`No open action items.`,
      item: (a) => md`${a.overdue ? "⏰ *Overdue* · " : ""}${clip(a.text, 300)} · due ${a.dueDate}`,
    }),
  );
  if (team) {
    blocks.push(
      ...list("alarms", data.alarms, {
        title: `${team.name}: open alarms`,
        empty: md`No open alarms. 🎉`,
        item: (a) =>
          md`*${isAlarmKind(a.kind) ? ALARM_KIND_INFO[a.kind].title : a.kind}* · ${clip(a.evidence, 300)}`,
      }),
    );
    blocks.push(divider(), ...debriefBlocks(data), ...rollupBlocks(data));
    if (data.admin) {
      blocks.push(
        divider(),
        ...list("admin", data.admin, {
          title: "Team admin: needs a look",
          empty: md`Everyone has shared this week's debrief and no mechanism is past its gate.`,
          item: (r) =>
            r.type === "unshared"
              ? md`${user(r.userId)} hasn't shared this week's debrief`
              : md`*${clip(r.title, 150)}* is past its gate: continued against a failing checkpoint ("${clip(r.gateReason, 200)}")`,
        }),
      );
    }
  }
  // Every list is one page, so this never cuts; it is the last word on Slack's limit all the same.
  return { type: "home", blocks: blocks.slice(0, HOME_MAX_BLOCKS) };
}

function debriefBlocks(data: HomeData): KnownBlock[] {
  const d = data.debrief;
  if (!d) {
    return [section(md`*This week's debrief*: no round yet this week.`, HOME_BLOCK.debrief)];
  }
  const state = d.shared ? "✅ you shared your week" : "you haven't shared your week yet";
  const blocks: KnownBlock[] = [
    section(md`*This week's debrief* (${d.localDate}): ${state}.`, HOME_BLOCK.debrief),
  ];
  if (d.open) {
    blocks.push(
      actions([button(d.shared ? "Edit my week" : "Share my week", DEBRIEF_ACTION.share, d.roundId)]),
    );
  }
  return blocks;
}

function rollupBlocks(data: HomeData): KnownBlock[] {
  const r = data.rollup;
  if (!r) {
    return [
      section(
        md`*Last rollup*: none posted yet; the first comes at the team's rollup time.`,
        HOME_BLOCK.rollup,
      ),
    ];
  }
  const range = r.from && r.to ? md`${r.from.slice(0, 10)} – ${r.to.slice(0, 10)}` : md`${r.week}`;
  const open = r.permalink ? md` · ${link(r.permalink, "Open it")}` : md``;
  return [section(md`*Last rollup*: week ${r.week} (${range})${open}`, HOME_BLOCK.rollup)];
}
