import { describe, expect, it } from "vitest";
import type { ActionItemInContext } from "../../../src/action-items/action-item.js";
import type { LoopMetrics, QuarterMetrics } from "../../../src/incidents/metrics.js";
import type { RollupActionItem, RollupData } from "../../../src/rollups/rollup.js";
import { buildActionItemDm, buildIncidentStats } from "../../../src/slack/blocks/action-items.js";
import {
  actionItemsSection,
  loopMetricsHeadline,
  overdueCoesSection,
} from "../../../src/slack/blocks/rollup-action-items.js";
import { MAX_ITEMS } from "../../../src/slack/blocks/rollup-sections.js";
import { ACTION_ITEM_ACTION, ACTION_ITEM_BLOCK } from "../../../src/slack/ids.js";
import { actionIds, blockById, findBlock, textOf, visibleText } from "../../support/blocks.js";

const item = (o: Partial<ActionItemInContext> = {}): ActionItemInContext => ({
  id: "a1",
  ownerId: "U0KOL",
  dueDate: "2026-12-04",
  kind: "prevent",
  ticketUrl: null,
  status: "open",
  reason: "",
  closedAt: null,
  dueSetAt: new Date("2026-11-23T09:00:00Z"),
  findingText: "Load-test <before> every sale",
  incident: { id: "i1", title: "Checkout timeouts", channelId: "C0TEAM", messageTs: "1.2" },
  team: { id: "t1", timezone: "Europe/London", channelId: "C0TEAM", incidentsChannelId: null },
  ...o,
});

describe("buildActionItemDm", () => {
  it.each([
    ["open", true, "Is it done?"],
    ["done", false, "*Done.*"],
    ["not_doing", false, "*Not doing:* superseded"],
  ] as const)("a %s item: buttons %s, says %s", (status, buttons, says) => {
    const msg = buildActionItemDm({ item: item({ status, reason: "superseded" }), kind: "pre", link: null });
    expect(msg.blocks.flatMap(actionIds).includes(ACTION_ITEM_ACTION.done)).toBe(buttons);
    expect(textOf(blockById(msg.blocks, ACTION_ITEM_BLOCK.dmStatus))).toContain(says);
    // User text is escaped, so it cannot form a link or mention.
    expect(textOf(blockById(msg.blocks, ACTION_ITEM_BLOCK.dmBody))).toContain(
      "Load-test &lt;before&gt; every sale",
    );
  });

  it("links the incident when Slack gave a permalink, else names its channel", () => {
    const linked = buildActionItemDm({ item: item(), kind: "overdue", link: "https://x/p1" }).blocks;
    expect(textOf(blockById(linked, ACTION_ITEM_BLOCK.dmBody))).toContain("<https://x/p1|Checkout timeouts>");
    // The headline, the first section, says it is overdue.
    expect(textOf(findBlock(linked, { type: "section" }))).toContain("overdue");
    const unlinked = buildActionItemDm({ item: item(), kind: "pre", link: null }).blocks;
    expect(textOf(blockById(unlinked, ACTION_ITEM_BLOCK.dmBody))).toContain(
      "*Checkout timeouts* (in <#C0TEAM>)",
    );
  });
});

const metrics = (o: Partial<LoopMetrics> = {}): LoopMetrics => ({
  windowDays: 90,
  incidentCount: 2,
  repeatCount: 0,
  repeatRate: 0,
  knownRootCause: { count: 0, rate: 0 },
  timeToInsight: { medianHours: null, count: 0 },
  timeToRemediation: { medianHours: null, count: 0, notRemediated: 0 },
  findings: { total: 0, withAction: 0, noted: 0 },
  byCategory: { technical: 0, process: 0, organisational: 0 },
  byTag: [],
  ...o,
});

const quarter = (label: string, o: Partial<LoopMetrics> = {}): QuarterMetrics => ({
  label,
  start: new Date(0),
  end: new Date(1),
  metrics: metrics(o),
});
const quiet = { incidentCount: 0, repeatRate: null, knownRootCause: { count: 0, rate: null } };
const quarters = { current: quarter("2026 Q4", quiet), previous: quarter("2026 Q3", quiet) };

describe("buildIncidentStats", () => {
  // [what the row specifies, metrics, shown in the stats section, shown nowhere]
  it.for<[string, LoopMetrics, string[], string[]]>([
    [
      "without incidents says there is nothing to measure, with no NaN or 0%",
      metrics({ incidentCount: 0, repeatRate: null }),
      ["nothing to measure yet"],
      ["NaN", "0%"],
    ],
    [
      "without medians yet shows 0% repeats, not enough data and no tags",
      metrics(),
      ["*0%* (0 of 2", "not enough data yet", "_no tags_"],
      ["NaN", "median *0"],
    ],
    [
      "gives medians in hours under two days and in days above",
      metrics({
        timeToInsight: { medianHours: 36, count: 4 },
        timeToRemediation: { medianHours: 120, count: 3, notRemediated: 0 },
      }),
      ["median *36 h*", "median *5 days*"],
      ["not enough data"],
    ],
    [
      "gives the share with a known root cause, and says what it counts",
      metrics({ knownRootCause: { count: 1, rate: 0.5 } }),
      ["*Known root cause:* *50%* (1 of 2 COEs have a why-chain ending in a why marked as a root cause)"],
      ["NaN"],
    ],
    [
      "says how many COEs closed every action item as not doing, apart from the remediated ones",
      metrics({ timeToRemediation: { medianHours: 24, count: 1, notRemediated: 2 } }),
      ["median *24 h*", "2 COEs closed every action item as not doing, so nothing was remediated"],
      [],
    ],
    [
      "counts findings noted with no action beside those with action items",
      metrics({ findings: { total: 5, withAction: 3, noted: 1 } }),
      ["*Findings:* 5 (3 with action items, 1 noted with no action, 1 not settled yet)"],
      [],
    ],
  ])("%s", ([, m, present, absent]) => {
    const msg = buildIncidentStats({ teamName: "Checkout", metrics: m, quarters });
    const stats = textOf(blockById(msg.blocks, ACTION_ITEM_BLOCK.stats));
    for (const p of present) expect(stats).toContain(p);
    const shown = `${msg.text}\n${visibleText(msg.blocks)}`;
    for (const a of absent) expect(shown).not.toContain(a);
  });

  it("sets this quarter against last, per metric, judging which way is better", () => {
    const msg = buildIncidentStats({
      teamName: "Checkout",
      metrics: metrics(),
      quarters: {
        current: quarter("2026 Q4", {
          incidentCount: 2,
          repeatRate: 0.5,
          knownRootCause: { count: 2, rate: 1 },
          timeToInsight: { medianHours: 12, count: 1 },
          timeToRemediation: { medianHours: null, count: 0, notRemediated: 0 },
          findings: { total: 4, withAction: 3, noted: 1 },
        }),
        previous: quarter("2026 Q3", {
          incidentCount: 4,
          repeatRate: 0.25,
          knownRootCause: { count: 1, rate: 0.25 },
          timeToInsight: { medianHours: 12, count: 2 },
          timeToRemediation: { medianHours: 72, count: 1, notRemediated: 0 },
        }),
      },
    });
    expect(textOf(blockById(msg.blocks, ACTION_ITEM_BLOCK.statsTrend)).split("\n")).toEqual([
      "*Quarter over quarter:* 2026 Q4 so far vs 2026 Q3",
      "• Incidents: *2* vs 4",
      "• Repeat-incident rate: *50%* vs 25% (worse)",
      "• Known root cause: *100%* vs 25% (better)",
      "• Time to insight: *12 h* vs 12 h (no change)",
      "• Time to remediation: *—* vs 3 days",
      "• Findings noted with no action: *1* of 4 vs 0 of 0",
    ]);
  });

  it("shows the quarter trend even when the 90-day window is empty", () => {
    const msg = buildIncidentStats({
      teamName: "Checkout",
      metrics: metrics({ incidentCount: 0 }),
      quarters,
    });
    expect(textOf(blockById(msg.blocks, ACTION_ITEM_BLOCK.statsTrend))).toContain(
      "2026 Q4 so far vs 2026 Q3",
    );
  });
});

describe("actionItemsSection", () => {
  const data = (items: RollupActionItem[]) => ({ openActionItems: items }) as unknown as RollupData;
  const ai = (n: number, overdue: boolean): RollupActionItem => ({
    text: `Item ${n}`,
    incidentTitle: "Checkout timeouts",
    ownerId: "U0KOL",
    dueDate: `2026-12-${String(10 + n).padStart(2, "0")}`,
    overdue,
  });

  it("says nothing when there are no open items", () => {
    expect(actionItemsSection.build(data([]))).toEqual([]);
    expect(actionItemsSection.headline(data([]))).toBeNull();
  });

  it("lists overdue items first, clipped with “…and N more”", () => {
    const items = [
      ai(1, false),
      ai(2, true),
      ...Array.from({ length: MAX_ITEMS }, (_, n) => ai(n + 3, false)),
    ];
    const text = textOf(blockById(actionItemsSection.build(data(items)), actionItemsSection.id));
    expect(text.indexOf("Item 2")).toBeLessThan(text.indexOf("Item 1"));
    expect(text).toContain("🔥 *overdue* · Item 2 — <@U0KOL> · due 2026-12-12 · _Checkout timeouts_");
    expect(text).toContain("…and 2 more");
    expect(actionItemsSection.headline(data(items))).toBe("10 open COE action items (1 overdue)");
  });
});

describe("loopMetricsHeadline", () => {
  // [what the row specifies, metrics, headline]
  it.for<[string, LoopMetrics, string | null]>([
    ["is null without incidents", metrics({ incidentCount: 0, repeatRate: null }), null],
    [
      "says n/a for medians it cannot compute yet",
      metrics({ repeatCount: 1, repeatRate: 0.5 }),
      "Learning loop, 90 days: 50% repeats (1/2) · insight n/a · remediation n/a",
    ],
    [
      "gives medians in hours under two days and in days above",
      metrics({
        timeToInsight: { medianHours: 36, count: 4 },
        timeToRemediation: { medianHours: 120, count: 3, notRemediated: 0 },
      }),
      "Learning loop, 90 days: 0% repeats (0/2) · insight 36 h · remediation 5 days",
    ],
  ])("%s", ([, m, expected]) => {
    expect(loopMetricsHeadline(m)).toBe(expected);
  });
});

describe("overdueCoesSection", () => {
  const data = (overdueCoes: RollupData["overdueCoes"]) => ({ overdueCoes }) as unknown as RollupData;

  it("says nothing when no COE is overdue", () => {
    expect(overdueCoesSection.build(data([]))).toEqual([]);
    expect(overdueCoesSection.headline(data([]))).toBeNull();
  });

  it("lists each overdue COE with its severity, owner and which deadline passed", () => {
    const d = data([
      {
        title: "Checkout errors",
        severity: "sev1",
        ownerId: "U0KOL",
        overdue: ["not_started", "not_complete"],
        detectedAt: new Date(0),
      },
      {
        title: "Login slow",
        severity: "sev2",
        ownerId: "U0BOB",
        overdue: ["not_complete"],
        detectedAt: new Date(0),
      },
    ]);
    const text = textOf(blockById(overdueCoesSection.build(d), overdueCoesSection.id));
    expect(text).toContain("*⏰ Overdue COEs*");
    expect(text).toContain(
      "Checkout errors (SEV1) — <@U0KOL> · not started in 24 h, past its deep-dive window",
    );
    expect(text).toContain("Login slow (SEV2) — <@U0BOB> · past its deep-dive window");
    expect(overdueCoesSection.headline(d)).toBe("2 overdue COEs");
  });
});
