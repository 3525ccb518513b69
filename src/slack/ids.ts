/**
 * Every Slack identifier Ratchet uses — view callback_ids, action_ids and
 * block_ids — lives here, so builders, parsers, listeners and tests agree.
 */
export const VIEW = {
  teamSetup: "team_setup",
  mechanism: "mechanism_form",
  review: "review_form",
  logDecision: "log_decision",
} as const;

export const ACTION = {
  openReview: "review_open",
  editMechanism: "mechanism_edit",
  logDecision: "mechanism_log_decision",
  reviewReading: "review_reading",
} as const;

/** Input block ids. The action_id of each input element is the same string as its block. */
export const TEAM_BLOCK = {
  name: "team_name",
  channel: "team_channel",
  timezone: "team_timezone",
  weekday: "team_review_weekday",
  time: "team_review_time",
  cadence: "team_cadence",
} as const;

export const MECH_BLOCK = {
  title: "mech_title",
  aim: "mech_aim",
  aimForWhom: "mech_aim_for_whom",
  aimFrom: "mech_aim_from",
  aimTo: "mech_aim_to",
  aimUnit: "mech_aim_unit",
  aimBy: "mech_aim_by",
  statement: "mech_statement",
  checkpointRule: "mech_checkpoint",
  guardrail: "mech_guardrail",
  stopOwner: "mech_stop_owner",
  rollbackPath: "mech_rollback",
  owner: "mech_owner",
  cadence: "mech_cadence",
} as const;

export type SignalKind = "proxy" | "outcome" | "leading";
export const SIGNAL_KINDS: readonly SignalKind[] = ["proxy", "outcome", "leading"];

/** Block ids for a signal's four inputs, e.g. signal_proxy_name. */
export const signalBlock = (kind: SignalKind, part: "name" | "baseline" | "target" | "unit") =>
  `signal_${kind}_${part}`;

export const REVIEW_BLOCK = {
  whatChanged: "review_what_changed",
  whatDidnt: "review_what_didnt",
  why: "review_why",
  decision: "review_decision",
  changeDetail: "review_change_detail",
  entry: "review_entry",
  checkpoint: "review_checkpoint_result",
  mechanism: "review_mechanism",
} as const;

export const readingBlock = (kind: SignalKind) => `reading_${kind}`;
