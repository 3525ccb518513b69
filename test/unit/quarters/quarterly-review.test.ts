import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quarterOf } from "../../../src/incidents/quarters.js";
import {
  draftOf,
  metTarget,
  movedTowardTarget,
  parsePriorityLines,
  QUARTER_MAX,
  type QuarterlyReview,
  type QuarterSnapshot,
  quarterFromKey,
  quarterKey,
} from "../../../src/quarters/quarterly-review.js";
import {
  buildQuarterlyReviewPost,
  buildQuarterOverview,
  buildQuarterReviewModal,
  LIST_CAP,
} from "../../../src/slack/blocks/quarterly-review.js";
import {
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  type TextArbs,
  userId,
} from "../../support/hostile.js";
import { makeIncident } from "../incidents/fixtures.js";

describe("priority lists (item — why)", () => {
  it("reads an em dash, an en dash, a spaced hyphen or a colon as the separator, and skips blank lines", () => {
    const { items, missingWhy } = parsePriorityLines(
      "Reports — nobody reads them\n\n- Friday deploys – two incidents\nOn-call rota - burnout\nLegacy API: 3 callers left",
    );
    expect(missingWhy).toEqual([]);
    expect(items).toEqual([
      { item: "Reports", why: "nobody reads them" },
      { item: "Friday deploys", why: "two incidents" },
      { item: "On-call rota", why: "burnout" },
      { item: "Legacy API", why: "3 callers left" },
    ]);
  });

  it("names each item that has no why, and keeps hyphenated words whole", () => {
    const { items, missingWhy } = parsePriorityLines(
      "Self-serve onboarding\nCanary deploys —\nSSO — asked by 3 customers",
    );
    expect(missingWhy).toEqual(["Self-serve onboarding", "Canary deploys"]);
    expect(items).toEqual([{ item: "SSO", why: "asked by 3 customers" }]);
  });
});

describe("outcome signals", () => {
  it("meets a target above the baseline by reaching it, and one below (fewer errors) by going under it", () => {
    expect(metTarget({ baseline: 27, target: 35, latest: 35 })).toBe(true);
    expect(metTarget({ baseline: 27, target: 35, latest: 34 })).toBe(false);
    expect(metTarget({ baseline: 5, target: 1, latest: 0.8 })).toBe(true);
    expect(metTarget({ baseline: 5, target: 1, latest: 2 })).toBe(false);
  });

  it("counts a move toward the target, never away from it", () => {
    expect(movedTowardTarget({ baseline: 27, target: 35, latest: 30 })).toBe(true);
    expect(movedTowardTarget({ baseline: 27, target: 35, latest: 25 })).toBe(false);
    expect(movedTowardTarget({ baseline: 5, target: 1, latest: 3 })).toBe(true);
    expect(movedTowardTarget({ baseline: 5, target: 5, latest: 6 })).toBe(false);
  });
});

describe("quarter keys", () => {
  it("round-trips every quarter in far-off zones", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2090-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom("Pacific/Chatham", "Pacific/Kiritimati", "America/Los_Angeles", "UTC"),
        (instant, tz) => {
          const q = quarterOf(instant, tz);
          expect(quarterKey(q)).toMatch(/^\d{4}-Q[1-4]$/);
          expect(quarterFromKey(quarterKey(q), tz)).toEqual(q);
        },
      ),
    );
  });
});

describe("the first draft", () => {
  const tz = "Europe/London";
  const q4 = quarterFromKey("2026-Q4", tz);
  const snapshot: QuarterSnapshot = {
    graduated: [{ title: "First-run nudge" }],
    killed: [{ title: "Email drip" }],
    outcomes: [
      { mechanism: "Checklist", signal: "activation", baseline: 27, target: 35, latest: 31, unit: "%" },
      { mechanism: "Banner", signal: "clicks", baseline: 10, target: 20, latest: 8, unit: "" },
    ],
    deviations: [{ area: "API", deviation: "Fastify", verdict: "retire", outcome: "no gain" }],
  };

  it("lists outcomes that moved, never those that went the wrong way, and the quarter's deviations", () => {
    const d = draftOf(snapshot, [], q4);
    expect(d.achieved).toContain("Outcome moved: Checklist — activation 27 → 31% (target 35%)");
    expect(d.achieved).not.toContain("Banner");
    expect(d.achieved).not.toContain("promoted");
    expect(d.learned).toContain("Deviation retired — Fastify: no gain");
  });

  it("takes COE action items done and lessons from this quarter only", () => {
    const base = makeIncident({ id: "i1" });
    const inQ4 = new Date("2026-11-10T10:00:00Z");
    const inQ3 = new Date("2026-09-10T10:00:00Z");
    const done = (text: string, closedAt: Date) => ({
      id: text,
      text,
      notedReason: null,
      actionItem: {
        id: `a-${text}`,
        ownerId: "U1",
        dueDate: "2026-11-01",
        kind: "prevent" as const,
        ticketUrl: null,
        status: "done" as const,
        closedAt,
      },
    });
    const incidents = [
      {
        ...base,
        title: "Now",
        learned: "Fresh lesson",
        completedAt: inQ4,
        findings: [done("Alarm added", inQ4)],
      },
      { ...base, title: "Then", learned: "Old lesson", completedAt: inQ3, findings: [done("Old fix", inQ3)] },
    ];
    const d = draftOf({ graduated: [], killed: [], outcomes: [], deviations: [] }, incidents, q4);
    expect(d.achieved).toContain("COE action item done: Alarm added (Now)");
    expect(d.achieved).not.toContain("Old fix");
    expect(d.learned).toContain("COE lesson — Now: Fresh lesson");
    expect(d.learned).not.toContain("Old lesson");
  });

  it("stays within the input's limit, saying how much was left out", () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ title: `Mechanism number ${i}` }));
    const d = draftOf({ graduated: many, killed: [], outcomes: [], deviations: [] }, [], q4);
    expect(d.achieved.length).toBeLessThanOrEqual(QUARTER_MAX.text);
    expect(d.achieved).toMatch(/…and \d+ more$/);
  });
});

const items = (t: TextArbs, max: number) => t.list(fc.record({ item: t.text(150), why: t.text(140) }), max);

const review = (t: TextArbs): fc.Arbitrary<QuarterlyReview> =>
  fc.record({
    id: fc.constant("r1"),
    teamId: fc.constant("t1"),
    quarter: fc.constant("2026-Q4"),
    achieved: t.text(QUARTER_MAX.text),
    learned: t.text(QUARTER_MAX.text),
    wentWell: t.text(QUARTER_MAX.text),
    continueItems: items(t, QUARTER_MAX.items),
    newItems: items(t, QUARTER_MAX.items),
    stopItems: items(t, QUARTER_MAX.items),
    stoppedCheck: t.list(fc.record({ item: t.text(150), stayed: fc.boolean() }), QUARTER_MAX.stopCheck),
    behaviourChanged: t.text(QUARTER_MAX.text),
    revision: fc.integer({ min: 1, max: 5 }),
    submittedBy: userId,
    submittedAt: fc.constant(new Date("2026-12-10T12:00:00Z")),
  });

describe("the quarterly review's Slack drawings", () => {
  it("posts any review as one safe message within Slack's limits", () => {
    fc.assert(
      fc.property(
        hostileInput((t) => fc.record({ review: review(t), teamName: t.text(80) })),
        (input) => expectSafeMessage(input, buildQuarterlyReviewPost(input)),
      ),
      { numRuns: 60 },
    );
  });

  it("caps a long list with “and N more”", () => {
    const stopItems = Array.from({ length: LIST_CAP + 3 }, (_, i) => ({ item: `Stop ${i}`, why: "because" }));
    const msg = buildQuarterlyReviewPost({
      review: {
        id: "r",
        teamId: "t",
        quarter: "2026-Q4",
        achieved: "",
        learned: "",
        wentWell: "",
        continueItems: [],
        newItems: [],
        stopItems,
        stoppedCheck: [],
        behaviourChanged: "",
        revision: 1,
        submittedBy: "U0TESTER",
        submittedAt: new Date("2026-12-10T12:00:00Z"),
      },
      teamName: "Checkout",
    });
    const json = JSON.stringify(msg.blocks);
    expect(json).toContain(`Stop ${LIST_CAP - 1}`);
    expect(json).not.toContain(`Stop ${LIST_CAP}*`);
    expect(json).toContain("…and 3 more");
  });

  it("keeps a review of many long lines in one message under Slack's 50 blocks", () => {
    const long = Array.from({ length: 200 }, (_, i) => `${i} ${"&<".repeat(140)}`).join("\n");
    const item = { item: "&".repeat(150), why: "<".repeat(140) };
    const input = {
      review: {
        id: "r",
        teamId: "t",
        quarter: "2026-Q4",
        achieved: long,
        learned: long,
        wentWell: long,
        continueItems: Array(20).fill(item),
        newItems: Array(20).fill(item),
        stopItems: Array(20).fill(item),
        stoppedCheck: Array(10).fill({ item: "&".repeat(150), stayed: false }),
        behaviourChanged: long,
        revision: 2,
        submittedBy: "U0TESTER",
        submittedAt: new Date("2026-12-10T12:00:00Z"),
      },
      teamName: "Checkout",
    };
    const msg = buildQuarterlyReviewPost(input);
    expectSafeMessage(input, msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(msg.blocks)).toContain("more line(s)");
  });

  it("opens any review modal within Slack's limits", () => {
    fc.assert(
      fc.property(
        hostileInput((t) =>
          fc.record({
            existing: t.opt(review(t)),
            draft: fc.record({ achieved: t.text(QUARTER_MAX.text), learned: t.text(QUARTER_MAX.text) }),
            lastStopList: t.list(t.text(300), 25),
            teamName: t.text(80),
          }),
        ),
        (input) =>
          expectSafeView(input, buildQuarterReviewModal({ ...input, teamId: "t1", quarter: "2026-Q4" })),
      ),
      { numRuns: 60 },
    );
  });

  it("draws the quarter view safely, whatever the COE patterns hold", () => {
    fc.assert(
      fc.property(
        hostileInput((t) =>
          fc.record({
            review: t.opt(review(t)),
            teamName: t.text(80),
            patterns: fc.record({
              incidentCount: fc.nat(50),
              repeatCount: fc.nat(50),
              topCategories: t.list(fc.record({ category: t.text(20), count: fc.nat(9) }), 3),
              topTags: t.list(fc.record({ tag: t.text(60), count: fc.nat(9) }), 5),
              openActionItems: t.list(
                fc.record({
                  text: t.text(500),
                  incident: t.text(200),
                  ownerId: fc.option(userId),
                  dueDate: fc.option(fc.constant("2027-01-15")),
                }),
                60,
              ),
            }),
          }),
        ),
        (input) =>
          expectSafeMessage(
            input,
            buildQuarterOverview({
              ...input,
              teamId: "t1",
              quarter: "2026-Q4",
              schedule: null,
              timezone: "UTC",
            }),
          ),
      ),
      { numRuns: 60 },
    );
  });
});
