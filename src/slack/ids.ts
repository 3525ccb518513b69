import { SIGNAL_KINDS, type SignalKind } from "../mechanisms/mechanism.js";

// The signal kinds are the domain's; re-exported so every id a listener can see is listed here.
export { SIGNAL_KINDS };

/**
 * Every Slack identifier Ratchet uses — view callback_ids, action_ids and
 * block_ids — lives here, so builders, parsers, listeners and tests agree.
 */
export const VIEW = {
  /** one modal for every team setting: team and review slot, debrief, rollup, incidents */
  settings: "settings",
  mechanism: "mechanism_form",
  review: "review_form",
  logDecision: "log_decision",
} as const;

/** The modal a failed submission turns into (it has no submit button, so no listener). */
export const APOLOGY_VIEW = "apology";

export const ACTION = {
  openReview: "review_open",
  editMechanism: "mechanism_edit",
  logDecision: "mechanism_log_decision",
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
  opsPath: "mech_ops_path",
  owner: "mech_owner",
  cadence: "mech_cadence",
  ruleChangeReason: "mech_rule_change_reason",
} as const;

/**
 * Block ids for a signal's four inputs in the mechanism modal: signal_proxy_name for a role's first
 * slot, signal_proxy_1_name for its second.
 */
export const signalBlock = (kind: SignalKind, part: "name" | "baseline" | "target" | "unit", slot = 0) =>
  slot === 0 ? `signal_${kind}_${part}` : `signal_${kind}_${slot}_${part}`;
/** A guardrail's two inputs in the mechanism modal: the first is the one-pager's original pair. */
export const guardrailBlock = (slot: number, part: "text" | "stopOwner") =>
  slot === 0
    ? part === "text"
      ? MECH_BLOCK.guardrail
      : MECH_BLOCK.stopOwner
    : part === "text"
      ? `mech_guardrail_${slot}`
      : `mech_stop_owner_${slot}`;
/** The mechanism modal's "Add another guardrail" button. */
export const ADD_GUARDRAIL_ACTION = "mech_add_guardrail";
/** The mechanism modal's "Add another outcome signal" buttons: one more slot in that role. */
export const addSignalAction = (kind: SignalKind) => `mech_add_${kind}_signal`;

export const REVIEW_BLOCK = {
  whatChanged: "review_what_changed",
  whatDidnt: "review_what_didnt",
  why: "review_why",
  decision: "review_decision",
  changeDetail: "review_change_detail",
  floor: "review_floor",
  gateReason: "review_gate_reason",
  entry: "review_entry",
  checkpoint: "review_checkpoint_result",
  mechanism: "review_mechanism",
} as const;

/** A signal's reading in the review modal: reading_outcome for a role's first signal, reading_outcome_1 next. */
export const readingBlock = (kind: SignalKind, slot = 0) =>
  slot === 0 ? `reading_${kind}` : `reading_${kind}_${slot}`;
/** A guardrail's reading in the review modal, by the guardrail's place on the one-pager. */
export const guardrailReadingBlock = (index: number) => `guardrail_reading_${index}`;
/** The reading inputs dispatch an action as they change (live checkpoint and guardrail evaluation). */
export const READING_ACTIONS = new RegExp(
  `^(reading_(${SIGNAL_KINDS.join("|")})(_\\d+)?|guardrail_reading_\\d+)$`,
);

// deviations (novelty quota)
export const DEVIATION_VIEW = {
  log: "deviation_form",
  outcome: "deviation_outcome",
} as const;

export const DEVIATION_ACTION = {
  /** the mid-cycle reminder's "Log a deviation" button; value = team id */
  open: "deviation_open",
  /** the cycle-end DM's "Record outcome" button; value = deviation id */
  recordOutcome: "deviation_record_outcome",
} as const;

export const DEV_BLOCK = {
  area: "dev_area",
  deviation: "dev_deviation",
  hypothesis: "dev_hypothesis",
  benefit: "dev_benefit",
  risk: "dev_risk",
  cycle: "dev_cycle",
  sensitive: "dev_sensitive",
  approver: "dev_approver",
  outcome: "dev_outcome",
  verdict: "dev_verdict",
} as const;

// the Anthropologist Hat (`/ratchet hat`)
export const HAT_VIEW = {
  case: "hat_case_form",
} as const;

/** On a posted case, beside each balancing loop; value = "<case id>:<loop index>". */
export const HAT_ACTION = {
  makeMechanism: "hat_make_mechanism",
} as const;

export const HAT_BLOCK = {
  context: "hat_context",
  traits: "hat_traits",
  traitsOther: "hat_traits_other",
  symptoms: "hat_symptoms",
  symptomsOther: "hat_symptoms_other",
  reinforcing: "hat_reinforcing",
  reinforcingOther: "hat_reinforcing_other",
  balancing: "hat_balancing",
  balancingOther: "hat_balancing_other",
} as const;

/** A posted case's balancing loop i (each its own block, so every button keeps one action id). */
export const hatLoopBlock = (i: number) => `hat_loop_${i}`;

// debriefs (end-of-week debrief)
export const DEBRIEF_VIEW = {
  answer: "debrief_answer",
} as const;

export const DEBRIEF_ACTION = {
  /** "Share my week" on the prompt and in the nudge DM; value = round id */
  share: "debrief_share",
  /** "Stop nudging me" in the nudge DM: no more nudges from the round's team; value = round id */
  nudgesOff: "debrief_nudges_off",
  /** "Nudge me again" in a nudge DM after "Stop nudging me"; value = round id */
  nudgesOn: "debrief_nudges_on",
} as const;

export const DEBRIEF_BLOCK = {
  enabled: "debrief_enabled",
  weekday: "debrief_weekday",
  time: "debrief_time",
  digestTime: "debrief_digest_time",
  nudge: "debrief_nudge",
  shipped: "debrief_shipped",
  input: "debrief_input",
  blockers: "debrief_blockers",
} as const;

// alarms (thrash alarms and pilot-purgatory smells)
export const ALARM_ACTION = {
  /** value = alarm id */
  acknowledge: "alarm_acknowledge",
  /** value = alarm id */
  snooze: "alarm_snooze",
} as const;

export const ALARM_BLOCK = {
  head: "alarm_head",
  evidence: "alarm_evidence",
  suggestion: "alarm_suggestion",
  status: "alarm_status",
  actions: "alarm_actions",
} as const;

// incidents (each with its COE write-up)
export const INCIDENT_VIEW = {
  intake: "incident_intake",
  timeline: "incident_timeline",
  why: "incident_why",
  factor: "incident_factor",
  learned: "incident_learned",
  finding: "incident_finding",
  tags: "incident_tags",
  complete: "incident_complete",
} as const;

/** The message shortcut "Start a COE from this message" (also in manifest.yml). */
export const INCIDENT_SHORTCUT = "incident_from_message";

/** Buttons on the incident message; each carries the incident id as its value. */
export const INCIDENT_ACTION = {
  edit: "incident_edit",
  timeline: "incident_add_timeline",
  why: "incident_add_why",
  factor: "incident_add_factor",
  learned: "incident_edit_learned",
  finding: "incident_add_finding",
  tags: "incident_edit_tags",
  export: "incident_export",
  complete: "incident_complete",
} as const;

export const INCIDENT_BLOCK = {
  title: "incident_title",
  severity: "incident_severity",
  impact: "incident_impact",
  description: "incident_description",
  startedAt: "incident_started_at",
  detectedAt: "incident_detected_at",
  mitigatedAt: "incident_mitigated_at",
  resolvedAt: "incident_resolved_at",
  howNoticed: "incident_how_noticed",
  howMitigated: "incident_how_mitigated",
  tags: "incident_tags",
  newTags: "incident_new_tags",
  timelineAt: "incident_timeline_at",
  timelineText: "incident_timeline_text",
  whyParent: "incident_why_parent",
  whyText: "incident_why_text",
  whyRootCause: "incident_why_root_cause",
  factorCategory: "incident_factor_category",
  factorText: "incident_factor_text",
  learned: "incident_learned_text",
  findingExisting: "incident_finding_existing",
  findingText: "incident_finding_text",
  /** "Needs an action item" or "Noted, no action" */
  findingDisposition: "incident_finding_disposition",
  findingNotedReason: "incident_finding_noted_reason",
  findingOwner: "incident_finding_owner",
  findingDue: "incident_finding_due",
  findingKind: "incident_finding_kind",
  findingTicket: "incident_finding_ticket",
  completeConfirm: "incident_complete_confirm",
  // message blocks
  actions: "incident_actions",
  actionsMore: "incident_actions_more",
  /** the overdue-COE DM's body */
  overdue: "incident_overdue",
} as const;

// rollups (weekly rollup; its inputs are a section of the settings modal)
export const ROLLUP_SETTINGS_BLOCK = {
  weekday: "rollup_weekday",
  time: "rollup_time",
  /** the workspace-wide rollup channel; empty turns the combined rollup off */
  channel: "rollup_workspace_channel",
} as const;

/** The settings modal's own blocks: its incidents input, its note, and each section's header. */
export const SETTINGS_BLOCK = {
  /** where the team's incidents are posted; empty = the team channel */
  incidentsChannel: "incidents_channel",
  /** the severities that need a full COE (checkboxes); the rest get a light one */
  fullCoeSeverities: "incidents_full_coe_severities",
  /** hours from detection within which a full COE should be complete */
  coeDeepDiveHours: "incidents_coe_deep_dive_hours",
  /** the context line saying which section was put first, or that the rest come once the team exists */
  note: "settings_note",
  /** who may change settings and act for any owner (multi users select; at least one must remain) */
  admins: "settings_team_admins",
  /** the hint on a team with no admins yet (anyone may act until one is set) */
  adminsHint: "settings_team_admins_hint",
} as const;
/** A settings section's header block, e.g. settings_section_rollup. */
export const settingsSection = (section: string) => `settings_section_${section}`;

// action items (from COE findings: nudges, Done / Extend / Not doing, stats)
/** Buttons on a nudge DM; each carries the action item id as its value. */
export const ACTION_ITEM_ACTION = {
  done: "action_item_done",
  extend: "action_item_extend",
  notDoing: "action_item_not_doing",
} as const;

export const ACTION_ITEM_VIEW = {
  extend: "action_item_extend_form",
  notDoing: "action_item_not_doing_form",
} as const;

export const ACTION_ITEM_BLOCK = {
  newDate: "action_item_new_date",
  extendReason: "action_item_extend_reason",
  notDoingReason: "action_item_not_doing_reason",
  // message blocks
  dmBody: "action_item_dm_body",
  dmActions: "action_item_dm_actions",
  dmStatus: "action_item_dm_status",
  stats: "incident_stats",
  /** `/ratchet incident stats`: this quarter against last quarter */
  statsTrend: "incident_stats_trend",
} as const;

// the weekly rollup's own blocks (each section's block id is its RollupSection id)
export const ROLLUP_BLOCK = {
  footer: "rollup_footer",
  empty: "rollup_empty",
  chart: "rollup_chart",
} as const;

/** The breach DM to a guardrail's stop owner (issue 11); each button's value is the reading's id. */
export const GUARDRAIL_ACTION = {
  stop: "guardrail_breach_stop",
  keepGoing: "guardrail_breach_keep_going",
} as const;

export const GUARDRAIL_VIEW = {
  keepGoing: "guardrail_breach_keep_going_form",
} as const;

export const GUARDRAIL_BLOCK = {
  reason: "guardrail_breach_reason",
} as const;

/** The barbell plan (`/ratchet floor`): the Floor's defaults beside the Ceiling's slices. */
export const FLOOR_VIEW = {
  add: "floor_add_default",
  retire: "floor_retire_default",
} as const;

export const FLOOR_ACTION = {
  /** "Add a default"; value = team id */
  add: "floor_add_open",
  /** "Retire" beside a default; value = "<team id> <entry ref>" */
  retire: "floor_retire_open",
} as const;

export const FLOOR_BLOCK = {
  text: "floor_text",
  why: "floor_why",
  kind: "floor_kind",
  reason: "floor_retire_reason",
  // message blocks
  floor: "floor_list",
  ceiling: "floor_ceiling",
  quota: "floor_quota",
  empty: "floor_empty",
} as const;

/** Learning sessions (`/ratchet learn`): schedule one, then its speaker adds the recording and slides. */
export const LEARN_VIEW = {
  schedule: "learn_schedule",
  links: "learn_links",
} as const;

export const LEARN_ACTION = {
  /** "Schedule a session" on the list; value = team id */
  schedule: "learn_schedule_open",
  /** "Add recording and slides" in the speaker's DM and on the list; value = session id */
  links: "learn_links_open",
} as const;

export const LEARN_BLOCK = {
  topic: "learn_topic",
  speaker: "learn_speaker",
  date: "learn_date",
  time: "learn_time",
  duration: "learn_duration",
  channels: "learn_channels",
  recording: "learn_recording",
  slides: "learn_slides",
} as const;

/** The quarterly review (`/ratchet quarter`): its date, the guided review, and the buttons that open them. */
export const QUARTER_VIEW = {
  settings: "quarter_settings",
  review: "quarter_review",
} as const;

export const QUARTER_ACTION = {
  /** "Start the quarterly review"; value = "<team id>|<quarter>" */
  start: "quarter_start",
  /** "Set the review date"; value = team id */
  settings: "quarter_settings_open",
} as const;

export const QUARTER_BLOCK = {
  date: "quarter_date",
  time: "quarter_time",
  achieved: "quarter_achieved",
  learned: "quarter_learned",
  wentWell: "quarter_went_well",
  behaviour: "quarter_behaviour",
  continueItems: "quarter_continue",
  newItems: "quarter_new",
  stopItems: "quarter_stop",
} as const;

/** "Did it stay stopped?" for last quarter's stop item `i`. */
export const quarterStayedBlock = (i: number) => `quarter_stayed_${i}`;

/** The weekly business review (`/ratchet wbr`): its modals, buttons and inputs. */
export const WBR_VIEW = {
  addMetric: "wbr_add_metric",
  linkSignal: "wbr_link_signal",
  readings: "wbr_readings",
  settings: "wbr_settings",
} as const;

/** Each button's value is the team id. */
export const WBR_ACTION = {
  addMetric: "wbr_add_metric_open",
  linkSignal: "wbr_link_signal_open",
  readings: "wbr_readings_open",
  settings: "wbr_settings_open",
} as const;

export const WBR_BLOCK = {
  name: "wbr_name",
  kind: "wbr_kind",
  owner: "wbr_owner",
  unit: "wbr_unit",
  direction: "wbr_direction",
  target: "wbr_target",
  signal: "wbr_signal",
  channel: "wbr_channel",
  weekday: "wbr_weekday",
  time: "wbr_time",
  timezone: "wbr_timezone",
  /** the readings modal's note when there is nothing to type */
  none: "wbr_none",
} as const;

/** The readings modal's input for one metric. */
export const wbrReadingBlock = (metricId: string) => `wbr_reading_${metricId}`;

/** The Home tab (app_home_opened): its buttons and the block ids tests find its sections by. */
export const HOME_ACTION = {
  /** "Show more" / "Back to the start" on one list; the value is `{ list, offset }` as JSON */
  page: "home_page",
  /** "Back to the start" on a paged list (its own id: two buttons in one row can't share one) */
  pageStart: "home_page_start",
  newMechanism: "home_new_mechanism",
  logDecision: "home_log_decision",
  deviate: "home_deviate",
  incident: "home_incident",
  settings: "home_settings",
} as const;

export const HOME_BLOCK = {
  actions: "home_actions",
  empty: "home_empty",
  debrief: "home_debrief",
  rollup: "home_rollup",
  admin: "home_admin",
} as const;

/** A Home list's blocks: its title, one per item, and its paging row. */
export const homeListBlock = (list: string, part: "title" | "paging" | number) => `home_${list}_${part}`;

/** Reminders that reach the person (src/people/): preferences, quiet days, skip and calendar. */
export const PEOPLE_VIEW = {
  prefs: "people_prefs",
  quietDays: "people_quiet_days",
} as const;

export const PEOPLE_ACTION = {
  /** "Skip this one" on a review reminder; value: the review id */
  skipReview: "review_skip",
  /** "Add to calendar" on a reminder or one-pager; value: the mechanism id */
  addToCalendar: "review_add_to_calendar",
  /** "Add quiet days" under the `/ratchet away` list */
  addQuietDays: "quiet_days_add",
  /** "Remove" next to quiet days; value: their id */
  removeQuietDays: "quiet_days_remove",
} as const;

export const PEOPLE_BLOCK = {
  reviewReminder: "people_review_reminder",
  debriefReminder: "people_debrief_reminder",
  whose: "quiet_whose",
  fromDate: "quiet_from",
  toDate: "quiet_to",
  note: "quiet_note",
} as const;

// audit log (issue 14): a subject's History modal, paged
export const AUDIT_ACTION = {
  /** "History" on a one-pager or an incident; value = the subject ({ t, id }) as JSON */
  history: "audit_history",
  /** the History modal's "Older" / "Newer"; value = { t, id, p } as JSON */
  page: "audit_history_page",
} as const;
export const AUDIT_VIEW = { history: "audit_history_modal" } as const;
export const AUDIT_BLOCK = {
  entries: "audit_entries",
  paging: "audit_paging",
  empty: "audit_empty",
} as const;
