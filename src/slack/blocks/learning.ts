/**
 * Block Kit for learning sessions: the schedule modal, the `/ratchet learn` list, the announcement and
 * reminders in the audience channels, and the speaker's DM and modal for the recording and slides.
 * Pure: data in, views out.
 */
import type { InputBlock, KnownBlock, ModalView } from "@slack/types";
import {
  DURATIONS,
  endsAt,
  type LearningOverview,
  type LearningSession,
  MAX_CHANNELS,
  TOPIC_MAX,
  type TopicSuggestion,
} from "../../learning/learning-session.js";
import { localLabel } from "../../shared/time-format.js";
import { LEARN_ACTION, LEARN_BLOCK, LEARN_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
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
  plain,
  section,
  staticSelect,
  textInput,
  timepicker,
  usersSelect,
} from "./kit.js";
import { channelLink, clip, joinMd, link, literal, type Mrkdwn, md } from "./mrkdwn.js";

export interface ScheduleModalMeta {
  teamId: string;
  /** the team's zone, so the form can judge "in the future" as it is read */
  tz: string;
}

export interface LinksModalMeta {
  sessionId: string;
}

/** The longest link accepted: Slack's own limit on a URL inside a message. */
export const URL_MAX = 2000;

/** `/ratchet learn` → "Schedule a session": topic, speaker, when (the team's zone), length, audience. */
export function buildScheduleModal(o: {
  meta: ScheduleModalMeta;
  teamName: string;
  channelId: string;
}): ModalView {
  const audience: InputBlock = {
    type: "input",
    block_id: LEARN_BLOCK.channels,
    optional: true,
    label: plain("Audience channels"),
    element: {
      type: "multi_conversations_select",
      action_id: LEARN_BLOCK.channels,
      initial_conversations: [o.channelId],
      max_selected_items: MAX_CHANNELS,
      filter: { include: ["public", "private"], exclude_bot_users: true },
    },
    hint: plain("Where the reminders go. Leave it empty for the team's channel."),
  };
  const blocks: KnownBlock[] = [
    context(
      md`*Learning session* for *${o.teamName}*: once a month someone teaches what they learned — 30 to 45 minutes, then questions. Ratchet reminds the audience a day and an hour before, and asks the speaker for the recording and slides afterwards.`,
    ),
    textInput(LEARN_BLOCK.topic, "Topic", {
      maxLength: TOPIC_MAX,
      placeholder: "e.g. What the checkout outage taught us about retries",
    }),
    usersSelect(LEARN_BLOCK.speaker, "Speaker"),
    datepicker(LEARN_BLOCK.date, `Date (${o.meta.tz})`),
    timepicker(LEARN_BLOCK.time, `Start time (${o.meta.tz})`),
    staticSelect(
      LEARN_BLOCK.duration,
      "Talk length (Q&A follows)",
      DURATIONS.map((d) => option(`${d} minutes + Q&A`, String(d))),
      { initial: "30" },
    ),
    audience,
  ];
  return modal({
    callbackId: LEARN_VIEW.schedule,
    title: "Schedule a session",
    submit: "Schedule",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

const when = (s: LearningSession): string => localLabel(s.startsAt, s.timezone);
const audienceOf = (s: LearningSession): Mrkdwn => joinMd(s.channels.map(channelLink), ", ");

function sessionRow(s: LearningSession, past: boolean): Mrkdwn {
  const lines: Mrkdwn[] = [
    md`*${clip(s.topic, TOPIC_MAX)}* — ${user(s.speakerId)}`,
    md`${when(s)} · ${s.durationMinutes} min + Q&A · ${audienceOf(s)}`,
  ];
  if (past) {
    const links = [
      s.recordingUrl ? link(s.recordingUrl, "Recording") : null,
      s.slidesUrl ? link(s.slidesUrl, "Slides") : null,
    ].filter((x): x is Mrkdwn => x !== null);
    lines.push(links.length > 0 ? joinMd(links, " · ") : md`_No recording or slides yet._`);
  }
  return joinMd(lines, "\n");
}

function suggestionRow(x: TopicSuggestion): Mrkdwn {
  const from = x.source === "coe" ? "COE lesson" : "Promoted deviation";
  const detail = x.detail.trim() ? md` — ${clip(x.detail, 200)}` : md``;
  return md`• _${from}:_ *${clip(x.title, 120)}*${detail}`;
}

/** `/ratchet learn [words]`: upcoming and past sessions (or those matching), topic ideas, a way to schedule. */
export function buildLearnList(o: { overview: LearningOverview; teamId: string }): SlackMessage {
  const { upcoming, past, suggestions, query } = o.overview;
  const blocks: KnownBlock[] = [header("Learning sessions")];
  if (query) blocks.push(context(md`Sessions whose topic or speaker matches “${clip(query, 100)}”.`));
  if (upcoming.length === 0 && past.length === 0) {
    blocks.push(
      section(
        query
          ? md`*No session matches “${clip(query, 100)}”.* Try another word, or \`/ratchet learn\` for all of them.`
          : md`*No learning sessions yet.* Once a month, someone teaches what they learned — 30 to 45 minutes and questions, in front of the teams that would benefit. Pick a topic below or your own, and a speaker.`,
      ),
    );
  }
  if (upcoming.length > 0) {
    blocks.push(section(literal("*Upcoming*")));
    for (const s of upcoming) blocks.push(section(sessionRow(s, false)));
  }
  if (past.length > 0) {
    blocks.push(section(literal("*Past*")));
    for (const s of past) blocks.push(section(sessionRow(s, true)));
  }
  if (suggestions.length > 0 && !query) {
    blocks.push(divider());
    blocks.push(
      section(
        joinMd([md`*Topic ideas* from what your team learned:`, ...suggestions.map(suggestionRow)], "\n"),
      ),
    );
  }
  blocks.push(actions([button("Schedule a session", LEARN_ACTION.schedule, o.teamId, "primary")]));
  const count = upcoming.length + past.length;
  return message(count > 0 ? md`Learning sessions (${count})` : md`No learning sessions yet.`, blocks);
}

/** Posted in each audience channel when a session is scheduled. */
export function buildSessionScheduled(o: { session: LearningSession }): SlackMessage {
  const s = o.session;
  return message(md`Learning session scheduled: ${clip(s.topic, 200)} (${when(s)})`, [
    section(
      md`📚 *Learning session:* ${clip(s.topic, TOPIC_MAX)}\n${user(s.speakerId)} · ${when(s)} · ${s.durationMinutes} min + Q&A`,
    ),
    context(md`Reminders follow a day and an hour before. For ${audienceOf(s)}.`),
  ]);
}

/** The reminder a day or an hour before, in each audience channel. */
export function buildSessionReminder(o: { session: LearningSession; when: "day" | "hour" }): SlackMessage {
  const s = o.session;
  const lead = o.when === "day" ? "Tomorrow" : "In an hour";
  return message(md`${lead}: learning session “${clip(s.topic, 200)}” at ${when(s)}`, [
    section(
      md`📚 *${lead}: learning session* — ${clip(s.topic, TOPIC_MAX)}\n${user(s.speakerId)} · ${when(s)} · ${s.durationMinutes} min + Q&A`,
    ),
  ]);
}

/** The DM to the speaker once the session and its Q&A are over. */
export function buildLinksAsk(o: { session: LearningSession }): SlackMessage {
  const s = o.session;
  return message(
    md`Thanks for your learning session “${clip(s.topic, 200)}” — add the recording and slides?`,
    [
      section(
        md`🙏 *Thanks for teaching* “${clip(s.topic, TOPIC_MAX)}”. Add the recording and slides so the people who missed it can catch up; they show in \`/ratchet learn\`.`,
      ),
      actions([button("Add recording and slides", LEARN_ACTION.links, s.id, "primary")]),
    ],
  );
}

/** The speaker's two links. */
export function buildLinksModal(o: { meta: LinksModalMeta; session: LearningSession }): ModalView {
  const s = o.session;
  return modal({
    callbackId: LEARN_VIEW.links,
    title: "Recording and slides",
    submit: "Save links",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(md`*${clip(s.topic, TOPIC_MAX)}* — ${when(s)}, ended ${localLabel(endsAt(s), s.timezone)}`),
      textInput(LEARN_BLOCK.recording, "Recording link (URL)", {
        optional: true,
        initial: s.recordingUrl,
        maxLength: URL_MAX,
        placeholder: "https://…",
      }),
      textInput(LEARN_BLOCK.slides, "Slides link (URL)", {
        optional: true,
        initial: s.slidesUrl,
        maxLength: URL_MAX,
        placeholder: "https://…",
      }),
      context(md`Fill in at least one; people find them in \`/ratchet learn\`.`),
    ],
  });
}
