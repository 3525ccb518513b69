// Builds `view.state.values` the way the Slack client does when a person fills a modal, per the shapes in
// slack-fixtures/payloads/view_submission (slack-machine, python-sdk all-input-types, java timepicker files).

type Json = Record<string, unknown>;

/** What a test answers for one input block: text, option value(s), user/channel id(s), date, time. */
export type Answer = string | number | string[] | Date | null;

type Kind = "text" | "number" | "option" | "options" | "id" | "ids" | "date" | "time" | "datetime";

/** Per element type: where Slack reports the choice, which `initial_*` seeds it, and what it holds. */
const ELEMENTS: Record<string, { key: string; initial: string; kind: Kind }> = {
  plain_text_input: { key: "value", initial: "initial_value", kind: "text" },
  email_text_input: { key: "value", initial: "initial_value", kind: "text" },
  url_text_input: { key: "value", initial: "initial_value", kind: "text" },
  number_input: { key: "value", initial: "initial_value", kind: "number" },
  static_select: { key: "selected_option", initial: "initial_option", kind: "option" },
  radio_buttons: { key: "selected_option", initial: "initial_option", kind: "option" },
  checkboxes: { key: "selected_options", initial: "initial_options", kind: "options" },
  multi_static_select: { key: "selected_options", initial: "initial_options", kind: "options" },
  users_select: { key: "selected_user", initial: "initial_user", kind: "id" },
  multi_users_select: { key: "selected_users", initial: "initial_users", kind: "ids" },
  conversations_select: { key: "selected_conversation", initial: "initial_conversation", kind: "id" },
  multi_conversations_select: {
    key: "selected_conversations",
    initial: "initial_conversations",
    kind: "ids",
  },
  channels_select: { key: "selected_channel", initial: "initial_channel", kind: "id" },
  multi_channels_select: { key: "selected_channels", initial: "initial_channels", kind: "ids" },
  datepicker: { key: "selected_date", initial: "initial_date", kind: "date" },
  timepicker: { key: "selected_time", initial: "initial_time", kind: "time" },
  datetimepicker: { key: "selected_date_time", initial: "initial_date_time", kind: "datetime" },
};

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export interface StatefulElement {
  blockId: string;
  element: Json;
  /** Only input blocks take answers; accessories and actions elements just report their initial state. */
  isInput: boolean;
  optional: boolean;
}

/** Every element in these blocks that Slack reports in state.values. */
export function statefulElements(blocks: unknown[]): StatefulElement[] {
  const found: StatefulElement[] = [];
  for (const block of blocks.filter(isObject)) {
    const blockId = String(block.block_id ?? "");
    const candidates =
      block.type === "input"
        ? [block.element]
        : block.type === "section"
          ? [block.accessory]
          : block.type === "actions"
            ? asArray(block.elements)
            : [];
    for (const element of candidates.filter(isObject)) {
      if (ELEMENTS[String(element.type)] === undefined) continue;
      found.push({ blockId, element, isInput: block.type === "input", optional: block.optional === true });
    }
  }
  return found;
}

/** All options of a select, radio or checkbox group, including those inside option_groups. */
export function optionsOf(element: Json): Json[] {
  const grouped = asArray(element.option_groups).flatMap((group) =>
    isObject(group) ? asArray(group.options) : [],
  );
  return [...asArray(element.options), ...grouped].filter(isObject);
}

/**
 * state.values for a view: answered inputs as a person would fill them, the rest at their initial value.
 * Throws when a test answers something a person could not (unknown block, value not offered, required left empty).
 */
export function buildViewState(
  view: { id?: unknown; blocks: unknown[] },
  answers: Record<string, Answer>,
  opts: { timezone: string; requireAnswers: boolean },
): Record<string, Record<string, Json>> {
  const elements = statefulElements(view.blocks);
  const inputIds = elements.filter((e) => e.isInput).map((e) => e.blockId);
  for (const blockId of Object.keys(answers)) {
    if (!inputIds.includes(blockId)) {
      throw new Error(
        `view ${String(view.id)} has no input block "${blockId}"; its input blocks are: ${inputIds.join(", ") || "none"}`,
      );
    }
  }
  const values: Record<string, Record<string, Json>> = {};
  for (const { blockId, element, isInput, optional } of elements) {
    const spec = ELEMENTS[String(element.type)];
    if (!spec) continue;
    const where = `block "${blockId}" (${String(element.type)})`;
    const answered = isInput && Object.hasOwn(answers, blockId);
    const chosen = answered
      ? convert(answers[blockId] ?? null, spec.kind, element, where)
      : initial(element, spec);
    if (opts.requireAnswers && isInput && !optional && isEmpty(chosen)) {
      throw new Error(`${where} is required: Slack will not submit the modal until it is answered`);
    }
    if (spec.kind === "text" && typeof chosen === "string") checkLength(chosen, element, where);
    const state: Json = { type: element.type, [spec.key]: chosen };
    if (spec.kind === "time")
      state.timezone = typeof element.timezone === "string" ? element.timezone : opts.timezone;
    values[blockId] = { ...values[blockId], [String(element.action_id ?? "")]: state };
  }
  return values;
}

function initial(element: Json, spec: { initial: string; kind: Kind }): unknown {
  const value = element[spec.initial];
  if (spec.kind === "options" || spec.kind === "ids") return Array.isArray(value) ? value : [];
  return value ?? null;
}

const isEmpty = (value: unknown): boolean =>
  value === null || value === "" || (Array.isArray(value) && value.length === 0);

function convert(answer: Answer, kind: Kind, element: Json, where: string): unknown {
  if (answer === null) return kind === "options" || kind === "ids" ? [] : null;
  const list = Array.isArray(answer) ? answer : [answer];
  const fail = (expected: string): never => {
    throw new Error(`${where} expects ${expected}, got ${JSON.stringify(answer)}`);
  };
  switch (kind) {
    case "text":
      return typeof answer === "string" || typeof answer === "number" ? String(answer) : fail("text");
    case "number":
      return typeof answer === "number" || (typeof answer === "string" && Number.isFinite(Number(answer)))
        ? String(answer)
        : fail("a number");
    case "option":
      return typeof answer === "string" ? pickOption(element, answer, where) : fail("one option value");
    case "options":
      return list.map((value) => pickOption(element, String(value), where));
    case "id":
      return typeof answer === "string" ? answer : fail("one id");
    case "ids":
      return list.map(String);
    case "date":
      if (answer instanceof Date) return answer.toISOString().slice(0, 10);
      return typeof answer === "string" && /^\d{4}-\d{2}-\d{2}$/.test(answer) ? answer : fail("YYYY-MM-DD");
    case "time":
      return typeof answer === "string" && /^\d{2}:\d{2}$/.test(answer) ? answer : fail("HH:mm");
    case "datetime":
      if (answer instanceof Date) return Math.floor(answer.getTime() / 1000);
      return typeof answer === "number" ? answer : fail("unix seconds or a Date");
  }
}

function pickOption(element: Json, value: string, where: string): Json {
  const options = optionsOf(element);
  const option = options.find((o) => o.value === value);
  if (!option) {
    const offered = options.map((o) => JSON.stringify(o.value)).join(", ");
    throw new Error(`${where} offers no option "${value}"; options are: ${offered || "none"}`);
  }
  return option;
}

/** The Slack client refuses text outside min_length/max_length before anything is sent. */
function checkLength(text: string, element: Json, where: string): void {
  if (typeof element.max_length === "number" && text.length > element.max_length) {
    throw new Error(`${where} allows at most ${element.max_length} characters, got ${text.length}`);
  }
  if (typeof element.min_length === "number" && text.length > 0 && text.length < element.min_length) {
    throw new Error(`${where} needs at least ${element.min_length} characters, got ${text.length}`);
  }
}
