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

/**
 * Small, typed Block Kit factories. Builders compose these so every text is
 * clipped to Slack's limits in one place, and every input's action_id equals
 * its block_id (the parsers rely on that).
 */
export const LIMIT = { text: 3000, header: 150, modalTitle: 24, button: 75, option: 75, optionValue: 150 };

/** Cuts text to n characters with an ellipsis; Slack rejects longer texts outright. */
export const clip = (text: string, n: number): string =>
  text.length <= n ? text : `${text.slice(0, n - 1)}…`;

export const plain = (text: string, n = LIMIT.text) => ({
  type: "plain_text" as const,
  text: clip(text, n),
  emoji: true,
});
export const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text: clip(text || " ", LIMIT.text) });

/** Escapes user text for mrkdwn so a stray `<` or `&` cannot form a link or mention. */
export const esc = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const header = (text: string): HeaderBlock => ({ type: "header", text: plain(text, LIMIT.header) });
export const section = (text: string, blockId?: string): SectionBlock => ({
  type: "section",
  text: mrkdwn(text),
  ...(blockId ? { block_id: blockId } : {}),
});
export const fields = (items: string[], blockId?: string): SectionBlock => ({
  type: "section",
  fields: items.slice(0, 10).map((t) => ({ type: "mrkdwn", text: clip(t || " ", 2000) })),
  ...(blockId ? { block_id: blockId } : {}),
});
export const context = (text: string, blockId?: string): ContextBlock => ({
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
