import { describe, expect, it } from "vitest";
import { outcomeMove, type RollupData, type RollupMechanism } from "../../../src/rollups/rollup.js";
import { esc, md } from "../../../src/slack/blocks/mrkdwn.js";
import { buildRollupMessage, buildWorkspaceRollup } from "../../../src/slack/blocks/rollup.js";
import {
  alarmsSection,
  changedSection,
  continuedSection,
  defaultsChangedSection,
  graduatedSection,
  killedSection,
  listSection,
  MAX_ITEMS,
  missedReviewsSection,
  movedSection,
  ROLLUP_SECTIONS,
  type RollupSection,
  retiredSection,
} from "../../../src/slack/blocks/rollup-sections.js";
import { ROLLUP_BLOCK } from "../../../src/slack/ids.js";
import { blockById, blocksOfType, findBlock, textOf, visibleText } from "../../support/blocks.js";

const FROM = new Date("2026-11-23T09:00:00Z");
const TO = new Date("2026-11-30T09:00:00Z");
const IN = new Date("2026-11-25T12:00:00Z");
const BEFORE = new Date("2026-11-16T12:00:00Z");

function data(patch: Partial<RollupData> = {}): RollupData {
  return {
    team: {
      id: "t1",
      slackTeamId: "T1",
      name: "Checkout squad",
      channelId: "C1",
      timezone: "Europe/London",
      rollupWeekday: 1,
      rollupTime: "09:00",
    },
    window: { from: FROM, to: TO },
    mechanisms: [],
    decisions: [],
    deviations: [],
    openAlarms: [],
    missedReviews: [],
    openActionItems: [],
    loopMetrics: null,
    overdueCoes: [],
    ...patch,
  };
}

const mech = (i: number, o: Partial<RollupMechanism> = {}): RollupMechanism => ({
  id: `m${i}`,
  title: `Mechanism ${i}`,
  status: "active",
  stoppedAt: null,
  outcome: {
    name: "activation",
    unit: "%",
    baseline: 27,
    target: 35,
    latest: { value: 30, recordedAt: IN },
    previous: { value: 28, recordedAt: BEFORE },
  },
  ...o,
});
const stopped = (i: number) => mech(i, { status: "stopped", stoppedAt: IN, outcome: null });
const decision = (i: number, kind: "continue" | "change" | "stop") => ({
  mechanismId: `m${i}`,
  mechanismTitle: `Mechanism ${i}`,
  decision: kind,
  entry: `entry ${i}`,
  changeDetail: kind === "change" ? `change ${i}` : "",
  decidedAt: IN,
});
const deviation = (i: number, verdict: "promote" | "retire") => ({
  area: `Area ${i}`,
  deviation: `Deviation ${i}`,
  outcome: "",
  verdict,
  decidedAt: IN,
});
const alarm = (i: number) => ({
  kind: i % 2 === 0 ? "stale_pilot" : `kind_${i}`,
  subjectKey: `s${i}`,
  subjectLabel: `Mechanism ${i}`,
  evidence: `evidence ${i}`,
  raisedAt: IN,
  cycles: i,
});
const missed = (i: number) => ({ mechanismTitle: `Mechanism ${i}`, dueAt: IN, status: "missed" as const });
const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i + 1));

type Case = {
  section: RollupSection;
  make: (n: number) => Partial<RollupData>;
  one: string;
  headline: string;
};
const cases: Case[] = [
  {
    section: movedSection,
    make: (n) => ({ mechanisms: times(n, (i) => mech(i)) }),
    one: "28% → *30%* vs target 35%",
    headline: "1 outcome moved",
  },
  {
    section: killedSection,
    make: (n) => ({ mechanisms: times(n, stopped) }),
    one: "Mechanism 1",
    headline: "1 killed",
  },
  {
    section: changedSection,
    make: (n) => ({ decisions: times(n, (i) => decision(i, "change")) }),
    one: "change 1",
    headline: "1 changed",
  },
  {
    section: continuedSection,
    make: (n) => ({ decisions: times(n, (i) => decision(i, "continue")) }),
    one: "entry 1",
    headline: "1 continued",
  },
  {
    section: defaultsChangedSection,
    make: (n) => ({ deviations: times(n, (i) => deviation(i, "promote")) }),
    one: "Deviation 1",
    headline: "1 default changed",
  },
  {
    section: retiredSection,
    make: (n) => ({ deviations: times(n, (i) => deviation(i, "retire")) }),
    one: "Deviation 1",
    headline: "1 deviation retired",
  },
  {
    section: alarmsSection,
    make: (n) => ({ openAlarms: times(n, alarm) }),
    one: "evidence 1",
    headline: "1 open alarm",
  },
  {
    section: missedReviewsSection,
    make: (n) => ({ missedReviews: times(n, missed) }),
    one: "Mechanism 1",
    headline: "1 review missed",
  },
];

describe("rollup sections", () => {
  describe.each(cases)("$section.id", ({ section, make, one, headline }) => {
    it("says nothing when there is nothing to say", () => {
      expect(section.build(data())).toEqual([]);
      expect(section.headline(data())).toBeNull();
    });
    it("lists one item under its block id", () => {
      const blocks = section.build(data(make(1)));
      expect(blocks).toHaveLength(1);
      expect(blocks[0]).toMatchObject({ block_id: section.id });
      expect(textOf(blockById(blocks, section.id))).toContain(one);
      expect(section.headline(data(make(1)))).toBe(headline);
    });
    it(`clips many items to ${MAX_ITEMS} with "…and N more"`, () => {
      const blocks = section.build(data(make(MAX_ITEMS + 3)));
      expect(blocks).toHaveLength(1);
      const shown = textOf(blockById(blocks, section.id));
      expect(shown).toContain(`…and 3 more`);
      expect(shown).not.toContain(`${MAX_ITEMS + 1}`);
    });
  });

  it("counts a mechanism as moved only when its outcome got closer to the target", () => {
    const reading = (value: number) => ({ value, recordedAt: IN });
    const base = mech(1);
    const withOutcome = (latest: number | null, previous: number | null) =>
      outcomeMove({
        ...base,
        outcome: base.outcome && {
          ...base.outcome,
          latest: latest === null ? null : reading(latest),
          previous: previous === null ? null : reading(previous),
        },
      });
    expect(withOutcome(30, 28)).toMatchObject({ from: 28, to: 30, fromBaseline: false });
    expect(withOutcome(28, null)).toMatchObject({ from: 27, to: 28, fromBaseline: true });
    expect(withOutcome(26, 28)).toBeNull(); // away from target
    expect(withOutcome(28, 28)).toBeNull(); // flat
    expect(withOutcome(null, null)).toBeNull(); // no reading this week
  });

  it("names each open alarm by its title and subject, with how many cycles it has held, never by its code", () => {
    const text = JSON.stringify(alarmsSection.build(data({ openAlarms: [alarm(2), alarm(1)] })));
    expect(text).toContain("*Pilot past a cycle without a decision* · Mechanism 2 — evidence 2");
    expect(text).toContain("open since");
    expect(text).toContain("2 cycles");
    // An unknown kind (a row from a newer version) reads "Alarm", and one cycle says only since when.
    expect(text).toContain("*Alarm* · Mechanism 1 — evidence 1 _(since ");
    expect(text).not.toMatch(/stale_pilot|kind_1/);
  });

  it("shows a graduation with its new default, never as a kill", () => {
    const d = data({
      mechanisms: [mech(1, { status: "graduated", stoppedAt: IN })],
      decisions: [{ ...decision(1, "continue"), decision: "graduate", changeDetail: "Prompt for all" }],
    });
    expect(visibleText(graduatedSection.build(d))).toBe(
      "*🎓 Graduated this week*\n• *Mechanism 1* — now a team default: Prompt for all",
    );
    expect(graduatedSection.headline(d)).toBe("1 graduated");
    expect(killedSection.build(d)).toEqual([]);
    expect(killedSection.headline(d)).toBeNull();
  });

  it("ignores mechanisms stopped outside the window", () => {
    expect(
      killedSection.build(data({ mechanisms: [mech(1, { status: "stopped", stoppedAt: BEFORE })] })),
    ).toEqual([]);
  });

  it("keeps long lines within Slack's 3,000-character text limit and still says how many were left out", () => {
    const long = times(MAX_ITEMS, (i) => `line ${i} ${"x".repeat(900)}`);
    const [block] = listSection(
      "s",
      "Title",
      long.map((l) => esc(l)),
    );
    const body = (block as { text: { text: string } }).text.text;
    expect(body.length).toBeLessThanOrEqual(3000);
    expect(body).toMatch(/…and \d+ more/);
  });
});

describe("rollup message", () => {
  it("has one friendly line when every section is empty", () => {
    const msg = buildRollupMessage({ data: data(), sections: ROLLUP_SECTIONS, chartNote: md`no chart` });
    expect(textOf(blockById(msg.blocks, ROLLUP_BLOCK.empty))).toContain("A quiet week");
    expect(msg.text.text).toContain("quiet week");
  });

  it("stays within 50 blocks however many sections there are", () => {
    const many = times(80, (i): RollupSection => ({ ...alarmsSection, id: `extra_${i}` }));
    const msg = buildRollupMessage({
      data: data({ openAlarms: [alarm(1)] }),
      sections: many,
      chartNote: md`chart`,
    });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    // In its own context after the sections, just before the chart note that closes the message.
    expect(textOf(findBlock(msg.blocks.slice(-2, -1), { type: "context" }))).toContain(
      "more sections not shown",
    );
  });

  it("combines team headlines for the workspace and keeps within 50 blocks", () => {
    const teams = times(400, (i) => ({
      name: `Team ${i} ${"n".repeat(60)}`,
      channelId: `C${i}`,
      headline: "1 killed",
    }));
    const msg = buildWorkspaceRollup({ week: "2026-W49", teams });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    for (const b of msg.blocks) expect(JSON.stringify(b).length).toBeLessThan(3200);
    expect(visibleText(blocksOfType(msg.blocks, "section"))).toContain("Team 1 ");
  });
});
