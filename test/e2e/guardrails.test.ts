import { afterEach, beforeEach, expect, it } from "vitest";
import { MECH_BLOCK } from "../../src/slack/ids.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

describeDb("guardrails state a line someone can see crossed (issue 11)", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  it("flags a guardrail written as prose on the one-pager: no threshold, add one", async () => {
    const { post } = await createMechanism(h, {
      ...goodMechanism,
      [MECH_BLOCK.guardrail]: "Documented rollback plan before launch",
    });
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Documented rollback plan before launch");
    expect(blocks).toContain("no threshold — add one");
  });

  it("does not flag a guardrail with a threshold (error rate ≤ 0.1%)", async () => {
    const { post } = await createMechanism(h);
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Error rate ≤ 0.1% on signup");
    expect(blocks).not.toContain("no threshold");
  });
});
