/**
 * Isolation, proven from outside: workspace A (the harness's own, T0RATCHET) has a team with a
 * mechanism, reviews, decisions, deviations, alarms, an incident with its COE and action item, Floor
 * defaults, a debrief round, WBR metrics. From workspace B, and from a person of A who isn't in the
 * team's channel, every registered action, modal, `/ratchet` subcommand (read off the app's routes
 * table and FEATURES, so a new one is covered the day it is registered), message shortcut and event is
 * sent carrying A's ids (button values, private_metadata, a select's chosen option, command words).
 * Each must be refused in words, change none of A's rows, and show nothing of A to the asker.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as ids from "../../src/slack/ids.js";
import { ACTION, TEAM_BLOCK } from "../../src/slack/ids.js";
import { FEATURES } from "../../src/slack/listeners/commands/features.js";
import { routes } from "../../src/slack/listeners/kit/routes.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { FORM, formPayload, postSigned } from "../support/raw-request.js";
import { describeDb } from "../support/test-db.js";

type Json = Record<string, unknown>;

/** Every piece of A's text carries this, so a leak anywhere B looks is one search. */
const SECRET = "ALPHA-SECRET";
const WORKSPACE_A = "T0RATCHET";
const WORKSPACE_B = "T0BWORKSPACE";
const INTRUDER = "U0BINTRUDER";
/** a person of workspace A who isn't in the team's channel */
const OUTSIDER = "U0OUTSIDER";
const MEMBERS = ["U0TESTER", "U0OWNER", "U0STOPPER"];

const NOT_HERE = "isn't in this workspace";
const NOT_IN_CHANNEL = "aren't in";

/** Every string constant in ids.ts plus the reading ids: what a regex-routed action id can be. */
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

describeDb("isolation between workspaces and team channels", () => {
  let h: Harness;
  /** A's object ids, by kind */
  const a: Record<string, string> = {};
  let registry: ReturnType<ReturnType<typeof routes>["registered"]>;

  /** Every row of A's data, as it stands: compared before and after the intrusions. */
  async function snapshot(): Promise<string> {
    const db = h.testDb.db;
    const by = { orderBy: { id: "asc" as const } };
    return JSON.stringify(
      await Promise.all([
        db.team.findMany(by),
        db.workspace.findMany({ orderBy: { slackTeamId: "asc" } }),
        db.mechanism.findMany(by),
        db.signal.findMany(by),
        db.guardrail.findMany(by),
        db.review.findMany(by),
        db.decision.findMany(by),
        db.reading.findMany(by),
        db.deviation.findMany(by),
        db.alarm.findMany(by),
        db.incident.findMany(by),
        db.why.findMany(by),
        db.factor.findMany(by),
        db.finding.findMany(by),
        db.actionItem.findMany(by),
        db.floorDefault.findMany(by),
        db.floorRetirement.findMany(by),
        db.debriefRound.findMany(by),
        db.debriefAnswer.findMany(by),
        db.wbrMetric.findMany(by),
        db.hatCase.findMany(by),
        db.learningSession.findMany(by),
        db.quarterlyReview.findMany(by),
      ]),
    );
  }

  beforeAll(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    h.fake.addUser({ id: INTRUDER, name: "ivy", real_name: "Ivy Intruder", tz: "Europe/Berlin" });
    h.fake.addUser({ id: OUTSIDER, name: "otto", real_name: "Otto Outsider", tz: "Europe/London" });
    const channel = h.fake.channel("C0TEAM");
    if (!channel) throw new Error("the harness has no C0TEAM");
    channel.members = [...MEMBERS];

    // A's team and mechanism, through the app.
    await h.sender.command("setup", { channelId: "C0TEAM" });
    const setup = await h.openedView();
    const saved = await h.sender.submitView(setup.id, {
      [TEAM_BLOCK.name]: `${SECRET} squad`,
      [TEAM_BLOCK.timezone]: "Europe/London",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    if (saved.errors) throw new Error(JSON.stringify(saved.errors));
    const { mechanism } = await createMechanism(h, {
      ...goodMechanism,
      [ids.MECH_BLOCK.title]: `${SECRET} first-run nudge`,
    });
    await h.settle();

    // The rest of A's objects, written as the services would have.
    const db = h.testDb.db;
    const now = h.clock.now();
    const team = await db.team.findFirstOrThrow({ where: { channelId: "C0TEAM" } });
    const teamId = team.id;
    const signal = await db.signal.findFirstOrThrow({ where: { mechanismId: mechanism.id } });
    const review = await db.review.create({
      data: { mechanismId: mechanism.id, dueAt: now, createdAt: now },
    });
    const decision = await db.decision.create({
      data: {
        mechanismId: mechanism.id,
        reviewId: review.id,
        decision: "continue",
        entry: `${SECRET} decision`,
        source: "review",
        decidedBy: "U0OWNER",
        decidedAt: now,
      },
    });
    const deviation = await db.deviation.create({
      data: {
        teamId,
        area: `${SECRET} area`,
        deviation: `${SECRET} deviation`,
        hypothesis: "h",
        benefit: "b",
        risk: "r",
        cycleIndex: 0,
        ownerId: "U0OWNER",
        createdAt: now,
      },
    });
    const alarm = await db.alarm.create({
      data: {
        teamId,
        kind: "no_decision",
        subjectKey: mechanism.id,
        cycleIndex: 0,
        evidence: `${SECRET} evidence`,
        suggestion: `${SECRET} suggestion`,
        raisedAt: now,
      },
    });
    const incident = await db.incident.create({
      data: {
        teamId,
        title: `${SECRET} outage`,
        severity: "sev2",
        impact: `${SECRET} impact`,
        startedAt: now,
        detectedAt: now,
        reporterId: "U0OWNER",
        reporterTz: "Europe/London",
        createdAt: now,
      },
    });
    const why = await db.why.create({
      data: { incidentId: incident.id, text: `${SECRET} why`, createdAt: now },
    });
    const finding = await db.finding.create({
      data: { incidentId: incident.id, text: `${SECRET} finding`, createdAt: now },
    });
    const actionItem = await db.actionItem.create({
      data: { findingId: finding.id, ownerId: "U0OWNER", dueDate: "2026-12-09", kind: "fix", createdAt: now },
    });
    const floorDefault = await db.floorDefault.create({
      data: {
        teamId,
        text: `${SECRET} default`,
        why: "w",
        kind: "default",
        addedBy: "U0OWNER",
        createdAt: now,
      },
    });
    const round = await db.debriefRound.create({
      data: { teamId, promptAt: now, digestAt: now, localDate: "2026-11-27", createdAt: now },
    });
    const metric = await db.wbrMetric.create({
      data: {
        teamId,
        name: `${SECRET} metric`,
        kind: "input",
        ownerId: "U0OWNER",
        direction: "up",
        target: 1,
        createdBy: "U0OWNER",
        createdAt: now,
      },
    });
    Object.assign(a, {
      team: teamId,
      mechanism: mechanism.id,
      signal: signal.id,
      review: review.id,
      decision: decision.id,
      deviation: deviation.id,
      alarm: alarm.id,
      incident: incident.id,
      why: why.id,
      finding: finding.id,
      actionItem: actionItem.id,
      floorDefault: floorDefault.id,
      debriefRound: round.id,
      wbrMetric: metric.id,
    });
    registry = routes(h.composed.app).registered();
  }, 60_000);
  afterAll(async () => h?.close());

  const idList = () => Object.values(a);

  /** A request as `who` of `workspace` sends it, with Slack's envelope fields. */
  function envelope(workspace: string, user: string): Json {
    return {
      token: "fake-verification-token",
      api_app_id: h.fake.appId,
      team: { id: workspace, domain: "elsewhere" },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: workspace },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  async function click(workspace: string, user: string, actionId: string, value: string) {
    const responseUrl = h.fake.newResponseUrl({ channelId: "C0OTHER", userId: user });
    const payload = {
      ...envelope(workspace, user),
      type: "block_actions",
      trigger_id: h.fake.newTriggerId(),
      container: { type: "message", message_ts: "1700000000.000100", channel_id: "C0OTHER" },
      channel: { id: "C0OTHER", name: "random" },
      message: { type: "message", ts: "1700000000.000100", text: "a message" },
      response_url: responseUrl,
      actions: [
        { action_id: actionId, block_id: "probe", type: "button", value, action_ts: "1700000000.000200" },
      ],
    };
    const res = await postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM });
    expect(res.status).toBe(200);
    const answer = await eventually(async () => h.fake.responseUrlPosts.find((p) => p.url === responseUrl));
    return JSON.stringify(answer.body);
  }

  async function submit(
    workspace: string,
    user: string,
    callbackId: string,
    metaId: string,
    optionId: string,
  ) {
    // Every id key builders use, all naming A's objects, and a select whose chosen option is A's.
    const meta = {
      teamId: metaId,
      mechanismId: metaId,
      reviewId: metaId,
      roundId: metaId,
      deviationId: metaId,
      incidentId: metaId,
      actionItemId: metaId,
      id: metaId,
    };
    const payload = {
      ...envelope(workspace, user),
      type: "view_submission",
      trigger_id: h.fake.newTriggerId(),
      response_urls: [],
      view: {
        id: "V0PROBE",
        type: "modal",
        callback_id: callbackId,
        private_metadata: JSON.stringify(meta),
        blocks: [
          {
            type: "input",
            block_id: "probe",
            label: { type: "plain_text", text: "Which" },
            element: { type: "static_select", action_id: "probe" },
          },
        ],
        state: {
          values: {
            probe: { probe: { type: "static_select", selected_option: { value: optionId } } },
          },
        },
      },
    };
    const res = await postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM });
    expect(res.status).toBe(200);
    return res.text;
  }

  async function command(workspace: string, user: string, text: string) {
    const body = new URLSearchParams({
      token: "fake-verification-token",
      team_id: workspace,
      team_domain: "elsewhere",
      channel_id: "C0TEAM",
      channel_name: "checkout-squad",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/ratchet",
      text,
      api_app_id: h.fake.appId,
      is_enterprise_install: "false",
      response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: user }),
      trigger_id: h.fake.newTriggerId(),
    }).toString();
    const res = await postSigned(h.appUrl, body, { contentType: FORM });
    expect(res.status).toBe(200);
    return res.text;
  }

  const actionIds = () =>
    registry.actions.flatMap((id) =>
      typeof id === "string" ? [id] : idCandidates().filter((c) => id.test(c)),
    );
  const subcommandWords = () => [...new Set(FEATURES.flatMap((f) => Object.keys(f(h.composed.deps))))];

  /** What B (or the outsider) could see since `from`: every Slack call and response_url answer. */
  const seenSince = (from: { calls: number; responses: number }) =>
    JSON.stringify([h.fake.calls.slice(from.calls), h.fake.responseUrlPosts.slice(from.responses)]);
  const mark = () => ({ calls: h.fake.calls.length, responses: h.fake.responseUrlPosts.length });

  for (const [who, workspace, user, words] of [
    ["another workspace", WORKSPACE_B, INTRUDER, NOT_HERE],
    ["a person not in the team's channel", WORKSPACE_A, OUTSIDER, NOT_IN_CHANNEL],
  ] as const) {
    it(`refuses every button from ${who} that names A's objects, changing and showing nothing`, async () => {
      const before = await snapshot();
      const from = mark();
      const list = actionIds();
      expect(list.length).toBeGreaterThan(20);
      const failures: string[] = [];
      for (const [i, actionId] of list.entries()) {
        const id = idList()[i % idList().length] ?? "";
        // Values come as bare ids, and as the "id:more" / JSON shapes some buttons carry.
        const value = [id, `${id}:x`, JSON.stringify({ id })][i % 3] ?? id;
        const answer = await click(workspace, user, actionId, value);
        if (!answer.includes(words)) failures.push(`${actionId}: ${answer}`);
      }
      expect(failures).toEqual([]);
      await h.settle();
      expect(await snapshot()).toBe(before);
      expect(seenSince(from)).not.toContain(SECRET);
    }, 120_000);

    it(`refuses every modal submission from ${who} with A's ids in its metadata or its selects`, async () => {
      const before = await snapshot();
      const from = mark();
      expect(registry.views.length).toBeGreaterThan(10);
      const failures: string[] = [];
      for (const [i, callbackId] of registry.views.entries()) {
        const id = idList()[i % idList().length] ?? "";
        // Once through the metadata (with a stranger's option), once through the select alone.
        for (const [metaId, optionId] of [
          [id, "cstrangerid00000000000000"],
          ["{}", id],
        ] as const) {
          const answer = await submit(workspace, user, callbackId, metaId, optionId);
          if (!answer.includes(words)) failures.push(`${callbackId}: ${answer}`);
        }
      }
      expect(failures).toEqual([]);
      await h.settle();
      expect(await snapshot()).toBe(before);
      expect(seenSince(from)).not.toContain(SECRET);
    }, 120_000);

    it(`refuses every /ratchet subcommand from ${who} that names one of A's objects`, async () => {
      const before = await snapshot();
      const from = mark();
      const words_ = subcommandWords();
      expect(words_.length).toBeGreaterThan(10);
      const failures: string[] = [];
      for (const [i, word] of words_.entries()) {
        const id = idList()[i % idList().length] ?? "";
        const answer = await command(workspace, user, `${word} ${id}`);
        if (!answer.includes(words)) failures.push(`${word}: ${answer}`);
      }
      expect(failures).toEqual([]);
      await h.settle();
      expect(await snapshot()).toBe(before);
      expect(seenSince(from)).not.toContain(SECRET);
    }, 120_000);

    it(`refuses each kind of A's object from ${who}, on a button, a modal and a command`, async () => {
      const before = await snapshot();
      for (const [kind, id] of Object.entries(a)) {
        expect(await click(workspace, user, ACTION.editMechanism, id), kind).toContain(words);
        expect(await submit(workspace, user, ids.VIEW.review, id, id), kind).toContain(words);
        expect(await command(workspace, user, `history ${id}`), kind).toContain(words);
      }
      expect(await snapshot()).toBe(before);
    }, 120_000);
  }

  it("shows workspace B nothing of A through commands in A's channel, shortcuts and events", async () => {
    const before = await snapshot();
    const from = mark();
    // Commands without ids, run from B in the channel id A's team uses (a shared channel has one id).
    for (const word of subcommandWords()) await command(WORKSPACE_B, INTRUDER, word);
    // A message shortcut on a message of A's channel, and every event, as B.
    const post = h.fake.messagesIn("C0TEAM")[0];
    for (const callbackId of registry.shortcuts) {
      const payload = {
        ...envelope(WORKSPACE_B, INTRUDER),
        type: "message_action",
        callback_id: callbackId,
        trigger_id: h.fake.newTriggerId(),
        action_ts: "1700000000.000300",
        channel: { id: "C0TEAM", name: "checkout-squad" },
        message: { type: "message", ts: post?.ts ?? "1.1", text: "hello", user: "U0TESTER" },
        message_ts: post?.ts ?? "1.1",
        response_url: h.fake.newResponseUrl({ channelId: "C0TEAM", userId: INTRUDER }),
      };
      const res = await postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM });
      expect(res.status).toBe(200);
    }
    for (const type of registry.events) {
      const body = {
        token: "fake-verification-token",
        team_id: WORKSPACE_B,
        api_app_id: h.fake.appId,
        type: "event_callback",
        event_id: `Ev0ISO${type
          .replace(/[^a-z]/g, "")
          .toUpperCase()
          .slice(0, 20)}`,
        event_time: 1_700_000_000,
        event: { type, user: INTRUDER, channel: "C0TEAM", tab: "home", event_ts: "1700000000.000400" },
      };
      const res = await postSigned(h.appUrl, JSON.stringify(body));
      expect(res.status).toBe(200);
    }
    await h.settle();
    expect(await snapshot()).toBe(before);
    expect(seenSince(from)).not.toContain(SECRET);
  }, 120_000);

  it("lets a member of the team's channel act on its objects (the guard is not a blanket refusal)", async () => {
    const responses = h.fake.responseUrlPosts.length;
    const opened = h.fake.callsTo("views.open").length;
    const responseUrl = h.fake.newResponseUrl({ channelId: "C0TEAM", userId: "U0OWNER" });
    const payload = {
      ...envelope(WORKSPACE_A, "U0OWNER"),
      type: "block_actions",
      trigger_id: h.fake.newTriggerId(),
      channel: { id: "C0TEAM", name: "checkout-squad" },
      response_url: responseUrl,
      actions: [{ action_id: ACTION.editMechanism, block_id: "probe", type: "button", value: a.mechanism }],
    };
    await postSigned(h.appUrl, formPayload(JSON.stringify(payload)), { contentType: FORM });
    await eventually(async () => h.fake.callsTo("views.open").length > opened);
    expect(JSON.stringify(h.fake.callsTo("views.open").at(-1)?.args)).toContain(SECRET);
    expect(h.fake.responseUrlPosts.slice(responses).map((p) => JSON.stringify(p.body))).not.toContainEqual(
      expect.stringContaining(NOT_IN_CHANNEL),
    );
  });

  it("lets a person who joins the channel act once the member list is re-read", async () => {
    const channel = h.fake.channel("C0TEAM");
    if (!channel) throw new Error("no C0TEAM");
    channel.members = [...MEMBERS, OUTSIDER];
    h.clock.advance(61_000);
    const answer = await click(WORKSPACE_A, OUTSIDER, ACTION.logDecision, "cunknownid000000000000000");
    expect(answer).not.toContain(NOT_IN_CHANNEL);
    const opened = h.fake.callsTo("views.open").length;
    await postSigned(
      h.appUrl,
      formPayload(
        JSON.stringify({
          ...envelope(WORKSPACE_A, OUTSIDER),
          type: "block_actions",
          trigger_id: h.fake.newTriggerId(),
          // Logging a decision is anyone's in the channel (editing is the owners', a roles rule).
          actions: [{ action_id: ACTION.logDecision, block_id: "probe", type: "button", value: a.mechanism }],
        }),
      ),
      { contentType: FORM },
    );
    await eventually(async () => h.fake.callsTo("views.open").length > opened);
    channel.members = [...MEMBERS];
    h.clock.advance(61_000);
  });
});
