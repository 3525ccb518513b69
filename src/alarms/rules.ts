import { MAX_SLICES } from "../floor/floor.js";
import { hasBecause } from "../mechanisms/one-pager-checks.js";
import { isPlaceholder } from "../mechanisms/placeholder.js";
import { formatNumber } from "../shared/number-format.js";
import { clipText } from "../shared/text.js";
import { ALARM_SUGGESTIONS } from "./suggestions.js";
import type {
  AlarmFinding,
  AlarmKind,
  CycleSpan,
  MechanismSnapshot,
  ReadingSnapshot,
  SignalSnapshot,
  TeamSnapshot,
} from "./types.js";
import { ALARM_KINDS } from "./types.js";

/**
 * Thrash alarms and pilot-purgatory smells (playbook: "Thrash alarms", "Pilot purgatory: five
 * smells"). Everything here is a pure function of the snapshot: no clock, no I/O, so the
 * scheduler can re-run it for the same `now` and get the same findings.
 *
 * Shared conventions:
 * - A cycle is [start, end); "completed cycles" are the two before `currentCycle`.
 * - Per-mechanism rules look only at mechanisms whose status is "active": a stopped bet has
 *   nothing left to fix, and nagging about it teaches people to ignore alarms.
 * - A rule that needs a cycle the snapshot does not carry stays silent rather than guessing.
 */

export const EVIDENCE_MAX_CHARS = 300;
/** Part of the noise rule: a move smaller than 2% of the planned baseline→target distance is noise. */
const NOISE_FLOOR_SHARE = 0.02;
/** Keeps the band positive when baseline = target, so two equal readings never count as a move. */
const NOISE_EPSILON = 1e-9;
/**
 * Readings entered at the same review land minutes apart, not exactly together; anything within
 * this window of a proxy reading counts as taken at the same review.
 */
const SAME_REVIEW_WINDOW_MS = 12 * 60 * 60 * 1000;

const NAME_MAX_CHARS = 60;
/** "continue" this many times in a row, with no new readings, is a status report, not a decision. */
const REFLEX_DECISIONS = 3;
const LISTED_REVIEWS_MAX = 3;
/** "Continue" against a failing checkpoint this many times in a row raises continued_against_gate. */
const AGAINST_GATE_TWICE = 2;
/** All findings for one team, ordered by ALARM_KINDS and then by the snapshot's mechanism order. */
export function evaluateAlarms(s: TeamSnapshot): AlarmFinding[] {
  const ctx = contextOf(s);
  const found: { kind: AlarmKind; subjectKey: string; subjectLabel: string; evidence: string | null }[] = [];

  const team = { subjectKey: "team", subjectLabel: "Team" };
  found.push({ kind: "no_deviations", ...team, evidence: noDeviations(ctx) });
  found.push({ kind: "no_kills", ...team, evidence: noKills(ctx) });
  found.push({ kind: "floor_without_guardrail", ...team, evidence: floorWithoutGuardrail(ctx) });
  found.push({ kind: "no_slices", ...team, evidence: noSlices(ctx) });
  found.push({ kind: "too_many_slices", ...team, evidence: tooManySlices(ctx) });

  for (const m of s.mechanisms) {
    if (m.status !== "active") continue;
    const subject = { subjectKey: m.id, subjectLabel: m.title };
    for (const [kind, rule] of MECHANISM_RULES) found.push({ kind, ...subject, evidence: rule(m, ctx) });
  }

  const order = (k: AlarmKind) => ALARM_KINDS.indexOf(k);
  return found
    .flatMap(({ evidence, ...f }) =>
      evidence === null
        ? []
        : [{ ...f, evidence: clipText(evidence, EVIDENCE_MAX_CHARS), suggestion: ALARM_SUGGESTIONS[f.kind] }],
    )
    .sort((a, b) => order(a.kind) - order(b.kind));
}

interface Context {
  s: TeamSnapshot;
  current: CycleSpan | undefined;
  /** the cycle just before the current one */
  previous: CycleSpan | undefined;
  /** the cycle before `previous` */
  earlier: CycleSpan | undefined;
  day: (d: Date) => string;
}

function contextOf(s: TeamSnapshot): Context {
  const at = (index: number) => s.cycles.find((c) => c.index === index);
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: s.timeZone ?? "UTC",
    day: "numeric",
    month: "numeric",
  });
  // Month names by hand: ICU's "short" month differs between locales and versions ("Sep" vs "Sept").
  const day = (d: Date) => {
    const parts = fmt.formatToParts(d);
    const month = Number(parts.find((p) => p.type === "month")?.value);
    return `${parts.find((p) => p.type === "day")?.value ?? "?"} ${MONTHS[month - 1] ?? "?"}`;
  };
  return {
    s,
    current: at(s.currentCycle),
    previous: at(s.currentCycle - 1),
    earlier: at(s.currentCycle - 2),
    day,
  };
}

type MechanismRule = (m: MechanismSnapshot, ctx: Context) => string | null;

const MECHANISM_RULES: readonly (readonly [AlarmKind, MechanismRule])[] = [
  ["proxy_without_outcome", proxyWithoutOutcome],
  ["no_because", noBecause],
  ["status_only_review", statusOnlyReview],
  ["continued_against_gate", continuedAgainstGate],
  ["unstoppable_guardrail", unstoppableGuardrail],
  ["guardrail_breached", guardrailBreached],
  ["owner_unclear", ownerUnclear],
  ["no_checkpoint", noCheckpoint],
  ["demo_replaces_behaviour", demoReplacesBehaviour],
  ["stale_pilot", stalePilot],
  ["no_ops_path", noOpsPath],
];

/**
 * no_deviations: the two completed cycles both have zero deviations (counted by the deviation's
 * `cycleIndex`, which is what the deviation log files it under).
 *
 * The team must have existed for both whole cycles (set up at or before the earlier one's start),
 * and have started: its first activity — the earliest `createdAt` of any mechanism or deviation —
 * lies before the end of the earlier cycle. A team with no mechanisms and no deviations is silent.
 *
 * A deviation already logged in the current cycle silences the alarm: the suggested move is done.
 */
function noDeviations(ctx: Context): string | null {
  const { s, earlier, previous } = ctx;
  if (!earlier || !previous || !existedThroughout(ctx, earlier)) return null;
  const firstActivity = Math.min(
    ...s.mechanisms.map((m) => m.createdAt.getTime()),
    ...s.deviations.map((d) => d.createdAt.getTime()),
  );
  if (!(firstActivity < earlier.end.getTime())) return null;
  const counted = new Set([earlier.index, previous.index, s.currentCycle]);
  if (s.deviations.some((d) => counted.has(d.cycleIndex))) return null;
  return `No deviations logged in the last two cycles (${span(ctx, earlier.start, previous.end)}).`;
}

/**
 * Whether the team existed for the whole cycle: a team set up on a Wednesday was never told "no
 * deviations in the last two cycles" about the Monday and Tuesday before it existed (issue 11).
 */
const existedThroughout = (ctx: Context, cycle: CycleSpan): boolean =>
  ctx.s.teamCreatedAt.getTime() <= cycle.start.getTime();

/**
 * no_kills: no mechanism was stopped or graduated from the start of the earlier completed cycle up to `now`,
 * while at least one mechanism was active throughout both completed cycles (created at or before
 * the earlier cycle's start, not stopped before the previous cycle's end). With nothing running
 * the whole time there was nothing to kill. A kill in the current cycle silences it, as above.
 * A graduation is a checkpoint decision too (playbook: "Which pilot did we graduate or kill at a
 * checkpoint?"), so it silences the alarm as well — but it is never counted or shown as a kill.
 */
function noKills(ctx: Context): string | null {
  const { s, earlier, previous } = ctx;
  if (!earlier || !previous || !existedThroughout(ctx, earlier)) return null;
  const from = earlier.start.getTime();
  const ended = s.mechanisms.some(
    (m) => m.stoppedAt !== null && m.stoppedAt.getTime() >= from && m.stoppedAt <= s.now,
  );
  if (ended) return null;
  const throughout = s.mechanisms.filter(
    (m) =>
      m.createdAt.getTime() <= from &&
      (m.stoppedAt === null || m.stoppedAt.getTime() >= previous.end.getTime()),
  ).length;
  if (throughout === 0) return null;
  const were = throughout === 1 ? "1 mechanism was" : `${throughout} mechanisms were`;
  return `No mechanism killed or graduated in the last two cycles (${span(ctx, earlier.start, previous.end)}) while ${were} active throughout.`;
}

/**
 * floor_without_guardrail (the barbell plan, playbook Appendix E: "Guardrails: 1 SLI/SLO + rollback
 * path + flag/rollout limits"): the Floor has standing entries but none of them is a guardrail.
 *
 * Only the Floor's own guardrails count, not the active mechanisms' guardrails: those guard one
 * slice and end with it, while the Floor is what still holds when no slice runs. Non-negotiables
 * are constraints (security, privacy, compliance), not a stop line, so they don't count either.
 * An empty Floor is silent: `/ratchet floor` shows the empty state and asks for a first default; an
 * alarm on every new team would teach people to ignore alarms. Absent Floor data: silent.
 */
function floorWithoutGuardrail(ctx: Context): string | null {
  const f = ctx.s.floor;
  if (!f || f.standing === 0 || f.guardrails > 0) return null;
  const n = f.standing === 1 ? "1 default" : `${f.standing} defaults`;
  return `The Floor lists ${n} and no guardrail: nothing says when a slice must stop or how to roll it back.`;
}

/**
 * no_slices: the Ceiling had no active slice for a whole cycle — no mechanism was active at any
 * instant of the previous (completed) cycle — and none is active now. The team must have existed
 * throughout that cycle and have started before its end (a mechanism or deviation created, or a
 * Floor): a team that never wrote anything is silent, as for no_deviations.
 */
function noSlices(ctx: Context): string | null {
  const { s, previous } = ctx;
  if (!previous || !existedThroughout(ctx, previous)) return null;
  if (s.mechanisms.some((m) => m.status === "active")) return null;
  const end = previous.end.getTime();
  const activeDuring = s.mechanisms.some(
    (m) => m.createdAt.getTime() < end && (m.stoppedAt === null || m.stoppedAt > previous.start),
  );
  if (activeDuring) return null;
  const started =
    s.mechanisms.some((m) => m.createdAt.getTime() < end) ||
    s.deviations.some((d) => d.createdAt.getTime() < end) ||
    (s.floor?.standing ?? 0) > 0;
  if (!started) return null;
  return `No mechanism slice was active last cycle (${span(ctx, previous.start, previous.end)}) and none is now: the Ceiling is empty.`;
}

/** too_many_slices: more than three mechanisms active now; the barbell holds three bounded slices. */
function tooManySlices(ctx: Context): string | null {
  const active = ctx.s.mechanisms.filter((m) => m.status === "active");
  if (active.length <= MAX_SLICES) return null;
  const names = active.slice(0, MAX_SLICES + 1).map((m) => quote(m.title));
  const more = active.length > names.length ? ", …" : "";
  return `${active.length} mechanisms active (${names.join(", ")}${more}): the barbell holds ${MAX_SLICES} slices.`;
}

/**
 * The noise rule. A signal's noise band is
 *   max(median |second difference| of the given readings, 2% of |target − baseline|, 1e-9)
 * where a second difference is how much the step between readings changed from one step to the
 * next. Measuring the wobble of the steps, not the steps themselves, keeps a steady climb from
 * being written off as noise — the playbook's failure case is a KPI that "kept climbing".
 * Fewer than three readings give no second difference, so only the 2% floor applies.
 *
 * Pass the readings up to and including the start of the move being judged, never the move
 * itself, so a jump cannot widen its own band.
 */
export function noiseBand(values: readonly number[], baseline: number, target: number): number {
  const floor = Math.max(NOISE_FLOOR_SHARE * Math.abs(target - baseline), NOISE_EPSILON);
  const wobble = differences(differences(values)).map(Math.abs);
  return wobble.length === 0 ? floor : Math.max(median(wobble), floor);
}

interface Move {
  from: number;
  to: number;
  fromAt: Date;
  toAt: Date;
  noise: number;
}

/**
 * proxy_without_outcome: the proxy's last two readings moved toward its target by more than its
 * noise band, while the outcome did not move toward its target by more than its own band over the
 * same span. Direction matters on purpose: a proxy falling is not "optimising how things look",
 * and an outcome falling while the proxy rises is the worst case, not an excuse. When baseline
 * equals target there is no direction, so any move beyond the band counts.
 *
 * Same span: the outcome's value at each end of the proxy's move is its latest reading taken by
 * then (allowing SAME_REVIEW_WINDOW_MS for readings entered at the same review). If the outcome has
 * not been read since the proxy's earlier reading, we cannot say it did not move, so we stay silent.
 * A moving proxy with no outcome signal at all fires: that is a proxy with nothing to answer to.
 */
function proxyWithoutOutcome(m: MechanismSnapshot, ctx: Context): string | null {
  const proxy = m.signals.find((sig) => sig.kind === "proxy");
  if (!proxy) return null;
  const n = proxy.readings.length;
  const last = proxy.readings[n - 1];
  const before = proxy.readings[n - 2];
  if (!last || !before) return null;
  const p: Move = {
    from: before.value,
    to: last.value,
    fromAt: before.at,
    toAt: last.at,
    noise: noiseBand(values(proxy.readings.slice(0, n - 1)), proxy.baseline, proxy.target),
  };
  if (!improved(proxy, p)) return null;
  const proxyText = `Proxy ${quote(proxy.name)} ${describe(p)}`;
  const dates = `${ctx.day(p.fromAt)} – ${ctx.day(p.toAt)}`;

  const outcome = m.signals.find((sig) => sig.kind === "outcome");
  if (!outcome) return `${proxyText}, ${dates}, and no outcome signal is attached.`;
  const o = outcomeOver(outcome, p.fromAt, p.toAt);
  if (!o || improved(outcome, o)) return null;
  return `${proxyText} while outcome ${quote(outcome.name)} ${describe(o)}, ${dates}.`;
}

function outcomeOver(outcome: SignalSnapshot, from: Date, to: Date): Move | null {
  const rs = outcome.readings;
  const endIdx = lastIndexBy(rs, to.getTime() + SAME_REVIEW_WINDOW_MS);
  const end = rs[endIdx];
  if (!end || end.at.getTime() <= from.getTime() + SAME_REVIEW_WINDOW_MS) return null;
  const startIdx = lastIndexBy(rs, from.getTime() + SAME_REVIEW_WINDOW_MS);
  const start = rs[startIdx];
  if (!start) return null;
  return {
    from: start.value,
    to: end.value,
    fromAt: start.at,
    toAt: end.at,
    noise: noiseBand(values(rs.slice(0, startIdx + 1)), outcome.baseline, outcome.target),
  };
}

function improved(signal: SignalSnapshot, move: Move): boolean {
  const delta = move.to - move.from;
  const direction = Math.sign(signal.target - signal.baseline);
  return (direction === 0 ? Math.abs(delta) : delta * direction) > move.noise;
}

/** no_because: the statement names no cause; "because" detection is the one-pager's own check. */
function noBecause(m: MechanismSnapshot): string | null {
  if (hasBecause(m.statement)) return null;
  if (isPlaceholder(m.statement))
    return "No mechanism statement is written, so nothing says why the numbers should move.";
  return `Statement ${quote(m.statement)} has no written cause (no “because …”).`;
}

/**
 * status_only_review: since the start of the previous cycle, a review was held or closed without a
 * continue/change/stop decision ("done" and not decided), or its reminder went unanswered until
 * the next occurrence. "missed" reviews are the scheduler's gap, not the team's, so they don't count.
 */
function statusOnlyReview(m: MechanismSnapshot, ctx: Context): string | null {
  return hollowReviews(m, ctx) ?? reflexiveContinues(m, ctx);
}

/**
 * continued_against_gate: the two newest decisions both chose "continue" while the checkpoint rule
 * failed on their readings. Once is a judgement the log explains; twice in a row the gate is no
 * longer deciding anything (issue 11). A change, stop or passing review in between resets it.
 */
function continuedAgainstGate(m: MechanismSnapshot, ctx: Context): string | null {
  const last = [...m.decisions].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-AGAINST_GATE_TWICE);
  if (last.length < AGAINST_GATE_TWICE) return null;
  if (!last.every((d) => d.decision === "continue" && d.checkpoint === "fail")) return null;
  const days = last.map((d) => ctx.day(d.at)).join(" and ");
  return `“Continue” on ${days} although the checkpoint failed both times.`;
}

/**
 * The other status-only review: decisions taken by reflex. The last three were all "continue" and
 * no reading was recorded from the first of them to the last (allowing SAME_REVIEW_WINDOW_MS either
 * side for readings entered at the same review): nothing new was looked at (issue 11).
 */
function reflexiveContinues(m: MechanismSnapshot, ctx: Context): string | null {
  const last = [...m.decisions].sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-REFLEX_DECISIONS);
  const first = last[0];
  const newest = last[last.length - 1];
  if (!first || !newest || last.length < REFLEX_DECISIONS) return null;
  if (last.some((d) => d.decision !== "continue")) return null;
  const from = first.at.getTime() - SAME_REVIEW_WINDOW_MS;
  const to = newest.at.getTime() + SAME_REVIEW_WINDOW_MS;
  const looked = m.signals.some((s) =>
    s.readings.some((r) => r.at.getTime() >= from && r.at.getTime() <= to),
  );
  if (looked) return null;
  const days = last.map((d) => ctx.day(d.at)).join(", ");
  return `The last ${REFLEX_DECISIONS} decisions (${days}) were all “continue” with no new readings: status, not a decision.`;
}

function hollowReviews(m: MechanismSnapshot, ctx: Context): string | null {
  const since = (ctx.previous ?? ctx.current)?.start;
  if (!since) return null;
  const hollow = m.reviews
    .filter((r) => r.dueAt >= since && ((r.status === "done" && !r.decided) || r.status === "unanswered"))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  if (hollow.length === 0) return null;
  const listed = hollow
    .slice(0, LISTED_REVIEWS_MAX)
    .map((r) => `${ctx.day(r.dueAt)} (${r.status === "done" ? "held, no decision" : "reminder unanswered"})`);
  if (hollow.length > LISTED_REVIEWS_MAX) listed.push("…");
  const count = hollow.length === 1 ? "1 review" : `${hollow.length} reviews`;
  return `${count} since ${ctx.day(since)} ended without a continue/change/stop decision: ${listed.join(", ")}.`;
}

function unstoppableGuardrail(m: MechanismSnapshot): string | null {
  // A guardrail with its own stop owner (not the mechanism's) is judged on its own (issue 11); the
  // rest are stopped by the mechanism's stop owner, judged below as before.
  const own = (m.guardrails ?? []).filter((g) => !isBlank(g.stopOwnerId) && g.stopOwnerId !== m.stopOwnerId);
  const gone = own.filter((g) => g.stopOwnerDeactivated);
  const sharesMechanismOwner = (m.guardrails ?? []).length > own.length || (m.guardrails ?? []).length === 0;
  const mechanismLevel = sharesMechanismOwner ? mechanismStopOwnerProblem(m) : null;
  if (gone.length === 0) return mechanismLevel;
  const lines = gone.map((g) => `${quote(g.name)}: stop owner ${person(g.stopOwnerId)} is deactivated`);
  const more = mechanismLevel ? ` ${mechanismLevel}` : "";
  return `Nobody can say stop when ${gone.length === 1 ? "this guardrail trips" : "these guardrails trip"} — ${lines.join("; ")}.${more}`;
}

function mechanismStopOwnerProblem(m: MechanismSnapshot): string | null {
  if (isBlank(m.stopOwnerId))
    return "No stop owner is named, so nobody can say stop when the guardrail trips.";
  if (m.stopOwnerDeactivated)
    return `Stop owner ${person(m.stopOwnerId)} is deactivated, so nobody can say stop when the guardrail trips.`;
  return null;
}

/**
 * guardrail_breached: the newest breached guardrail reading has no decision yet (issue 11: a breach
 * is a signal someone acts on). Clears once whoever can say stop decides: stop now, or keep going.
 */
function guardrailBreached(m: MechanismSnapshot, ctx: Context): string | null {
  const b = m.guardrailBreach;
  if (!b || b.decided) return null;
  const who = isBlank(b.stopOwnerId) ? "nobody" : person(b.stopOwnerId);
  return `Guardrail ${quote(b.guardrail)} read ${b.reading} on ${ctx.day(b.at)}; ${who} has not decided: stop now or keep going.`;
}

function ownerUnclear(m: MechanismSnapshot, ctx: Context): string | null {
  if (isBlank(m.ownerId)) return `No owner is named; active since ${ctx.day(m.createdAt)}.`;
  if (m.ownerDeactivated)
    return `Owner ${person(m.ownerId)} is deactivated; active since ${ctx.day(m.createdAt)}.`;
  return null;
}

function noCheckpoint(m: MechanismSnapshot, ctx: Context): string | null {
  if (!isPlaceholder(m.checkpointRule)) return null;
  const rule =
    m.checkpointRule.trim() === "" ? "No checkpoint rule" : `Checkpoint rule is ${quote(m.checkpointRule)}`;
  return `${rule}: nothing says when to graduate or kill it; active since ${ctx.day(m.createdAt)}.`;
}

/**
 * stale_pilot: a whole completed cycle (the previous one) went by with no decision, counting from
 * the later of the mechanism's creation and its last decision. Measuring from the last decision,
 * not only from creation, also catches a pilot that had one decision long ago and then drifted:
 * "'temporary' state persists past one cycle".
 */
function stalePilot(m: MechanismSnapshot, ctx: Context): string | null {
  const { previous } = ctx;
  if (!previous) return null;
  const lastDecision = m.decisions.reduce<MechanismSnapshot["decisions"][number] | undefined>(
    (latest, d) => (latest === undefined || d.at > latest.at ? d : latest),
    undefined,
  );
  const since = lastDecision && lastDecision.at > m.createdAt ? lastDecision.at : m.createdAt;
  if (since.getTime() > previous.start.getTime()) return null;
  const passed = `the last cycle (${span(ctx, previous.start, previous.end)}) passed without`;
  return lastDecision
    ? `Last decision (${lastDecision.decision}) on ${ctx.day(lastDecision.at)}; ${passed} another.`
    : `Active since ${ctx.day(m.createdAt)} with no decision logged; ${passed} one.`;
}

/**
 * demo_replaces_behaviour (pilot purgatory: "Demo replaces user behaviour"): proxy readings keep
 * arriving while outcome readings don't, past a cycle. The proxy readings taken after the newest
 * outcome reading (allowing SAME_REVIEW_WINDOW_MS, so an outcome entered at the same review
 * answers them), or all of them when the outcome was never read, must be at least two, the first at
 * or before the previous cycle's start (a whole cycle went by) and the newest at or after it (they
 * are still arriving: a mechanism whose readings simply stopped is the stale pilot's business).
 * Every proxy and outcome signal counts, however many a mechanism has.
 */
function demoReplacesBehaviour(m: MechanismSnapshot, ctx: Context): string | null {
  const { previous } = ctx;
  if (!previous) return null;
  const outcomes = m.signals.filter((sig) => sig.kind === "outcome");
  const lastOutcome = Math.max(
    Number.NEGATIVE_INFINITY,
    ...outcomes.flatMap((sig) => sig.readings.map((r) => r.at.getTime())),
  );
  const unanswered = m.signals
    .filter((sig) => sig.kind === "proxy")
    .flatMap((sig) => sig.readings.map((r) => r.at))
    .filter((at) => at.getTime() > lastOutcome + SAME_REVIEW_WINDOW_MS)
    .sort((a, b) => a.getTime() - b.getTime());
  const first = unanswered[0];
  const newest = unanswered[unanswered.length - 1];
  if (!first || !newest || unanswered.length < 2) return null;
  const from = previous.start.getTime();
  if (first.getTime() > from || newest.getTime() < from) return null;
  const proxies = `${unanswered.length} proxy readings from ${ctx.day(first)} to ${ctx.day(newest)}`;
  const names = outcomes.map((sig) => quote(sig.name)).join(", ");
  if (outcomes.length === 0)
    return `${proxies}, and no outcome signal is attached: nothing says what users did.`;
  if (lastOutcome === Number.NEGATIVE_INFINITY)
    return `${proxies}, and outcome ${names} has never been read: nothing says what users did.`;
  return `${proxies}, and outcome ${names} not read since ${ctx.day(new Date(lastOutcome))}: nothing says what users did.`;
}

/**
 * no_ops_path (pilot purgatory: "No ops path if it worked"): nobody is named to run it if it works —
 * its own one-pager field, apart from the rollback path (the way back if it fails, which the
 * Definition of Done asks for). A pilot gets one cycle to name it: it fires once a whole cycle (the
 * previous one) has passed since the mechanism was created. What counts as "not written" is
 * `isPlaceholder`, the rule the Definition of Done uses too.
 */
function noOpsPath(m: MechanismSnapshot, ctx: Context): string | null {
  if (!isPlaceholder(m.opsPath)) return null;
  const { previous } = ctx;
  if (!previous || m.createdAt.getTime() > previous.start.getTime()) return null;
  const path =
    m.opsPath.trim() === ""
      ? "Nobody is named to run it if it works"
      : `“If it works, who runs it?” says ${quote(m.opsPath)}`;
  return `${path}: a pilot that works has nowhere to go; active since ${ctx.day(m.createdAt)}.`;
}

// ——— small helpers ———

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Nov – 16 Nov" for [start, end): the last day shown is the one holding end's previous instant. */
const span = (ctx: Context, start: Date, end: Date) =>
  `${ctx.day(start)} – ${ctx.day(new Date(end.getTime() - 1))}`;

/**
 * A person in evidence: `<@U…>` (the alarm builder shows it as a mention) only for a real Slack user
 * id; anything else — a forged or broken value — is quoted as text, so it can never become a mention.
 */
const person = (id: string | null): string =>
  id && /^[UW][A-Z0-9]{1,20}$/.test(id) ? `<@${id}>` : quote(id ?? "");

const isBlank = (v: string | null): boolean => v === null || v.trim() === "";

const values = (rs: readonly ReadingSnapshot[]) => rs.map((r) => r.value);

function differences(xs: readonly number[]): number[] {
  return xs.slice(1).map((x, i) => x - (xs[i] ?? x));
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/** Index of the last reading at or before `t` (readings ascending), or -1. */
function lastIndexBy(rs: readonly ReadingSnapshot[], t: number): number {
  let found = -1;
  rs.forEach((r, i) => {
    if (r.at.getTime() <= t) found = i;
  });
  return found;
}

/** "40 → 55 (+15, noise ±2)" */
function describe(m: Move): string {
  const delta = m.to - m.from;
  const signed = delta > 0 ? `+${num(delta)}` : delta < 0 ? `−${num(-delta)}` : "±0";
  return `${num(m.from)} → ${num(m.to)} (${signed}, noise ±${num(m.noise)})`;
}

/** Alarm evidence writes a typographic minus, like its "−" deltas. */
const num = (x: number) => formatNumber(x, "−");

/**
 * Quotes user text. "<" becomes "‹" so a statement containing "<@U123>" stays text: the alarm
 * builder turns only the rule's own mentions back into real ones.
 */
const quote = (text: string) => `“${clipText(text.trim().replace(/</g, "‹"), NAME_MAX_CHARS)}”`;

/** Cuts on code points so an emoji is never split in half. */
