/**
 * Every builder, fed hostile strings (test/support/hostile.ts), sends only Ratchet's own `<…>`
 * tokens — mentions of ids from id fields, links to URLs from link fields, dates — escapes every
 * `&`, and stays within Slack's limits after escaping. This file: mechanisms, reviews, the command
 * replies, team and rollup settings, confirmations and the error mapper. Incidents and action items
 * are in escaping-incidents.property.test.ts; deviations, debriefs, alarms and rollups in
 * escaping-rituals.property.test.ts.
 */
import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Decision, Mechanism, SignalKind } from "../../../src/mechanisms/mechanism.js";
import { evaluateRule } from "../../../src/mechanisms/mechanism-service.js";
import { DomainError } from "../../../src/shared/errors.js";
import { localLabel } from "../../../src/shared/time-format.js";
import {
  buildChannelProblem,
  buildDebriefSettingsSaved,
  buildIncidentChannel,
  buildRollupSettingsSaved,
  buildTeamSaved,
} from "../../../src/slack/blocks/confirmations.js";
import { buildMechanismModal } from "../../../src/slack/blocks/mechanism-modal.js";
import { buildHelp, buildHistory, buildMechanismList } from "../../../src/slack/blocks/messages.js";
import { esc, md } from "../../../src/slack/blocks/mrkdwn.js";
import { buildOnePager } from "../../../src/slack/blocks/one-pager.js";
import {
  buildDecisionEntry,
  buildLogDecisionModal,
  buildReviewDone,
  buildReviewModal,
  buildReviewReminder,
} from "../../../src/slack/blocks/review.js";
import { buildSettingsModal } from "../../../src/slack/blocks/settings-modal.js";
import { APOLOGY, domainText, userMessage } from "../../../src/slack/error-mapper.js";
import { SETTINGS_SECTIONS } from "../../../src/teams/settings.js";
import {
  type Allowed,
  channelId,
  decision,
  expectSafeMessage,
  expectSafeView,
  hostile,
  hostileInput,
  label,
  latestReadings,
  mechanism,
  messageProblems,
  mrkdwnOf,
  mrkdwnProblems,
  SAMPLE,
  type TextArbs,
  team,
  timezone,
  userId,
  value,
  viewProblems,
} from "../../support/hostile.js";
import { teamFixture } from "../../support/team-fixture.js";

/** Runs per property: each of the three property files runs in 1–2 s of test time on two cores. */
const RUNS = 60;
const SAFE = "only Ratchet's own tokens (ids from id fields), every & escaped, within Slack's limits";

const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void, numRuns = RUNS) =>
  fc.assert(fc.property(arb, predicate), { numRuns });

/**
 * Checkpoint lines as the review service makes them (evaluateRule on the mechanism's own rule and
 * hostile readings), or any hostile lines.
 */
const checkpointLines = (t: TextArbs, m: fc.Arbitrary<Mechanism>) =>
  fc.record({
    mechanism: m,
    readings: fc.record({ proxy: value, outcome: value, leading: value }, { requiredKeys: [] }),
    hostileLines: t.opt(t.list(t.text(300), 6)),
  });
const linesOf = (o: {
  mechanism: Mechanism;
  readings: Partial<Record<SignalKind, number>>;
  hostileLines: string[] | null;
}) => o.hostileLines ?? evaluateRule(o.mechanism, o.readings).lines;

const onePagerInput = hostileInput((t) =>
  fc.record({
    mechanism: mechanism(t),
    latestReadings,
    lastDecision: t.opt(decision(t)),
    missingDoD: t.list(t.text(100), 8),
    nextReviewLabel: fc.option(label),
  }),
);

describe("mechanisms and reviews", () => {
  it(`buildOnePager: ${SAFE}`, () => {
    check(onePagerInput, (o) => expectSafeMessage(o, buildOnePager(o)));
  });

  it("buildOnePager: the title a person typed is still in the notification text, escaped", () => {
    check(
      onePagerInput.map((o) => ({ ...o, mechanism: { ...o.mechanism, title: SAMPLE } })),
      (o) => {
        expect(buildOnePager(o).text.text).toContain(esc(SAMPLE).text);
      },
    );
  });

  const reviewModalInput = hostileInput((t) =>
    fc.record({
      meta: fc.record({ mechanismId: fc.constant("m1"), reviewId: fc.option(fc.constant("r1")) }),
      latestReadings,
      checkpoint: t.opt(
        fc.record({
          result: fc.constantFrom("pass" as const, "fail" as const, "unknown" as const),
          lines: checkpointLines(t, mechanism(t)),
        }),
      ),
      mechanism: mechanism(t),
    }),
  ).map((o) => ({
    ...o,
    checkpoint: o.checkpoint && { result: o.checkpoint.result, lines: linesOf(o.checkpoint.lines) },
  }));

  it(`buildReviewModal: ${SAFE}`, () => {
    check(reviewModalInput, (o) => expectSafeView(o, buildReviewModal(o)));
  });

  it("buildReviewModal: the title a person typed is still shown, escaped", () => {
    check(
      reviewModalInput.map((o) => ({ ...o, mechanism: { ...o.mechanism, title: SAMPLE } })),
      (o) => {
        expect(mrkdwnOf(buildReviewModal(o)).join("\n")).toContain(`*${esc(SAMPLE).text}*`);
      },
    );
  });

  it(`buildLogDecisionModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        teamId: fc.constant("t1"),
        mechanisms: t.list(mechanism(t), 101),
        preset: fc.option(mechanism(t), { freq: 2 }),
      }),
    );
    check(input, (o) => expectSafeView(o, buildLogDecisionModal(o)), 30);
  });

  it(`buildReviewReminder: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        mechanism: mechanism(t),
        reviewId: fc.constant("r1"),
        dueLabel: label,
        late: fc.boolean(),
      }),
    );
    check(input, (o) => expectSafeMessage(o, buildReviewReminder(o)));
  });

  it(`buildReviewDone: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ mechanism: mechanism(t), decision: decision(t), dueLabel: label }),
    );
    check(input, (o) => expectSafeMessage(o, buildReviewDone(o)));
  });

  it(`buildDecisionEntry: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ decision: decision(t), lines: checkpointLines(t, mechanism(t)) }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildDecisionEntry({
          mechanism: o.lines.mechanism,
          decision: o.decision,
          checkpointLines: linesOf(o.lines),
        }),
      ),
    );
  });

  it(`buildMechanismModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record({ teamId: fc.constant("t1"), mechanismId: fc.constant("m1") }),
        mechanism: fc.option(mechanism(t)),
        defaultOwnerId: userId,
        defaultCadence: fc.constantFrom(1 as const, 2 as const),
      }),
    );
    check(input, (o) => expectSafeView(o, buildMechanismModal(o)));
  });
});

describe("command replies", () => {
  it(`buildHelp: ${SAFE}`, () => {
    // The one note it is given today: the unknown subcommand a person typed.
    const input = fc.record({ word: fc.option(hostile) });
    check(input, (o) =>
      expectSafeMessage(o, buildHelp(o.word === null ? undefined : md`I don't know \`/ratchet ${o.word}\`.`)),
    );
  });

  it(`buildMechanismList: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ team: team(t), mechanisms: t.list(mechanism(t), 50), next: fc.option(label) }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildMechanismList({ team: o.team, mechanisms: o.mechanisms, nextLabel: () => o.next }),
      ),
    );
  });

  it(`buildHistory: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ mechanism: mechanism(t), decisions: t.list(decision(t), 21), tz: timezone }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildHistory({ mechanism: o.mechanism, decisions: o.decisions, tzLabel: (d) => localLabel(d, o.tz) }),
      ),
    );
  });
});

describe("team and rollup settings, confirmations", () => {
  it(`buildSettingsModal, new team or every section: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        team: fc.option(team(t)),
        channelId,
        defaultTimezone: timezone,
        workspaceChannelId: fc.option(channelId),
        start: fc.constantFrom(...SETTINGS_SECTIONS),
      }),
    );
    check(input, (o) => expectSafeView(o, buildSettingsModal(o)));
  });

  it(`buildTeamSaved: ${SAFE}`, () => {
    const input = hostileInput((t) => fc.record({ team: team(t), created: fc.boolean(), by: userId }));
    check(input, (o) => expectSafeMessage(o, buildTeamSaved(o)));
  });

  it(`buildChannelProblem quoting a team's confirmation: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({ team: team(t), created: fc.boolean(), by: userId, where: fc.record({ channelId }) }),
    );
    check(input, (o) =>
      expectSafeMessage(
        o,
        buildChannelProblem({
          channelId: o.where.channelId,
          error: "not_in_channel",
          team: o.team,
          waiting: buildTeamSaved(o),
        }),
      ),
    );
  });

  it(`buildRollupSettingsSaved: ${SAFE}`, () => {
    const input = hostileInput((t) => fc.record({ team: team(t), workspaceChannelId: fc.option(channelId) }));
    check(input, (o) => expectSafeMessage(o, buildRollupSettingsSaved(o)));
  });

  it(`buildDebriefSettingsSaved: ${SAFE}`, () => {
    const input = hostileInput((t) => fc.record({ team: team(t), by: userId, schedule: t.text(300) }));
    check(input, (o) => expectSafeMessage(o, buildDebriefSettingsSaved(o)));
  });

  it(`buildIncidentChannel: ${SAFE}`, () => {
    const input = hostileInput((t) => fc.record({ team: team(t), changed: fc.boolean() }));
    check(input, (o) => expectSafeMessage(o, buildIncidentChannel(o)));
  });
});

/** The domain's own sentences, quoting what people typed and naming channels by id (team-service…). */
const domainSentence = hostileInput((t) =>
  fc.record({
    title: t.text(80),
    channels: fc.array(channelId, { minLength: 1, maxLength: 4 }),
    shape: fc.constantFrom("stopped", "no team", "upload", "raw"),
  }),
).map((o) => {
  const refs = o.channels.map((c) => `<#${c}>`);
  const message = {
    stopped: `“${o.title}” was already stopped.`,
    "no team": `This channel has no Ratchet team. Run the command in your team's channel: ${refs.join(", ")}.`,
    upload: `I can't upload to ${refs[0]}. Invite me there with \`/invite @Ratchet\` and export again.`,
    raw: o.title,
  }[o.shape];
  return { ...o, message };
});

/** Channel links of any valid id: what domainText restores by design (see the strict property below). */
const anyChannel: Allowed = {
  users: new Set<string>(),
  urls: new Set<string>(),
  channels: { has: (id) => /^[CG][A-Z0-9]{1,20}$/.test(id) },
};

describe("the error mapper", () => {
  it("domainText: no broadcast, mention or link, every & escaped; only channel links come back", () => {
    check(domainSentence, (o) => {
      const text = domainText(o.message).text;
      expect(mrkdwnProblems(text, anyChannel, "domainText")).toEqual([]);
      expect(text.length).toBeLessThanOrEqual(esc(o.message).length);
    });
  });

  // Fixed: domainText used to turn every `&lt;#C…&gt;` back into a link, including one a person typed.
  it("DOMAIN_TEXT_CHANNEL_LINKS: domainText, a channel link names only a channel id the domain put in the sentence", () => {
    fc.assert(
      fc.property(domainSentence, (o) => {
        const allowed: Allowed = { users: new Set(), urls: new Set(), channels: new Set(o.channels) };
        expect(mrkdwnProblems(domainText(o.message, o.channels).text, allowed, "domainText")).toEqual([]);
      }),
      {
        numRuns: RUNS,
        // A mechanism titled "<#C0TEAM>", stopped twice: “<#C0TEAM>” was already stopped.
        examples: [
          [
            {
              title: "<#C0TEAM>",
              channels: ["C1"],
              shape: "stopped",
              message: "“<#C0TEAM>” was already stopped.",
            },
          ],
        ],
      },
    );
  });

  it("userMessage: a domain error is its escaped sentence; anything else is the apology, never the error's text", () => {
    const log = pino({ level: "silent" });
    check(fc.record({ message: hostile, domain: fc.boolean() }), (o) => {
      const err = o.domain ? new DomainError("invalid_input", o.message) : new Error(o.message);
      const text = userMessage(err, log, { test: true });
      expect(text.text).toBe(o.domain ? domainText(o.message).text : APOLOGY.text);
      expect(mrkdwnProblems(text.text, anyChannel, "userMessage")).toEqual([]);
    });
  });
});

/**
 * Bugs these properties found, each pinned by its minimal counterexample so it cannot come back.
 */
describe("bugs these properties found, fixed (regression tests)", () => {
  const mechanismTitled = (title: string, checkpointRule = ""): Mechanism => ({
    id: "m1",
    teamId: "t1",
    title,
    aim: "",
    aimForWhom: "",
    aimFrom: 0,
    aimTo: 1,
    aimUnit: "",
    aimBy: "2027-01-31",
    statement: "",
    checkpointRule,
    guardrail: "",
    stopOwnerId: null,
    rollbackPath: "",
    ownerId: "U0OWNER",
    cadenceWeeks: 1,
    status: "active",
    nextReviewAt: null,
    messageChannelId: null,
    messageTs: null,
    createdBy: "U0OWNER",
    createdAt: new Date("2026-11-20T10:00:00Z"),
    stoppedAt: null,
    signals: [],
  });

  it("CLIP_COUNTS_CODE_POINTS: buildLogDecisionModal, a title of 38 emoji is a 76-unit option", () => {
    const o = { teamId: "t1", mechanisms: [mechanismTitled("😀".repeat(38))], preset: null };
    expect(viewProblems(o, buildLogDecisionModal(o))).toEqual([]);
  });

  it("QUOTE_SPLITS_EMOJI: buildDecisionEntry, a checkpoint rule of one emoji quotes half of it", () => {
    const m = mechanismTitled("Nudge", "😀");
    const decision: Decision = {
      id: "d1",
      mechanismId: "m1",
      reviewId: null,
      decision: "continue",
      entry: "Keep going.",
      whatChanged: "",
      whatDidnt: "",
      why: "",
      changeDetail: "",
      gateReason: "",
      checkpoint: "unknown",
      source: "command",
      decidedBy: "U0OWNER",
      decidedAt: new Date("2026-11-24T10:10:00Z"),
    };
    const o = { mechanism: m, decision };
    const msg = buildDecisionEntry({ ...o, checkpointLines: evaluateRule(m, {}).lines });
    expect(messageProblems(o, msg)).toEqual([]);
  });

  it("HISTORY_NAME_TAG: buildMechanismList with 46 mechanisms writes a raw <name>", () => {
    const o = { team: teamFixture(), mechanisms: Array.from({ length: 46 }, () => mechanismTitled("Nudge")) };
    expect(messageProblems(o, buildMechanismList({ ...o, nextLabel: () => null }))).toEqual([]);
  });
});
