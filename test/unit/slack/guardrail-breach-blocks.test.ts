import { describe, expect, it } from "vitest";
import type { GuardrailBreach, Mechanism } from "../../../src/mechanisms/mechanism.js";
import { breachEntry } from "../../../src/reviews/guardrail-breach.js";
import { breachRefusal, buildGuardrailBreachDm } from "../../../src/slack/blocks/guardrail-breach.js";
import { GUARDRAIL_ACTION } from "../../../src/slack/ids.js";

const breach: GuardrailBreach = {
  readingId: "grr_1",
  mechanismId: "m1",
  guardrail: {
    id: "g1",
    name: "Error rate <!channel>",
    comparison: "<=",
    threshold: 0.1,
    unit: "%",
    stopOwnerId: "U0SRE",
  },
  value: 0.3,
  recordedAt: new Date("2026-11-24T10:00:00Z"),
  decision: null,
  decisionReason: null,
  decidedBy: null,
  decidedAt: null,
};
const mechanism = {
  title: "Nudge <https://evil.example|click>",
  ownerId: "U0OWN",
  stopOwnerId: "U0STOP",
} as Mechanism;

describe("the breach DM to whoever can say stop", () => {
  it("names the mechanism, the guardrail and the reading against its line, escaped, with both buttons", () => {
    const dm = buildGuardrailBreachDm({ mechanism, breach });
    const text = JSON.stringify(dm.blocks);
    expect(text).toContain("Nudge &lt;https://evil.example|click&gt;");
    expect(text).toContain("*Error rate &lt;!channel&gt;*: 0.3% vs ≤ 0.1%");
    expect(text).toContain("<@U0SRE> can say stop");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil");
    expect(text).toContain(GUARDRAIL_ACTION.stop);
    expect(text).toContain(GUARDRAIL_ACTION.keepGoing);
    expect(dm.text.text).toContain("Guardrail breached");
  });

  it("once decided shows who decided what, and no buttons", () => {
    const kept = buildGuardrailBreachDm({
      mechanism,
      breach: { ...breach, decision: "continue", decisionReason: "noisy <!here> hour", decidedBy: "U0OWN" },
    });
    const text = JSON.stringify(kept.blocks);
    expect(text).toContain("Kept going* by <@U0OWN>");
    expect(text).toContain("noisy &lt;!here&gt; hour");
    expect(text).not.toContain(GUARDRAIL_ACTION.stop);
    const stopped = JSON.stringify(
      buildGuardrailBreachDm({ mechanism, breach: { ...breach, decision: "stop", decidedBy: "U0SRE" } })
        .blocks,
    );
    expect(stopped).toContain("Stopped* by <@U0SRE>");
  });

  it("refuses politely, naming who can decide, or who already did", () => {
    expect(breachRefusal({ kind: "not_allowed", deciders: ["U0SRE", "U0OWN"] }).text).toBe(
      "Sorry — only <@U0SRE> or <@U0OWN> can decide on this guardrail.",
    );
    expect(
      breachRefusal({ kind: "already", breach: { ...breach, decision: "stop", decidedBy: "U0SRE" } }).text,
    ).toBe("Already decided by <@U0SRE>: stopped.");
  });

  it("logs the decision in words: the guardrail, the reading against its line, the reason", () => {
    expect(breachEntry(breach, "stop", "")).toBe(
      "Stopped: guardrail Error rate <!channel> breached (0.3% vs ≤ 0.1%)",
    );
    expect(breachEntry(breach, "continue", "known outage")).toBe(
      "Kept going past a breached guardrail: Error rate <!channel> (0.3% vs ≤ 0.1%) — known outage",
    );
  });
});
