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
