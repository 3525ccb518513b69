import { describe, expect, it } from "vitest";
import type { BarbellPlan, FloorEntry, Slice } from "../../../src/floor/floor.js";
import { validateBlocks } from "../../../src/sandbox/block-kit-limits.js";
import {
  buildBarbellPlan,
  FLOOR_CAP,
  readRetireValue,
  retireValue,
} from "../../../src/slack/blocks/floor.js";
import { blockTextLength, LIMIT } from "../../../src/slack/blocks/kit.js";
import { teamFixture } from "../../support/team-fixture.js";

const anchor = new Date(Date.UTC(2026, 10, 24, 10));
const team = teamFixture({ id: "team1", name: "<!channel> squad", cycleAnchor: anchor, createdAt: anchor });

const long = (s: string) => `<!channel> ${s} ${"x".repeat(400)}`;
const entry = (i: number, retired = false): FloorEntry => ({
  ref: `default:d${i}`,
  kind: i % 3 === 0 ? "guardrail" : "default",
  text: long(`Default ${i}`),
  why: long(`Why ${i}`),
  source: "typed",
  origin: "",
  by: "U1",
  since: anchor,
  retired: retired ? { reason: long("replaced"), by: "U2", at: anchor } : null,
});
const slice = (i: number): Slice => ({
  id: `m${i}`,
  title: long(`Slice ${i}`),
  checkpointRule: long("continue if"),
  nextReviewAt: anchor,
});

function plan(floor: FloorEntry[], slices: Slice[]): BarbellPlan {
  return { floor, slices, quota: { cycle: { index: 0, start: anchor, end: anchor }, logged: 0, quota: 1 } };
}

describe("the barbell plan message", () => {
  it("holds Slack's limits for a team with many defaults, slices and retired entries, saying how many more", () => {
    const floor = [
      ...Array.from({ length: 60 }, (_, i) => entry(i)),
      ...Array.from({ length: 12 }, (_, i) => entry(100 + i, true)),
    ];
    const msg = buildBarbellPlan({
      team,
      plan: plan(
        floor,
        Array.from({ length: 7 }, (_, i) => slice(i)),
      ),
    });
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(blockTextLength(msg.blocks)).toBeLessThanOrEqual(LIMIT.messageBlocks);
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain(`…and ${60 - FLOOR_CAP} more defaults on the Floor.`);
    expect(json).toContain("…and 7 more retired.");
    expect(json).toContain("…and 4 more active.");
    expect(json.match(/floor_retire_open/g)).toHaveLength(FLOOR_CAP);
  });

  it("never lets typed text broadcast, in the blocks or the top-level text", () => {
    const msg = buildBarbellPlan({ team, plan: plan([entry(1), entry(2, true)], [slice(1)]) });
    // Every mrkdwn text (plain_text, like the header's team name, never renders a mention).
    const mrkdwn = JSON.stringify(msg.blocks).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(mrkdwn.length).toBeGreaterThan(3);
    for (const t of mrkdwn) expect(t).not.toContain("<!channel>");
    expect(msg.text).not.toContain("<!channel>");
  });

  it("reads back the Retire button's value, and refuses a tampered one", () => {
    expect(readRetireValue(retireValue("team1", "deviation:d1"))).toEqual({
      teamId: "team1",
      ref: "deviation:d1",
    });
    expect(readRetireValue("team1")).toBeNull();
    expect(readRetireValue("team1 default:a extra")).toBeNull();
  });
});
