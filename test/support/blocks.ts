/**
 * Finding things in Block Kit, for tests that must say *where* a text belongs.
 *
 * `expect(JSON.stringify(msg.blocks)).toContain("…")` passes wherever the text lands: in a button's
 * value, a block_id, or the section nobody reads. These helpers pick out one block (by its block_id,
 * its type, or the text a person sees in it) so an assertion can name the block that should hold it:
 *
 *   expect(textOf(blockById(msg.blocks, ALARM_BLOCK.status))).toContain("Raised Tue 1 Dec");
 *   expect(textOf(findBlock(msg.blocks, { type: "section", text: /^No deviations yet/ }))).toContain("…");
 *   expect(visibleText(msg.blocks)).not.toContain("<!channel>");
 *
 * "Visible" means what Slack renders: section text and fields, header, context and markdown text,
 * rich text, input labels, hints, placeholders and option labels, button texts. It leaves out
 * action_ids, values, block_ids, URLs behind links and private_metadata.
 */
import type {
  ActionsBlockElement,
  AnyBlock,
  ContextBlockElement,
  InputBlockElement,
  KnownBlock,
  RichTextBlockElement,
  RichTextElement,
  SectionBlockAccessory,
} from "@slack/types";

export type Blocks = readonly AnyBlock[];
export type BlockType = KnownBlock["type"];
export type BlockOf<T extends BlockType> = Extract<KnownBlock, { type: T }>;
/** A substring the block's visible text must contain, or a pattern it must match. */
export type TextQuery = string | RegExp;

type Element = ActionsBlockElement | InputBlockElement | SectionBlockAccessory | ContextBlockElement;

/** Narrows a block by its `type`, the way Slack itself reads it. */
function isBlockOfType<T extends BlockType>(block: AnyBlock, type: T): block is BlockOf<T> {
  return block.type === type;
}

/** The block with this block_id; throws, listing the ids present, when there is none. */
export function blockById(blocks: Blocks, blockId: string): AnyBlock {
  const found = blocks.find((b) => b.block_id === blockId);
  if (found) return found;
  const ids = blocks.map((b) => b.block_id).filter((id): id is string => id !== undefined);
  const unnamed = blocks.length - ids.length;
  throw new Error(
    `No block with block_id "${blockId}". Ids present: ${ids.length > 0 ? ids.join(", ") : "none"}${
      unnamed > 0 ? ` (and ${unnamed} block${unnamed === 1 ? "" : "s"} without an id)` : ""
    }.`,
  );
}

/** Every block of one type, in order. */
export function blocksOfType<T extends BlockType>(blocks: Blocks, type: T): BlockOf<T>[] {
  return blocks.filter((b): b is BlockOf<T> => isBlockOfType(b, type));
}

const richTextElementText = (e: RichTextElement): string => {
  switch (e.type) {
    case "text":
      return e.text;
    case "link":
      return e.text ?? e.url;
    case "user":
      return `<@${e.user_id}>`;
    case "channel":
      return `<#${e.channel_id}>`;
    case "usergroup":
      return `<!subteam^${e.usergroup_id}>`;
    case "broadcast":
      return `<!${e.range}>`;
    case "emoji":
      return `:${e.name}:`;
    case "date":
      return e.fallback ?? String(e.timestamp);
    case "color":
      return e.value;
    case "team":
      return e.team_id;
  }
};

const richTextBlockElementText = (e: RichTextBlockElement): string => {
  switch (e.type) {
    case "rich_text_list":
      return e.elements.map((s) => s.elements.map(richTextElementText).join("")).join("\n");
    default:
      return e.elements.map(richTextElementText).join("");
  }
};

/** What a person can read on one element: a button's text, a menu's placeholder and options. */
function elementTexts(e: Element): string[] {
  const out: string[] = [];
  // Text objects (in context blocks) and buttons both carry `text`; a button's is a text object.
  if ("text" in e && e.text !== undefined) out.push(typeof e.text === "string" ? e.text : e.text.text);
  if ("placeholder" in e && e.placeholder) out.push(e.placeholder.text);
  if ("initial_value" in e && typeof e.initial_value === "string") out.push(e.initial_value);
  out.push(...optionTextsOfElement(e));
  return out;
}

function optionTextsOfElement(e: Element): string[] {
  const out: string[] = [];
  if ("options" in e && e.options) out.push(...e.options.map((o) => o.text.text));
  if ("option_groups" in e && e.option_groups) {
    for (const g of e.option_groups) out.push(...g.options.map((o) => o.text.text));
  }
  return out;
}

/** The elements of a block that a person can act on or read: buttons, menus, inputs, context parts. */
function elementsOf(block: AnyBlock): Element[] {
  if (isBlockOfType(block, "actions")) return block.elements;
  if (isBlockOfType(block, "context")) return block.elements;
  if (isBlockOfType(block, "input")) return [block.element];
  if (isBlockOfType(block, "section") && block.accessory) return [block.accessory];
  return [];
}

/**
 * The human-visible text of one block, its parts joined by newlines: a section's text then its
 * fields and accessory, a header's or context's text, rich text, an input's label, element
 * (placeholder, initial value, option labels) and hint, an actions block's button texts.
 * Mrkdwn is returned as written (`*bold*`, `&lt;`, `<@U1>`): that is what Slack is sent.
 */
export function textOf(block: AnyBlock): string {
  const parts: string[] = [];
  if (isBlockOfType(block, "section")) {
    if (block.text) parts.push(block.text.text);
    for (const f of block.fields ?? []) parts.push(f.text);
    if (block.accessory) parts.push(...elementTexts(block.accessory));
  } else if (isBlockOfType(block, "header")) {
    parts.push(block.text.text);
  } else if (isBlockOfType(block, "markdown")) {
    parts.push(block.text);
  } else if (isBlockOfType(block, "rich_text")) {
    parts.push(...block.elements.map(richTextBlockElementText));
  } else if (isBlockOfType(block, "input")) {
    parts.push(block.label.text, ...elementTexts(block.element));
    if (block.hint) parts.push(block.hint.text);
  } else if (isBlockOfType(block, "image")) {
    if (block.title) parts.push(block.title.text);
  } else {
    for (const e of elementsOf(block)) parts.push(...elementTexts(e));
  }
  return parts.join("\n");
}

/** The visible text of every block, one block after another: for "the message must not show X". */
export function visibleText(blocks: Blocks): string {
  return blocks.map(textOf).join("\n");
}

/** The labels of a block's options: an input's select, radio buttons or checkboxes, or an accessory menu. */
export function optionTexts(block: AnyBlock): string[] {
  return elementsOf(block).flatMap(optionTextsOfElement);
}

/** The action_ids of a block's interactive elements, in order (an actions block's buttons, say). */
export function actionIds(block: AnyBlock): string[] {
  return elementsOf(block).flatMap((e) => ("action_id" in e && e.action_id ? [e.action_id] : []));
}

const matches = (text: string, q: TextQuery) => (typeof q === "string" ? text.includes(q) : q.test(text));

const describeQuery = (q: { type?: string; text?: TextQuery }) =>
  [q.type ? `type "${q.type}"` : "", q.text === undefined ? "" : `text ${JSON.stringify(String(q.text))}`]
    .filter(Boolean)
    .join(" and ");

/** One line per block for error messages: index, type, block_id and the first 80 characters of its text. */
function describeBlocks(blocks: Blocks): string {
  return blocks
    .map((b, i) => {
      const text = textOf(b).replace(/\s+/g, " ");
      const id = b.block_id ? ` #${b.block_id}` : "";
      return `  [${i}] ${b.type}${id}: ${text.length > 80 ? `${text.slice(0, 79)}…` : text}`;
    })
    .join("\n");
}

/**
 * The first block of `type` (if given) whose visible text contains `text` (or matches it, for a
 * RegExp). Throws when none does, listing every block's type and the start of its text.
 */
export function findBlock<T extends BlockType>(
  blocks: Blocks,
  query: { type: T; text?: TextQuery },
): BlockOf<T>;
export function findBlock(blocks: Blocks, query: { text: TextQuery }): AnyBlock;
export function findBlock(blocks: Blocks, query: { type?: BlockType; text?: TextQuery }): AnyBlock {
  const found = blocks.find(
    (b) =>
      (query.type === undefined || b.type === query.type) &&
      (query.text === undefined || matches(textOf(b), query.text)),
  );
  if (found) return found;
  throw new Error(
    `No block with ${describeQuery(query)} among ${blocks.length} blocks:\n${describeBlocks(blocks)}`,
  );
}
