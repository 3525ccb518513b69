import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
} from "@slack/types";

import type { SlackMessage } from "../notifier.js";
import { clip, clipMd, literal, type Mrkdwn } from "./mrkdwn.js";

/**
 * Small, typed Block Kit factories. Builders compose these so every text is clipped to Slack's
 * limits in one place (after escaping: see mrkdwn.ts), mrkdwn texts accept only `Mrkdwn`, and every
 * input's action_id equals its block_id (the parsers rely on that). plain_text never renders
 * mentions or links, so labels, headers, buttons and options take ordinary strings.
 */
export const LIMIT = {
  text: 3000,
  field: 2000,
  header: 150,
  modalTitle: 24,
  button: 75,
  option: 75,
  optionValue: 150,
  /** the top-level text of a message: notifications show a line or two; chat.update refuses > 4,000 */
  messageText: 3000,
  /**
   * All block text of one message. Slack answers msg_blocks_too_long somewhere past 12,000
   * characters (undocumented, bolt-js#2509); messages are fitted under this with a margin.
   */
  messageBlocks: 11_000,
};

export const plain = (text: string, n = LIMIT.text) => ({
  type: "plain_text" as const,
  text: clip(text || " ", n),
  emoji: true,
});
const mrkdwn = (text: Mrkdwn, n = LIMIT.text) => ({
  type: "mrkdwn" as const,
  text: clipMd(text, n).text || " ",
});

export const header = (text: string): HeaderBlock => ({ type: "header", text: plain(text, LIMIT.header) });
export const section = (text: Mrkdwn, blockId?: string): SectionBlock => ({
  type: "section",
  text: mrkdwn(text),
  ...(blockId ? { block_id: blockId } : {}),
});
export const fields = (items: Mrkdwn[], blockId?: string): SectionBlock => ({
  type: "section",
  fields: items.slice(0, 10).map((t) => mrkdwn(t, LIMIT.field)),
  ...(blockId ? { block_id: blockId } : {}),
});
export const context = (text: Mrkdwn, blockId?: string): ContextBlock => ({
  type: "context",
  elements: [mrkdwn(text)],
  ...(blockId ? { block_id: blockId } : {}),
});
export const divider = (): DividerBlock => ({ type: "divider" });

export const button = (
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): Button => ({
  type: "button",
  text: plain(text, LIMIT.button),
  action_id: actionId,
  value: clip(value, 2000),
  ...(style ? { style } : {}),
});
export const actions = (elements: Button[], blockId?: string): ActionsBlock => ({
  type: "actions",
  elements,
  ...(blockId ? { block_id: blockId } : {}),
});

export const option = (text: string, value: string): PlainTextOption => ({
  text: plain(text, LIMIT.option),
  value: clip(value, LIMIT.optionValue),
});

interface InputOpts {
  optional?: boolean;
  hint?: string;
  dispatch?: boolean;
}
const input = (
  blockId: string,
  label: string,
  element: InputBlock["element"],
  o: InputOpts = {},
): InputBlock => ({
  type: "input",
  block_id: blockId,
  label: plain(label, 2000),
  element,
  optional: o.optional ?? false,
  ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
  ...(o.dispatch ? { dispatch_action: true } : {}),
});

export function textInput(
  blockId: string,
  label: string,
  o: InputOpts & {
    initial?: string | null;
    placeholder?: string;
    multiline?: boolean;
    maxLength?: number;
  } = {},
): InputBlock {
  return input(
    blockId,
    label,
    {
      type: "plain_text_input",
      action_id: blockId,
      multiline: o.multiline ?? false,
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder, 150) } : {}),
      ...(o.maxLength ? { max_length: o.maxLength } : {}),
    },
    o,
  );
}

export function numberInput(
  blockId: string,
  label: string,
  o: InputOpts & { initial?: number | null; placeholder?: string } = {},
): InputBlock {
  return input(
    blockId,
    label,
    {
      type: "number_input",
      action_id: blockId,
      is_decimal_allowed: true,
      ...(o.initial !== null && o.initial !== undefined ? { initial_value: String(o.initial) } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder, 150) } : {}),
    },
    o,
  );
}

export function usersSelect(blockId: string, label: string, o: InputOpts & { initial?: string | null } = {}) {
  return input(
    blockId,
    label,
    { type: "users_select", action_id: blockId, ...(o.initial ? { initial_user: o.initial } : {}) },
    o,
  );
}

export function multiUsersSelect(
  blockId: string,
  label: string,
  o: InputOpts & { initial?: readonly string[] } = {},
) {
  const initial = (o.initial ?? []).slice(0, 100);
  return input(
    blockId,
    label,
    {
      type: "multi_users_select",
      action_id: blockId,
      ...(initial.length > 0 ? { initial_users: [...initial] } : {}),
    },
    o,
  );
}

export function channelSelect(
  blockId: string,
  label: string,
  o: InputOpts & { initial?: string | null } = {},
) {
  return input(
    blockId,
    label,
    {
      type: "conversations_select",
      action_id: blockId,
      filter: { include: ["public", "private"], exclude_bot_users: true },
      ...(o.initial ? { initial_conversation: o.initial } : {}),
    },
    o,
  );
}

export function staticSelect(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  o: InputOpts & { initial?: string | null } = {},
) {
  const initial = options.find((opt) => opt.value === o.initial);
  return input(
    blockId,
    label,
    {
      type: "static_select",
      action_id: blockId,
      options: options.slice(0, 100),
      ...(initial ? { initial_option: initial } : {}),
    },
    o,
  );
}

export function radio(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  o: InputOpts & { initial?: string | null } = {},
) {
  const initial = options.find((opt) => opt.value === o.initial);
  return input(
    blockId,
    label,
    { type: "radio_buttons", action_id: blockId, options, ...(initial ? { initial_option: initial } : {}) },
    o,
  );
}

export function datepicker(blockId: string, label: string, o: InputOpts & { initial?: string | null } = {}) {
  return input(
    blockId,
    label,
    { type: "datepicker", action_id: blockId, ...(o.initial ? { initial_date: o.initial } : {}) },
    o,
  );
}

export function timepicker(blockId: string, label: string, o: InputOpts & { initial?: string | null } = {}) {
  return input(
    blockId,
    label,
    { type: "timepicker", action_id: blockId, ...(o.initial ? { initial_time: o.initial } : {}) },
    o,
  );
}

export function modal(o: {
  callbackId: string;
  title: string;
  submit?: string;
  close?: string;
  blocks: KnownBlock[];
  privateMetadata?: string;
}): ModalView {
  return {
    type: "modal",
    callback_id: o.callbackId,
    title: plain(o.title, LIMIT.modalTitle),
    ...(o.submit ? { submit: plain(o.submit, LIMIT.modalTitle) } : {}),
    close: plain(o.close ?? "Cancel", LIMIT.modalTitle),
    blocks: o.blocks,
    ...(o.privateMetadata ? { private_metadata: o.privateMetadata } : {}),
  };
}

/**
 * A message: the top-level text (what notifications and screen readers show) clipped, and the
 * blocks fitted under Slack's total. When the blocks run long, the longest mrkdwn texts are cut
 * (after escaping, so never inside a mention or entity) until the whole fits; nothing is dropped.
 */
export function message(text: Mrkdwn, blocks: KnownBlock[]): SlackMessage {
  return { text: clipMd(text, LIMIT.messageText), blocks: fitBlocks(blocks, LIMIT.messageBlocks) };
}

type TextObject = { type: string; text: string };
const isTextObject = (v: unknown): v is TextObject =>
  typeof v === "object" && v !== null && typeof (v as TextObject).text === "string";

/** Every text object of a message's blocks, in order (section text and fields, context elements, header). */
function textsOf(blocks: KnownBlock[]): TextObject[] {
  return blocks.flatMap((b) => {
    const out: TextObject[] = [];
    if ("text" in b && isTextObject(b.text)) out.push(b.text);
    if ("fields" in b && Array.isArray(b.fields)) out.push(...b.fields.filter(isTextObject));
    if (b.type === "context") for (const e of b.elements) if (isTextObject(e)) out.push(e);
    return out;
  });
}

/** Total visible text of a message's blocks, as Slack counts toward msg_blocks_too_long. */
export const blockTextLength = (blocks: KnownBlock[]): number =>
  textsOf(blocks).reduce((n, t) => n + t.text.length, 0);

function fitBlocks(blocks: KnownBlock[], budget: number): KnownBlock[] {
  let total = blockTextLength(blocks);
  if (total <= budget) return blocks;
  const copy = structuredClone(blocks);
  const texts = textsOf(copy).filter((t) => t.type === "mrkdwn");
  while (total > budget) {
    const longest = texts.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const keep = Math.max(200, longest.text.length - (total - budget));
    if (keep >= longest.text.length) break;
    const before = longest.text.length;
    longest.text = clipMd(trustedMrkdwn(longest.text), keep).text;
    total -= before - longest.text.length;
  }
  return copy;
}

/** Text already inside a built block: it passed through Mrkdwn once, so it is markup, not input. */
const trustedMrkdwn = (text: string): Mrkdwn => literal(text);
