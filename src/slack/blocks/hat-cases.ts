/**
 * Block Kit for the Anthropologist Hat: the /ratchet hat modal, the case posted in the team channel
 * (each balancing loop with "Make this a mechanism") and the /ratchet hats list. Pure: data in, views out.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption, SectionBlock } from "@slack/types";
import { HAT_CHOICES, HAT_MAX, type HatCase, type HatList, LOOP_NOTES } from "../../hat-cases/hat-case.js";
import { localDate } from "../../shared/time-format.js";
import type { Team } from "../../teams/team.js";
import { HAT_ACTION, HAT_BLOCK, HAT_VIEW, hatLoopBlock } from "../ids.js";
import type { SlackMessage } from "../notifier.js";
import { user } from "./format.js";
import { button, context, header, LIMIT, message, modal, plain, section, textInput } from "./kit.js";
import { clip, joinMd, type Mrkdwn, md, quote } from "./mrkdwn.js";

export interface HatModalMeta {
  teamId: string;
}

/** How many cases /ratchet hats shows. */
export const HAT_LIST_CAP = 10;

/** Each list's inputs and words: the playbook's choices (checkboxes), then a field for others. */
export const HAT_FIELDS: Record<
  HatList,
  { picked: string; typed: string; label: string; typedLabel: string; placeholder: string }
> = {
  traits: {
    picked: HAT_BLOCK.traits,
    typed: HAT_BLOCK.traitsOther,
    label: "Cultural traits",
    typedLabel: "Other cultural traits (one per line)",
    placeholder: "Launch dates set before the problem is known",
  },
  symptoms: {
    picked: HAT_BLOCK.symptoms,
    typed: HAT_BLOCK.symptomsOther,
    label: "Symptoms",
    typedLabel: "Other symptoms (one per line)",
    placeholder: "Every review is a status update",
  },
  reinforcingLoops: {
    picked: HAT_BLOCK.reinforcing,
    typed: HAT_BLOCK.reinforcingOther,
    label: "Reinforcing (vicious) loops",
    typedLabel: "Other reinforcing loops (one per line)",
    placeholder: "Pilots stall → nobody asks → more pilots start",
  },
  balancingLoops: {
    picked: HAT_BLOCK.balancing,
    typed: HAT_BLOCK.balancingOther,
    label: "Balancing loops",
    typedLabel: "Other balancing loops (one per line)",
    placeholder: "Cross-team 30-minute weekly unblocker with a rotating chair",
  },
};

const choiceOption = (text: string, description?: string): PlainTextOption => ({
  text: plain(text, LIMIT.option),
  value: clip(text, LIMIT.optionValue),
  ...(description ? { description: plain(description, LIMIT.option) } : {}),
});

function choices(list: HatList): InputBlock {
  const f = HAT_FIELDS[list];
  const options = HAT_CHOICES[list]
    .slice(0, 10)
    .map((c) =>
      choiceOption(c, list === "reinforcingLoops" ? LOOP_NOTES[c as keyof typeof LOOP_NOTES] : undefined),
    );
  return {
    type: "input",
    block_id: f.picked,
    optional: true,
    label: plain(f.label, 2000),
    element: { type: "checkboxes", action_id: f.picked, options },
  };
}

/** /ratchet hat: one Appendix C case — context, traits, symptoms, reinforcing and balancing loops. */
export function buildHatModal(o: { meta: HatModalMeta; teamName: string }): ModalView {
  const blocks: KnownBlock[] = [
    context(
      md`*Anthropologist Hat* for *${o.teamName}*: step back like an anthropologist and write what you see — the habits, symptoms and loops that shape how work actually happens here — not what you wish were true. One slice, not the whole org; keep loops to a few lines.`,
    ),
    textInput(HAT_BLOCK.context, "Context — where are you seeing friction? (team, vertical, domain)", {
      multiline: true,
      maxLength: HAT_MAX.context,
      placeholder: "Checkout squad: pilots keep spinning and the weekly review has turned into status",
    }),
  ];
  for (const list of ["traits", "symptoms", "reinforcingLoops", "balancingLoops"] as const) {
    const f = HAT_FIELDS[list];
    blocks.push(
      choices(list),
      textInput(f.typed, f.typedLabel, {
        optional: true,
        multiline: true,
        maxLength: HAT_MAX.typed,
        placeholder: f.placeholder,
        ...(list === "balancingLoops"
          ? { hint: "Each balancing loop gets a “Make this a mechanism” button on the posted case." }
          : {}),
      }),
    );
  }
  return modal({
    callbackId: HAT_VIEW.case,
    title: "Anthropologist Hat",
    submit: "Post case",
    blocks,
    privateMetadata: JSON.stringify(o.meta),
  });
}

const items = (xs: readonly string[]): Mrkdwn =>
  joinMd(
    xs.map((x) => clip(x, HAT_MAX.item)),
    " · ",
  );

/** The case in the team channel; each balancing loop can become a mechanism one-pager. */
export function buildHatCaseMessage(o: { hatCase: HatCase }): SlackMessage {
  const c = o.hatCase;
  const blocks: KnownBlock[] = [
    section(
      md`🎩 *Anthropologist Hat* — a case from ${user(c.authorId)}\n${quote(clip(c.context, HAT_MAX.context))}`,
    ),
  ];
  const lines: Mrkdwn[] = [];
  if (c.traits.length > 0) lines.push(md`*Cultural traits:* ${items(c.traits)}`);
  if (c.symptoms.length > 0) lines.push(md`*Symptoms:* ${items(c.symptoms)}`);
  if (c.reinforcingLoops.length > 0)
    lines.push(md`*Reinforcing (vicious) loops:* ${items(c.reinforcingLoops)}`);
  if (lines.length > 0) blocks.push(section(joinMd(lines, "\n")));
  if (c.balancingLoops.length === 0) {
    blocks.push(
      context(
        md`No balancing loop yet. Which counter-loop would break it — a checkpoint, a cross-team 1:1, a mini prototype, publishing v0.0.1 with a retro? Write it as a mechanism with \`/ratchet new\`.`,
      ),
    );
  } else {
    blocks.push(section(md`*Balancing loops* — turn one into a mechanism with a “because”:`));
    c.balancingLoops.forEach((loop, i) => {
      const row: SectionBlock = {
        ...section(md`• ${clip(loop, HAT_MAX.item)}`, hatLoopBlock(i)),
        accessory: button("Make this a mechanism", HAT_ACTION.makeMechanism, `${c.id}:${i}`),
      };
      blocks.push(row);
    });
  }
  return message(md`Anthropologist Hat case: ${clip(c.context, 200)}`, blocks);
}

/** /ratchet hats: the team's newest cases, or where to start. */
export function buildHatCaseList(o: { team: Team; cases: HatCase[]; total: number }): SlackMessage {
  const blocks: KnownBlock[] = [header(`Anthropologist Hat cases — ${o.team.name}`)];
  if (o.total === 0) {
    blocks.push(
      section(
        md`*No cases yet.* An Anthropologist Hat case names what is actually happening in one slice of the team: the traits, the symptoms, the loops that keep them in place, and a balancing loop to break them.`,
      ),
      section(
        md`Not sure where to look? Try the spot-check: Name a user behaviour we changed last quarter. Which pilot did we graduate or kill at a checkpoint? Who can say “stop” when the guardrail trips? Then write a case with \`/ratchet hat\`.`,
      ),
    );
    return message(md`${o.team.name} has no Anthropologist Hat cases yet.`, blocks);
  }
  for (const c of o.cases.slice(0, HAT_LIST_CAP)) {
    const seen = [...c.symptoms, ...c.reinforcingLoops];
    const parts: Mrkdwn[] = [md`${quote(clip(c.context, 200))}`];
    if (seen.length > 0) parts.push(md`*Seen:* ${items(seen)}`);
    if (c.balancingLoops.length > 0) parts.push(md`*Balancing:* ${items(c.balancingLoops)}`);
    parts.push(md`_by ${user(c.authorId)}, ${localDate(c.createdAt, o.team.timezone)}_`);
    blocks.push(section(joinMd(parts, "\n")));
  }
  const more = o.total - Math.min(o.cases.length, HAT_LIST_CAP);
  blocks.push(
    context(
      more > 0
        ? md`…and ${more} older. \`/ratchet hat\` writes a new case.`
        : md`\`/ratchet hat\` writes a new case.`,
    ),
  );
  return message(md`${o.team.name}: ${o.total} Anthropologist Hat case(s).`, blocks);
}
