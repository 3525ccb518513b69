/**
 * Block Kit for the barbell plan (`/ratchet floor`): the Floor beside the Ceiling and the novelty
 * quota, and the "Add a default" and "Retire" modals. Pure: data in, views out.
 */
import { TZDate } from "@date-fns/tz";
import type { KnownBlock, ModalView, SectionBlock } from "@slack/types";
import { format } from "date-fns/format";
import {
  type BarbellPlan,
  barbellProblems,
  FLOOR_KIND_LABEL,
  FLOOR_KINDS,
  FLOOR_MAX,
  type FloorEntry,
  type FloorKind,
  MAX_SLICES,
  type Slice,
} from "../../floor/floor.js";
import type { Team } from "../../teams/team.js";
import { FLOOR_ACTION, FLOOR_BLOCK, FLOOR_VIEW } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { cycleLabel } from "./deviations.js";
import { user } from "./format.js";
import {
  actions,
  button,
  context,
  divider,
  header,
  message,
  modal,
  option,
  radio,
  section,
  textInput,
} from "./kit.js";
import { clip, joinMd, type Mrkdwn, md } from "./mrkdwn.js";

export interface FloorAddMeta {
  teamId: string;
}

export interface FloorRetireMeta {
  teamId: string;
  ref: string;
}

/**
 * How many standing defaults the plan lists before "…and N more": each is one block, and the whole
 * message stays well under Slack's 50 blocks whatever else it shows.
 */
export const FLOOR_CAP = 15;
/** Retired entries are history: the newest few, one line each. */
const RETIRED_CAP = 5;

const KIND_EMOJI: Record<FloorKind, string> = { default: "🧱", guardrail: "🛡️", non_negotiable: "🔒" };

const day = (d: Date, tz: string) => format(new TZDate(d, tz), "d MMM yyyy");

/** The value of a "Retire" button: what the retire modal needs to find the entry. */
export const retireValue = (teamId: string, ref: string) => `${teamId} ${ref}`;
export function readRetireValue(value: string): FloorRetireMeta | null {
  const [teamId, ref, ...rest] = value.split(" ");
  return teamId && ref && rest.length === 0 ? { teamId, ref } : null;
}

/** Where an entry came from, in words. */
function originOf(e: FloorEntry): Mrkdwn {
  if (e.source === "deviation") return md`promoted deviation from “${clip(e.origin, 80)}”`;
  if (e.source === "mechanism") return md`graduated mechanism “${clip(e.origin, 80)}”`;
  return md`added by hand`;
}

function entryText(e: FloorEntry, tz: string): Mrkdwn {
  const why = e.why ? clip(e.why, 400) : "_not written_";
  return joinMd(
    [
      md`${KIND_EMOJI[e.kind]} *${FLOOR_KIND_LABEL[e.kind]}* — ${clip(e.text, 300)}`,
      md`*Why:* ${why}`,
      md`_Since ${day(e.since, tz)} · ${originOf(e)} · by ${user(e.by)}_`,
    ],
    "\n",
  );
}

function entryBlock(e: FloorEntry, team: Team): SectionBlock {
  return {
    ...section(entryText(e, team.timezone)),
    accessory: button("Retire", FLOOR_ACTION.retire, retireValue(team.id, e.ref)),
  };
}

function sliceText(s: Slice, tz: string): Mrkdwn {
  const gate = s.checkpointRule.trim() ? clip(s.checkpointRule, 300) : "_no checkpoint written_";
  const next = s.nextReviewAt ? md` · next review ${day(s.nextReviewAt, tz)}` : md``;
  return md`🧪 *${clip(s.title, 150)}*\n*Gate:* ${gate}${next}`;
}

/** `/ratchet floor`: the Floor (don't lose) beside the Ceiling (play to win), capped for Slack. */
export function buildBarbellPlan(o: { team: Team; plan: BarbellPlan }): SlackMessage {
  const { team, plan } = o;
  const tz = team.timezone;
  const standing = plan.floor.filter((e) => !e.retired);
  const retired = plan.floor.filter((e) => e.retired);
  const problems = barbellProblems(plan);
  const count = (k: FloorKind) => standing.filter((e) => e.kind === k).length;

  const blocks: KnownBlock[] = [header(`Barbell plan — ${team.name}`)];
  blocks.push(
    section(
      md`*The Floor* (don't lose): ${count("default")} defaults · ${count("guardrail")} guardrails · ${count("non_negotiable")} non-negotiables`,
      FLOOR_BLOCK.floor,
    ),
  );
  if (standing.length === 0) {
    blocks.push(
      section(
        md`No defaults yet — promote a deviation, graduate a mechanism or add one. The Floor is what the team starts from and keeps: defaults, a guardrail (one SLI/SLO, a rollback path, rollout limits) and the non-negotiables (security, privacy, compliance).`,
        FLOOR_BLOCK.empty,
      ),
    );
  }
  for (const e of standing.slice(0, FLOOR_CAP)) blocks.push(entryBlock(e, team));
  if (standing.length > FLOOR_CAP)
    blocks.push(context(md`…and ${standing.length - FLOOR_CAP} more defaults on the Floor.`));
  if (problems.noGuardrail && standing.length > 0)
    blocks.push(
      context(
        md`⚠️ No guardrail on the Floor: add one SLI/SLO, rollback path or rollout limit so a slice can fail safely.`,
      ),
    );
  if (retired.length > 0) {
    const lines = retired
      .slice(0, RETIRED_CAP)
      .map(
        (e) =>
          md`~${clip(e.text, 120)}~ — retired ${day(e.retired?.at ?? e.since, tz)} by ${user(e.retired?.by)}: ${clip(e.retired?.reason ?? "", 200)}`,
      );
    blocks.push(context(joinMd([md`*Retired*`, ...lines], "\n")));
    // Its own block, so fitting the message under Slack's total never cuts the count off.
    if (retired.length > RETIRED_CAP)
      blocks.push(context(md`…and ${retired.length - RETIRED_CAP} more retired.`));
  }

  blocks.push(divider());
  blocks.push(
    section(
      md`*The Ceiling* (play to win): ${plan.slices.length} active ${plan.slices.length === 1 ? "slice" : "slices"} of at most ${MAX_SLICES}`,
      FLOOR_BLOCK.ceiling,
    ),
  );
  if (problems.noSlice)
    blocks.push(
      section(
        md`No active slice. Write one bounded mechanism test with signals and a gate: \`/ratchet new\`.`,
      ),
    );
  for (const s of plan.slices.slice(0, MAX_SLICES)) blocks.push(section(sliceText(s, tz)));
  if (problems.tooManySlices)
    blocks.push(
      context(
        md`⚠️ …and ${plan.slices.length - MAX_SLICES} more active. The barbell holds three slices: stop or graduate one at its next review.`,
      ),
    );

  const q = plan.quota;
  const met = q.logged >= q.quota;
  blocks.push(
    section(
      md`*Novelty quota* (this cycle, ${cycleLabel(q.cycle, tz)}): ${q.logged} of ${q.quota} ${met ? "✅" : "— log one with `/ratchet deviate` ⚠️"}`,
      FLOOR_BLOCK.quota,
    ),
  );
  blocks.push(actions([button("Add a default", FLOOR_ACTION.add, team.id, "primary")]));
  return message(
    md`Barbell plan for ${team.name}: ${standing.length} on the Floor, ${plan.slices.length} active slices, ${q.logged} of ${q.quota} deviations this cycle.`,
    blocks,
  );
}

const KIND_OPTIONS = FLOOR_KINDS.map((k) =>
  option(
    {
      default: "Default — how we start (stack, process, infra)",
      guardrail: "Guardrail — an SLI/SLO, rollback path or rollout limit",
      non_negotiable: "Non-negotiable — security, privacy, compliance",
    }[k],
    k,
  ),
);

/** "Add a default": the default, why it became one, and its kind. */
export function buildAddDefaultModal(o: { meta: FloorAddMeta; teamName: string }): ModalView {
  return modal({
    callbackId: FLOOR_VIEW.add,
    title: "Add a default",
    submit: "Add to the Floor",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      context(md`The Floor of *${o.teamName}*: what every slice starts from and must not break.`),
      textInput(FLOOR_BLOCK.text, "The default", {
        multiline: true,
        maxLength: FLOOR_MAX.text,
        placeholder: "e.g. Every deploy goes through the canary for 30 minutes",
      }),
      textInput(FLOOR_BLOCK.why, "Why it became a default", {
        multiline: true,
        maxLength: FLOOR_MAX.why,
        placeholder: "e.g. Two incidents in Q3 came from unstaged deploys",
      }),
      radio(FLOOR_BLOCK.kind, "Kind", KIND_OPTIONS, { initial: "default" }),
    ],
  });
}

/** "Retire": the entry, and the reason it is no longer a default (required; the Floor keeps it). */
export function buildRetireModal(o: { meta: FloorRetireMeta; entry: FloorEntry; tz: string }): ModalView {
  return modal({
    callbackId: FLOOR_VIEW.retire,
    title: "Retire a default",
    submit: "Retire",
    privateMetadata: JSON.stringify(o.meta),
    blocks: [
      section(entryText(o.entry, o.tz)),
      textInput(FLOOR_BLOCK.reason, "Why retire it?", {
        multiline: true,
        maxLength: FLOOR_MAX.reason,
        placeholder: "e.g. Replaced by the new rollout policy",
        hint: "Required. It stays on the Floor, shown as retired with this reason.",
      }),
    ],
  });
}
