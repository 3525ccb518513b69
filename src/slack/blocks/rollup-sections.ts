/**
 * The weekly rollup is a list of sections, each a pure `(data) => blocks` builder over one
 * `RollupData` (the rollup service only loads the data). A section with nothing to say returns no
 * blocks and is left out.
 *
 * Adding a section: write a `RollupSection` in its own file (rollup-action-items.ts is one) and add
 * it to TEAM_ROLLUP_SECTIONS in rollup.ts. Build its lines with `listSection` below so it gets the same
 * clipping ("…and N more") and block budget as the built-in sections.
 */
import type { KnownBlock } from "@slack/types";
import { ALARM_KIND_INFO, isAlarmKind } from "../../alarms/types.js";
import { outcomeMove, type RollupData } from "../../rollups/rollup.js";
import { localLabel } from "../../shared/time-format.js";
import { withUnit } from "./format.js";
import { LIMIT, section } from "./kit.js";
import { clip, clipMd, joinMd, type Mrkdwn, md } from "./mrkdwn.js";

export interface RollupSection {
  /** stable id, also the block_id of the section's block (tests and updates find it by this) */
  id: string;
  /** the section's blocks; [] when it has nothing to say this week */
  build(data: RollupData): KnownBlock[];
  /** a few words for the workspace-wide rollup ("2 outcomes moved"); null when empty */
  headline(data: RollupData): string | null;
}

/** Items shown per section before "…and N more". */
export const MAX_ITEMS = 8;
/** Slack allows 50 blocks per message; the last two are kept for the footer. */
export const MAX_BLOCKS = 50;

/**
 * One titled section of bullet lines, clipped to MAX_ITEMS and to Slack's 3,000-character text
 * limit, always ending with "…and N more" when something was left out.
 */
export function listSection(id: string, title: string, lines: Mrkdwn[], maxItems = MAX_ITEMS): KnownBlock[] {
  if (lines.length === 0) return [];
  const head = md`*${title}*`;
  const shown: Mrkdwn[] = [];
  let length = head.length;
  for (const line of lines.slice(0, maxItems)) {
    const bullet = md`\n• ${clipMd(line, 500)}`;
    // Room for the "…and N more" tail (under 30 characters).
    if (length + bullet.length > LIMIT.text - 30) break;
    shown.push(bullet);
    length += bullet.length;
  }
  const rest = lines.length - shown.length;
  const tail = rest > 0 ? md`\n_…and ${rest} more_` : md``;
  return [section(md`${head}${joinMd(shown, "")}${tail}`, id)];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const tz = (d: RollupData) => d.team.timezone;

export const movedSection: RollupSection = {
  id: "rollup_moved",
  build(d) {
    const lines = d.mechanisms.flatMap((m) => {
      const move = outcomeMove(m);
      if (!move) return [];
      const { outcome: o } = move;
      const from = md`${withUnit(move.from, o.unit)}${move.fromBaseline ? " (baseline)" : ""}`;
      return [
        md`*${m.title}* — ${o.name}: ${from} → *${withUnit(move.to, o.unit)}* vs target ${withUnit(o.target, o.unit)}`,
      ];
    });
    return listSection(this.id, "📈 Outcomes that moved toward target", lines);
  },
  headline(d) {
    const n = d.mechanisms.filter((m) => outcomeMove(m)).length;
    return n > 0 ? plural(n, "outcome moved", "outcomes moved") : null;
  },
};

const inWindow = (d: RollupData, at: Date | null) => at !== null && at >= d.window.from && at < d.window.to;

export const killedSection: RollupSection = {
  id: "rollup_killed",
  build(d) {
    const lines = d.mechanisms
      .filter((m) => m.status === "stopped" && inWindow(d, m.stoppedAt))
      .map((m) => {
        const why = [...d.decisions].reverse().find((x) => x.mechanismId === m.id && x.decision === "stop");
        return md`*${m.title}*${why ? md` — ${clip(why.entry, 200)}` : ""}`;
      });
    return listSection(this.id, "🔴 Killed this week", lines);
  },
  headline(d) {
    const n = d.mechanisms.filter((m) => m.status === "stopped" && inWindow(d, m.stoppedAt)).length;
    return n > 0 ? plural(n, "killed", "killed") : null;
  },
};

/** Graduated: proven, and now part of the team's defaults (the Floor) — never counted as killed. */
export const graduatedSection: RollupSection = {
  id: "rollup_graduated",
  build(d) {
    const lines = d.mechanisms
      .filter((m) => m.status === "graduated" && inWindow(d, m.stoppedAt))
      .map((m) => {
        const g = [...d.decisions].reverse().find((x) => x.mechanismId === m.id && x.decision === "graduate");
        return md`*${m.title}*${g ? md` — now a team default: ${clip(g.changeDetail || g.entry, 200)}` : ""}`;
      });
    return listSection(this.id, "🎓 Graduated this week", lines);
  },
  headline(d) {
    const n = d.mechanisms.filter((m) => m.status === "graduated" && inWindow(d, m.stoppedAt)).length;
    return n > 0 ? plural(n, "graduated", "graduated") : null;
  },
};

/** Mechanisms with at least one decision of `kind` this week, newest decision shown. */
function decided(d: RollupData, kind: "change" | "continue") {
  const latest = new Map<string, RollupData["decisions"][number]>();
  for (const x of d.decisions) if (x.decision === kind) latest.set(x.mechanismId, x);
  return [...latest.values()];
}

export const changedSection: RollupSection = {
  id: "rollup_changed",
  build(d) {
    const lines = decided(d, "change").map(
      (x) => md`*${x.mechanismTitle}* — ${clip(x.changeDetail || x.entry, 200)}`,
    );
    return listSection(this.id, "🟡 Changed", lines);
  },
  headline(d) {
    const n = decided(d, "change").length;
    return n > 0 ? plural(n, "changed", "changed") : null;
  },
};

export const continuedSection: RollupSection = {
  id: "rollup_continued",
  build(d) {
    const lines = decided(d, "continue").map((x) => md`*${x.mechanismTitle}* — ${clip(x.entry, 200)}`);
    return listSection(this.id, "🟢 Continued", lines);
  },
  headline(d) {
    const n = decided(d, "continue").length;
    return n > 0 ? plural(n, "continued", "continued") : null;
  },
};

const deviationLine = (x: RollupData["deviations"][number]) =>
  md`*${x.area}* — ${clip(x.deviation, 200)}${x.outcome ? md` _(${clip(x.outcome, 150)})_` : ""}`;

export const defaultsChangedSection: RollupSection = {
  id: "rollup_defaults_changed",
  build(d) {
    const lines = d.deviations.filter((x) => x.verdict === "promote").map(deviationLine);
    return listSection(this.id, "⭐ Defaults changed (deviations promoted)", lines);
  },
  headline(d) {
    const n = d.deviations.filter((x) => x.verdict === "promote").length;
    return n > 0 ? plural(n, "default changed", "defaults changed") : null;
  },
};

export const retiredSection: RollupSection = {
  id: "rollup_retired",
  build(d) {
    const lines = d.deviations.filter((x) => x.verdict === "retire").map(deviationLine);
    return listSection(this.id, "🗑️ Deviations retired", lines);
  },
  headline(d) {
    const n = d.deviations.filter((x) => x.verdict === "retire").length;
    return n > 0 ? plural(n, "deviation retired", "deviations retired") : null;
  },
};

export const alarmsSection: RollupSection = {
  id: "rollup_alarms",
  build(d) {
    // One line per open condition, by its title and subject; never the internal kind code.
    const lines = d.openAlarms.map((a) => {
      const title = isAlarmKind(a.kind) ? ALARM_KIND_INFO[a.kind].title : "Alarm";
      const since = localLabel(a.raisedAt, tz(d));
      const open = a.cycles > 1 ? md`open since ${since}, ${a.cycles} cycles` : md`since ${since}`;
      return md`*${title}* · ${clip(a.subjectLabel, 80)} — ${clip(a.evidence, 200)} _(${open})_`;
    });
    return listSection(this.id, "🚨 Open alarms", lines);
  },
  headline(d) {
    return d.openAlarms.length > 0 ? plural(d.openAlarms.length, "open alarm", "open alarms") : null;
  },
};

export const missedReviewsSection: RollupSection = {
  id: "rollup_missed_reviews",
  build(d) {
    const lines = d.missedReviews.map(
      (r) =>
        md`*${r.mechanismTitle}* — ${r.status === "missed" ? "missed" : "unanswered"} (${localLabel(r.dueAt, tz(d))})`,
    );
    return listSection(this.id, "⏰ Reviews missed", lines);
  },
  headline(d) {
    const n = d.missedReviews.length;
    return n > 0 ? plural(n, "review missed", "reviews missed") : null;
  },
};

/** The built-in sections, in the order they appear (the team rollup adds more: rollup.ts). */
export const ROLLUP_SECTIONS: readonly RollupSection[] = [
  movedSection,
  killedSection,
  graduatedSection,
  changedSection,
  continuedSection,
  defaultsChangedSection,
  retiredSection,
  alarmsSection,
  missedReviewsSection,
];
