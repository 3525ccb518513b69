/**
 * Fuzzing the front door: signed requests, through the real HTTP receiver, for every command, action
 * id, shortcut, modal and event the app registers (read off the Bolt app itself, and checked against
 * src/slack/ids.ts), with payloads shaped like Slack's and then broken: missing fields, wrong types,
 * null, huge and hostile strings, malformed private_metadata and view state, ids nobody knows, and
 * bodies that are not Slack requests at all.
 *
 * Every case must: never crash the process or answer 5xx; answer within Slack's 3 seconds; write
 * nothing to the database; send nothing to a channel (only private answers: ephemerals, DMs, modals);
 * and log at most one concise line, never a stack trace (a refused request: exactly one line).
 * Each request carries its own timestamp, so the replay check never sees the same signature twice.
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/shared/clock.js";
import * as ids from "../../src/slack/ids.js";
import { routes } from "../../src/slack/listeners/kit/routes.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, type LogLine, startHarness } from "../support/harness.js";
import { hostile } from "../support/hostile.js";
import { FORM, formPayload, postSigned, type RawResult } from "../support/raw-request.js";
import { describeDb } from "../support/test-db.js";

type Json = Record<string, unknown>;

/** FUZZ_SCALE=10 runs ten times the cases (about ten minutes); the default keeps the suite near 60 s. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** FUZZ_SEED replays a failure: the seed fast-check printed with its counterexample. */
const SEED = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)), ...SEED });
/** Per property: a few seconds at the default scale, generous for a slow machine and for FUZZ_SCALE. */
const TIMEOUT = 60_000 * Math.max(1, SCALE);

// ---- what the app registers ---------------------------------------------------------------------

interface Registry {
  actions: string[];
  views: string[];
  shortcuts: string[];
  commands: string[];
  events: string[];
}

/** Every string constant in ids.ts, plus the reading inputs' ids: the candidates for regex ids. */
function idCandidates(): string[] {
  const out: string[] = ids.SIGNAL_KINDS.flatMap((k) => [
    ids.readingBlock(k),
    ids.readingBlock(k, 1),
    ids.addSignalAction(k),
  ]);
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "object" && v !== null && !(v instanceof RegExp)) Object.values(v).forEach(walk);
  };
  Object.values(ids).forEach(walk);
  return [...new Set(out)];
}

/** A listener's constraint as the ids it answers: a string, every candidate a regex matches, or an object's id. */
function idsOf(constraint: unknown, key: "action_id" | "callback_id"): string[] {
  if (typeof constraint === "string") return [constraint];
  if (constraint instanceof RegExp) {
    const matched = idCandidates().filter((c) => constraint.test(c));
    if (matched.length === 0) throw new Error(`no known id matches ${constraint}`);
    return matched;
  }
  if (typeof constraint === "object" && constraint !== null) return idsOf((constraint as Json)[key], key);
  throw new Error(`unexpected listener constraint ${String(constraint)}`);
}

/** The `/ratchet` subcommands (from the help and README), each with what follows it. */
const SUBCOMMANDS = [
  "setup",
  "new",
  "list",
  "log",
  "history",
  "deviate",
  "deviations",
  "hat",
  "hat list",
  "hats",
  "floor",
  "debrief",
  "alarms",
  "rollup",
  "rollup settings",
  "rollup preview",
  "incident",
  "incident stats",
  "incident channel",
  "learn",
  "learn schedule",
  "help",
];

/** Every input block id in ids.ts: the keys a fuzzed view state draws from. */
const INPUT_BLOCKS = [
  ...Object.values(ids.TEAM_BLOCK),
  ...Object.values(ids.MECH_BLOCK),
  ...ids.SIGNAL_KINDS.flatMap((k) =>
    (["name", "baseline", "target", "unit"] as const).flatMap((p) => [
      ids.signalBlock(k, p),
      ids.signalBlock(k, p, 1),
    ]),
  ),
  ...Object.values(ids.REVIEW_BLOCK),
  ...ids.SIGNAL_KINDS.map((k) => ids.readingBlock(k)),
  ...Object.values(ids.DEV_BLOCK),
  ...Object.values(ids.FLOOR_BLOCK),
  ...Object.values(ids.DEBRIEF_BLOCK),
  ...Object.values(ids.INCIDENT_BLOCK),
  ...Object.values(ids.ROLLUP_SETTINGS_BLOCK),
  ...Object.values(ids.ACTION_ITEM_BLOCK),
  ...Object.values(ids.LEARN_BLOCK),
];

// ---- arbitraries ----------------------------------------------------------------------------------

const USERS = ["U0TESTER", "U0OWNER", "U0STOPPER"];
/** Ids the database has never seen, in Slack's alphabet (so they pass the envelope and reach listeners). */
const unknownId = fc.stringMatching(/^[A-Z0-9]{1,12}$/).map((s) => `Z${s}`);
/** What a payload's free text or an id-carrying value may be: hostile text, a stranger's id, or a wrong type. */
const text = fc.oneof(
  { arbitrary: hostile, weight: 4 },
  { arbitrary: unknownId, weight: 2 },
  {
    arbitrary: fc.constantFrom("", " ", "0", "-1", "1e309", "NaN", "null", "__proto__", "constructor"),
    weight: 1,
  },
  // Huge: well past every Slack limit, inside the 4 MB body limit.
  {
    arbitrary: fc.constantFrom("x".repeat(100_000), "<!channel>".repeat(10_000), "😀&".repeat(40_000)),
    weight: 1,
  },
);
const wrongType = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
  fc.constant({ toString: 1, valueOf: 1 }),
);
const anything = fc.oneof({ arbitrary: text, weight: 3 }, { arbitrary: wrongType, weight: 2 });

/** private_metadata: what builders write, with strangers' ids and wrong types, or not JSON at all. */
const metadata = fc.oneof(
  fc.constant(""),
  text,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        teamId: anything,
        mechanismId: anything,
        reviewId: anything,
        roundId: anything,
        deviationId: anything,
        incidentId: anything,
        actionItemId: anything,
        channelId: anything,
        sourceLink: anything,
        dm: fc.oneof(anything, fc.record({ channel: anything, ts: anything })),
        prompt: fc.oneof(anything, fc.record({ channel: anything, ts: anything })),
      },
      { requiredKeys: [] },
    )
    .map((m) => JSON.stringify(m)),
);

/** One input's state: a real element shape with a hostile or wrongly typed value, or not an element. */
const stateElement = fc.oneof(
  fc.record({ type: fc.constant("plain_text_input"), value: anything }),
  fc.record({
    type: fc.constant("static_select"),
    selected_option: fc.oneof(wrongType, fc.record({ value: anything })),
  }),
  fc.record({
    type: fc.constant("multi_static_select"),
    selected_options: fc.oneof(wrongType, fc.array(fc.record({ value: anything }), { maxLength: 3 })),
  }),
  fc.record({ type: fc.constant("users_select"), selected_user: anything }),
  fc.record({
    type: fc.constant("multi_users_select"),
    selected_users: fc.oneof(wrongType, fc.array(anything, { maxLength: 3 })),
  }),
  fc.record({ type: fc.constant("conversations_select"), selected_conversation: anything }),
  fc.record({ type: fc.constant("datepicker"), selected_date: anything }),
  fc.record({ type: fc.constant("timepicker"), selected_time: anything }),
  fc.record({
    type: fc.constant("datetimepicker"),
    selected_date_time: fc.oneof(fc.integer(), fc.double(), anything),
  }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue(), { maxKeys: 2 }),
);
const stateValues = fc
  .subarray(INPUT_BLOCKS, { maxLength: 8 })
  .chain((blocks) =>
    fc
      .tuple(...blocks.map((b) => stateElement.map((e) => [b, { [b]: e }] as const)))
      .map((entries) => Object.fromEntries(entries)),
  );

/** Whether any key or string holds U+0000, which the envelope check refuses (PostgreSQL can't store it). */
function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).some(([k, v]) => k.includes("\u0000") || holdsNul(v));
  }
  return false;
}
/** A well-formed request is answered 200, unless it carries U+0000: refused with 400. */
const okUnless = (input: unknown) => ({ status: holdsNul(input) ? [400] : [200] });

// ---- the suite --------------------------------------------------------------------------------------

describeDb("fuzzing every registered entry point", () => {
  let h: Harness;
  let clock: ManualClock;
  let registry: Registry;
  /** the team, mechanism and review rows as the fixtures left them */
  let initial: string;
  const pending = new Set<Promise<void>>();
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  const stats = { cases: 0, fiveXx: 0, maxAckMs: 0, refused: 0, byStatus: {} as Record<number, number> };

  beforeAll(async () => {
    process.on("unhandledRejection", onCrash);
    process.on("uncaughtException", onCrash);
    // The guard's clock starts at the real time (Bolt checks timestamps against it) and moves a second per case.
    clock = new ManualClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    h = await startHarness({ requestClock: clock });
    // Every entry point the listeners registered, read from the routing table Bolt dispatches through.
    const routed = routes(h.composed.app).registered();
    registry = {
      actions: routed.actions.flatMap((c) => idsOf(c, "action_id")),
      views: routed.views,
      shortcuts: routed.shortcuts,
      commands: routed.commands,
      events: routed.events,
    };
    // Track each request until every listener is done, so side effects are checked once they happened.
    const app = h.composed.app;
    const processEvent = app.processEvent.bind(app);
    app.processEvent = (event) => {
      const run = processEvent(event);
      const tracked = run.then(
        () => undefined,
        () => undefined,
      );
      pending.add(tracked);
      void tracked.then(() => pending.delete(tracked));
      return run;
    };
    await setupTeam(h);
    await createMechanism(h);
    await settle();
    initial = await snapshot();
  }, 60_000);

  afterAll(async () => {
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
    console.info(
      `fuzz: ${stats.cases} cases, ${crashes.length} crashes, ${stats.fiveXx} 5xx, max ack ${Math.round(stats.maxAckMs)} ms, ` +
        `${stats.refused} refused before Bolt; by status ${JSON.stringify(stats.byStatus)}`,
    );
    await h?.close();
  });

  const settle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
    await h.composed.deps.afterAck.idle();
    await h.composed.deps.alarms.settled();
    await h.composed.deliverer.idle();
  };

  /** Rows in every table a person's action can create, except the request claims (JobRun): one query. */
  const TABLES = [
    "Workspace",
    "Team",
    "Mechanism",
    "Signal",
    "Reading",
    "Review",
    "Decision",
    "Deviation",
    "DebriefRound",
    "DebriefAnswer",
    "Alarm",
    "Incident",
    "TimelineEntry",
    "Why",
    "Factor",
    "Finding",
    "ActionItem",
    "ActionItemEvent",
    "Tag",
    "IncidentTag",
    "Delivery",
    "ChannelProblem",
  ];
  const COUNTS = `SELECT ${TABLES.map((t) => `(SELECT COUNT(*) FROM "${t}") AS "${t}"`).join(", ")}`;
  const counts = async (): Promise<Record<string, string>> => {
    const [row] = await h.testDb.db.$queryRawUnsafe<Record<string, unknown>[]>(COUNTS);
    return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, String(v)]));
  };
  /** Everything in the rows a settings change or a decision would touch, to catch updates too. */
  const snapshot = async () => {
    const db = h.testDb.db;
    return JSON.stringify(
      await Promise.all([db.team.findMany(), db.mechanism.findMany(), db.review.findMany()]),
    );
  };

  /** A Slack request sent as a case: status, timing and every invariant. */
  async function sendCase(
    send: (ts: number) => Promise<RawResult>,
    expected: { status: readonly number[]; refused?: boolean },
  ): Promise<void> {
    clock.advance(1000);
    const ts = Math.floor(clock.now().getTime() / 1000);
    const before = await counts();
    const logsBefore = h.logs.length;
    const callsBefore = h.fake.calls.length;
    const res = await send(ts);
    await settle();
    stats.cases += 1;
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    stats.maxAckMs = Math.max(stats.maxAckMs, res.ms);
    if (res.status >= 500) stats.fiveXx += 1;
    const lines: LogLine[] = h.logs.slice(logsBefore);
    const refusals = lines.filter((l) => l.msg === "refused a Slack request");
    if (refusals.length > 0) stats.refused += 1;

    expect(res.status, res.text).toBeLessThan(500);
    expect(expected.status, `status ${res.status}: ${res.text.slice(0, 200)}`).toContain(res.status);
    expect(res.ms).toBeLessThan(3000);
    if (expected.refused || res.status === 400) expect(refusals).toHaveLength(1);
    const loud = lines.filter((l) => l.level >= 40);
    expect(loud.length, JSON.stringify(loud).slice(0, 2000)).toBeLessThanOrEqual(1);
    expect(
      lines.filter((l) => l.level >= 50),
      JSON.stringify(lines).slice(0, 2000),
    ).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain("    at ");
    expect(await counts()).toEqual(before);
    const calls = h.fake.calls.slice(callsBefore);
    const broadcasts = calls.filter(
      (c) =>
        ["chat.postMessage", "chat.update", "chat.scheduleMessage", "files.completeUploadExternal"].includes(
          c.method,
        ) && !String(c.args.channel ?? c.args.channel_id ?? "").startsWith("D"),
    );
    expect(broadcasts.map((c) => `${c.method} ${JSON.stringify(c.args).slice(0, 300)}`)).toEqual([]);
    const public_ = calls.filter((c) => c.method === "response_url" && c.args.response_type === "in_channel");
    expect(public_).toEqual([]);
  }

  // -- the envelopes, shaped as Slack sends them --

  const base = (userId: string): Json => ({
    token: "fake-verification-token",
    api_app_id: h.fake.appId,
    team: { id: h.fake.teamId, domain: h.fake.teamDomain },
    user: { id: userId, username: "someone", name: "someone", team_id: h.fake.teamId },
    is_enterprise_install: false,
    enterprise: null,
  });
  const post = (payload: unknown, ts: number) =>
    postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM, ts });

  const blockAction = (o: {
    userId: string;
    actionId: string;
    value: unknown;
    inModal: boolean;
    meta: string;
    values: Json;
  }): Json => {
    const action = {
      action_id: o.actionId,
      block_id: "fuzz_block",
      type: "button",
      value: o.value,
      action_ts: "1.2",
    };
    const common = {
      ...base(o.userId),
      type: "block_actions",
      trigger_id: h.fake.newTriggerId(),
      actions: [action],
    };
    if (o.inModal) {
      const view = {
        id: "V0FUZZ",
        type: "modal",
        callback_id: ids.VIEW.review,
        private_metadata: o.meta,
        hash: "1.x",
        state: { values: o.values },
      };
      return { ...common, container: { type: "view", view_id: "V0FUZZ" }, view };
    }
    return {
      ...common,
      container: {
        type: "message",
        message_ts: "1700000000.000100",
        channel_id: "C0TEAM",
        is_ephemeral: false,
      },
      channel: { id: "C0TEAM", name: "checkout-squad" },
      message: { type: "message", ts: "1700000000.000100", text: "a message", user: h.fake.botUserId },
      state: { values: o.values },
      response_url: h.fake.newResponseUrl({
        channelId: "C0TEAM",
        userId: o.userId,
        messageTs: "1700000000.000100",
      }),
    };
  };
  const viewSubmission = (o: { userId: string; callbackId: string; meta: string; values: Json }): Json => ({
    ...base(o.userId),
    type: "view_submission",
    trigger_id: h.fake.newTriggerId(),
    response_urls: [],
    view: {
      id: "V0FUZZ",
      type: "modal",
      callback_id: o.callbackId,
      private_metadata: o.meta,
      hash: "1.x",
      state: { values: o.values },
    },
  });
  const command = (o: { userId: string; name: string; text: string; channelId: string }) =>
    new URLSearchParams({
      token: "fake-verification-token",
      team_id: h.fake.teamId,
      team_domain: h.fake.teamDomain,
      channel_id: o.channelId,
      channel_name: "somewhere",
      user_id: o.userId,
      user_name: "someone",
      command: o.name,
      text: o.text,
      api_app_id: h.fake.appId,
      is_enterprise_install: "false",
      response_url: h.fake.newResponseUrl({ channelId: o.channelId, userId: o.userId }),
      trigger_id: h.fake.newTriggerId(),
    }).toString();

  it("knows every entry point, and every id in ids.ts has a listener", () => {
    const constants = (o: Record<string, string>) => Object.values(o);
    expect(registry.actions).toEqual(
      expect.arrayContaining([
        ...constants(ids.ACTION),
        ...constants(ids.DEVIATION_ACTION),
        ...constants(ids.HAT_ACTION),
        ...constants(ids.DEBRIEF_ACTION),
        ...constants(ids.ALARM_ACTION),
        ...constants(ids.INCIDENT_ACTION),
        ...constants(ids.ACTION_ITEM_ACTION),
        ...ids.SIGNAL_KINDS.map((k) => ids.readingBlock(k)),
        ...ids.SIGNAL_KINDS.map((k) => ids.addSignalAction(k)),
      ]),
    );
    expect(registry.views).toEqual(
      expect.arrayContaining([
        ...constants(ids.VIEW),
        ...constants(ids.DEVIATION_VIEW),
        ...constants(ids.HAT_VIEW),
        ...constants(ids.DEBRIEF_VIEW),
        ...constants(ids.INCIDENT_VIEW),
        ...constants(ids.ACTION_ITEM_VIEW),
      ]),
    );
    expect(registry.shortcuts).toEqual([ids.INCIDENT_SHORTCUT]);
    expect(registry.commands).toEqual(["/ratchet"]);
    expect(registry.events).toEqual(["member_joined_channel", "app_home_opened"]);
  });

  it(
    "button clicks and input changes, from messages and from modals",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            actionId: fc.constantFrom(...registry.actions),
            userId: fc.constantFrom(...USERS),
            value: fc.oneof(text, unknownId),
            inModal: fc.boolean(),
            meta: metadata,
            values: stateValues,
          }),
          (c) => {
            // The oracle looks at what is sent: a message click carries no view, so no metadata.
            const body = blockAction(c);
            return sendCase((ts) => post(body, ts), okUnless(body));
          },
        ),
        runs(150),
      );
    },
    TIMEOUT,
  );

  it(
    "modal submissions with malformed inputs and metadata",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            callbackId: fc.constantFrom(...registry.views),
            userId: fc.constantFrom(...USERS),
            meta: metadata,
            values: stateValues,
          }),
          (c) => sendCase((ts) => post(viewSubmission(c), ts), okUnless(c)),
        ),
        runs(200),
      );
    },
    TIMEOUT,
  );

  it(
    "the message shortcut, on hostile messages, and as a global shortcut",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            callbackId: fc.constantFrom(...registry.shortcuts),
            userId: fc.constantFrom(...USERS),
            global: fc.boolean(),
            channelId: fc.constantFrom("C0TEAM", "C0OTHER", "C0NOTEAM"),
            messageText: text,
            messageTs: fc.oneof(fc.constant("1700000000.000100"), text),
          }),
          (c) => {
            const payload = c.global
              ? {
                  ...base(c.userId),
                  type: "shortcut",
                  callback_id: c.callbackId,
                  trigger_id: h.fake.newTriggerId(),
                  action_ts: "1.2",
                }
              : {
                  ...base(c.userId),
                  type: "message_action",
                  callback_id: c.callbackId,
                  trigger_id: h.fake.newTriggerId(),
                  action_ts: "1.2",
                  channel: { id: c.channelId, name: "somewhere" },
                  message_ts: c.messageTs,
                  message: { type: "message", ts: c.messageTs, text: c.messageText, user: "U0OWNER" },
                  response_url: h.fake.newResponseUrl({ channelId: c.channelId, userId: c.userId }),
                };
            return sendCase((ts) => post(payload, ts), okUnless(payload));
          },
        ),
        runs(60),
      );
    },
    TIMEOUT,
  );

  it(
    "slash commands with hostile arguments, in the team's channel and elsewhere",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            sub: fc.oneof(fc.constantFrom(...SUBCOMMANDS), text),
            rest: fc.oneof(fc.constant(""), text),
            userId: fc.constantFrom(...USERS),
            inTeamChannel: fc.boolean(),
          }),
          (c) => {
            // `incident channel <#C…>` in the team's channel is a real change, not bad input: only elsewhere.
            const channelId = c.inTeamChannel && !c.sub.startsWith("incident") ? "C0TEAM" : "C0NOTEAM";
            const body = command({
              userId: c.userId,
              name: registry.commands[0] ?? "",
              text: `${c.sub} ${c.rest}`,
              channelId,
            });
            return sendCase((ts) => postSigned(h.appUrl, body, { contentType: FORM, ts }), okUnless(c));
          },
        ),
        runs(120),
      );
    },
    TIMEOUT,
  );

  it(
    "events, for the registered type and others, with hostile fields",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            type: fc.oneof(
              fc.constantFrom(...registry.events, "app_mention", "message", "team_join"),
              fc.string({ maxLength: 20 }),
            ),
            user: fc.oneof(fc.constantFrom(h.fake.botUserId, ...USERS), unknownId, text),
            channel: fc.oneof(fc.constantFrom("C0TEAM", "C0NOTEAM"), unknownId, text),
            text,
          }),
          (c) => {
            const body = {
              token: "fake-verification-token",
              team_id: h.fake.teamId,
              api_app_id: h.fake.appId,
              type: "event_callback",
              event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
              event_time: 1700000000,
              event: {
                type: c.type,
                user: c.user,
                channel: c.channel,
                text: c.text,
                ts: "1700000000.000200",
                event_ts: "1700000000.000200",
              },
              authorizations: [
                { enterprise_id: null, team_id: h.fake.teamId, user_id: h.fake.botUserId, is_bot: true },
              ],
            };
            return sendCase((ts) => postSigned(h.appUrl, JSON.stringify(body), { ts }), okUnless(body));
          },
        ),
        runs(60),
      );
    },
    TIMEOUT,
  );

  it(
    "ids no listener knows, for each kind",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            kind: fc.constantFrom("action", "view", "shortcut", "command"),
            id: fc.stringMatching(/^[a-z_]{1,30}$/),
            userId: fc.constantFrom(...USERS),
          }),
          (c) => {
            if (
              registry.actions.includes(c.id) ||
              registry.views.includes(c.id) ||
              registry.shortcuts.includes(c.id)
            )
              return Promise.resolve();
            const payload =
              c.kind === "action"
                ? blockAction({
                    userId: c.userId,
                    actionId: c.id,
                    value: "x",
                    inModal: false,
                    meta: "",
                    values: {},
                  })
                : c.kind === "view"
                  ? viewSubmission({ userId: c.userId, callbackId: c.id, meta: "", values: {} })
                  : {
                      ...base(c.userId),
                      type: "shortcut",
                      callback_id: c.id,
                      trigger_id: h.fake.newTriggerId(),
                    };
            return sendCase(
              (ts) =>
                c.kind === "command"
                  ? postSigned(
                      h.appUrl,
                      command({ userId: c.userId, name: `/${c.id}`, text: "", channelId: "C0TEAM" }),
                      { contentType: FORM, ts },
                    )
                  : post(payload, ts),
              { status: [200] },
            );
          },
        ),
        runs(40),
      );
    },
    TIMEOUT,
  );

  it(
    "real payloads with one envelope field removed or of the wrong type",
    async () => {
      const paths: Record<string, string[][]> = {
        block_actions: [
          ["user"],
          ["user", "id"],
          ["actions"],
          ["actions", "0"],
          ["actions", "0", "action_id"],
          ["type"],
          ["view"],
          ["view", "state"],
          ["channel"],
          ["channel", "id"],
          ["response_url"],
          ["team"],
          ["message"],
        ],
        view_submission: [
          ["user"],
          ["user", "id"],
          ["view"],
          ["view", "id"],
          ["view", "callback_id"],
          ["view", "state"],
          ["view", "state", "values"],
          ["view", "private_metadata"],
          ["response_urls"],
          ["team"],
        ],
        message_action: [
          ["channel"],
          ["channel", "id"],
          ["message"],
          ["message", "text"],
          ["message_ts"],
          ["callback_id"],
          ["trigger_id"],
          ["response_url"],
          ["user"],
        ],
      };
      /** The payload with the field at `path` removed (`to` undefined) or replaced; as it was if there is no such field. */
      const mutate = (payload: Json, path: string[], to: unknown): Json => {
        const copy = structuredClone(payload);
        let at: unknown = copy;
        for (const key of path.slice(0, -1))
          at = typeof at === "object" && at !== null ? (at as Json)[key] : undefined;
        if (typeof at !== "object" || at === null) return copy;
        const last = path.at(-1) ?? "";
        if (to === undefined) delete (at as Json)[last];
        else (at as Json)[last] = to;
        return copy;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            kind: fc.constantFrom("block_actions", "view_submission", "message_action"),
            which: fc.nat(),
            to: fc.oneof(fc.constant(undefined), wrongType, text),
            actionId: fc.constantFrom(...registry.actions),
            callbackId: fc.constantFrom(...registry.views),
          }),
          (c) => {
            const list = paths[c.kind] ?? [];
            const path = list[c.which % list.length] ?? ["type"];
            const real =
              c.kind === "block_actions"
                ? blockAction({
                    userId: "U0TESTER",
                    actionId: c.actionId,
                    value: "ZNOPE",
                    inModal: c.which % 2 === 0,
                    meta: "",
                    values: {},
                  })
                : c.kind === "view_submission"
                  ? viewSubmission({ userId: "U0TESTER", callbackId: c.callbackId, meta: "", values: {} })
                  : {
                      ...base("U0TESTER"),
                      type: "message_action",
                      callback_id: ids.INCIDENT_SHORTCUT,
                      trigger_id: h.fake.newTriggerId(),
                      channel: { id: "C0NOTEAM", name: "x" },
                      message_ts: "1.2",
                      message: { ts: "1.2", text: "hi" },
                      response_url: h.fake.newResponseUrl({ channelId: "C0NOTEAM", userId: "U0TESTER" }),
                    };
            // Some of these are still valid (an optional field removed, a string for a string): 200 then, else 400.
            return sendCase((ts) => post(mutate(real, path, c.to), ts), { status: [200, 400] });
          },
        ),
        runs(150),
      );
    },
    TIMEOUT,
  );

  it(
    "bodies that are not Slack requests at all",
    async () => {
      const body = fc.oneof(
        fc.jsonValue().map((v) => ({ raw: JSON.stringify(v) ?? "null", type: "application/json" })),
        fc.jsonValue().map((v) => ({ raw: formPayload(JSON.stringify(v) ?? "null"), type: FORM })),
        fc.string({ maxLength: 200 }).map((s) => ({ raw: s, type: "application/json" })),
        fc.string({ maxLength: 200 }).map((s) => ({ raw: s, type: FORM })),
        fc
          .dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))
          .map((d) => ({ raw: new URLSearchParams(d).toString(), type: FORM })),
        fc
          .constantFrom("null", "[]", "{}", '""', "0", "true")
          .map((raw) => ({ raw, type: "application/json" })),
        fc
          .constantFrom("payload=null", "payload=", "payload=%7B", "payload=1&payload=2", "command=")
          .map((raw) => ({ raw, type: FORM })),
      );
      await fc.assert(
        fc.asyncProperty(body, (b) => {
          // A JSON object or form that happens to be well formed (say {"type":"url_verification","challenge":""}) is fine too.
          return sendCase((ts) => postSigned(h.appUrl, b.raw, { contentType: b.type, ts }), {
            status: [400, 200],
          });
        }),
        runs(150),
      );
    },
    TIMEOUT,
  );

  it("changed nothing the team had", async () => {
    // Run last: the properties above left every row as the fixtures made it.
    expect(await snapshot()).toBe(initial);
    expect(crashes).toEqual([]);
  });
});
