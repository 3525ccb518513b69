/** The escaping properties (see escaping.property.test.ts) for the weekly business review. */
import fc from "fast-check";
import { describe, it } from "vitest";
import {
  buildAddMetricModal,
  buildLinkSignalModal,
  buildReadingsModal,
  buildWbrMessage,
  buildWbrOverview,
  buildWbrReminder,
  WBR_TEAM_CAP,
} from "../../../src/slack/blocks/wbr.js";
import { teamReport, type WbrMetric, type WbrReport } from "../../../src/wbr/wbr.js";
import {
  channelId,
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  type TextArbs,
  userId,
} from "../../support/hostile.js";

const RUNS = 40;
const SAFE = "only Ratchet's own tokens (ids from id fields), every & escaped, within Slack's limits";
const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void) =>
  fc.assert(fc.property(arb, predicate), { numRuns: RUNS });

const value = fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { nil: null });
const series = fc.array(value, { minLength: 6, maxLength: 6 });

const metric = (t: TextArbs): fc.Arbitrary<WbrMetric> =>
  fc.record({
    id: fc.stringMatching(/^m[a-z0-9]{1,20}$/),
    teamId: fc.constant("t1"),
    name: t.text(80),
    kind: fc.constantFrom("input" as const, "output" as const),
    ownerId: userId,
    unit: t.text(20),
    direction: fc.constantFrom("up" as const, "down" as const),
    target: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    signalId: fc.option(fc.constant("s1"), { nil: null }),
    createdBy: userId,
    createdAt: fc.constant(new Date("2026-11-01T00:00:00Z")),
  });

const team = (t: TextArbs) =>
  fc
    .record({
      name: t.text(80),
      channelId,
      metrics: t.list(fc.record({ metric: metric(t), series, linkedTo: t.opt(t.text(120)) }), 20),
    })
    // Metric ids are cuids, unique as in the database (the readings modal keys its inputs by them).
    .map((x) =>
      teamReport(
        { id: "t1", name: x.name, channelId: x.channelId },
        x.metrics.map((m, i) => ({ ...m, metric: { ...m.metric, id: `${i}-${m.metric.id}` } })),
      ),
    );

const report = (t: TextArbs): fc.Arbitrary<WbrReport> =>
  fc.record({
    week: fc.constant("2026-11-30"),
    at: fc.constant(new Date("2026-11-30T09:00:00Z")),
    timezone: fc.constant("Europe/London"),
    weekKeys: fc.constant([
      "2026-10-26",
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
      "2026-11-23",
      "2026-11-30",
    ]),
    teams: t.list(team(t), WBR_TEAM_CAP * 4),
  });

const witness = (input: unknown, r: WbrReport) => ({
  input,
  people: r.teams.flatMap((x) => x.metrics.map((m) => ({ userId: m.metric.ownerId }))),
  rooms: r.teams.map((x) => ({ channelId: x.channelId })),
});

describe("weekly business review", () => {
  it(`buildWbrMessage with many teams and metrics: ${SAFE}`, () => {
    check(hostileInput(report), (r) => expectSafeMessage(witness(r, r), buildWbrMessage(r)));
  });

  it(`buildWbrOverview: ${SAFE}`, () => {
    check(
      hostileInput((t) => fc.record({ teamName: t.text(80), team: team(t) })),
      (o) => {
        const msg = buildWbrOverview({
          teamId: "t1",
          teamName: o.teamName,
          rows: o.team.metrics,
          schedule: null,
          wbrAt: new Date("2026-11-30T09:00:00Z"),
          timezone: "Europe/London",
        });
        expectSafeMessage(
          { input: o, people: o.team.metrics.map((m) => ({ userId: m.metric.ownerId })) },
          msg,
        );
      },
    );
  });

  it(`the modals and the owner's reminder: ${SAFE}`, () => {
    check(
      hostileInput((t) =>
        fc.record({
          teamName: t.text(80),
          team: team(t),
          signals: t.list(
            fc.record({
              id: fc.constant("s1"),
              name: t.text(80),
              unit: t.text(20),
              target: fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
              mechanismTitle: t.text(120),
            }),
            100,
          ),
        }),
      ),
      (o) => {
        const meta = { teamId: "t1" };
        expectSafeView(o, buildAddMetricModal({ meta, teamName: o.teamName }));
        expectSafeView(o, buildLinkSignalModal({ meta, teamName: o.teamName, signals: o.signals }));
        const typed = o.team.metrics;
        expectSafeView(o, buildReadingsModal({ meta, teamName: o.teamName, weekLabel: "2026-11-30", typed }));
        for (const m of typed.slice(0, 2)) {
          const dm = buildWbrReminder({
            metric: m.metric,
            teamId: "t1",
            teamName: o.teamName,
            wbrAt: new Date("2026-11-30T09:00:00Z"),
            timezone: "Europe/London",
          });
          expectSafeMessage({ input: o }, dm);
        }
      },
    );
  });
});
