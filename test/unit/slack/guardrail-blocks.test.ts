import { describe, expect, it } from "vitest";
import type { Guardrail, Mechanism } from "../../../src/mechanisms/mechanism.js";
import { guardrailReadingBlocks } from "../../../src/slack/blocks/guardrails.js";

const errorRate: Guardrail = {
  id: "g1",
  name: "Error rate <on signup>",
  comparison: "<=",
  threshold: 0.1,
  unit: "%",
  stopOwnerId: "U0SRE",
};
const rollback: Guardrail = {
  id: "g2",
  name: "Rollback",
  comparison: null,
  threshold: null,
  unit: "",
  stopOwnerId: null,
};
const mechanism: Pick<Mechanism, "guardrails" | "stopOwnerId"> = {
  guardrails: [errorRate, rollback],
  stopOwnerId: "U0STOP",
};

describe("guardrailReadingBlocks: the review modal's guardrail part", () => {
  it("shows a typed reading across the line as breached, in red, naming who can say stop", () => {
    const text = JSON.stringify(guardrailReadingBlocks(mechanism, { g1: 0.3 }));
    expect(text).toContain(
      "🔴 *Breached* — Error rate &lt;on signup&gt;: 0.3%, the line is ≤ 0.1% · <@U0SRE> can say stop",
    );
    expect(text).toContain("Rollback: no threshold — add one");
  });

  it("shows no breach while the reading holds or is not typed", () => {
    expect(JSON.stringify(guardrailReadingBlocks(mechanism, { g1: 0.1 }))).not.toContain("Breached");
    expect(JSON.stringify(guardrailReadingBlocks(mechanism, {}))).not.toContain("Breached");
  });
});
