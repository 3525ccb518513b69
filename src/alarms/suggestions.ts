import type { AlarmKind } from "./types.js";

/**
 * One small, bounded move per alarm, in the playbook's words ("add one small, bounded dose
 * of managed disequilibrium"). A suggestion the team can do before the next review beats a
 * complete diagnosis they will not read.
 */
export const ALARM_SUGGESTIONS: Record<AlarmKind, string> = {
  no_deviations: "Log one small, reversible deviation this cycle with `/ratchet deviate` (Novelty Quota).",
  no_kills:
    "Bring your weakest pilot to the next 15-minute review and graduate or kill it at its checkpoint.",
  floor_without_guardrail:
    "Add one guardrail to the Floor with `/ratchet floor` → Add a default: an SLI/SLO, a rollback path or a rollout limit.",
  no_slices: "Write one bounded mechanism slice with two signals and a 2-week gate: `/ratchet new`.",
  too_many_slices:
    "Keep three slices: at the next 15-minute review stop or graduate the weakest one (`/ratchet floor` shows them).",
  proxy_without_outcome:
    "Re-attach the number to a because statement and a user outcome, or kill it — decide at the next 15-minute review.",
  no_because: "Write the cause, not just the motion: “We believe X will move Y because Z.”",
  status_only_review:
    "End the next 15-minute review with one decision — continue, change or stop — and a 1–3-line log entry.",
  continued_against_gate:
    "At the next 15-minute review, either change the mechanism or rewrite the checkpoint rule — and say why in the decision log.",
  unstoppable_guardrail: "Name one person who can say stop when the guardrail trips.",
  guardrail_breached:
    "Whoever can say stop: answer the breach DM today — Stop now, or Keep going and say why in the decision log.",
  owner_unclear: "Name one owner and put the 15-minute review on their calendar.",
  no_checkpoint: "Write one checkpoint rule: “We will continue if ___”; otherwise change or stop.",
  demo_replaces_behaviour:
    "Bring one outcome reading — what users did, not what the demo showed — to the next 15-minute review, or change the outcome signal to one you can read this cycle.",
  stale_pilot: "Put it on the next 15-minute review and decide: continue, change or stop.",
  no_ops_path:
    "Name who runs it if it works — an ops owner or the path into normal operations — under “If it works, who runs it?” on its one-pager.",
};
