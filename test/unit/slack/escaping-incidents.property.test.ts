/**
 * The escaping properties (see escaping.property.test.ts) for the COE builders: the incident modals
 * and message, similar incidents, and the action-item DMs, modals and stats.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkIntegrationGate } from "../../../src/incidents/integration-gate.js";
import {
  buildActionItemDm,
  buildExtendModal,
  buildIncidentStats,
  buildNotDoingModal,
  buildOrphanedNudge,
} from "../../../src/slack/blocks/action-items.js";
import {
  buildCompleteModal,
  buildFactorModal,
  buildFindingModal,
  buildIncidentMessage,
  buildIntakeModal,
  buildLearnedModal,
  buildSimilarIncidents,
  buildTagsModal,
  buildTimelineModal,
  buildWhyModal,
} from "../../../src/slack/blocks/incident.js";
import { esc } from "../../../src/slack/blocks/mrkdwn.js";
import {
  actionItemInContext,
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  incident,
  label,
  loopMetrics,
  messageProblems,
  quarterTrend,
  SAMPLE,
  timezone,
  viewProblems,
} from "../../support/hostile.js";
import { finding, makeIncident } from "../incidents/fixtures.js";

/** Runs per property: each of the three property files runs in 1–2 s of test time on two cores. */
const RUNS = 40;
const SAFE = "only Ratchet's own tokens (ids from id fields), every & escaped, within Slack's limits";

const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns = RUNS) =>
  fc.assert(fc.property(arb, predicate), { numRuns });

const withIncident = hostileInput((t) => fc.record({ incident: incident(t) }));

describe("incident modals", () => {
  it(`buildIntakeModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record({
          teamId: fc.constant("t1"),
          incidentId: fc.option(fc.constant("i1")),
          sourceLink: t.opt(t.url()),
        }),
        workspaceTags: t.list(t.text(40), 120),
        incident: fc.option(incident(t)),
        prefillDescription: fc.option(t.text(40_000), { nil: undefined }),
      }),
    );
    check(input, (o) => expectSafeView(o, buildIntakeModal(o)));
  });

  // The why and finding pickers label options with people's text, clipped by clip().
  it.each([
    ["buildTimelineModal", buildTimelineModal],
    ["buildWhyModal", buildWhyModal],
    ["buildFactorModal", buildFactorModal],
    ["buildLearnedModal", buildLearnedModal],
    ["buildFindingModal", buildFindingModal],
  ] as const)(`%s: ${SAFE}`, (_name, build) => {
    check(withIncident, (o) => expectSafeView(o, build(o)));
  });

  it(`buildTagsModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ incident: incident(t), workspaceTags: t.list(t.text(40), 120) }),
    );
    check(input, (o) => expectSafeView(o, buildTagsModal(o)));
  });

  it(`buildCompleteModal: ${SAFE}`, () => {
    // The gate's own verdict on the incident, or a list of hostile lines.
    const input = hostileInput((t) =>
      fc.record({
        incident: incident(t),
        missing: fc.option(t.list(t.text(), 40)),
      }),
    );
    check(input, (o) => {
      const gate =
        o.missing === null ? checkIntegrationGate(o.incident) : { ok: false as const, missing: o.missing };
      expectSafeView(o, buildCompleteModal({ incident: o.incident, gate }));
    });
  });
});

describe("incident messages", () => {
  it(`buildIncidentMessage: ${SAFE}`, () => {
    // The header is plain text, clipped by clip().
    check(withIncident, (o) => expectSafeMessage(o, buildIncidentMessage(o)));
  });

  it("buildIncidentMessage: the title a person typed is still in the notification text, escaped", () => {
    check(
      withIncident.map((o) => ({ incident: { ...o.incident, title: SAMPLE } })),
      (o) => {
        expect(buildIncidentMessage(o).text.text).toContain(esc(SAMPLE).text);
      },
    );
  });

  it(`buildSimilarIncidents: ${SAFE}`, () => {
    const count = fc.nat(50);
    const input = hostileInput((t) =>
      fc.record({
        similar: t.list(
          fc.record({
            incident: incident(t),
            score: fc.double({ min: 0, max: 1, noNaN: true }),
            reasons: t.list(t.text(300), 4),
            actionStatus: fc.record({
              total: count,
              done: count,
              open: count,
              notDoing: count,
              overdue: count,
            }),
          }),
          8,
        ),
        when: fc.constantFrom("intake" as const, "recheck" as const),
        tz: timezone,
      }),
    );
    check(input, (o) => expectSafeMessage(o, buildSimilarIncidents(o)), 20);
  });
});

describe("action items", () => {
  const dmInput = hostileInput((t) =>
    fc.record({
      item: actionItemInContext(t),
      kind: fc.constantFrom("pre" as const, "overdue" as const),
      link: t.opt(t.url()),
      note: fc.option(label, { nil: undefined }),
    }),
  );

  it(`buildActionItemDm: ${SAFE}`, () => {
    check(dmInput, (o) => expectSafeMessage(o, buildActionItemDm(o)));
  });

  it("buildActionItemDm: the finding a person typed is still in the notification text, escaped", () => {
    check(
      dmInput.map((o) => ({ ...o, item: { ...o.item, findingText: SAMPLE } })),
      (o) => {
        expect(buildActionItemDm(o).text.text).toContain(esc(SAMPLE).text);
      },
    );
  });

  it(`buildOrphanedNudge: ${SAFE}`, () => {
    check(dmInput, (o) => expectSafeMessage(o, buildOrphanedNudge(o)));
  });

  const modalInput = hostileInput((t) =>
    fc.record({
      item: actionItemInContext(t),
      meta: fc.record({
        actionItemId: fc.constant("a1"),
        dm: fc.option(fc.record({ channel: fc.constant("D1"), ts: fc.constant("1.2") })),
      }),
    }),
  );

  it(`buildExtendModal: ${SAFE}`, () => {
    check(modalInput, (o) => expectSafeView(o, buildExtendModal(o)));
  });

  it(`buildNotDoingModal: ${SAFE}`, () => {
    check(modalInput, (o) => expectSafeView(o, buildNotDoingModal(o)));
  });

  it(`buildIncidentStats: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ teamName: t.text(80), metrics: loopMetrics(t), quarters: quarterTrend(t) }),
    );
    check(input, (o) => expectSafeMessage(o, buildIncidentStats(o)));
  });
});

/**
 * Bugs these properties found, each pinned by its minimal counterexample so it cannot come back.
 */
describe("bugs these properties found, fixed (regression tests)", () => {
  const stored = (over: Parameters<typeof makeIncident>[0]) => ({
    ...makeIncident(over),
    teamId: "t1",
    reporterId: "U0OWNER",
    channelId: "C0TEAM",
    messageTs: "1.2",
  });

  it("CLIP_COUNTS_CODE_POINTS: buildIncidentMessage, a complete COE titled with 68 emoji has a 152-unit header", () => {
    const o = { incident: stored({ id: "i1", title: "😀".repeat(68), status: "complete" }) };
    expect(messageProblems(o, buildIncidentMessage(o))).toEqual([]);
  });

  it("CLIP_COUNTS_CODE_POINTS: buildWhyModal, a why of 38 emoji is a 76-unit option", () => {
    const at = new Date("2024-06-01T00:00:00Z");
    const o = {
      incident: stored({
        id: "i1",
        whys: [{ id: "w1", parentId: null, text: "😀".repeat(38), rootCause: false, createdAt: at }],
      }),
    };
    expect(viewProblems(o, buildWhyModal(o))).toEqual([]);
  });

  it("QUOTE_SPLITS_EMOJI: buildCompleteModal, the gate quotes half of the emoji at its 59th unit", () => {
    const o = { incident: stored({ id: "i1", findings: [finding("n1", `${"x".repeat(58)}😀😀`, null)] }) };
    expect(viewProblems(o, buildCompleteModal({ ...o, gate: checkIntegrationGate(o.incident) }))).toEqual([]);
  });
});
