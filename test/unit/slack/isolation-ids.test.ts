import { describe, expect, it } from "vitest";
import { idsIn } from "../../../src/slack/middleware/isolation.js";

const ID = "cmabcdefghij0123456789klm";
const OTHER = "cmzyxwvutsrq9876543210pon";

describe("the ids a request names", () => {
  it("reads a button's value, bare or inside a composite or JSON value", () => {
    for (const value of [ID, `${ID}:proxy`, JSON.stringify({ mechanismId: ID })]) {
      expect(idsIn({ type: "block_actions", actions: [{ action_id: "x", value }] })).toEqual([ID]);
    }
  });

  it("reads a modal's metadata and its chosen options, not what a person typed", () => {
    const view = {
      private_metadata: JSON.stringify({ teamId: ID }),
      state: {
        values: {
          pick: { pick: { type: "static_select", selected_option: { value: OTHER } } },
          note: { note: { type: "plain_text_input", value: "cmtypedbysomeone0000000000" } },
        },
      },
    };
    expect(idsIn({ type: "view_submission", view }).sort()).toEqual([ID, OTHER].sort());
  });

  it("reads a command's words, and finds no id in ordinary text", () => {
    expect(idsIn({ command: "/ratchet", text: `history ${ID}` })).toEqual([ID]);
    expect(idsIn({ command: "/ratchet", text: "list" })).toEqual([]);
    expect(idsIn({ type: "block_actions", actions: [{ action_id: "x", value: "C0TEAM" }] })).toEqual([]);
  });
});
