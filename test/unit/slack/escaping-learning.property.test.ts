/** The escaping properties (see escaping.property.test.ts) for learning sessions. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LearningSession, TopicSuggestion } from "../../../src/learning/learning-session.js";
import {
  buildLearnList,
  buildLinksAsk,
  buildLinksModal,
  buildScheduleModal,
  buildSessionReminder,
  buildSessionScheduled,
} from "../../../src/slack/blocks/learning.js";
import { esc } from "../../../src/slack/blocks/mrkdwn.js";
import {
  channelId,
  expectSafeMessage,
  expectSafeView,
  hostileInput,
  SAMPLE,
  type TextArbs,
  timezone,
  userId,
} from "../../support/hostile.js";

const RUNS = 50;
const SAFE = "only Ratchet's own tokens (ids from id fields), every & escaped, within Slack's limits";
const check = <T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void) =>
  fc.assert(fc.property(arb, predicate), { numRuns: RUNS });

const instant = fc
  .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms));

const session = (t: TextArbs): fc.Arbitrary<LearningSession> =>
  fc.record({
    id: fc.constant("ls1"),
    teamId: fc.constant("t1"),
    slackTeamId: fc.constant("T1"),
    topic: t.text(150),
    speakerId: userId,
    startsAt: instant,
    timezone,
    durationMinutes: fc.constantFrom(30, 35, 40, 45),
    channels: t.list(channelId, 10),
    recordingUrl: fc.oneof(fc.constant(""), t.url(), t.text(2000)),
    slidesUrl: fc.oneof(fc.constant(""), t.url(), t.text(2000)),
    createdBy: userId,
    createdAt: instant,
    nextDueAt: fc.option(instant),
  });

/**
 * The id and URL fields a session holds, under the names the checker knows (userId, channelId, link),
 * so a mention, channel link or link the builder makes from them counts as Ratchet's own.
 */
const witness = (input: unknown, sessions: LearningSession[]) => ({
  input,
  people: sessions.map((x) => ({ userId: x.speakerId })),
  rooms: sessions.flatMap((x) => x.channels.map((channelId) => ({ channelId }))),
  links: sessions.flatMap((x) => [{ link: x.recordingUrl }, { link: x.slidesUrl }]),
});

const suggestion = (t: TextArbs): fc.Arbitrary<TopicSuggestion> =>
  fc.record({
    source: fc.constantFrom<"coe" | "deviation">("coe", "deviation"),
    title: t.text(300),
    detail: t.text(600),
    at: instant,
  });

describe("learning sessions", () => {
  it(`buildScheduleModal: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        meta: fc.record({ teamId: fc.constant("t1"), tz: timezone }),
        teamName: t.text(80),
        channelId,
      }),
    );
    check(input, (o) => expectSafeView(o, buildScheduleModal(o)));
  });

  it(`buildLearnList: ${SAFE}`, () => {
    const input = hostileInput((t) =>
      fc.record({
        upcoming: t.list(session(t), 10),
        past: t.list(session(t), 10),
        suggestions: t.list(suggestion(t), 6),
        query: fc.oneof(fc.constant(""), t.text(200)),
      }),
    );
    check(input, (overview) =>
      expectSafeMessage(
        witness(overview, [...overview.upcoming, ...overview.past]),
        buildLearnList({ overview, teamId: "t1" }),
      ),
    );
  });

  const one = hostileInput((t) =>
    fc.record({ session: session(t), when: fc.constantFrom<"day" | "hour">("day", "hour") }),
  );

  it(`buildSessionScheduled, buildSessionReminder, buildLinksAsk: ${SAFE}`, () => {
    check(one, (o) => {
      const w = witness(o, [o.session]);
      expectSafeMessage(w, buildSessionScheduled(o));
      expectSafeMessage(w, buildSessionReminder(o));
      expectSafeMessage(w, buildLinksAsk(o));
    });
  });

  it(`buildLinksModal: ${SAFE}`, () => {
    check(one, (o) => expectSafeView(o, buildLinksModal({ meta: { sessionId: "ls1" }, session: o.session })));
  });

  it("buildSessionReminder: the topic a person typed is still in the notification text, escaped", () => {
    check(
      one.map((o) => ({ ...o, session: { ...o.session, topic: SAMPLE } })),
      (o) => {
        expect(buildSessionReminder(o).text.text).toContain(esc(SAMPLE).text);
      },
    );
  });
});
