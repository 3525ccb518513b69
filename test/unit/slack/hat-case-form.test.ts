import type { InputBlock } from "@slack/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HatCase, mechanismDraft } from "../../../src/hat-cases/hat-case.js";
import { buildHatCaseList, buildHatCaseMessage, buildHatModal } from "../../../src/slack/blocks/hat-cases.js";
import { buildMechanismModal } from "../../../src/slack/blocks/mechanism-modal.js";
import { esc } from "../../../src/slack/blocks/mrkdwn.js";
import { HAT_ACTION, HAT_BLOCK } from "../../../src/slack/ids.js";
import { parseHatCaseForm } from "../../../src/slack/parsers/hat-case.js";
import type { StateValues } from "../../../src/slack/parsers/view-state.js";
import { type Answer, buildViewState } from "../../slack/view-state.js";
import {
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  SAMPLE,
  type TextArbs,
  team,
  userId,
} from "../../support/hostile.js";

/** The /ratchet hat modal as Slack would submit it: every answer must land in a real input. */
function submit(answers: Record<string, Answer>) {
  const view = buildHatModal({ meta: { teamId: "t1" }, teamName: "Checkout squad" });
  const values = buildViewState(view, answers, { timezone: "UTC", requireAnswers: false }) as StateValues;
  return parseHatCaseForm(values);
}

describe("the Anthropologist Hat form", () => {
  it("reads the picked choices and the typed others into one list each", () => {
    const res = submit({
      [HAT_BLOCK.context]: "  Checkout squad  ",
      [HAT_BLOCK.symptoms]: ["Faux alignment", "Operational drift"],
      [HAT_BLOCK.symptomsOther]: "Reviews are status only\nfaux alignment",
      [HAT_BLOCK.balancingOther]: "Weekly unblocker",
    });
    expect(res).toEqual({
      ok: true,
      value: {
        context: "Checkout squad",
        traits: [],
        symptoms: ["Faux alignment", "Operational drift", "Reviews are status only"],
        reinforcingLoops: [],
        balancingLoops: ["Weekly unblocker"],
      },
    });
  });

  it("takes a reinforcing loop alone as something seen", () => {
    const res = submit({ [HAT_BLOCK.context]: "Sales", [HAT_BLOCK.reinforcingOther]: "Demo-first loop" });
    expect(res.ok).toBe(true);
  });

  it("answers every problem at once, each on its own input", () => {
    const res = submit({
      [HAT_BLOCK.context]: "n/a",
      [HAT_BLOCK.traitsOther]: "?",
      [HAT_BLOCK.balancingOther]: "1\n2\n3\n4\n5\n6",
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(Object.keys(res.errors).sort()).toEqual(
      [HAT_BLOCK.context, HAT_BLOCK.traitsOther, HAT_BLOCK.balancingOther, HAT_BLOCK.symptoms].sort(),
    );
  });

  it("refuses a choice the modal never offered (a forged submission)", () => {
    const values = {
      [HAT_BLOCK.context]: { [HAT_BLOCK.context]: { type: "plain_text_input", value: "Checkout" } },
      [HAT_BLOCK.symptoms]: {
        [HAT_BLOCK.symptoms]: {
          type: "checkboxes",
          selected_options: [{ text: { type: "plain_text", text: "x" }, value: "<!channel>" }],
        },
      },
    };
    const res = parseHatCaseForm(values);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors[HAT_BLOCK.symptoms]).toBe("Pick from the list.");
  });
});

const RUNS = 50;
const SAFE = "only Ratchet's own tokens, every & escaped, within Slack's limits";
const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void) =>
  fc.assert(fc.property(arb, predicate), { numRuns: RUNS });

const hatCase = (t: TextArbs): fc.Arbitrary<HatCase> =>
  fc.record({
    id: fc.constant("hc1"),
    teamId: fc.constant("t1"),
    authorId: userId,
    context: t.text(500),
    traits: t.list(t.text(150), 9),
    symptoms: t.list(t.text(150), 9),
    reinforcingLoops: t.list(t.text(150), 9),
    balancingLoops: t.list(t.text(150), 9),
    createdAt: fc.date({
      min: new Date("2020-01-01T00:00:00Z"),
      max: new Date("2035-01-01T00:00:00Z"),
      noInvalidDate: true,
    }),
  });

describe("the Anthropologist Hat's Block Kit", () => {
  it(`buildHatModal: ${SAFE}`, () => {
    check(
      hostileInput((t) => fc.record({ teamName: t.text(80) })),
      (o) => expectSafeView(o, buildHatModal({ meta: { teamId: "t1" }, teamName: o.teamName })),
    );
  });

  it(`buildHatCaseMessage: ${SAFE}`, () => {
    check(
      hostileInput((t) => fc.record({ hatCase: hatCase(t) })),
      (o) => expectSafeMessage(o, buildHatCaseMessage(o)),
    );
  });

  it(`buildHatCaseList: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ team: team(t), cases: t.list(hatCase(t), 10), more: fc.nat(100) }),
    );
    check(input, (o) => expectSafeMessage(o, buildHatCaseList({ ...o, total: o.cases.length + o.more })));
  });

  it(`the one-pager prefilled from any balancing loop: ${SAFE}`, () => {
    const input = hostileInput((t) => fc.record({ hatCase: hatCase(t), loop: fc.nat(9) }));
    check(input, (o) => {
      const draft = mechanismDraft(o.hatCase, o.loop);
      const view = buildMechanismModal({
        meta: { teamId: "t1" },
        mechanism: null,
        defaultOwnerId: "U0OWNER",
        defaultCadence: 1,
        ...(draft ? { prefill: draft } : {}),
      });
      expectSafeView(o, view);
      // Slack refuses a view whose initial value is longer than its input allows.
      for (const b of view.blocks.filter((x): x is InputBlock => x.type === "input")) {
        if (b.element.type !== "plain_text_input") continue;
        const { initial_value: initial, max_length: max } = b.element;
        if (initial !== undefined && max !== undefined) expect(initial.length).toBeLessThanOrEqual(max);
      }
    });
  });

  it("puts the typed context in the notification text, escaped, and a button beside each balancing loop", () => {
    const msg = buildHatCaseMessage({
      hatCase: {
        id: "hc1",
        teamId: "t1",
        authorId: "U0TESTER",
        context: SAMPLE,
        traits: [],
        symptoms: ["Faux alignment"],
        reinforcingLoops: [],
        balancingLoops: ["Mini Prototype", "Cross-Team 1:1s"],
        createdAt: new Date(0),
      },
    });
    expect(msg.text.text).toContain(esc(SAMPLE).text);
    const buttons = msg.blocks.flatMap((b) =>
      b.type === "section" && b.accessory?.type === "button" ? [b.accessory] : [],
    );
    expect(buttons.map((b) => [b.action_id, b.value])).toEqual([
      [HAT_ACTION.makeMechanism, "hc1:0"],
      [HAT_ACTION.makeMechanism, "hc1:1"],
    ]);
  });
});
