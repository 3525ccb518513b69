import type { KnownBlock } from "@slack/types";
import type { Decision, Mechanism } from "../../mechanisms/mechanism.js";
import type { ChannelProblem } from "../../shared/deliveries.js";
import type { Team } from "../../teams/team.js";
import { weekdayName } from "../../teams/team.js";
import type { SlackMessage } from "../notifier.js";
import { channelProblemAdvice } from "../slack-errors.js";
import { CHECKPOINT_LABEL, decisionDetails, decisionHeadline, ENDED_BADGE, user } from "./format.js";
import { context, divider, header, message, section } from "./kit.js";
import { channelLink, joinMd, literal, type Mrkdwn, md, quote } from "./mrkdwn.js";

export const COMMANDS: [string, string][] = [
  [
    "/ratchet settings",
    "Every setting of this channel's team in one form, saved at once: team and review slot (name, channel, time zone, day, time, cadence), end-of-week debrief, weekly rollup, incidents channel, which severities need a full COE and the deep-dive window. In a channel with no team yet it sets one up (`/ratchet setup` does the same).",
  ],
  [
    "/ratchet new",
    "Write a mechanism one-pager: aim, mechanism (because…), up to 3 signals per role named so the checkpoint rule can use them (`continue if p95 −25% and timeouts −50%`), up to 3 guardrails such as `error rate ≤ 0.1%` each with who can say stop, rollback path, who runs it if it works, owner. Once reviewed, changing its rules asks why and is logged.",
  ],
  ["/ratchet list", "This team's mechanisms and when each is next reviewed."],
  [
    "/ratchet audit",
    "The team's recent changes (audit log): who changed what, before → after, when and how. Each one-pager's *History* button shows its own. Team admins change settings; a mechanism's owner and stop owners (or an admin) edit and stop it.",
  ],
  [
    "/ratchet log",
    "Log a continue / change / stop / graduate decision on any mechanism, any time. Graduate makes a proven change a team default; continuing although the checkpoint fails needs a reason.",
  ],
  [
    "/ratchet history <mechanism>",
    "A mechanism's decision log, newest first, with rule changes beside the decisions.",
  ],
  [
    "/ratchet deviate",
    "Log a deviation from a default (novelty quota: ≥1 per cycle): area, deviation, because…, benefit, risk. Security, compliance or user-data deviations need someone else's approval.",
  ],
  ["/ratchet deviations", "This team's deviation log, newest cycle first: outcomes, promoted and retired."],
  [
    "/ratchet hat",
    "Put on the Anthropologist Hat: write one case (context, cultural traits, symptoms, reinforcing and balancing loops), posted in the team channel; each balancing loop can become a mechanism.",
  ],
  ["/ratchet hat list", "This team's recent Anthropologist Hat cases (also `/ratchet hats`)."],
  [
    "/ratchet learn [words]",
    "Learning sessions: upcoming and past (with recordings and slides), topic ideas from COE lessons and promoted deviations, and *Schedule a session* (topic, speaker, day and time in the team's zone, 30–45 min + Q&A, audience channels). Words search topics and speakers; `/ratchet learn schedule` opens the form.",
  ],
  [
    "/ratchet floor",
    "The barbell plan: the Floor (defaults, guardrails, non-negotiables — from promoted deviations, graduated mechanisms or added by hand, each retirable with a reason) beside the Ceiling (at most three active slices with their gates) and this cycle's novelty quota.",
  ],
  [
    "/ratchet debrief",
    "The settings, opened at the end-of-week debrief: on/off, day, prompt and digest time, optional DM nudge before the digest.",
  ],
  [
    "/ratchet debrief nudges on|off",
    "Whether the team's debrief nudges you by DM an hour before the digest when you haven't shared: just you. The DM's *Stop nudging me* does the same.",
  ],
  [
    "/ratchet alarms",
    "Open thrash alarms and pilot-purgatory smells for this team: one message per open condition in the channel, updated each cycle until it clears.",
  ],
  [
    "/ratchet rollup",
    "Preview this week's rollup, only to you: outcomes moved, killed, graduated, changed, defaults changed, open alarms.",
  ],
  [
    "/ratchet rollup settings",
    "The settings, opened at the weekly rollup: day and time for this team, and the workspace's all-teams rollup channel.",
  ],
  [
    "/ratchet wbr",
    "Weekly business review: this team's input and output metrics (owner, unit, which way is good, target), with buttons to add a metric, link a mechanism signal, record this week's readings, and set the workspace's WBR day, time and channel.",
  ],
  [
    "/ratchet quarter",
    "This quarter's review (or a button to start it, drafted from the quarter's data) and the COE pattern review: repeats, top factors and tags, open action items. `/ratchet quarter settings` sets the date and time the next review opens; `/ratchet quarter export` uploads the latest review as Markdown.",
  ],
  [
    "/ratchet incident",
    "Start a COE: intake (times, impact, tags), then whys, factors, findings → owned, dated action items. Or use the message shortcut “Start a COE” on any message.",
  ],
  [
    "/ratchet incident channel #channel",
    "Where this team's incidents are posted (default: the team channel); with no channel, opens the settings at incidents.",
  ],
  [
    "/ratchet incident stats",
    "This team's learning loop over 90 days: repeat-incident rate, share of COEs with a known root cause, time to insight, time to remediation (items closed as not doing don't count), findings with action items vs noted with no action, factor categories, top tags — and this quarter so far against last quarter.",
  ],
  [
    "/ratchet export",
    "This team's decision log, readings, deviations, alarms, incidents, findings, action items and review history, DMed to you as one CSV and one JSON file each, with progress as they are written.",
  ],
  [
    "/ratchet remind",
    "Where your reminders reach you: reviews of mechanisms you own and the end-of-week debrief, in the channel, by DM, or both.",
  ],
  [
    "/ratchet away",
    "Quiet days: the team's holidays and your time away, each removable. `/ratchet away add` opens the form. A review due on a team holiday moves to the next day; while you're away you get no reminder DMs.",
  ],
  [
    "/ratchet calendar <mechanism>",
    "The mechanism's review series as a calendar file (.ics), DMed to you; quiet days are left out. Or press *Add to calendar* on a reminder.",
  ],
  ["/ratchet help", "This help."],
];

const chunk = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export function buildHelp(note?: Mrkdwn): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (note) blocks.push(section(note));
  blocks.push(
    section(
      md`*Ratchet* runs your team's improvement rituals so you learn from evidence, not busyness: write each bet as a mechanism, review it for 15 minutes every week or two, and decide *continue*, *change*, *stop* or *graduate*.`,
    ),
    // A few commands per section keeps each block far below Slack's 3,000-character text limit.
    ...chunk(COMMANDS, 6).map((group) =>
      section(
        joinMd(
          group.map(([c, d]) => md`\`${c}\` — ${d}`),
          "\n",
        ),
      ),
    ),
    context(
      md`Reviews are reminded in the team channel at the team's local time; press *Open review* on the reminder. Open Ratchet's *Home* tab for your mechanisms, the reviews and action items waiting for you, your team's alarms, debrief and rollup, and buttons for New mechanism, Log a decision, Log a deviation, Report an incident and Settings.`,
    ),
  );
  return message(note ? md`${note} Try /ratchet help.` : literal("Ratchet commands"), blocks);
}

export function buildMechanismList(o: {
  team: Team;
  mechanisms: Mechanism[];
  /** set when Ratchet can't post in the team's channel: said first, with what to do */
  problem?: ChannelProblem | null;
  nextLabel: (m: Mechanism) => string | null;
}): SlackMessage {
  const t = o.team;
  const cadence = t.cadenceWeeks === 2 ? "every two weeks" : "every week";
  const head = md`*${t.name}* · reviews ${weekdayName(t.reviewWeekday)} ${t.reviewTime} ${t.timezone}, ${cadence}`;
  const warning = o.problem
    ? [
        section(
          md`⚠️ *I can't post in ${channelLink(t.channelId)}* (Slack says \`${o.problem.error}\`), so reminders, debriefs, alarms and rollups are waiting. ${channelProblemAdvice(o.problem.error)}`,
        ),
      ]
    : [];
  if (o.mechanisms.length === 0) {
    return message(md`${t.name} has no mechanisms yet.`, [
      ...warning,
      section(head),
      section(md`No mechanisms yet. Write your first bet with \`/ratchet new\` — one aim, one because.`),
    ]);
  }
  const lines = o.mechanisms.map((m) => {
    const when =
      m.status === "active" ? `next review ${o.nextLabel(m) ?? "not scheduled"}` : ENDED_BADGE[m.status];
    return md`• *${m.title}* — ${when} · owner ${user(m.ownerId)}`;
  });
  // 15 lines a section stays far below 3,000 characters; 45 lines keep the message short.
  const shown = lines.slice(0, 45);
  const more = lines.length - shown.length;
  return message(md`${t.name}: ${o.mechanisms.length} mechanisms`, [
    ...warning,
    section(head),
    ...chunk(shown, 15).map((group) => section(joinMd(group, "\n"))),
    ...(more > 0 ? [context(md`…and ${more} more. \`/ratchet history <name>\` shows one in full.`)] : []),
  ]);
}

export function buildHistory(o: {
  mechanism: Mechanism;
  decisions: Decision[];
  tzLabel: (d: Date) => string;
}): SlackMessage {
  const m = o.mechanism;
  const blocks: KnownBlock[] = [
    header(`Decision log — ${m.title}`),
    section(md`*Mechanism* — ${m.statement}`),
    divider(),
  ];
  if (o.decisions.length === 0) {
    blocks.push(
      section(md`No decisions yet. Log one with \`/ratchet log\`, or at the next 15-minute review.`),
    );
  }
  for (const d of o.decisions.slice(0, 20)) {
    blocks.push(
      section(
        joinMd(
          [
            md`${decisionHeadline(d)} · ${o.tzLabel(d.decidedAt)} · ${user(d.decidedBy)}${d.source === "edit" ? md`` : md` · ${CHECKPOINT_LABEL[d.checkpoint]}`}\n${quote(d.entry)}`,
            ...decisionDetails(d),
          ],
          "\n",
        ),
      ),
    );
  }
  return message(md`Decision log: ${m.title} (${o.decisions.length})`, blocks);
}
