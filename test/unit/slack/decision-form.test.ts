import { describe, expect, it } from "vitest";
import { buildLogDecisionModal } from "../../../src/slack/blocks/review.js";
import { REVIEW_BLOCK } from "../../../src/slack/ids.js";
import { parseDecisionForm } from "../../../src/slack/parsers/decision-form.js";
import type { StateValues } from "../../../src/slack/parsers/view-state.js";
import { type Answer, buildViewState } from "../../slack/view-state.js";

/** The /ratchet log modal as Slack would submit it: every answer must land in a real input. */
function submit(answers: Record<string, Answer>) {
  const view = buildLogDecisionModal({ teamId: "t1", mechanisms: [], preset: null });
  const values = buildViewState(view, answers, { timezone: "UTC", requireAnswers: false }) as StateValues;
  return parseDecisionForm(values, { signals: [], reviewQuestions: false, needsMechanism: false });
}

describe("the decision form (continue / change / stop / graduate)", () => {
  it("offers graduate beside continue, change and stop", () => {
    const ok = submit({
      [REVIEW_BLOCK.decision]: "graduate",
      [REVIEW_BLOCK.floor]: "Prompt every new signup",
      [REVIEW_BLOCK.entry]: "Proven.",
    });
    expect(ok).toMatchObject({
      ok: true,
      value: { decision: "graduate", changeDetail: "Prompt every new signup" },
    });
  });

  it("asks what becomes the default when graduating, and nothing else", () => {
    const res = submit({ [REVIEW_BLOCK.decision]: "graduate", [REVIEW_BLOCK.entry]: "Proven." });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(Object.keys(res.errors)).toEqual([REVIEW_BLOCK.floor]);
  });

  it("keeps a gate reason only on a continue: the service decides whether the gate failed", () => {
    const reason = { [REVIEW_BLOCK.gateReason]: "Holiday week", [REVIEW_BLOCK.entry]: "Keep going." };
    expect(submit({ ...reason, [REVIEW_BLOCK.decision]: "continue" })).toMatchObject({
      value: { gateReason: "Holiday week" },
    });
    expect(submit({ ...reason, [REVIEW_BLOCK.decision]: "stop" })).toMatchObject({
      value: { gateReason: "" },
    });
  });

  it("refuses a decision it doesn't know, inline on the decision", () => {
    const res = submit({ [REVIEW_BLOCK.entry]: "Hmm." });
    expect(res.ok).toBe(false);
    if (!res.ok)
      expect(res.errors[REVIEW_BLOCK.decision]).toBe("Decide: continue, change, stop or graduate.");
  });
});
