import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateBlocks, validateView } from "../../src/sandbox/block-kit-limits.js";

const FIXTURES = "/work/shared/slack-fixtures/payloads";
const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${FIXTURES}/${path}`, "utf8")) as Record<string, unknown>;

const x = (n: number): string => "x".repeat(n);
const plain = (text: string) => ({ type: "plain_text", text });
const section = (text: string, extra: object = {}) => ({
  type: "section",
  text: { type: "mrkdwn", text },
  ...extra,
});
const option = (value: string, text = value) => ({ text: plain(text), value });
const button = (extra: object = {}) => ({ type: "button", action_id: "go", text: plain("Go"), ...extra });
const actions = (...elements: object[]) => ({ type: "actions", elements });
const modal = (extra: object = {}) => ({ type: "modal", title: plain("Review"), blocks: [], ...extra });

describe("validateBlocks", () => {
  it("accepts the blocks of real Slack messages and views", () => {
    const message = fixture("block_actions/slack-machine__block_action_button.json").message as {
      blocks: unknown;
    };
    expect(validateBlocks(message.blocks, "message")).toEqual([]);
    expect(validateView(fixture("view_definitions/python-sdk__view_modal_001.json"))).toEqual([]);
    expect(validateView(fixture("view_definitions/python-sdk__view_modal_007.json"))).toEqual([]);
    expect(validateView(fixture("view_definitions/python-sdk__view_home_001.json"))).toEqual([]);
  });

  it("allows 50 blocks in a message and 100 in a modal or home tab, no more", () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: "divider" }));
    expect(validateBlocks(blocks(50), "message")).toEqual([]);
    expect(validateBlocks(blocks(51), "message")).toEqual([
      "no more than 50 items allowed [json-pointer:/blocks]",
    ]);
    expect(validateBlocks(blocks(100), "modal")).toEqual([]);
    expect(validateBlocks(blocks(101), "home")).toHaveLength(1);
  });

  it.each([
    ["section text over 3000", section(x(3001)), "/blocks/0/text/text"],
    ["empty text object", section(""), "/blocks/0/text/text"],
    ["header over 150", { type: "header", text: plain(x(151)) }, "/blocks/0/text/text"],
    ["mrkdwn header", { type: "header", text: { type: "mrkdwn", text: "hi" } }, "/blocks/0/text/type"],
    ["11 section fields", { type: "section", fields: Array(11).fill(plain("f")) }, "/blocks/0/fields"],
    ["section field over 2000", { type: "section", fields: [plain(x(2001))] }, "/blocks/0/fields/0/text"],
    ["button text over 75", actions(button({ text: plain(x(76)) })), "/blocks/0/elements/0/text/text"],
    ["button value over 2000", actions(button({ value: x(2001) })), "/blocks/0/elements/0/value"],
    ["26 actions elements", actions(...Array(26).fill(button())), "/blocks/0/elements"],
    ["11 context elements", { type: "context", elements: Array(11).fill(plain("c")) }, "/blocks/0/elements"],
    ["block_id over 255", { type: "divider", block_id: x(256) }, "/blocks/0/block_id"],
    ["action_id over 255", actions(button({ action_id: x(256) })), "/blocks/0/elements/0/action_id"],
    [
      "option text over 75",
      actions({ type: "static_select", action_id: "s", options: [option("v", x(76))] }),
      "/blocks/0/elements/0/options/0/text/text",
    ],
    [
      "option value over 150",
      actions({ type: "static_select", action_id: "s", options: [option(x(151), "long value")] }),
      "/blocks/0/elements/0/options/0/value",
    ],
    [
      "101 select options",
      actions({ type: "static_select", action_id: "s", options: Array(101).fill(option("v")) }),
      "/blocks/0/elements/0/options",
    ],
    [
      "11 checkboxes",
      actions({ type: "checkboxes", action_id: "c", options: Array(11).fill(option("v")) }),
      "/blocks/0/elements/0/options",
    ],
    [
      "11 radio buttons",
      actions({ type: "radio_buttons", action_id: "r", options: Array(11).fill(option("v")) }),
      "/blocks/0/elements/0/options",
    ],
  ])("rejects %s, pointing at where", (_name, block, pointer) => {
    const problems = validateBlocks([block], "message");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`[json-pointer:${pointer}]`);
  });

  it("rejects a block_id used twice in one surface", () => {
    const blocks = [section("a", { block_id: "same" }), section("b", { block_id: "same" })];
    expect(validateBlocks(blocks, "message")).toEqual([
      "duplicate block_id [json-pointer:/blocks/1/block_id]",
    ]);
  });
});

describe("validateView", () => {
  it.each([
    ["a title over 24", modal({ title: plain(x(25)) }), "/view/title/text"],
    ["a submit over 24", modal({ submit: plain(x(25)) }), "/view/submit/text"],
    ["a close over 24", modal({ close: plain(x(25)) }), "/view/close/text"],
    ["private_metadata over 3000", modal({ private_metadata: x(3001) }), "/view/private_metadata"],
    ["callback_id over 255", modal({ callback_id: x(256) }), "/view/callback_id"],
    ["a bad block inside", modal({ blocks: [section(x(3001))] }), "/view/blocks/0/text/text"],
    [
      "inputs without a submit button",
      modal({ blocks: [{ type: "input", label: plain("L"), element: { type: "plain_text_input" } }] }),
      "/view",
    ],
  ])("rejects a modal with %s", (_name, view, pointer) => {
    const problems = validateView(view);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`[json-pointer:${pointer}]`);
  });

  it("requires a known view type and a modal title", () => {
    expect(validateView({ type: "dialog", blocks: [] })).toEqual([
      "type must be modal or home [json-pointer:/view/type]",
    ]);
    expect(validateView({ type: "modal", blocks: [] })).toEqual([
      "missing required field: title [json-pointer:/view]",
    ]);
  });
});
