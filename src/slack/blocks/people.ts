import type { ModalView } from "@slack/types";
import type { PersonPrefs, ReminderWay } from "../../people/person-prefs.js";
import type { QuietDay } from "../../people/quiet-days.js";
import { PEOPLE_ACTION, PEOPLE_BLOCK, PEOPLE_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import {
  actions,
  button,
  context,
  datepicker,
  header,
  message,
  modal,
  option,
  radio,
  section,
  textInput,
} from "./kit.js";
import { md } from "./mrkdwn.js";

/** What the quiet-days modal carries: the team of the channel it was opened in, and the person's zone. */
export interface QuietDaysMeta {
  teamId: string | null;
  tz: string;
}

const wayOptions = (what: string) =>
  [
    option(`In the team channel (as now)`, "channel"),
    option(`By DM to me instead`, "dm"),
    option(`Both: the channel and a DM`, "both"),
  ].map((o) => ({ ...o, description: { type: "plain_text" as const, text: what } }));

/** `/ratchet remind`: where my reminders reach me. */
export function buildPrefsModal(prefs: PersonPrefs): ModalView {
  const choice = (blockId: string, label: string, what: string, initial: ReminderWay) =>
    radio(blockId, label, wayOptions(what), { initial });
  return modal({
    callbackId: PEOPLE_VIEW.prefs,
    title: "My reminders",
    submit: "Save",
    blocks: [
      section(
        md`Choose where Ratchet reminds you. A DM is not sent while you are away (\`/ratchet away\`); the channel's reminder still goes.`,
      ),
      choice(
        PEOPLE_BLOCK.reviewReminder,
        "Reviews of mechanisms I own",
        "the 15-minute review reminder",
        prefs.reviewReminder,
      ),
      choice(
        PEOPLE_BLOCK.debriefReminder,
        "End-of-week debrief",
        "the Share my week prompt",
        prefs.debriefReminder,
      ),
    ],
  });
}

/** "Add quiet days": my time away, or a team holiday. */
export function buildQuietDaysModal(
  meta: QuietDaysMeta,
  o: { teamName: string | null; today: string },
): ModalView {
  const whose = [option("I'm away (out of office)", "me")];
  if (meta.teamId && o.teamName) whose.push(option(`Team holiday for ${o.teamName}`, "team"));
  return modal({
    callbackId: PEOPLE_VIEW.quietDays,
    title: "Add quiet days",
    submit: "Add",
    privateMetadata: JSON.stringify(meta),
    blocks: [
      radio(PEOPLE_BLOCK.whose, "Whose quiet days?", whose, { initial: "me" }),
      datepicker(PEOPLE_BLOCK.fromDate, "First day", { initial: o.today }),
      datepicker(PEOPLE_BLOCK.toDate, "Last day", {
        initial: o.today,
        hint: "Inclusive. One day: the same date twice.",
      }),
      textInput(PEOPLE_BLOCK.note, "Note", {
        optional: true,
        maxLength: 200,
        placeholder: "e.g. Public holiday",
      }),
      context(
        md`A review due on a team holiday moves to the next day that isn't one (same time), or merges into the next review; it never counts as missed. While you're away you get no reminder DMs.`,
      ),
    ],
  });
}

const range = (q: QuietDay) => (q.fromDate === q.toDate ? q.fromDate : `${q.fromDate} – ${q.toDate}`);

/** `/ratchet away`: the team's holidays and my time away still to come, each removable. */
export function buildQuietDaysList(o: {
  holidays: QuietDay[];
  away: QuietDay[];
  teamName: string | null;
  /** where the list was asked for: "Add quiet days" opens the form for that channel's team */
  slackTeamId: string;
  channelId: string;
}): SlackMessage {
  const row = (q: QuietDay, what: string) =>
    section(md`*${range(q)}* · ${what}${q.note ? md` — ${q.note}` : md``}`);
  const rows = (list: QuietDay[], what: string) =>
    list
      .slice(0, 20)
      .flatMap((q) => [
        row(q, what),
        actions([button("Remove", PEOPLE_ACTION.removeQuietDays, q.id, "danger")]),
      ]);
  const empty =
    o.holidays.length === 0 && o.away.length === 0
      ? [
          section(
            md`No quiet days ahead. Add a team holiday or your time away, and reviews on those days move instead of counting as missed.`,
          ),
        ]
      : [];
  return message(md`Quiet days`, [
    header("Quiet days"),
    ...empty,
    ...rows(o.holidays, o.teamName ? `team holiday (${o.teamName})` : "team holiday"),
    ...rows(o.away, "you're away"),
    actions([
      button("Add quiet days", PEOPLE_ACTION.addQuietDays, `${o.slackTeamId}:${o.channelId}`, "primary"),
    ]),
  ]);
}
