/**
 * Hostile input and the checks the escaping properties (test/unit/slack/escaping*.property.test.ts)
 * hold every Block Kit builder to.
 *
 * Text arbitraries come in two modes, combined with `hostileInput(build)`:
 * - mixed: each field a mix of Slack markup (`<!channel>`, `<https://ev.il|click>`, `&lt;`…),
 *   formatting characters, RTL marks, emoji, arbitrary Unicode and runs of up to 3,000 characters,
 *   cut to the field's validated maximum length (the modal's max_length, the parser's limit);
 * - maxed: every field at its maximum length, filled with characters that grow when escaped
 *   (`&` → `&amp;`, `<` → `&lt;`) or take two UTF-16 units (emoji), and lists at their largest.
 * Ids (user, channel) are fuzzed too: a forged id must be shown as text, never as a mention.
 *
 * The checks (`messageProblems`, `viewProblems`) return what is wrong, so a failing property
 * prints every problem with the counterexample.
 */
import type { ModalView } from "@slack/types";
import fc from "fast-check";
import type { ActionItemInContext } from "../../src/action-items/action-item.js";
import type { AlarmKind } from "../../src/alarms/types.js";
import { ALARM_KINDS } from "../../src/alarms/types.js";
import type { DebriefAnswer } from "../../src/debriefs/debrief.js";
import type { Deviation, Verdict } from "../../src/deviations/deviation.js";
import type { StoredIncident } from "../../src/incidents/incident.js";
import type { LoopMetrics } from "../../src/incidents/metrics.js";
import type { ActionItem, Finding, Why } from "../../src/incidents/types.js";
import type { Decision, Mechanism, Reading, Signal, SignalKind } from "../../src/mechanisms/mechanism.js";
import type { RollupData } from "../../src/rollups/rollup.js";
import { validateBlocks, validateView } from "../../src/sandbox/block-kit-limits.js";
import { blockTextLength } from "../../src/slack/blocks/kit.js";
import type { SlackMessage } from "../../src/slack/notifier.js";
import type { Team } from "../../src/teams/team.js";
import { makeIncident } from "../unit/incidents/fixtures.js";
import { teamFixture } from "./team-fixture.js";

// ---- hostile strings ----------------------------------------------------------------------------

/** Markup, entities and characters that mean something to Slack, to a renderer, or to a clipper. */
const HOSTILE_ATOMS: readonly string[] = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S123|@team>",
  "<@U0ALICE>",
  "<@U0ALICE|alice>",
  "<#C0TEAM>",
  "<#C0TEAM|general>",
  "<https://ev.il|click>",
  "<https://ev.il|Your invoice>",
  "<mailto:a@b.c|x>",
  "<!date^1700000000^{date}^https://ev.il|today>",
  "&",
  "&amp;",
  "&lt;!channel&gt;",
  "&lt;",
  "&gt",
  "&#60;",
  "&#x3C;",
  "*",
  "_",
  "~",
  "`",
  "```",
  "```\n<!here>\n```",
  "\n> quoted",
  "> at line start",
  ">",
  "<",
  "|",
  "\n",
  "\r\n",
  "\t",
  "\u202E",
  "\u200F",
  "\u200D",
  "\u200B",
  "\uFEFF",
  "😀",
  "👩‍👩‍👧",
  "🇫🇷",
  "🏳️‍🌈",
  "e\u0301",
  "@channel",
  "@here",
  "https://ev.il",
  "continue if ",
  "because ",
  "   ",
  "&".repeat(3000),
  "<".repeat(3000),
];

/** Units repeated into long runs; whole units only, so a run never holds half a surrogate pair. */
const RUN_UNITS = ["&", "<", ">", "&amp;", "&lt;", "😀", "🇫🇷", "<!channel>", "x", "*"];

const run = fc
  .record({ unit: fc.constantFrom(...RUN_UNITS), length: fc.integer({ min: 1, max: 3000 }) })
  .map(({ unit, length }) => unit.repeat(Math.max(1, Math.floor(length / unit.length))));

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_ATOMS), weight: 6 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 12 }), weight: 1 },
  { arbitrary: run, weight: 1 },
);

/** Any hostile string: markup, Unicode and long runs, unbounded in length. */
export const hostile: fc.Arbitrary<string> = fc.array(piece, { maxLength: 6 }).map((p) => p.join(""));

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The longest prefix of `s` within `max` UTF-16 units that does not end in half a surrogate pair. */
function fitTo(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = isHigh(s.charCodeAt(max - 1)) ? max - 1 : max;
  return s.slice(0, cut);
}

/** `unit` repeated to exactly `max` UTF-16 units (or one less, rather than split an emoji). */
const fill = (unit: string, max: number) => fitTo(unit.repeat(Math.ceil(max / unit.length)), max);

/** Characters that grow most when escaped, or that take two UTF-16 units. */
const EXPANDING = ["&", "<", ">", "&<>", "😀", "<!channel>", "&amp;", "a&"];

/** Longest text for fields nobody validates (rule output, reasons): still bounded, Slack can't post more. */
const UNBOUNDED = 6000;

export interface TextArbs {
  /** a field's text, at most `max` UTF-16 units long (the limit its input validation enforces) */
  text(max?: number): fc.Arbitrary<string>;
  /** a list of `max` elements at most */
  list<T>(item: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]>;
  /** an optional part that carries text (always there when maxed) */
  opt<T>(item: fc.Arbitrary<T>): fc.Arbitrary<T | null>;
  /** a URL that is meant to become a link */
  url(): fc.Arbitrary<string>;
}

/** Hostile strings cut to the field's limit; a sample of plain text now and then. */
const MIXED: TextArbs = {
  text: (max = UNBOUNDED) =>
    fc.oneof(
      { arbitrary: hostile.map((s) => fitTo(s, max)), weight: 8 },
      { arbitrary: fc.constantFrom(...EXPANDING).map((u) => fill(u, max)), weight: 1 },
      { arbitrary: fc.constantFrom("", "Checkout squad", "ok"), weight: 1 },
    ),
  list: (item, max) => fc.array(item, { maxLength: Math.min(max, 6) }),
  opt: (item) => fc.option(item),
  url: () => linkUrl,
};

/** Every field at its limit with expanding characters, every list at its largest. */
const MAXED: TextArbs = {
  text: (max = UNBOUNDED) => fc.constantFrom(...EXPANDING).map((u) => fill(u, Math.min(max, 3000))),
  list: (item, max) => fc.array(item, { minLength: max, maxLength: max }),
  opt: (item) => item,
  // Linkable, 500 characters (the ticket field's limit), every `&` written as `&amp;` in the link.
  url: () =>
    fc.constantFrom(`https://x.example/?${"&".repeat(481)}`, `https://x.example/${"😀".repeat(240)}`),
};

/** The same input shape in both modes. */
export const hostileInput = <T>(build: (t: TextArbs) => fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof(build(MIXED), build(MAXED));

/** A short label a builder receives already formatted ("Tue 24 Nov, 10:00"), fuzzed all the same. */
export const label: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("Tue 24 Nov, 10:00 (Europe/London)", "17:00", "Tue 24 Nov – Tue 1 Dec"),
  hostile.map((s) => fitTo(s, 80)),
);

// ---- ids and URLs -------------------------------------------------------------------------------

const FORGED_USER_IDS = [
  "U0ALICE> <!channel",
  "<@U0ALICE>",
  "U0ALICE|alice",
  "U1>",
  "u123",
  `U${"A".repeat(21)}`,
  "U1\n",
  " U1",
  "<!channel>",
  "U1&amp;",
  "@here",
  "C0TEAM",
  "U1><https://ev.il|x",
];
const FORGED_CHANNEL_IDS = [
  "C1><!channel",
  "<#C0TEAM>",
  "C0TEAM|general",
  "C1>",
  "c123",
  `C${"A".repeat(21)}`,
  "C1\n",
  "#general",
  "<!here>",
  "U0ALICE",
  "C1><https://ev.il|x",
];

/** A Slack user id, usually a valid one; sometimes a forged value that must not become a mention. */
export const userId: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("U0OWNER", "U0STOPPER", "W0GUEST"), weight: 3 },
  { arbitrary: fc.stringMatching(/^[UW][A-Z0-9]{1,20}$/), weight: 2 },
  { arbitrary: fc.constantFrom(...FORGED_USER_IDS), weight: 2 },
  { arbitrary: hostile.map((s) => fitTo(s, 40)), weight: 1 },
);

/** A channel id, usually valid; sometimes forged. */
export const channelId: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("C0TEAM", "G0PRIVATE", "D0DM"), weight: 3 },
  { arbitrary: fc.stringMatching(/^[CGD][A-Z0-9]{1,20}$/), weight: 2 },
  { arbitrary: fc.constantFrom(...FORGED_CHANNEL_IDS), weight: 2 },
  { arbitrary: hostile.map((s) => fitTo(s, 40)), weight: 1 },
);

/** Only ids that pass the builders' checks: for the parts of a property that need a real mention. */
export const validUserId = fc.stringMatching(/^[UW][A-Z0-9]{1,20}$/);

/** A URL meant to become a link (permalink, ticket): usually fine, sometimes crafted. */
const linkUrl: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      "https://acme.slack.com/archives/C0TEAM/p1700000000000100",
      "https://tracker.example.com/OPS-123?a=1&b=2",
      "http://x.example/a_b*c~d`e",
      "https://ev.il/\u202Egpj.exe",
    ),
    weight: 3,
  },
  { arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "javascript:alert(1)",
      "https://ev.il|Your invoice",
      "https://ev.il>x",
      "https://a b.example",
      "tracker.example.com/OPS-1",
      "<https://ev.il|click>",
      "ftp://files.example",
      "https://",
      `https://example.com/${"&".repeat(2100)}`,
      "https://ev.il\n<!channel>",
    ),
    weight: 2,
  },
  { arbitrary: hostile.map((s) => fitTo(s, 500)), weight: 1 },
);

// ---- dates, zones, numbers ----------------------------------------------------------------------

/** IANA zones, including ones with odd offsets; nothing depends on the host's zone. */
export const timezone = fc.constantFrom(
  "UTC",
  "Europe/London",
  "Pacific/Chatham",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
);
const instant = fc.date({
  min: new Date("2020-01-01T00:00:00Z"),
  max: new Date("2032-12-31T00:00:00Z"),
  noInvalidDate: true,
});
const ymd = instant.map((d) => d.toISOString().slice(0, 10));
const hhmm = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
  .map(({ h, m }) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
export const value = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

// ---- domain objects -----------------------------------------------------------------------------

const SIGNAL_KINDS: readonly SignalKind[] = ["proxy", "outcome", "leading"];

const signals = (t: TextArbs): fc.Arbitrary<Signal[]> =>
  fc
    .tuple(
      ...SIGNAL_KINDS.map((kind, i) =>
        t.opt<Signal>(
          fc.record({
            id: fc.constant(`s${i + 1}`),
            kind: fc.constant(kind),
            name: t.text(120),
            baseline: value,
            target: value,
            unit: t.text(20),
          }),
        ),
      ),
    )
    .map((list) => list.filter((s): s is Signal => s !== null));

/** A stored mechanism (cf. goodMechanism in fixtures.ts) with every text hostile. */
export const mechanism = (t: TextArbs): fc.Arbitrary<Mechanism> =>
  fc.record({
    id: fc.constantFrom("m1", "m2"),
    teamId: fc.constant("t1"),
    title: t.text(80),
    aim: t.text(500),
    aimForWhom: t.text(200),
    aimFrom: value,
    aimTo: value,
    aimUnit: t.text(20),
    aimBy: ymd,
    statement: t.text(1000),
    checkpointRule: t.text(300),
    guardrail: t.text(300),
    stopOwnerId: fc.option(userId),
    rollbackPath: t.text(500),
    ownerId: fc.option(userId),
    cadenceWeeks: fc.constantFrom(1 as const, 2 as const),
    status: fc.constantFrom("active" as const, "stopped" as const),
    nextReviewAt: fc.option(instant),
    messageChannelId: fc.option(channelId),
    messageTs: fc.constant("1.2"),
    createdBy: userId,
    createdAt: instant,
    stoppedAt: fc.option(instant),
    signals: signals(t),
  });

export const decision = (t: TextArbs): fc.Arbitrary<Decision> =>
  fc.record({
    id: fc.constant("d1"),
    mechanismId: fc.constant("m1"),
    reviewId: fc.option(fc.constant("r1")),
    decision: fc.constantFrom("continue" as const, "change" as const, "stop" as const, "graduate" as const),
    entry: t.text(600),
    whatChanged: t.text(600),
    whatDidnt: t.text(600),
    why: t.text(600),
    changeDetail: t.text(600),
    gateReason: t.text(600),
    checkpoint: fc.constantFrom("pass" as const, "fail" as const, "unknown" as const),
    source: fc.constantFrom("review" as const, "command" as const),
    decidedBy: userId,
    decidedAt: instant,
  });

export const latestReadings: fc.Arbitrary<Partial<Record<SignalKind, Reading>>> = fc.record(
  Object.fromEntries(
    SIGNAL_KINDS.map((kind) => [
      kind,
      fc.record({ signalId: fc.constant("s1"), kind: fc.constant(kind), value, recordedAt: instant }),
    ]),
  ) as Record<SignalKind, fc.Arbitrary<Reading>>,
  { requiredKeys: [] },
);

/** A team (teamFixture) with a hostile name and fuzzed channel ids. */
export const team = (t: TextArbs): fc.Arbitrary<Team> =>
  fc
    .record({
      name: t.text(80),
      channelId,
      timezone,
      reviewWeekday: fc.integer({ min: 1, max: 7 }),
      reviewTime: hhmm,
      cadenceWeeks: fc.constantFrom(1 as const, 2 as const),
      rollupWeekday: fc.integer({ min: 1, max: 7 }),
      rollupTime: hhmm,
      incidentsChannelId: fc.option(channelId),
      createdBy: userId,
    })
    .map((o) => teamFixture(o));

export const deviation = (t: TextArbs): fc.Arbitrary<Deviation> =>
  fc.record({
    id: fc.constant("dev1"),
    teamId: fc.constant("t1"),
    area: t.text(80),
    deviation: t.text(300),
    hypothesis: t.text(500),
    benefit: t.text(300),
    risk: t.text(300),
    cycleIndex: fc.integer({ min: 0, max: 400 }),
    sensitive: fc.boolean(),
    approverId: fc.option(userId),
    ownerId: userId,
    outcome: t.text(600),
    verdict: fc.constantFrom<Verdict>("open", "promote", "retire"),
    createdAt: instant,
    decidedAt: fc.option(instant),
  });

export const debriefAnswer = (t: TextArbs): fc.Arbitrary<DebriefAnswer> =>
  fc.record({
    id: fc.constant("a1"),
    roundId: fc.constant("r1"),
    userId,
    shipped: t.text(500),
    input: t.text(500),
    blockers: t.text(500),
    threadTs: fc.option(fc.constant("1.2")),
    updatedAt: instant,
  });

const actionItem = (t: TextArbs): fc.Arbitrary<ActionItem> =>
  fc.record({
    id: fc.constant("a1"),
    ownerId: fc.option(userId),
    dueDate: fc.option(ymd),
    kind: fc.constantFrom("detect" as const, "mitigate" as const, "prevent" as const),
    ticketUrl: t.opt(t.url()),
    status: fc.constantFrom("open" as const, "done" as const, "not_doing" as const),
    closedAt: fc.option(instant),
  });

/** Branching whys: each answers the incident or an earlier why. */
const whys = (t: TextArbs): fc.Arbitrary<Why[]> =>
  t
    .list(fc.record({ text: t.text(500), parent: fc.nat(), root: fc.boolean(), at: instant }), 30)
    .map((list) =>
      list.map((w, i) => ({
        id: `w${i}`,
        parentId: w.parent % (i + 1) === i ? null : `w${w.parent % (i + 1)}`,
        text: w.text,
        rootCause: w.root,
        createdAt: w.at,
      })),
    );

const tag = (t: TextArbs) => t.text(40);

/** An incident (makeIncident from the incidents fixtures) with every text hostile. */
export const incident = (t: TextArbs): fc.Arbitrary<StoredIncident> =>
  fc
    .record({
      title: t.text(140),
      severity: fc.constantFrom("sev1" as const, "sev2" as const, "sev3" as const, "sev4" as const),
      impact: t.text(1000),
      description: t.text(3000),
      startedAt: instant,
      detectMinutes: fc.integer({ min: 0, max: 60 * 24 * 30 }),
      mitigatedAt: fc.option(instant),
      resolvedAt: fc.option(instant),
      howNoticed: t.text(1000),
      howMitigated: t.text(1000),
      learned: t.text(2500),
      sourceLink: t.opt(t.url()),
      status: fc.constantFrom("open" as const, "complete" as const),
      completedAt: fc.option(instant),
      reporterTz: timezone,
      timeline: t.list(fc.record({ at: instant, text: t.text(500) }), 40),
      whys: whys(t),
      factors: t.list(
        fc.record({
          category: fc.constantFrom("technical" as const, "process" as const, "organisational" as const),
          text: t.text(500),
        }),
        30,
      ),
      findings: t.list(
        fc.record({
          text: t.text(500),
          actionItem: fc.option(actionItem(t)),
          notedReason: t.opt(t.text(500)),
        }),
        30,
      ),
      tags: t.list(tag(t), 10),
      reporterId: userId,
      channelId: fc.option(channelId),
    })
    .map((o) => ({
      ...makeIncident({
        id: "i1",
        title: o.title,
        severity: o.severity,
        impact: o.impact,
        description: o.description,
        startedAt: o.startedAt,
        detectedAt: new Date(o.startedAt.getTime() + o.detectMinutes * 60_000),
        mitigatedAt: o.mitigatedAt,
        resolvedAt: o.resolvedAt,
        howNoticed: o.howNoticed,
        howMitigated: o.howMitigated,
        learned: o.learned,
        sourceLink: o.sourceLink,
        status: o.status,
        completedAt: o.completedAt,
        reporterTz: o.reporterTz,
        timeline: o.timeline.map((e, i) => ({ id: `t${i}`, ...e })),
        whys: o.whys,
        factors: o.factors.map((f, i) => ({ id: `f${i}`, ...f })),
        findings: o.findings.map((f, i): Finding => ({ id: `n${i}`, ...f })),
        tags: o.tags,
      }),
      teamId: "t1",
      reporterId: o.reporterId,
      channelId: o.channelId,
      messageTs: "1.2",
    }));

export const actionItemInContext = (t: TextArbs): fc.Arbitrary<ActionItemInContext> =>
  fc.record({
    id: fc.constant("a1"),
    ownerId: userId,
    dueDate: ymd,
    kind: fc.constantFrom("detect" as const, "mitigate" as const, "prevent" as const),
    ticketUrl: t.opt(t.url()),
    status: fc.constantFrom("open" as const, "done" as const, "not_doing" as const),
    reason: t.text(500),
    closedAt: fc.option(instant),
    dueSetAt: instant,
    findingText: t.text(500),
    incident: fc.record({
      id: fc.constant("i1"),
      title: t.text(140),
      channelId: fc.option(channelId),
      messageTs: fc.option(fc.constant("1.2")),
    }),
    team: fc.record({
      id: fc.constant("t1"),
      timezone,
      channelId,
      incidentsChannelId: fc.option(channelId),
    }),
  });

const hours = fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }));

/** This quarter and last, each with hostile metrics (the labels are Ratchet's own). */
export const quarterTrend = (t: TextArbs) =>
  fc.record({
    current: loopMetrics(t).map((metrics) => ({
      label: "2026 Q4",
      start: new Date(Date.UTC(2026, 9, 1)),
      end: new Date(Date.UTC(2027, 0, 1)),
      metrics,
    })),
    previous: loopMetrics(t).map((metrics) => ({
      label: "2026 Q3",
      start: new Date(Date.UTC(2026, 6, 1)),
      end: new Date(Date.UTC(2026, 9, 1)),
      metrics,
    })),
  });

export const loopMetrics = (t: TextArbs): fc.Arbitrary<LoopMetrics> =>
  fc.record({
    windowDays: fc.integer({ min: 1, max: 365 }),
    incidentCount: fc.nat(1000),
    repeatCount: fc.nat(1000),
    repeatRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    timeToInsight: fc.record({ medianHours: hours, count: fc.nat(1000) }),
    knownRootCause: fc.record({
      count: fc.nat(1000),
      rate: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    }),
    timeToRemediation: fc.record({ medianHours: hours, count: fc.nat(1000), notRemediated: fc.nat(1000) }),
    findings: fc.record({ total: fc.nat(1000), withAction: fc.nat(1000), noted: fc.nat(1000) }),
    byCategory: fc.record({ technical: fc.nat(99), process: fc.nat(99), organisational: fc.nat(99) }),
    byTag: t.list(fc.record({ tag: tag(t), count: fc.nat(99) }), 20),
  });

export const alarmKind = fc.constantFrom<AlarmKind>(...ALARM_KINDS);

/** One week of a team's rollup, every text hostile. */
export const rollupData = (t: TextArbs): fc.Arbitrary<RollupData> =>
  fc
    .record({
      name: t.text(80),
      channelId,
      timezone,
      from: instant,
      mechanisms: t.list(
        fc.record({
          id: fc.constantFrom("m1", "m2", "m3"),
          title: t.text(80),
          status: fc.constantFrom("active" as const, "stopped" as const),
          stoppedDay: fc.option(fc.integer({ min: 0, max: 6 })),
          outcome: fc.option(
            fc.record({
              name: t.text(120),
              unit: t.text(20),
              baseline: value,
              target: value,
              latest: fc.option(fc.record({ value, recordedAt: instant })),
              previous: fc.option(fc.record({ value, recordedAt: instant })),
            }),
          ),
        }),
        20,
      ),
      decisions: t.list(
        fc.record({
          mechanismId: fc.constantFrom("m1", "m2", "m3"),
          mechanismTitle: t.text(80),
          decision: fc.constantFrom("continue" as const, "change" as const, "stop" as const),
          entry: t.text(600),
          changeDetail: t.text(600),
          decidedAt: instant,
        }),
        20,
      ),
      deviations: t.list(
        fc.record({
          area: t.text(80),
          deviation: t.text(300),
          outcome: t.text(600),
          verdict: fc.constantFrom("promote" as const, "retire" as const),
          decidedAt: instant,
        }),
        20,
      ),
      openAlarms: t.list(
        fc.record({
          kind: alarmKind,
          subjectKey: fc.constant("m1"),
          subjectLabel: t.text(80),
          evidence: t.text(300),
          raisedAt: instant,
          cycles: fc.integer({ min: 1, max: 60 }),
        }),
        20,
      ),
      missedReviews: t.list(
        fc.record({
          mechanismTitle: t.text(80),
          dueAt: instant,
          status: fc.constantFrom("missed" as const, "unanswered" as const),
        }),
        20,
      ),
      openActionItems: t.list(
        fc.record({
          text: t.text(500),
          incidentTitle: t.text(140),
          ownerId: userId,
          dueDate: ymd,
          overdue: fc.boolean(),
        }),
        20,
      ),
      loopMetrics: fc.option(loopMetrics(t)),
      overdueCoes: t.list(
        fc.record({
          title: t.text(140),
          severity: fc.constantFrom("sev1", "sev2"),
          ownerId: userId,
          overdue: fc.subarray(["not_started" as const, "not_complete" as const], { minLength: 1 }),
          detectedAt: instant,
        }),
        10,
      ),
    })
    .map((o) => {
      const from = o.from;
      const to = new Date(from.getTime() + 7 * 86_400_000);
      return {
        team: {
          id: "t1",
          slackTeamId: "T1",
          name: o.name,
          channelId: o.channelId,
          timezone: o.timezone,
          rollupWeekday: 1,
          rollupTime: "09:00",
        },
        window: { from, to },
        mechanisms: o.mechanisms.map(({ stoppedDay, ...m }) => ({
          ...m,
          // Inside the window, so the "killed" section has something to say.
          stoppedAt: stoppedDay === null ? null : new Date(from.getTime() + stoppedDay * 86_400_000),
        })),
        decisions: o.decisions,
        deviations: o.deviations,
        openAlarms: o.openAlarms,
        missedReviews: o.missedReviews,
        openActionItems: o.openActionItems,
        loopMetrics: o.loopMetrics,
        overdueCoes: o.overdueCoes,
      };
    });

// ---- the checks ---------------------------------------------------------------------------------

/** Keys of the input that hold a Slack user id, a channel id, or a URL that is meant to become a link. */
const USER_KEYS = new Set([
  "ownerId",
  "stopOwnerId",
  "decidedBy",
  "by",
  "userId",
  "reporterId",
  "approverId",
  "createdBy",
  "defaultOwnerId",
  "authorId",
  "submittedBy",
]);
const CHANNEL_KEYS = new Set(["channelId", "incidentsChannelId", "workspaceChannelId", "messageChannelId"]);
const URL_KEYS = new Set(["sourceLink", "ticketUrl", "link", "permalink"]);

/** The ids a mention may name and the URLs a link may point to (a Set, or any test of membership). */
export interface Allowed {
  users: Pick<Set<string>, "has">;
  channels: Pick<Set<string>, "has">;
  urls: Pick<Set<string>, "has">;
}

/** Plain data: arrays, object literals and fast-check's records (which have no prototype). */
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Array.isArray(v);
};

/** The ids and link URLs present in the input's id and URL fields, wherever they are nested. */
function allowedFrom(input: unknown): Allowed {
  const allowed = { users: new Set<string>(), channels: new Set<string>(), urls: new Set<string>() };
  const walk = (v: unknown): void => {
    if (!isPlainObject(v)) return;
    for (const [key, child] of Object.entries(v)) {
      if (typeof child === "string") {
        if (USER_KEYS.has(key)) allowed.users.add(child);
        if (CHANNEL_KEYS.has(key)) allowed.channels.add(child);
        if (URL_KEYS.has(key)) allowed.urls.add(child);
      } else walk(child);
    }
  };
  walk(input);
  return allowed;
}

type TextObject = { type: string; text: string };

/** Every text object anywhere in blocks or a view: section text and fields, context, labels, options… */
function textObjects(value: unknown): TextObject[] {
  const out: TextObject[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") {
      out.push(o as TextObject);
      return;
    }
    for (const child of Object.values(o)) walk(child);
  };
  walk(value);
  return out;
}

const USER_TOKEN = /^<@([UW][A-Z0-9]+)>$/;
const CHANNEL_TOKEN = /^<#([CGD][A-Z0-9]+)>$/;
const DATE_TOKEN = /^<!date\^\d+\^[^|<>^]*\|[^<>]*>$/;
const LINK_TOKEN = /^<(https?:\/\/[^\s<>|]+)\|[^<>]*>$/;
const RAW_AMP = /&(?!amp;|lt;|gt;)/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const show = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}…` : s);

/**
 * What is wrong with one mrkdwn text: a `<` that does not open one of Ratchet's own tokens, a
 * mention of an id that no id field held, a link to a URL that no link field held, a raw `&`.
 */
export function mrkdwnProblems(text: string, allowed: Allowed, where: string): string[] {
  const problems: string[] = [];
  let i = text.indexOf("<");
  while (i !== -1) {
    const close = text.indexOf(">", i);
    const next = text.indexOf("<", i + 1);
    if (close === -1 || (next !== -1 && next < close)) {
      problems.push(`${where}: a "<" outside any token at ${i}: ${show(text.slice(i, i + 60))}`);
      i = next;
      continue;
    }
    const token = text.slice(i, close + 1);
    const user = USER_TOKEN.exec(token);
    const channel = CHANNEL_TOKEN.exec(token);
    const link = LINK_TOKEN.exec(token);
    if (user) {
      if (!allowed.users.has(user[1] ?? "")) problems.push(`${where}: mention ${token} from text, not an id`);
    } else if (channel) {
      if (!allowed.channels.has(channel[1] ?? ""))
        problems.push(`${where}: channel link ${token} from text, not an id`);
    } else if (link) {
      const url = (link[1] ?? "").replace(/&amp;/g, "&");
      if (!allowed.urls.has(url))
        problems.push(`${where}: link to ${show(url)}, not one of the input's URLs`);
    } else if (!DATE_TOKEN.test(token)) {
      problems.push(`${where}: foreign token ${show(token)}`);
    }
    i = text.indexOf("<", close + 1);
  }
  const amp = RAW_AMP.exec(text);
  if (amp) problems.push(`${where}: raw "&" at ${amp.index}: ${show(text.slice(amp.index, amp.index + 20))}`);
  return problems;
}

/**
 * A bug already reported, which the properties tolerate, and only it, until it is fixed; each one
 * is pinned by an `it.fails` test with its minimal counterexample, which turns red once it is fixed.
 */
export interface KnownBug {
  /** the markup a builder writes today and what it should write: replaced before checking */
  readonly mask?: readonly [string, string];
  /** true when a Slack length problem (the text, its limit) is this bug */
  readonly limit?: (text: string, max: number) => boolean;
  /** true when the lone surrogate at `at` is this bug */
  readonly surrogate?: (text: string, at: number) => boolean;
}

/** Every problem of a mrkdwn top-level text and a list of blocks on a surface, after known bugs. */
function problemsOf(
  o: { input: unknown; text: string | null; root: Record<string, unknown>; validate: () => string[] },
  known: readonly KnownBug[],
): string[] {
  const allowed = allowedFrom(o.input);
  const texts = textObjects(o.root);
  const problems: string[] = [];
  if (o.text !== null) problems.push(...mrkdwnProblems(o.text, allowed, "text"));
  texts.forEach((t, i) => {
    if (t.type === "mrkdwn") problems.push(...mrkdwnProblems(t.text, allowed, `mrkdwn #${i}`));
  });
  for (const t of [...(o.text === null ? [] : [o.text]), ...texts.map((x) => x.text)]) {
    for (const m of t.matchAll(LONE_SURROGATE)) {
      if (!known.some((k) => k.surrogate?.(t, m.index)))
        problems.push(
          `half a surrogate pair at ${m.index}: ${show(t.slice(Math.max(0, m.index - 40), m.index + 10))}`,
        );
    }
  }
  for (const p of o.validate()) {
    const limit = /^must be less than (\d+) characters \[json-pointer:(.*)\]$/.exec(p);
    const text = limit ? pointer(o.root, limit[2] ?? "") : undefined;
    const max = Number(limit?.[1]) - 1;
    if (typeof text === "string" && known.some((k) => k.limit?.(text, max))) continue;
    problems.push(p);
  }
  return problems;
}

/** The value a JSON pointer ("/view/blocks/2/text/text") names. */
function pointer(root: unknown, path: string): unknown {
  return path
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined),
      root,
    );
}

/** The blocks with every known bug's markup replaced by what it should be. */
function masked<T>(value: T, known: readonly KnownBug[]): T {
  const masks = known.flatMap((k) => (k.mask ? [k.mask] : []));
  if (masks.length === 0) return value;
  const copy = structuredClone(value);
  for (const t of textObjects(copy)) for (const [from, to] of masks) t.text = t.text.replaceAll(from, to);
  return copy;
}

/** Everything wrong with a message: unsafe markup in any mrkdwn text, and Slack's limits. */
export function messageProblems(
  input: unknown,
  msg: SlackMessage,
  known: readonly KnownBug[] = [],
): string[] {
  const blocks = masked(msg.blocks, known);
  const problems = problemsOf(
    { input, text: msg.text.text, root: { blocks }, validate: () => validateBlocks(blocks, "message") },
    known,
  );
  if (msg.text.text.length > 3000) problems.push(`top-level text is ${msg.text.text.length} characters`);
  const total = blockTextLength(blocks);
  if (total > 12_000) problems.push(`blocks hold ${total} characters of text (msg_blocks_too_long)`);
  return problems;
}

/** Everything wrong with a modal: unsafe markup in any mrkdwn text of its blocks, and Slack's limits. */
export function viewProblems(input: unknown, view: ModalView, known: readonly KnownBug[] = []): string[] {
  const v = masked(view, known);
  return problemsOf({ input, text: null, root: { view: v }, validate: () => validateView(v) }, known);
}

const fail = (problems: string[]) => {
  if (problems.length === 0) return;
  const more = problems.length > 20 ? `\n…and ${problems.length - 20} more` : "";
  throw new Error(`${problems.length} problem(s):\n${problems.slice(0, 20).join("\n")}${more}`);
};

/** Throws (so fast-check shrinks and reports) when the message is unsafe or over a limit. */
export const expectSafeMessage = (input: unknown, msg: SlackMessage, known: readonly KnownBug[] = []): void =>
  fail(messageProblems(input, msg, known));
export const expectSafeView = (input: unknown, view: ModalView, known: readonly KnownBug[] = []): void =>
  fail(viewProblems(input, view, known));

/** All mrkdwn text a person can read in a message (top-level and blocks), for "still readable" checks. */
export const mrkdwnOf = (msg: { text?: { text: string }; blocks: unknown }): string[] => [
  ...(msg.text ? [msg.text.text] : []),
  ...textObjects(msg.blocks)
    .filter((t) => t.type === "mrkdwn")
    .map((t) => t.text),
];

/** A harmless title a person might type, with the characters that must be escaped. */
export const SAMPLE = "Checkout & <beta> nudge ✓";
