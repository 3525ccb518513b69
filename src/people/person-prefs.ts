/** Where a person wants a reminder: in the team channel (as before), by DM, or both. */
export const REMINDER_WAYS = ["channel", "dm", "both"] as const;
export type ReminderWay = (typeof REMINDER_WAYS)[number];

/** One person's reminder preferences in one workspace. */
export interface PersonPrefs {
  slackTeamId: string;
  userId: string;
  /** reviews of the mechanisms they own */
  reviewReminder: ReminderWay;
  /** the end-of-week debrief prompt */
  debriefReminder: ReminderWay;
}

export const defaultPrefs = (slackTeamId: string, userId: string): PersonPrefs => ({
  slackTeamId,
  userId,
  reviewReminder: "channel",
  debriefReminder: "channel",
});

export const wantsDm = (way: ReminderWay) => way !== "channel";
export const wantsChannel = (way: ReminderWay) => way !== "dm";

export const isReminderWay = (s: string): s is ReminderWay =>
  (REMINDER_WAYS as readonly string[]).includes(s);
