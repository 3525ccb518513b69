import { describe, expect, it } from "vitest";
import { buildMechanismModal } from "../../../src/slack/blocks/mechanism-modal.js";
import { MECH_BLOCK } from "../../../src/slack/ids.js";
import { parseMechanismForm } from "../../../src/slack/parsers/mechanism-form.js";
import { type Answer, buildViewState } from "../../slack/view-state.js";
import { goodMechanism } from "../../support/fixtures.js";

// "No ops path if it worked" asks who runs a mechanism if it works: its own optional field of the
// one-pager, apart from the rollback path (the way back if it fails).
const TODAY = "2026-11-23";
const modal = () =>
  buildMechanismModal({
    meta: { teamId: "t1" },
    mechanism: null,
    defaultOwnerId: "U0OWNER",
    defaultCadence: 1,
  });
const stateOf = (answers: Record<string, Answer>) =>
  buildViewState(modal(), answers, { timezone: "Europe/London", requireAnswers: true });
const ids = (blocks: readonly { block_id?: string }[]) => blocks.map((b) => b.block_id);

describe("the mechanism modal's ops path", () => {
  it("asks who runs it if it works, optionally, right after the rollback path", () => {
    const blocks = modal().blocks;
    const at = ids(blocks).indexOf(MECH_BLOCK.opsPath);
    expect(at).toBe(ids(blocks).indexOf(MECH_BLOCK.rollbackPath) + 1);
    expect(blocks[at]).toMatchObject({
      type: "input",
      optional: true,
      label: { text: "If it works, who runs it? (ops owner / path)" },
      element: { action_id: MECH_BLOCK.opsPath, max_length: 500 },
    });
  });
});

describe("parseMechanismForm: the ops path", () => {
  it("keeps it trimmed, apart from the rollback path", () => {
    const parsed = parseMechanismForm(
      stateOf({ ...goodMechanism, [MECH_BLOCK.opsPath]: "  Support on-call  " }),
      TODAY,
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: { opsPath: "Support on-call", rollbackPath: "Feature flag off" },
    });
  });

  it("reads an unanswered ops path as not written, and saves the mechanism anyway", () => {
    expect(parseMechanismForm(stateOf(goodMechanism), TODAY)).toMatchObject({
      ok: true,
      value: { opsPath: "" },
    });
  });

  it("refuses a forged ops path over 500 characters inline", () => {
    const values = stateOf({ ...goodMechanism, [MECH_BLOCK.opsPath]: "x" });
    const field = values[MECH_BLOCK.opsPath]?.[MECH_BLOCK.opsPath];
    if (!field) throw new Error("no ops path in the state");
    field.value = "x".repeat(501);
    const parsed = parseMechanismForm(values, TODAY);
    expect(parsed).toMatchObject({
      ok: false,
      errors: { [MECH_BLOCK.opsPath]: "Keep this under 500 characters." },
    });
  });
});
