// Slack's Block Kit limits (slack-fixtures/LIMITS.md §7) as pure checks, so the fake Slack can refuse
// what real Slack would refuse. Messages imitate Slack's own: "<problem> [json-pointer:/blocks/3/text]".

export type Surface = "message" | "modal" | "home";

type Json = Record<string, unknown>;

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const SELECTS_WITH_OPTIONS = new Set(["static_select", "multi_static_select"]);

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Collects problems while walking one surface; block_ids must be unique across the surface. */
class Checker {
  readonly problems: string[] = [];
  private readonly blockIds = new Set<string>();

  fail(problem: string, path: string): void {
    this.problems.push(`${problem} [json-pointer:${path}]`);
  }

  maxLength(value: unknown, max: number, path: string): void {
    if (typeof value === "string" && value.length > max) {
      this.fail(`must be less than ${max + 1} characters`, path);
    }
  }

  maxItems(value: unknown, max: number, path: string): void {
    if (Array.isArray(value) && value.length > max) this.fail(`no more than ${max} items allowed`, path);
  }

  text(value: unknown, path: string, max = 3000, plainOnly = false): void {
    if (value === undefined) return;
    if (!isObject(value) || typeof value.text !== "string") {
      this.fail("must be a text object with a string text", path);
      return;
    }
    if (plainOnly && value.type !== "plain_text") this.fail("must be a plain_text object", `${path}/type`);
    else if (value.type !== "plain_text" && value.type !== "mrkdwn") {
      this.fail("type must be plain_text or mrkdwn", `${path}/type`);
    }
    if (value.text.length === 0) this.fail("must be more than 0 characters", `${path}/text`);
    this.maxLength(value.text, Math.min(max, 3000), `${path}/text`);
  }

  option(value: unknown, path: string): void {
    if (!isObject(value)) {
      this.fail("must be an option object", path);
      return;
    }
    this.text(value.text, `${path}/text`, 75);
    if (typeof value.value === "string") this.maxLength(value.value, 150, `${path}/value`);
    this.text(value.description, `${path}/description`, 75);
  }

  element(el: unknown, path: string): void {
    if (!isObject(el)) {
      this.fail("must be an element object", path);
      return;
    }
    this.maxLength(el.action_id, 255, `${path}/action_id`);
    this.text(el.placeholder, `${path}/placeholder`, 150);
    const options = asArray(el.options);
    for (const [i, option] of options.entries()) this.option(option, `${path}/options/${i}`);
    for (const [g, group] of asArray(el.option_groups).entries()) {
      const groupPath = `${path}/option_groups/${g}`;
      if (!isObject(group)) continue;
      this.text(group.label, `${groupPath}/label`, 75);
      this.maxItems(group.options, 100, `${groupPath}/options`);
      for (const [i, option] of asArray(group.options).entries())
        this.option(option, `${groupPath}/options/${i}`);
    }
    this.maxItems(el.option_groups, 100, `${path}/option_groups`);
    if (isObject(el.initial_option)) this.option(el.initial_option, `${path}/initial_option`);
    switch (el.type) {
      case "button":
        this.text(el.text, `${path}/text`, 75, true);
        this.maxLength(el.value, 2000, `${path}/value`);
        this.maxLength(el.url, 3000, `${path}/url`);
        break;
      case "checkboxes":
      case "radio_buttons":
        this.maxItems(options, 10, `${path}/options`);
        break;
      case "overflow":
        if (options.length < 1 || options.length > 5)
          this.fail("must have 1 to 5 options", `${path}/options`);
        break;
      case "image":
        this.maxLength(el.image_url, 3000, `${path}/image_url`);
        this.maxLength(el.alt_text, 2000, `${path}/alt_text`);
        break;
      default:
        if (SELECTS_WITH_OPTIONS.has(String(el.type))) this.maxItems(options, 100, `${path}/options`);
    }
    if (isObject(el.confirm)) {
      this.text(el.confirm.title, `${path}/confirm/title`, 100, true);
      this.text(el.confirm.text, `${path}/confirm/text`, 300);
      this.text(el.confirm.confirm, `${path}/confirm/confirm`, 30, true);
      this.text(el.confirm.deny, `${path}/confirm/deny`, 30, true);
    }
  }

  block(block: unknown, path: string): void {
    if (!isObject(block) || typeof block.type !== "string") {
      this.fail("missing required field: type", path);
      return;
    }
    if (typeof block.block_id === "string") {
      this.maxLength(block.block_id, 255, `${path}/block_id`);
      if (this.blockIds.has(block.block_id)) this.fail("duplicate block_id", `${path}/block_id`);
      this.blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "section":
        if (block.text === undefined && block.fields === undefined) {
          this.fail("must provide either text or fields", path);
        }
        this.text(block.text, `${path}/text`);
        this.maxItems(block.fields, 10, `${path}/fields`);
        for (const [i, field] of asArray(block.fields).entries())
          this.text(field, `${path}/fields/${i}`, 2000);
        if (block.accessory !== undefined) this.element(block.accessory, `${path}/accessory`);
        break;
      case "header":
        this.text(block.text, `${path}/text`, 150, true);
        break;
      case "context":
        this.maxItems(block.elements, 10, `${path}/elements`);
        for (const [i, el] of asArray(block.elements).entries()) {
          const elPath = `${path}/elements/${i}`;
          if (isObject(el) && el.type === "image") this.element(el, elPath);
          else this.text(el, elPath);
        }
        break;
      case "actions":
        this.maxItems(block.elements, 25, `${path}/elements`);
        for (const [i, el] of asArray(block.elements).entries()) this.element(el, `${path}/elements/${i}`);
        break;
      case "input":
        this.text(block.label, `${path}/label`, 2000, true);
        this.text(block.hint, `${path}/hint`, 2000, true);
        this.element(block.element, `${path}/element`);
        break;
      case "image":
        this.element(block, path);
        this.text(block.title, `${path}/title`, 2000, true);
        break;
      case "markdown":
        this.maxLength(block.text, 12000, `${path}/text`);
        break;
    }
  }
}

/** Problems Slack would report for these blocks on this surface; empty when Slack would accept them. */
export function validateBlocks(blocks: unknown, surface: Surface, basePath = "/blocks"): string[] {
  const checker = new Checker();
  checkBlocks(checker, blocks, surface, basePath);
  return checker.problems;
}

function checkBlocks(checker: Checker, blocks: unknown, surface: Surface, basePath: string): void {
  if (!Array.isArray(blocks)) {
    checker.fail("must be an array", basePath);
    return;
  }
  checker.maxItems(blocks, MAX_BLOCKS[surface], basePath);
  for (const [i, block] of blocks.entries()) checker.block(block, `${basePath}/${i}`);
}

/** Problems Slack would report for a modal or Home tab view (not counting the 250 kB size limit). */
export function validateView(view: unknown): string[] {
  const checker = new Checker();
  if (!isObject(view)) {
    checker.fail("must be an object", "/view");
    return checker.problems;
  }
  if (view.type !== "modal" && view.type !== "home") {
    checker.fail("type must be modal or home", "/view/type");
    return checker.problems;
  }
  if (view.type === "modal") {
    if (view.title === undefined) checker.fail("missing required field: title", "/view");
    for (const key of ["title", "submit", "close"] as const) {
      checker.text(view[key], `/view/${key}`, 24, true);
    }
    const hasInputs = asArray(view.blocks).some((block) => isObject(block) && block.type === "input");
    if (hasInputs && view.submit === undefined) {
      checker.fail("submit is required when the view contains input blocks", "/view");
    }
  }
  checker.maxLength(view.private_metadata, 3000, "/view/private_metadata");
  checker.maxLength(view.callback_id, 255, "/view/callback_id");
  checker.maxLength(view.external_id, 255, "/view/external_id");
  checkBlocks(checker, view.blocks, view.type, "/view/blocks");
  return checker.problems;
}
