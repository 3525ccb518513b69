/**
 * The escaping properties (see escaping.property.test.ts) for the weekly rituals: deviations,
 * debriefs, thrash alarms and the rollups.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateAlarms } from "../../../src/alarms/rules.js";
import type { MechanismSnapshot, TeamSnapshot } from "../../../src/alarms/types.js";
import type { Cycle } from "../../../src/deviations/deviation.js";
import {
  type AlarmState,
  type AlarmView,
  buildAlarmList,
  buildAlarmMessage,
} from "../../../src/slack/blocks/alarm.js";
import {
  buildDebriefAnswerModal,
  buildDebriefAnswerReply,
  buildDebriefDigest,
  buildDebriefNudge,
  buildDebriefPrompt,
} from "../../../src/slack/blocks/debrief.js";
import {
  buildDeviationCard,
  buildDeviationLog,
  buildDeviationModal,
  buildOutcomeModal,
  buildOutcomePrompt,
  buildOutcomePromptDone,
  buildQuotaReminder,
  buildVerdictAnnouncement,
} from "../../../src/slack/blocks/deviations.js";
import { channelLink, esc, md } from "../../../src/slack/blocks/mrkdwn.js";
import {
  buildRollupMessage,
  buildWorkspaceRollup,
  TEAM_ROLLUP_SECTIONS,
} from "../../../src/slack/blocks/rollup.js";
import {
  alarmKind,
  channelId,
  debriefAnswer,
  deviation,
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  label,
  messageProblems,
  mrkdwnOf,
  rollupData,
  SAMPLE,
  type TextArbs,
  team,
  timezone,
  userId,
  validUserId,
} from "../../support/hostile.js";

/** Runs per property: each of the three property files runs in 1–2 s of test time on two cores. */
const RUNS = 50;
const SAFE = "only Ratchet's own tokens (ids from id fields), every & escaped, within Slack's limits";

const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns = RUNS) =>
  fc.assert(fc.property(arb, predicate), { numRuns });

const WEEK = 7 * 86_400_000;
const cycle = (index: number): Cycle => ({
  index,
  start: new Date(Date.UTC(2026, 0, 5) + index * WEEK),
  end: new Date(Date.UTC(2026, 0, 5) + (index + 1) * WEEK),
});
const cycleArb = fc.integer({ min: 0, max: 400 }).map(cycle);

describe("deviations", () => {
  it(`buildDeviationModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record({ teamId: fc.constant("t1") }),
        teamName: t.text(80),
        tz: timezone,
        index: fc.integer({ min: 0, max: 400 }),
      }),
    );
    check(input, (o) =>
      expectSafeView(o, buildDeviationModal({ ...o, current: cycle(o.index), next: cycle(o.index + 1) })),
    );
  });

  const cardInput = hostileInput((t) => fc.record({ deviation: deviation(t), cycleLabel: label }));

  it(`buildDeviationCard: ${SAFE}`, () => {
    check(cardInput, (o) => expectSafeMessage(o, buildDeviationCard(o)));
  });

  it("buildDeviationCard: the deviation a person typed is still in the notification text, escaped", () => {
    check(
      cardInput.map((o) => ({ ...o, deviation: { ...o.deviation, deviation: SAMPLE } })),
      (o) => {
        expect(buildDeviationCard(o).text.text).toContain(esc(SAMPLE).text);
      },
    );
  });

  it(`buildDeviationLog: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        team: team(t),
        deviations: t.list(deviation(t), 21),
        more: fc.nat(100),
        current: cycleArb,
        loggedThisCycle: fc.nat(30),
        cycleLabel: label,
      }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildDeviationLog({
          ...o,
          total: o.deviations.length + o.more,
          cycleLabel: (i) => `${o.cycleLabel} ${i}`,
        }),
      ),
    );
  });

  it(`buildQuotaReminder: ${SAFE}`, () => {
    check(fc.record({ teamId: fc.constant("t1"), cycleLabel: label }), (o) =>
      expectSafeMessage(o, buildQuotaReminder(o)),
    );
  });

  it(`buildOutcomePrompt: ${SAFE}`, () => {
    check(cardInput, (o) => expectSafeMessage(o, buildOutcomePrompt(o)));
  });

  it(`buildOutcomePromptDone: ${SAFE}`, () => {
    check(cardInput, (o) => expectSafeMessage(o, buildOutcomePromptDone(o)));
  });

  it(`buildOutcomeModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record(
          {
            deviationId: fc.constant("dev1"),
            prompt: fc.record({ channel: fc.constant("D1"), ts: fc.constant("1.2") }),
          },
          { requiredKeys: ["deviationId"] },
        ),
        deviation: deviation(t),
      }),
    );
    check(input, (o) => expectSafeView(o, buildOutcomeModal(o)));
  });

  it(`buildVerdictAnnouncement: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        deviation: deviation(t),
        verdict: fc.constantFrom("promote" as const, "retire" as const),
        by: userId,
      }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildVerdictAnnouncement({ deviation: { ...o.deviation, verdict: o.verdict }, by: o.by }),
      ),
    );
  });
});

describe("debriefs", () => {
  it(`buildDebriefPrompt: ${SAFE}`, () => {
    check(fc.record({ roundId: fc.constant("r1"), digestTime: label, late: fc.boolean() }), (o) =>
      expectSafeMessage(o, buildDebriefPrompt(o)),
    );
  });

  it(`buildDebriefAnswerModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record({ roundId: fc.constant("r1") }),
        answer: fc.option(debriefAnswer(t)),
        digested: fc.boolean(),
      }),
    );
    check(input, (o) => expectSafeView(o, buildDebriefAnswerModal(o)));
  });

  const replyInput = hostileInput((t) => fc.record({ answer: debriefAnswer(t), afterDigest: fc.boolean() }));

  it(`buildDebriefAnswerReply: ${SAFE}`, () => {
    check(replyInput, (o) => expectSafeMessage(o, buildDebriefAnswerReply(o)));
  });

  it("buildDebriefAnswerReply: what a person shipped is still in the reply, escaped", () => {
    check(
      replyInput.map((o) => ({ ...o, answer: { ...o.answer, shipped: SAMPLE } })),
      (o) => {
        expect(mrkdwnOf(buildDebriefAnswerReply(o)).join("\n")).toContain(`>${esc(SAMPLE).text}`);
      },
    );
  });

  it(`buildDebriefNudge: ${SAFE}`, () => {
    check(
      fc.record({
        roundId: fc.constant("r1"),
        channelId,
        digestTime: label,
        teamName: label,
        optedOut: fc.boolean(),
      }),
      (o) => expectSafeMessage(o, buildDebriefNudge(o)),
    );
  });

  it(`buildDebriefDigest: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ dateLabel: label, answers: t.list(debriefAnswer(t), 60), memberCount: fc.nat(200) }),
    );
    check(input, (o) => expectSafeMessage(o, buildDebriefDigest(o)));
  });
});

// ---- alarms -------------------------------------------------------------------------------------

// Weekly cycles 10–13, `now` inside cycle 13 (as in test/unit/alarms/rules.test.ts).
const cycleStart = (c: number) => new Date(Date.UTC(2025, 10, 3) + (c - 11) * WEEK);

interface SnapshotMechanism {
  title: string;
  statement: string;
  ownerId: string | null;
  ownerDeactivated: boolean;
  stopOwnerId: string | null;
  stopOwnerDeactivated: boolean;
  checkpointRule: string;
  rollbackPath: string;
  proxyName: string;
  outcomeName: string;
}

/** A team in cycle 13 whose mechanisms (created in cycle 9, proxy up, outcome flat) trip the rules. */
const teamSnapshot = (mechanisms: readonly SnapshotMechanism[], timeZone = "UTC"): TeamSnapshot => ({
  now: new Date(cycleStart(13).getTime() + 2 * 86_400_000),
  currentCycle: 13,
  cycles: [10, 11, 12, 13].map((index) => ({ index, start: cycleStart(index), end: cycleStart(index + 1) })),
  deviations: [],
  teamCreatedAt: cycleStart(8),
  timeZone,
  mechanisms: mechanisms.map(
    ({ proxyName, outcomeName, ...m }, i): MechanismSnapshot => ({
      ...m,
      // Written, like every other field a person typed, so only the fields under test trip the rules.
      opsPath: m.rollbackPath,
      id: `m${i + 1}`,
      status: "active",
      createdAt: cycleStart(9),
      stoppedAt: null,
      signals: [
        {
          kind: "proxy",
          name: proxyName,
          baseline: 0,
          target: 100,
          readings: [0, 50, 100].map((value, w) => ({ value, at: cycleStart(11 + w) })),
        },
        {
          kind: "outcome",
          name: outcomeName,
          baseline: 27,
          target: 35,
          readings: [27, 27, 27].map((value, w) => ({ value, at: cycleStart(11 + w) })),
        },
      ],
      decisions: [],
      reviews: [],
    }),
  ),
});

/** A snapshot whose rules quote hostile titles, statements and signal names; owners from `owner`. */
const snapshot = (t: TextArbs, owner: fc.Arbitrary<string>): fc.Arbitrary<TeamSnapshot> =>
  fc
    .record({
      timeZone: timezone,
      mechanisms: t.list(
        fc.record({
          title: t.text(80),
          statement: fc.oneof(t.text(1000), fc.constant("")),
          ownerId: fc.option(owner),
          ownerDeactivated: fc.boolean(),
          stopOwnerId: fc.option(owner),
          stopOwnerDeactivated: fc.boolean(),
          checkpointRule: fc.oneof(t.text(300), fc.constantFrom("", "tbd")),
          rollbackPath: fc.oneof(t.text(500), fc.constantFrom("", "n/a")),
          proxyName: t.text(120),
          outcomeName: t.text(120),
        }),
        8,
      ),
    })
    .map((s) => teamSnapshot(s.mechanisms, s.timeZone));

const alarmState: fc.Arbitrary<AlarmState> = fc.oneof(
  fc.constant({ status: "open" as const }),
  fc.record({ status: fc.constant("acknowledged" as const), by: userId }),
  fc.record({ status: fc.constant("snoozed" as const), by: userId, backLabel: label }),
  fc.record({ status: fc.constant("resolved" as const), resolvedLabel: label }),
  fc.constant({ status: "merged" as const }),
);

/** The alarms the rules raise on a hostile snapshot, as the alarm service shows them. */
const alarmsInput = (owner: fc.Arbitrary<string>) =>
  hostileInput((t) => fc.record({ snapshot: snapshot(t, owner), state: alarmState, raisedLabel: label })).map(
    (o) => ({
      ...o,
      views: evaluateAlarms(o.snapshot).map(
        (f, i): AlarmView => ({ id: `alarm${i}`, ...f, raisedLabel: o.raisedLabel, cycles: i + 1 }),
      ),
    }),
  );

describe("alarms", () => {
  it(`buildAlarmMessage: ${SAFE}`, () => {
    check(alarmsInput(validUserId), (o) => {
      for (const view of o.views) expectSafeMessage(o, buildAlarmMessage(view, o.state));
    });
  });

  it("buildAlarmMessage: the subject a person named is still in the notification text, escaped", () => {
    check(fc.tuple(alarmKind, alarmState), ([kind, state]) => {
      const view: AlarmView = {
        id: "alarm1",
        kind,
        subjectKey: "m1",
        subjectLabel: SAMPLE,
        evidence: "Owner <@U0OWNER> is deactivated.",
        suggestion: "Name an owner.",
        raisedLabel: "Tue 1 Dec",
        cycles: 2,
      };
      expect(buildAlarmMessage(view, state).text.text).toContain(esc(SAMPLE).text);
    });
  });

  it(`buildAlarmList: ${SAFE}`, () => {
    const input = fc.tuple(
      alarmsInput(validUserId),
      fc.array(fc.constantFrom("open" as const, "acknowledged" as const, "snoozed" as const), {
        minLength: 1,
      }),
      hostileInput((t) => t.text(80)),
    );
    check(input, ([o, statuses, teamName]) => {
      const alarms = o.views.map((v, i) => ({ ...v, status: statuses[i % statuses.length] ?? "open" }));
      expectSafeMessage(o, buildAlarmList({ teamName, alarms }));
    });
  });
});

// ---- rollups ------------------------------------------------------------------------------------

const ALL_SECTIONS = TEAM_ROLLUP_SECTIONS;

const rollupInput = hostileInput((t) =>
  fc.record({
    data: rollupData(t),
    posted: fc.boolean(),
    preview: fc.option(fc.record({ channelId, weekday: fc.integer({ min: 1, max: 7 }) })),
  }),
);

/** The rollup as the rollup service builds it: a chart note, and in a preview a line naming the channel. */
const rollupMessage = (o: {
  data: Parameters<typeof buildRollupMessage>[0]["data"];
  posted: boolean;
  preview: { channelId: string; weekday: number } | null;
}) =>
  buildRollupMessage({
    data: o.data,
    sections: ALL_SECTIONS,
    chartNote: o.posted
      ? md`📊 The outcome chart (last ${12} weeks, progress from baseline to target) is in the thread.`
      : md`📊 No outcome readings in the last ${12} weeks, so no chart this week.`,
    ...(o.preview
      ? {
          preview: md`👀 *Preview* — only you can see this. The rollup posts in ${channelLink(o.preview.channelId)} every ${o.preview.weekday} at ${o.data.team.rollupTime} (${o.data.team.timezone}).`,
        }
      : {}),
  });

describe("rollups", () => {
  it(`buildRollupMessage with every section: ${SAFE}`, () => {
    check(rollupInput, (o) => expectSafeMessage(o, rollupMessage(o)), 40);
  });

  it("buildRollupMessage: the team name is still in the notification text, escaped", () => {
    check(
      rollupInput.map((o) => ({ ...o, data: { ...o.data, team: { ...o.data.team, name: SAMPLE } } })),
      (o) => {
        expect(rollupMessage(o).text.text).toContain(esc(SAMPLE).text);
      },
      20,
    );
  });

  const workspaceInput = (maxTeams: number) =>
    hostileInput((t) =>
      fc.record({
        week: label,
        teams: t.list(fc.record({ name: t.text(80), channelId, headline: t.text(300) }), maxTeams),
      }),
    );

  // Up to 40 teams: more can fill Slack's 50 blocks (WORKSPACE_ROLLUP_51_BLOCKS below).
  it(`buildWorkspaceRollup, up to 40 teams: ${SAFE}`, () => {
    check(workspaceInput(40), (o) => expectSafeMessage(o, buildWorkspaceRollup(o)), 30);
  });
});

/**
 * Bugs these properties found, each pinned by its minimal counterexample so it cannot come back.
 */
describe("bugs these properties found, fixed (regression tests)", () => {
  it("SHIPPED_AND_LEARNED: buildDebriefDigest with one answer writes a raw &", () => {
    const answer = {
      id: "a1",
      roundId: "r1",
      userId: "U0OWNER",
      shipped: "x",
      input: "",
      blockers: "",
      threadTs: null,
      updatedAt: new Date("2026-11-27T15:00:00Z"),
    };
    const o = { dateLabel: "Fri 27 Nov", answers: [answer], memberCount: 1 };
    expect(messageProblems(o, buildDebriefDigest(o))).toEqual([]);
  });

  // The alarm builder turns every "&lt;@U…&gt;" of the evidence back into a mention. The rules
  // quote people's text with "‹", but write `<@${ownerId}>` unchecked: a forged owner id becomes a
  // mention of someone else (and evidence from anywhere else would ping whoever it names).
  it('ALARM_EVIDENCE_MENTIONS: buildAlarmMessage, a forged owner id "U0ALICE> <!channel" is quoted, not a mention', () => {
    const forged = teamSnapshot([
      {
        title: "Nudge",
        statement: "We believe X because Y",
        ownerId: "U0ALICE> <!channel",
        ownerDeactivated: true,
        stopOwnerId: null,
        stopOwnerDeactivated: false,
        checkpointRule: "proxy >= 80",
        rollbackPath: "Flag off",
        proxyName: "p",
        outcomeName: "o",
      },
    ]);
    const owner = evaluateAlarms(forged).find((f) => f.kind === "owner_unclear");
    // The rules quote a value that isn't a Slack user id, so no mention can be made of it.
    expect(owner?.evidence).toContain("“U0ALICE> ‹!channel”");
    const view: AlarmView = {
      id: "alarm1",
      ...(owner ?? ({} as never)),
      raisedLabel: "Tue 1 Dec",
      cycles: 1,
    };
    expect(messageProblems(forged, buildAlarmMessage(view, { status: "open" }))).toEqual([]);
  });

  // Once 48 sections are full the packing loop stops, then still pushes the current section,
  // "…and N more teams" and the footer: 51 blocks, and Slack refuses the message.
  it("WORKSPACE_ROLLUP_51_BLOCKS: buildWorkspaceRollup, 250 teams with 80-& names", () => {
    const headline =
      "2 outcomes moved · 1 killed · 3 changed · 2 continued · 4 open alarms · 2 reviews missed";
    const teams = Array.from({ length: 250 }, (_, i) => ({
      name: "&".repeat(80),
      channelId: `C${i}`,
      headline,
    }));
    expect(messageProblems({ teams }, buildWorkspaceRollup({ week: "2026-W49", teams }))).toEqual([]);
  });
});
