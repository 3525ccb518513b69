import { describe, expect, it } from "vitest";
import {
  type Cycle,
  type Deviation,
  guardrailProblem,
  mentionsProblem,
  midCycleReminderDue,
  midpointOf,
  selectableCycles,
  sensitiveMentions,
  toSummary,
} from "../../../src/deviations/deviation.js";
import { validateBlocks, validateView } from "../../../src/sandbox/block-kit-limits.js";
import {
  buildDeviationCard,
  buildDeviationLog,
  buildDeviationModal,
  buildOutcomeModal,
  buildVerdictAnnouncement,
  cycleLabel,
  LOG_CAP,
} from "../../../src/slack/blocks/deviations.js";
import { DEV_BLOCK } from "../../../src/slack/ids.js";
import { parseDeviationForm, parseOutcomeForm } from "../../../src/slack/parsers/deviation-form.js";
import type { StateValues } from "../../../src/slack/parsers/view-state.js";
import type { Team } from "../../../src/teams/team.js";
import {
  blockById,
  blocksOfType,
  findBlock,
  optionTexts,
  textOf,
  visibleText,
} from "../../support/blocks.js";
import { teamFixture } from "../../support/team-fixture.js";

const team = (o: Partial<Team> = {}): Team => teamFixture({ id: "T1", slackTeamId: "TS", ...o });

const deviation = (o: Partial<Deviation> = {}): Deviation => ({
  id: "d1",
  teamId: "T1",
  area: "API framework",
  deviation: "Try X on service Y",
  hypothesis: "Because Z should cut p95 by 20%",
  benefit: "Better latency",
  risk: "Small migration cost",
  cycleIndex: 0,
  sensitive: false,
  approverId: null,
  ownerId: "U1",
  outcome: "",
  verdict: "open",
  createdAt: new Date("2026-11-25T09:00:00Z"),
  decidedAt: null,
  ...o,
});

describe("cycle labels in the team's zone", () => {
  // Each anchor is 00:30 local, so a label computed in UTC or with 7×24h arithmetic lands on the wrong day.
  it.each([
    {
      name: "New York, across the fall-back change (1 Nov 2026)",
      t: team({ timezone: "America/New_York", cycleAnchor: new Date("2026-10-26T04:30:00Z") }),
      at: "2026-10-30T12:00:00Z",
      current: "Mon 26 Oct – Mon 2 Nov",
      next: "Mon 2 Nov – Mon 9 Nov",
    },
    {
      name: "London, across the spring-forward change (29 Mar 2026)",
      t: team({ timezone: "Europe/London", cycleAnchor: new Date("2026-03-23T00:30:00Z") }),
      at: "2026-03-25T12:00:00Z",
      current: "Mon 23 Mar – Mon 30 Mar",
      next: "Mon 30 Mar – Mon 6 Apr",
    },
    {
      name: "London, two-week cadence across fall-back (25 Oct 2026)",
      t: team({ timezone: "Europe/London", cadenceWeeks: 2, cycleAnchor: new Date("2026-10-18T23:30:00Z") }),
      at: "2026-10-30T12:00:00Z",
      current: "Mon 19 Oct – Mon 2 Nov",
      next: "Mon 2 Nov – Mon 16 Nov",
    },
  ])("$name", ({ t, at, current, next }) => {
    const cycles = selectableCycles(t, new Date(at));
    expect(cycleLabel(cycles.current, t.timezone)).toBe(current);
    expect(cycleLabel(cycles.next, t.timezone)).toBe(next);
    expect(cycles.next.index).toBe(cycles.current.index + 1);
    expect(cycles.next.start).toEqual(cycles.current.end);
  });

  it("labels both choices in the modal and makes this cycle the default", () => {
    const t = team({ timezone: "America/New_York", cycleAnchor: new Date("2026-10-26T04:30:00Z") });
    const { current, next } = selectableCycles(t, new Date("2026-10-30T12:00:00Z"));
    const view = buildDeviationModal({
      meta: { teamId: t.id },
      teamName: t.name,
      tz: t.timezone,
      current,
      next,
    });
    const select = blockById(view.blocks, DEV_BLOCK.cycle);
    expect(optionTexts(select)).toEqual([
      "This cycle (Mon 26 Oct – Mon 2 Nov)",
      "Next cycle (Mon 2 Nov – Mon 9 Nov)",
    ]);
    expect(select).toMatchObject({ element: { initial_option: { value: "0" } } });
    expect(validateView(view)).toEqual([]);
  });
});

describe("mid-cycle reminder timing", () => {
  const c: Cycle = {
    index: 3,
    start: new Date("2026-11-24T10:00:00Z"),
    end: new Date("2026-12-01T10:00:00Z"),
  };
  it.each([
    ["just before the midpoint", c, "2026-11-27T21:59:59Z", false],
    ["at the midpoint", c, "2026-11-27T22:00:00Z", true],
    ["late in the cycle", c, "2026-12-01T09:59:00Z", true],
    ["a cycle before the team's first review", { ...c, index: -1 }, "2026-11-30T00:00:00Z", false],
  ])("%s", (_name, cycle, now, due) => {
    expect(midCycleReminderDue(cycle, new Date(now))).toBe(due);
  });

  it("puts the midpoint halfway in instants, even when a DST change shortens the cycle", () => {
    const spring: Cycle = {
      index: 0,
      start: new Date("2026-03-23T00:30:00Z"),
      end: new Date("2026-03-29T23:30:00Z"),
    };
    expect(midpointOf(spring).toISOString()).toBe("2026-03-26T12:00:00.000Z");
  });
});

describe("sensitive areas read from what was written", () => {
  it.each<[string, string[]]>([
    ["Security: skip token rotation for a week", ["Security", "token"]],
    ["Keep PII for 90 days instead of 30 (retention)", ["PII", "retention"]],
    ["Relax the GDPR consent banner", ["GDPR", "consent"]],
    ["Share the passwords vault; drop MFA for contractors", ["passwords", "MFA"]],
    ["Loosen access control on the admin panel", ["access control"]],
    ["Store user data unencrypted in the cache", ["user data", "unencrypted"]],
    ["Try Fastify on the checkout service", []],
    ["Faster access to the docs for new joiners", []],
    ["Authors pair on the release notes", []],
  ])("%s", (text, words) => {
    expect(sensitiveMentions([text])).toEqual(words);
  });

  it("asks to confirm or mark sensitive only when the text names a sensitive area and nothing is ticked", () => {
    const ask = (o: { sensitive?: boolean; notSensitive?: boolean; mentions?: string[] }) =>
      mentionsProblem({ sensitive: false, notSensitive: false, mentions: ["token"], ...o });
    expect(ask({})).toMatch(
      /This mentions “token”.*tick the first box and name the approver; if not, tick the second/,
    );
    expect(ask({ sensitive: true })).toBeNull();
    expect(ask({ notSensitive: true })).toBeNull();
    expect(ask({ mentions: [] })).toBeNull();
    expect(ask({ sensitive: true, notSensitive: true })).toMatch(/Tick one/);
  });
});

describe("guardrail: security, compliance and user data need someone else's pre-approval", () => {
  it.each([
    [false, null, null],
    [false, "U1", null],
    [true, null, /named approver/],
    [true, "U1", /own deviation/],
    [true, "U2", null],
  ])("sensitive=%s approver=%s", (sensitive, approverId, expected) => {
    const problem = guardrailProblem({ sensitive, approverId, submitterId: "U1" });
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

const text = (value: string | null) => ({ type: "plain_text_input", value });
function state(o: Partial<Record<keyof typeof DEV_BLOCK, unknown>> = {}): StateValues {
  const v: Record<string, unknown> = {
    area: text("API framework"),
    deviation: text("Try X on service Y"),
    hypothesis: text("Because Z should cut p95 by 20%"),
    benefit: text("Better latency"),
    risk: text("Small migration cost"),
    cycle: { type: "static_select", selected_option: { value: "4" } },
    sensitive: { type: "checkboxes", selected_options: [] },
    approver: { type: "users_select", selected_user: null },
    ...o,
  };
  return Object.fromEntries(
    Object.entries(v).map(([k, el]) => {
      const id = DEV_BLOCK[k as keyof typeof DEV_BLOCK];
      return [id, { [id]: el }];
    }),
  ) as StateValues;
}

describe("parseDeviationForm", () => {
  it("reads a complete deviation", () => {
    expect(parseDeviationForm(state(), { submitterId: "U1" })).toEqual({
      ok: true,
      value: {
        area: "API framework",
        deviation: "Try X on service Y",
        hypothesis: "Because Z should cut p95 by 20%",
        benefit: "Better latency",
        risk: "Small migration cost",
        cycleIndex: 4,
        sensitive: false,
        approverId: null,
        notSensitive: false,
      },
    });
  });

  it.each([
    [
      "a sensitive area named in the text, nothing ticked",
      { area: text("Security"), deviation: text("Skip token rotation for a week") },
      [DEV_BLOCK.sensitive],
    ],
    [
      "both boxes ticked",
      {
        sensitive: {
          type: "checkboxes",
          selected_options: [{ value: "sensitive" }, { value: "not_sensitive" }],
        },
        approver: { type: "users_select", selected_user: "U2" },
      },
      [DEV_BLOCK.sensitive],
    ],
    ["a hypothesis without a cause", { hypothesis: text("X is faster") }, [DEV_BLOCK.hypothesis]],
    ["a filler cause", { hypothesis: text("because TBD") }, [DEV_BLOCK.hypothesis]],
    ["missing area and risk", { area: text(null), risk: text("  ") }, [DEV_BLOCK.area, DEV_BLOCK.risk]],
    [
      "sensitive without an approver",
      { sensitive: { type: "checkboxes", selected_options: [{ value: "sensitive" }] } },
      [DEV_BLOCK.approver],
    ],
    [
      "sensitive approved by the submitter",
      {
        sensitive: { type: "checkboxes", selected_options: [{ value: "sensitive" }] },
        approver: { type: "users_select", selected_user: "U1" },
      },
      [DEV_BLOCK.approver],
    ],
    ["no cycle", { cycle: { type: "static_select", selected_option: null } }, [DEV_BLOCK.cycle]],
  ])("refuses %s, inline on the right block", (_name, patch, blocks) => {
    const r = parseDeviationForm(state(patch), { submitterId: "U1" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual([...blocks].sort());
  });

  it("accepts a sensitive deviation approved by someone else", () => {
    const r = parseDeviationForm(
      state({
        sensitive: { type: "checkboxes", selected_options: [{ value: "sensitive" }] },
        approver: { type: "users_select", selected_user: "U2" },
      }),
      { submitterId: "U1" },
    );
    expect(r).toMatchObject({ ok: true, value: { sensitive: true, approverId: "U2" } });
  });
});

describe("parseOutcomeForm", () => {
  const values = (outcome: string | null, verdict: string | null): StateValues => ({
    [DEV_BLOCK.outcome]: { [DEV_BLOCK.outcome]: text(outcome) },
    [DEV_BLOCK.verdict]: {
      [DEV_BLOCK.verdict]: { type: "radio_buttons", selected_option: verdict ? { value: verdict } : null },
    },
  });
  it.each([
    ["p95 −18%", "promote", { ok: true, value: { outcome: "p95 −18%", verdict: "promote" } }],
    ["No change", "retire", { ok: true, value: { outcome: "No change", verdict: "retire" } }],
  ])("reads %s / %s", (outcome, verdict, expected) => {
    expect(parseOutcomeForm(values(outcome, verdict))).toEqual(expected);
  });
  it.each([
    [null, "promote", [DEV_BLOCK.outcome]],
    ["It worked", null, [DEV_BLOCK.verdict]],
    ["It worked", "open", [DEV_BLOCK.verdict]],
  ])("refuses outcome=%s verdict=%s", (outcome, verdict, blocks) => {
    const r = parseOutcomeForm(values(outcome, verdict));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(blocks);
  });
});

describe("deviation log and messages", () => {
  const t = team();
  const current: Cycle = {
    index: 5,
    start: new Date("2026-12-22T10:00:00Z"),
    end: new Date("2026-12-29T10:00:00Z"),
  };
  const label = (i: number) => `C${i}`;

  it("explains the quota when the log is empty", () => {
    const msg = buildDeviationLog({
      team: t,
      deviations: [],
      total: 0,
      current,
      loggedThisCycle: 0,
      cycleLabel: label,
    });
    // The first section, under the header, explains the quota.
    const explanation = textOf(findBlock(msg.blocks, { type: "section" }));
    expect(explanation).toContain("No deviations yet");
    expect(explanation).toContain("at least one deviation per cycle");
    expect(textOf(findBlock(msg.blocks, { type: "context" }))).toContain(
      "Nothing logged yet this cycle (C5)",
    );
  });

  it("caps a long log within Slack's limits and says how many more there are", () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      deviation({
        id: `d${i}`,
        cycleIndex: 5 - i,
        deviation: `Deviation ${i} ${"x".repeat(250)}`,
        outcome: "y".repeat(600),
      }),
    );
    const msg = buildDeviationLog({
      team: t,
      deviations: many.slice(0, LOG_CAP),
      total: 30,
      current,
      loggedThisCycle: 1,
      cycleLabel: label,
    });
    expect(validateBlocks(msg.blocks, "message")).toEqual([]);
    expect(msg.blocks.filter((b) => b.type === "section")).toHaveLength(LOG_CAP);
    // The quota line is the first context, under the header; "…and N more" closes the message.
    expect(textOf(findBlock(msg.blocks, { type: "context" }))).toContain("Quota met this cycle");
    expect(textOf(findBlock(msg.blocks.slice(-1), { type: "context" }))).toBe("…and 10 more.");
    expect(visibleText(msg.blocks)).not.toContain("Deviation 20 ");
  });

  it("shows the worksheet's columns and verdicts, escaping user text", () => {
    const rows = [
      deviation({ id: "a", verdict: "promote", outcome: "p95 −18%" }),
      deviation({ id: "b", verdict: "retire", area: "<!channel> & co", outcome: "no change" }),
    ];
    const { blocks } = buildDeviationLog({
      team: t,
      deviations: rows,
      total: 2,
      current,
      loggedThisCycle: 0,
      cycleLabel: label,
    });
    // One section per deviation, in the order given.
    const [promoted, retired] = blocksOfType(blocks, "section").map(textOf);
    for (const part of [
      "API framework",
      "Try X on service Y",
      "Because Z should cut p95",
      "Better latency",
      "Small migration cost",
      "p95 −18%",
      "Promoted",
    ]) {
      expect(promoted).toContain(part);
    }
    expect(retired).toContain("Retired");
    expect(retired).toContain("&lt;!channel&gt; &amp; co");
    expect(visibleText(blocks)).not.toContain("<!channel>");
  });

  it("cards name the owner, the cycle and the approver", () => {
    const card = buildDeviationCard({
      deviation: deviation({ sensitive: true, approverId: "U2" }),
      cycleLabel: "Tue 24 Nov – Tue 1 Dec",
    });
    const meta = textOf(findBlock(card.blocks, { type: "context" }));
    expect(meta).toContain("Owner <@U1>");
    expect(meta).toContain("approved by <@U2>");
    expect(meta).toContain("Tue 24 Nov – Tue 1 Dec");
    expect(validateBlocks(card.blocks, "message")).toEqual([]);
  });

  it.each([
    ["promote", "Default changed: Try X on service Y (instead of API framework)"],
    ["retire", "Retired: Try X on service Y (instead of API framework)"],
  ] as const)("announces %s", (verdict, headline) => {
    const msg = buildVerdictAnnouncement({
      deviation: { ...deviation({ outcome: "done" }), verdict },
      by: "U1",
    });
    expect(msg.text.text).toBe(headline);
  });

  it("builds a valid outcome modal", () => {
    expect(validateView(buildOutcomeModal({ meta: { deviationId: "d1" }, deviation: deviation() }))).toEqual(
      [],
    );
  });

  it("exposes plain summaries for the rollup and alarms", () => {
    expect(Object.keys(toSummary(deviation())).sort()).toEqual(
      ["area", "createdAt", "cycleIndex", "decidedAt", "deviation", "id", "outcome", "verdict"].sort(),
    );
  });
});
