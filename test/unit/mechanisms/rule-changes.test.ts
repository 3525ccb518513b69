import { describe, expect, it } from "vitest";
import type { Mechanism, MechanismInput } from "../../../src/mechanisms/mechanism.js";
import { ruleChanges } from "../../../src/mechanisms/rule-changes.js";

const signal = (kind: "proxy" | "outcome", name: string, baseline: number, target: number) => ({
  kind,
  name,
  baseline,
  target,
  unit: "%",
});

const input: MechanismInput = {
  title: "First-run nudge",
  aim: "Increase activation",
  aimForWhom: "Segment S",
  aimFrom: 27,
  aimTo: 35,
  aimUnit: "%",
  aimBy: "2027-01-31",
  statement: "We believe X will move Y because Z",
  checkpointRule: "continue if proxy >= 80",
  guardrail: "",
  stopOwnerId: null,
  rollbackPath: "Flag off",
  opsPath: "",
  ownerId: "U1",
  cadenceWeeks: 1,
  signals: [signal("proxy", "Action X", 40, 80), signal("outcome", "activation", 27, 35)],
};

const stored = (o: Partial<MechanismInput> = {}): Mechanism =>
  ({
    ...input,
    ...o,
    id: "m1",
    teamId: "t1",
    status: "active",
    nextReviewAt: null,
    messageChannelId: null,
    messageTs: null,
    createdBy: "U1",
    createdAt: new Date("2026-11-01T00:00:00Z"),
    stoppedAt: null,
    signals: (o.signals ?? input.signals).map((s, i) => ({ ...s, id: `s${i}` })),
  }) as Mechanism;

describe("ruleChanges (what a reviewed mechanism's edit changes in its rules)", () => {
  it("is empty for edits outside the rules, and ignores case and spacing in the rule", () => {
    expect(
      ruleChanges(stored(), {
        ...input,
        title: "v2",
        statement: "We believe …",
        checkpointRule: " Continue if  proxy >= 80 ",
      }),
    ).toEqual([]);
  });

  it("names each moved baseline, target, aim and rule, with units", () => {
    const after = {
      ...input,
      aimTo: 36,
      signals: [signal("proxy", "Action X", 45, 80), signal("outcome", "Activation", 27, 36)],
      checkpointRule: "continue if proxy >= 90",
    };
    expect(ruleChanges(stored(), after)).toEqual([
      "Aim: “Increase activation (Segment S): 27% → 35% by 2027-01-31” → “Increase activation (Segment S): 27% → 36% by 2027-01-31”",
      "Signal “Action X” baseline: 40% → 45%",
      "Signal “Activation” target: 35% → 36%",
      "Checkpoint rule: “continue if proxy >= 80” → “continue if proxy >= 90”",
    ]);
  });

  it("says which signals were added and removed, and that removed readings stay", () => {
    const after = {
      ...input,
      signals: [signal("proxy", "Action X", 40, 80), signal("outcome", "p95", 900, 600)],
    };
    expect(ruleChanges(stored(), after)).toEqual([
      "Signal added: “p95” (outcome, 900% → 600%)",
      "Signal removed: “activation” (its readings are kept)",
    ]);
  });

  it("clips long values so the reason still fits the entry", () => {
    const [line] = ruleChanges(stored(), { ...input, checkpointRule: `continue if ${"x".repeat(300)}` });
    expect(line?.length).toBeLessThan(200);
    expect(line).toContain("…");
  });
});
