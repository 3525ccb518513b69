import { afterEach, describe, expect, it, vi } from "vitest";
import { AlarmService } from "../../../src/alarms/alarm-service.js";
import { ALARM_KIND_INFO, type AlarmFinding } from "../../../src/alarms/types.js";
import type { MechanismInput } from "../../../src/mechanisms/mechanism.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { DomainError } from "../../../src/shared/errors.js";
import { createLogger } from "../../../src/shared/logger.js";
import { ALARM_BLOCK } from "../../../src/slack/ids.js";
import type { SlackMessage } from "../../../src/slack/notifier.js";
import type { Team } from "../../../src/teams/team.js";
import { blockById, textOf } from "../../support/blocks.js";
import { testAnnouncer, testDelivery } from "../../support/delivery.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";
import { inMemoryRepositories } from "../../support/repositories.js";
import { teamFixture } from "../../support/team-fixture.js";

// The alarm service over the in-memory repositories and a recording Slack: what the team channel
// shows as the rules find, resolve, acknowledge and snooze alarms, cycle after cycle. The rules
// themselves are specified in rules.test.ts; the e2e suite runs the same flows through HTTP.
//
// The Checkout squad reviews weekly; cycle 0 starts Tue 24 Nov 2026 10:00 London (= 10:00Z, winter).
// Its one mechanism was created on 2 Nov and has no rollback path and no decision yet.
const MECHANISM_CREATED = new Date("2026-11-02T09:00:00Z");
/** Wed 9 Dec 12:00 London, in cycle 2 [8 Dec 10:00, 15 Dec 10:00). */
const IN_CYCLE_2 = new Date("2026-12-09T12:00:00Z");
const IN_CYCLE_3 = new Date("2026-12-16T12:00:00Z");
const IN_CYCLE_4 = new Date("2026-12-23T12:00:00Z");
const CHANNEL = "C0CHECKOUT";

const mechanismInput = (o: Partial<MechanismInput> = {}): MechanismInput => ({
  title: "First-run nudge",
  aim: "Increase activation for new SMB signups",
  aimForWhom: "new SMB signups",
  aimFrom: 27,
  aimTo: 35,
  aimUnit: "%",
  aimBy: "2027-01-31",
  statement: "We believe a nudge will move activation because users stall at step N",
  checkpointRule: "continue if proxy >= 80",
  guardrail: "Error rate ≤ 0.1%",
  stopOwnerId: "U0STOP",
  rollbackPath: "",
  ownerId: "U0OWNER",
  cadenceWeeks: 1,
  signals: [],
  ...o,
});

const ALL_FOUR = [
  "🚨 Thrash alarm: Two cycles without a deviation",
  // Its title is the rules' to word (kills and graduations alike).
  `🚨 Thrash alarm: ${ALARM_KIND_INFO.no_kills.title}`,
  "🧪 Pilot purgatory: Pilot past a cycle without a decision — First-run nudge",
  "🧪 Pilot purgatory: No ops path if it works — First-run nudge",
];

async function world(o: { team?: Partial<Team>; mechanism?: Partial<MechanismInput> } = {}) {
  const repos = inMemoryRepositories();
  const clock = new ManualClock(IN_CYCLE_2);
  const notifier = new RecordingNotifier({
    users: [
      { id: "U0OWNER", name: "owner", tz: null, deleted: false },
      { id: "U0STOP", name: "stopper", tz: null, deleted: false },
    ],
  });
  const { id: _id, ...fields } = teamFixture({
    channelId: CHANNEL,
    createdAt: new Date("2026-11-01T00:00:00Z"),
  });
  const team = await repos.teams.save({ ...fields, ...o.team });
  const input = mechanismInput(o.mechanism);
  const mechanism = await repos.mechanisms.create({
    ...input,
    teamId: team.id,
    createdBy: "U0OWNER",
    createdAt: MECHANISM_CREATED,
    nextReviewAt: null,
  });
  const delivery = testDelivery({ notifier, clock });
  const service = new AlarmService({
    alarms: repos.alarms,
    jobRuns: repos.jobRuns,
    teams: repos.teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox: delivery.outbox,
    log: createLogger("silent"),
    settleMs: 0,
  });
  delivery.handle({ alarm: service.deliveryHandler });
  /** The alarms job then the delivery job, as the scheduler runs them: at the clock's `now`. */
  const sweep = async (at: Date) => {
    clock.set(at);
    const before = notifier.posts.length;
    const { evaluated } = await service.sweep(at);
    await delivery.deliver(at);
    return { evaluated, posted: notifier.posts.length - before };
  };
  const fixOpsPath = () =>
    repos.mechanisms.update(mechanism.id, {
      ...input,
      opsPath: "Support on-call runs it",
      nextReviewAt: null,
      at: clock.now(),
    });
  /** A deviation the team logged under `cycleIndex`. */
  const logDeviation = (cycleIndex: number, createdAt: Date) =>
    repos.deviations.create({
      area: "Onboarding",
      deviation: "Skip the welcome tour for half of signups",
      hypothesis: "Fewer steps, more activation",
      benefit: "Activation",
      risk: "Confused users",
      cycleIndex,
      sensitive: false,
      approverId: null,
      teamId: team.id,
      ownerId: "U0OWNER",
      createdAt,
    });
  return { repos, clock, notifier, team, mechanism, service, sweep, fixOpsPath, logDeviation, delivery };
}

const said = (msg: SlackMessage | undefined) => msg?.text.text;
/** The no_ops_path finding as the rules raise it for the world's mechanism. */
const finding = (mechanismId: string): AlarmFinding => ({
  kind: "no_ops_path",
  subjectKey: mechanismId,
  subjectLabel: "First-run nudge",
  evidence: "legacy evidence",
  suggestion: "legacy suggestion",
});
const block = (msg: SlackMessage | undefined, id: string) => (msg ? textOf(blockById(msg.blocks, id)) : "");
const postedTexts = (n: RecordingNotifier) => n.posts.map((p) => said(p.msg));

/** The id of the alarm a post is about: its buttons carry it. */
function alarmIdOf(msg: SlackMessage | undefined): string {
  const ids = JSON.stringify(msg?.blocks).match(/"value":"(alarm_[^"]+)"/);
  if (!ids?.[1]) throw new Error("no alarm buttons in this message");
  return ids[1];
}

describe("AlarmService: the cycle sweep", () => {
  it("posts each finding once in the team channel, thrash alarms first, with its evidence and one small move", async () => {
    const { notifier, sweep } = await world();
    expect(await sweep(IN_CYCLE_2)).toEqual({ evaluated: 1, posted: 4 });

    expect(notifier.posts.map((p) => p.channel)).toEqual([CHANNEL, CHANNEL, CHANNEL, CHANNEL]);
    expect(postedTexts(notifier)).toEqual(ALL_FOUR);
    const [deviations, , stale, opsPath] = notifier.posts.map((p) => p.msg);
    expect(block(deviations, ALARM_BLOCK.evidence)).toBe(
      "No deviations logged in the last two cycles (24 Nov – 8 Dec).",
    );
    expect(block(stale, ALARM_BLOCK.evidence)).toBe(
      "Active since 2 Nov with no decision logged; the last cycle (1 Dec – 8 Dec) passed without one.",
    );
    expect(block(opsPath, ALARM_BLOCK.suggestion)).toContain("Name who runs it if it works");
    expect(block(opsPath, ALARM_BLOCK.status)).toBe("Raised Wed 9 Dec, 12:00 (Europe/London)");
  });

  it("evaluates a team once per cycle: later sweeps in the same cycle post nothing more", async () => {
    const { notifier, sweep } = await world();
    await sweep(IN_CYCLE_2);
    expect(await sweep(new Date(IN_CYCLE_2.getTime() + 60_000))).toEqual({ evaluated: 0, posted: 0 });
    expect(await sweep(new Date("2026-12-15T09:59:00Z"))).toEqual({ evaluated: 0, posted: 0 });
    expect(notifier.posts).toHaveLength(4);
  });

  it("keeps one message per condition that still holds next cycle, and updates it in place", async () => {
    const { notifier, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const posted = notifier.posts.map((p) => p.ts);
    expect(await sweep(new Date("2026-12-15T10:00:00Z"))).toEqual({ evaluated: 1, posted: 0 });
    expect(notifier.updates.map((u) => u.ts)).toEqual(posted);
    for (const ts of posted) {
      expect(block(notifier.message(CHANNEL, ts), ALARM_BLOCK.status)).toBe(
        "Still open: 2 cycles, since Wed 9 Dec, 12:00 (Europe/London)",
      );
    }
    // A later tick in the same cycle finds nothing new to say.
    expect(await sweep(new Date("2026-12-15T10:05:00Z"))).toEqual({ evaluated: 0, posted: 0 });
    expect(await sweep(IN_CYCLE_3)).toEqual({ evaluated: 0, posted: 0 });
    expect(notifier.updates).toHaveLength(4);
    expect(await sweep(IN_CYCLE_4)).toEqual({ evaluated: 1, posted: 0 });
    expect(block(notifier.message(CHANNEL, posted[3] ?? ""), ALARM_BLOCK.status)).toBe(
      "Still open: 3 cycles, since Wed 9 Dec, 12:00 (Europe/London)",
    );
    expect(notifier.posts).toHaveLength(4);
  });

  it("updates a carried-over message once when two evaluations of the same cycle race", async () => {
    const { notifier, service, team, clock, sweep } = await world();
    await sweep(IN_CYCLE_2);
    clock.set(IN_CYCLE_3);
    await Promise.all([service.evaluateTeam(team, IN_CYCLE_3), service.evaluateTeam(team, IN_CYCLE_3)]);
    await service.evaluateTeam(team, IN_CYCLE_3);
    expect(notifier.updates).toHaveLength(4);
    expect(notifier.posts).toHaveLength(4);
  });

  it("carries the latest evidence into the message when it changes within a cycle", async () => {
    const { notifier, service, team, clock, sweep, logDeviation } = await world();
    await sweep(IN_CYCLE_2);
    const kills = notifier.posts[1];
    // A deviation clears the first alarm; the others' evidence is unchanged: one update, the resolution.
    await logDeviation(2, IN_CYCLE_2);
    clock.set("2026-12-09T13:00:00Z");
    await service.evaluateTeam(team, clock.now());
    expect(notifier.updates.map((u) => u.ts)).toEqual([notifier.posts[0]?.ts]);
    expect(block(notifier.message(CHANNEL, kills?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Raised Wed 9 Dec, 12:00 (Europe/London)",
    );
  });

  it("retries a post Slack refused on a later delivery pass, and posts it once", async () => {
    const { notifier, sweep } = await world();
    notifier.failNext("post");
    expect(await sweep(IN_CYCLE_2)).toEqual({ evaluated: 1, posted: 3 });
    expect(postedTexts(notifier)).toEqual(ALL_FOUR.slice(1));
    // The deliverer backs off a refused message; within the hour it has gone out, and only once.
    for (let minute = 1; minute <= 60; minute++) {
      await sweep(new Date(IN_CYCLE_2.getTime() + minute * 60_000));
    }
    expect(postedTexts(notifier)).toEqual([...ALL_FOUR.slice(1), ALL_FOUR[0]]);
  });

  it("does not raise alarms on a guess when Slack cannot say who is still around, and tries again next tick", async () => {
    const { notifier, sweep } = await world();
    notifier.failNext("userInfo");
    expect(await sweep(IN_CYCLE_2)).toEqual({ evaluated: 0, posted: 0 });
    expect(notifier.posts).toEqual([]);
    expect(await sweep(new Date("2026-12-09T12:01:00Z"))).toEqual({ evaluated: 1, posted: 4 });
  });

  it("stops re-evaluating a team after five failed evaluations in one cycle", async () => {
    const { notifier, sweep } = await world();
    for (let attempt = 0; attempt < 5; attempt++) {
      notifier.failNext("userInfo");
      expect(await sweep(new Date(IN_CYCLE_2.getTime() + attempt * 60_000))).toEqual({
        evaluated: 0,
        posted: 0,
      });
    }
    expect(await sweep(new Date("2026-12-09T13:00:00Z"))).toEqual({ evaluated: 0, posted: 0 });
    expect(notifier.posts).toEqual([]);
    // The next cycle is a new job run.
    expect(await sweep(IN_CYCLE_3)).toEqual({ evaluated: 1, posted: 4 });
  });

  it("keeps no_deviations quiet after a deviation last cycle, even when the team's first one is much older", async () => {
    const { notifier, sweep, logDeviation } = await world();
    await logDeviation(-3, new Date("2026-11-04T09:00:00Z"));
    await logDeviation(1, new Date("2026-12-02T09:00:00Z"));
    await sweep(IN_CYCLE_2);
    expect(postedTexts(notifier)).toEqual(ALL_FOUR.slice(1));
  });

  it("carries an alarm raised before the team's first cycle began into that cycle", async () => {
    // Cycle 0 starts Tue 8 Dec 10:00 London: 2 Dec is in cycle -1, 9 Dec in cycle 0.
    const { notifier, sweep } = await world({ team: { cycleAnchor: new Date("2026-12-08T10:00:00Z") } });
    await sweep(new Date("2026-12-02T12:00:00Z"));
    await sweep(IN_CYCLE_2);
    const opsPath = notifier.posts.filter((p) => said(p.msg) === ALL_FOUR[3]);
    expect(opsPath).toHaveLength(1);
    expect(block(notifier.message(CHANNEL, opsPath[0]?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Still open: 2 cycles, since Wed 2 Dec, 12:00 (Europe/London)",
    );
  });

  it("posts an alarm whose first post expired unsent in the next cycle it still holds, once", async () => {
    const { notifier, sweep } = await world();
    for (let i = 0; i < 4; i++) notifier.failNext("post");
    await sweep(IN_CYCLE_2);
    expect(notifier.posts).toEqual([]);
    // Slack stays down for the rest of the cycle: the deliverer's back-off outlasts it.
    await sweep(IN_CYCLE_3);
    await sweep(new Date(IN_CYCLE_3.getTime() + 60 * 60_000));
    expect([...postedTexts(notifier)].sort()).toEqual([...ALL_FOUR].sort());
    await sweep(IN_CYCLE_4);
    expect(notifier.posts).toHaveLength(4);
  });

  it("skips a team whose cycle cannot be computed and sweeps the others", async () => {
    const { repos, notifier, sweep } = await world();
    const { id: _id, ...broken } = teamFixture({
      channelId: "C0BROKEN",
      timezone: "Mars/Olympus_Mons",
      createdAt: new Date("2026-10-01T00:00:00Z"),
    });
    await repos.teams.save(broken);
    expect(await sweep(IN_CYCLE_2)).toEqual({ evaluated: 1, posted: 4 });
    expect(notifier.postsIn("C0BROKEN")).toEqual([]);
  });
});

describe("AlarmService: who is still around", () => {
  it("treats an owner Slack reports as deleted, and a stop owner Slack does not know, as gone", async () => {
    const { notifier, sweep } = await world();
    notifier.seedUser("U0OWNER", { id: "U0OWNER", name: "owner", tz: null, deleted: true });
    notifier.seedUser("U0STOP", null);
    await sweep(IN_CYCLE_2);
    const texts = postedTexts(notifier);
    expect(texts).toContain("🚨 Thrash alarm: Nobody can say stop — First-run nudge");
    expect(texts).toContain("🧪 Pilot purgatory: Owner unclear — First-run nudge");
    const owner = notifier.posts.find((p) => said(p.msg)?.includes("Owner unclear"))?.msg;
    expect(block(owner, ALARM_BLOCK.evidence)).toBe("Owner <@U0OWNER> is deactivated; active since 2 Nov.");
  });

  it("asks Slack once per named person, and never about a blank one", async () => {
    const { repos, notifier, team, sweep } = await world({ mechanism: { stopOwnerId: "U0OWNER" } });
    await repos.mechanisms.create({
      ...mechanismInput({ title: "Second bet", ownerId: "  ", stopOwnerId: null }),
      teamId: team.id,
      createdBy: "U0OWNER",
      createdAt: MECHANISM_CREATED,
      nextReviewAt: null,
    });
    await sweep(IN_CYCLE_2);
    expect(notifier.calls.filter((c) => c.method === "userInfo")).toHaveLength(1);
    expect(postedTexts(notifier)).toContain("🧪 Pilot purgatory: Owner unclear — Second bet");
  });
});

describe("AlarmService: resolving", () => {
  it("marks a posted alarm resolved in place once its condition no longer holds", async () => {
    const { notifier, service, team, clock, sweep, fixOpsPath } = await world();
    await sweep(IN_CYCLE_2);
    const opsPost = notifier.posts[3];
    await fixOpsPath();
    clock.set("2026-12-09T13:30:00Z");
    const result = await service.evaluateTeam(team, clock.now());
    expect(result).toEqual({ cycle: 2, queued: 0, resolved: 1 });

    expect(notifier.updates).toHaveLength(1);
    expect(notifier.updates[0]).toMatchObject({ channel: CHANNEL, ts: opsPost?.ts });
    const now = notifier.message(CHANNEL, opsPost?.ts ?? "");
    expect(said(now)).toBe("✅ Resolved — No ops path if it works — First-run nudge");
    expect(block(now, ALARM_BLOCK.status)).toBe(
      "Raised Wed 9 Dec, 12:00 (Europe/London) · resolved Wed 9 Dec, 13:30 (Europe/London)",
    );
    // Resolved once: evaluating again changes nothing.
    expect(await service.evaluateTeam(team, clock.now())).toEqual({ cycle: 2, queued: 0, resolved: 0 });
    expect(notifier.updates).toHaveLength(1);
  });

  it("re-checks a team after a data change and resolves what the change fixed", async () => {
    const { notifier, service, team, sweep, fixOpsPath } = await world();
    await sweep(IN_CYCLE_2);
    await fixOpsPath();
    await service.onDataChanged(team.id);
    expect(said(notifier.updates[0]?.msg)).toBe("✅ Resolved — No ops path if it works — First-run nudge");
    expect(await service.list(team.id)).toHaveLength(3);
  });

  it.each([
    ["acknowledged", "acknowledge"],
    ["snoozed", "snooze"],
  ] as const)("resolves an alarm that was %s once its condition no longer holds", async (_, click) => {
    const { notifier, service, team, sweep, fixOpsPath } = await world();
    await sweep(IN_CYCLE_2);
    const opsPost = notifier.posts[3];
    await service[click](alarmIdOf(opsPost?.msg), "U0ALICE");
    await fixOpsPath();
    await service.onDataChanged(team.id);
    expect(said(notifier.message(CHANNEL, opsPost?.ts ?? ""))).toBe(
      "✅ Resolved — No ops path if it works — First-run nudge",
    );
    expect((await service.list(team.id)).map((a) => a.kind)).not.toContain("no_ops_path");
  });

  it("resolves an alarm whose post never reached Slack without touching Slack", async () => {
    const { notifier, service, team, clock, sweep, fixOpsPath } = await world();
    notifier.failNext("post");
    notifier.failNext("post");
    notifier.failNext("post");
    notifier.failNext("post");
    await sweep(IN_CYCLE_2);
    expect(notifier.posts).toEqual([]);
    await fixOpsPath();
    clock.set("2026-12-09T12:05:00Z");
    // The fixed one is resolved; its queued message is dropped, the three that still hold go out.
    expect(await service.evaluateTeam(team, clock.now())).toEqual({ cycle: 2, queued: 0, resolved: 1 });
    for (let minute = 0; minute <= 60; minute++) {
      await sweep(new Date(clock.now().getTime() + 60_000));
    }
    expect(postedTexts(notifier)).toEqual(ALL_FOUR.slice(0, 3));
    expect(notifier.updates).toEqual([]);
  });
});

describe("AlarmService: acknowledge and snooze", () => {
  it("acknowledges once, updating the message it was clicked on", async () => {
    const { notifier, service, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const post = notifier.posts[0];
    const id = alarmIdOf(post?.msg);
    expect(await service.acknowledge(id, "U0ALICE", { channel: CHANNEL, ts: post?.ts ?? "" })).toBe(true);
    expect(block(notifier.message(CHANNEL, post?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Raised Wed 9 Dec, 12:00 (Europe/London) · 👀 Acknowledged by <@U0ALICE>",
    );
    expect(await service.acknowledge(id, "U0BOB", { channel: CHANNEL, ts: post?.ts ?? "" })).toBe(false);
    expect(notifier.updates).toHaveLength(1);
  });

  it("updates the posted message when the click carries no message", async () => {
    const { notifier, service, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const post = notifier.posts[2];
    await service.acknowledge(alarmIdOf(post?.msg), "U0ALICE");
    expect(notifier.updates.map((u) => [u.channel, u.ts])).toEqual([[CHANNEL, post?.ts]]);
    expect(said(notifier.updates[0]?.msg)).toBe(ALL_FOUR[2]);
  });

  it("keeps the acknowledgement when Slack cannot update the message", async () => {
    const { notifier, service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const id = alarmIdOf(notifier.posts[0]?.msg);
    notifier.failNext("update");
    expect(await service.acknowledge(id, "U0ALICE")).toBe(true);
    expect((await service.list(team.id)).map((a) => a.status)).toEqual([
      "acknowledged",
      "open",
      "open",
      "open",
    ]);
  });

  it("snoozes for the rest of this cycle and the next, then raises it again if it still holds", async () => {
    const { notifier, service, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const post = notifier.posts[3];
    expect(await service.snooze(alarmIdOf(post?.msg), "U0ALICE")).toBe(true);
    expect(block(notifier.message(CHANNEL, post?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Raised Wed 9 Dec, 12:00 (Europe/London) · 😴 Snoozed one cycle by <@U0ALICE>; if it still holds it comes back from Tue 22 Dec, 10:00 (Europe/London)",
    );
    await sweep(IN_CYCLE_3);
    expect(notifier.posts).toHaveLength(4);
    expect(block(notifier.message(CHANNEL, post?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Still open: 2 cycles, since Wed 9 Dec, 12:00 (Europe/London) · 😴 Snoozed one cycle by <@U0ALICE>; if it still holds it comes back from Tue 22 Dec, 10:00 (Europe/London)",
    );
    // The snooze is over and it still holds: the same message is open again, buttons and all.
    await sweep(IN_CYCLE_4);
    expect(notifier.posts).toHaveLength(4);
    const reopened = notifier.message(CHANNEL, post?.ts ?? "");
    expect(said(reopened)).toBe(ALL_FOUR[3]);
    expect(block(reopened, ALARM_BLOCK.status)).toBe(
      "Still open: 3 cycles, since Wed 9 Dec, 12:00 (Europe/London)",
    );
    expect(alarmIdOf(reopened)).toBe(alarmIdOf(post?.msg));
  });

  it("keeps an acknowledgement, and who gave it, on the message as the condition stays open", async () => {
    const { notifier, service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const post = notifier.posts[0];
    await service.acknowledge(alarmIdOf(post?.msg), "U0ALICE");
    await sweep(IN_CYCLE_3);
    expect(block(notifier.message(CHANNEL, post?.ts ?? ""), ALARM_BLOCK.status)).toBe(
      "Still open: 2 cycles, since Wed 9 Dec, 12:00 (Europe/London) · 👀 Acknowledged by <@U0ALICE>",
    );
    expect((await service.list(team.id)).map((a) => [a.status, a.cycles])).toEqual([
      ["acknowledged", 2],
      ["open", 2],
      ["open", 2],
      ["open", 2],
    ]);
  });

  it("merges the one-per-cycle rows of a condition raised before issue 11 into its oldest message", async () => {
    const { repos, notifier, service, team, clock, mechanism } = await world();
    // Three cycles of the same condition, each its own row and message, as alarms were kept before.
    const raised = [0, 1, 2].map((cycle) => ({
      cycle,
      at: new Date(Date.UTC(2026, 10, 24 + 7 * cycle, 11)),
    }));
    const ids: string[] = [];
    for (const { cycle, at } of raised) {
      const row = await repos.alarms.claim(team.id, cycle, finding(mechanism.id), at);
      if (!row) throw new Error("not claimed");
      await repos.alarms.markPosted(row.id, `legacy.${cycle}`);
      notifier.seedMessage(CHANNEL, `legacy.${cycle}`);
      ids.push(row.id);
    }
    await repos.alarms.transition(ids[1] ?? "", ["open"], { status: "acknowledged" });
    clock.set(IN_CYCLE_2);
    await service.evaluateTeam(team, IN_CYCLE_2);
    const opsRows = [...repos.store.alarms.values()].filter((a) => a.kind === "no_ops_path");
    expect(opsRows.map((a) => [a.cycleIndex, a.status, a.lastCycle])).toEqual([
      [0, "open", 2],
      [1, "resolved", 1],
      [2, "resolved", 2],
    ]);
    expect(said(notifier.message(CHANNEL, "legacy.1"))).toContain("followed in its first message");
    expect(said(notifier.message(CHANNEL, "legacy.2"))).toContain("followed in its first message");
    expect(block(notifier.message(CHANNEL, "legacy.0"), ALARM_BLOCK.status)).toBe(
      "Still open: 3 cycles, since Tue 24 Nov, 11:00 (Europe/London)",
    );
    const ops = (await service.list(team.id)).filter((a) => a.kind === "no_ops_path");
    expect(ops.map((a) => [a.status, a.cycles])).toEqual([["open", 3]]);
  });

  it("snoozes an acknowledged alarm, but not a snoozed or resolved one", async () => {
    const { notifier, service, team, sweep, fixOpsPath } = await world();
    await sweep(IN_CYCLE_2);
    const [first, , , ops] = notifier.posts.map((p) => alarmIdOf(p.msg));
    await service.acknowledge(first ?? "", "U0ALICE");
    expect(await service.snooze(first ?? "", "U0ALICE")).toBe(true);
    expect(await service.snooze(first ?? "", "U0ALICE")).toBe(false);
    expect(await service.acknowledge(first ?? "", "U0ALICE")).toBe(false);
    await fixOpsPath();
    await service.onDataChanged(team.id);
    expect(await service.snooze(ops ?? "", "U0ALICE")).toBe(false);
  });

  it("says so when the alarm is gone", async () => {
    const { service } = await world();
    await expect(service.acknowledge("alarm_missing", "U0ALICE")).rejects.toThrow(DomainError);
    await expect(service.snooze("alarm_missing", "U0ALICE")).rejects.toMatchObject({
      code: "not_found",
      message: "That alarm no longer exists.",
    });
  });

  it("says so when the alarm's team is gone", async () => {
    const { repos, notifier, service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    repos.store.teams.delete(team.id);
    await expect(service.acknowledge(alarmIdOf(notifier.posts[0]?.msg), "U0ALICE")).rejects.toMatchObject({
      code: "not_found",
      message: "That alarm's team no longer exists.",
    });
  });
});

describe("AlarmService: listing", () => {
  it("lists unresolved alarms in rule order with their subjects and states", async () => {
    const { notifier, service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const ids = notifier.posts.map((p) => alarmIdOf(p.msg));
    await service.acknowledge(ids[1] ?? "", "U0ALICE");
    await service.snooze(ids[2] ?? "", "U0ALICE");
    const list = await service.list(team.id);
    expect(list.map((a) => [a.kind, a.subjectLabel, a.status])).toEqual([
      ["no_deviations", "Team", "open"],
      ["no_kills", "Team", "acknowledged"],
      ["stale_pilot", "First-run nudge", "snoozed"],
      ["no_ops_path", "First-run nudge", "open"],
    ]);
    expect(list[0]?.evidence).toBe("No deviations logged in the last two cycles (24 Nov – 8 Dec).");
  });

  it("lists an alarm raised in several cycles once, with its latest evidence", async () => {
    const { service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    await sweep(IN_CYCLE_3);
    const list = await service.list(team.id);
    expect(list.map((a) => a.kind)).toEqual(["no_deviations", "no_kills", "stale_pilot", "no_ops_path"]);
    expect(list[0]?.evidence).toBe("No deviations logged in the last two cycles (1 Dec – 15 Dec).");
  });

  it("keeps rule order when alarms were raised in different cycles", async () => {
    // A deviation in cycle 0 keeps no_deviations quiet in cycle 2; by cycle 3 it fires too.
    const { service, team, sweep, logDeviation } = await world();
    await logDeviation(0, new Date("2026-11-25T09:00:00Z"));
    await sweep(IN_CYCLE_2);
    await sweep(IN_CYCLE_3);
    expect((await service.list(team.id)).map((a) => a.kind)).toEqual([
      "no_deviations",
      "no_kills",
      "stale_pilot",
      "no_ops_path",
    ]);
  });

  it("names a mechanism that was removed since its alarm was raised", async () => {
    const { repos, service, team, mechanism, sweep } = await world();
    await sweep(IN_CYCLE_2);
    repos.store.mechanisms.delete(mechanism.id);
    expect((await service.list(team.id)).map((a) => a.subjectLabel)).toEqual([
      "Team",
      "Team",
      "a removed mechanism",
      "a removed mechanism",
    ]);
  });

  it("gives the weekly rollup the open and acknowledged alarms, not the snoozed ones", async () => {
    const { notifier, service, team, sweep } = await world();
    await sweep(IN_CYCLE_2);
    const ids = notifier.posts.map((p) => alarmIdOf(p.msg));
    await service.acknowledge(ids[0] ?? "", "U0ALICE");
    await service.snooze(ids[1] ?? "", "U0ALICE");
    expect(await service.openAlarms(team.id)).toEqual([
      {
        kind: "no_deviations",
        title: "Two cycles without a deviation",
        subjectLabel: "Team",
        evidence: "No deviations logged in the last two cycles (24 Nov – 8 Dec).",
      },
      expect.objectContaining({ kind: "stale_pilot", subjectLabel: "First-run nudge" }),
      expect.objectContaining({ kind: "no_ops_path", title: "No ops path if it works" }),
    ]);
  });
});

describe("AlarmService: re-checks after a data change", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits half a second by default before re-checking", async () => {
    vi.useFakeTimers({ now: IN_CYCLE_2 });
    const { repos, notifier, team, delivery } = await world();
    const service = new AlarmService({
      alarms: repos.alarms,
      jobRuns: repos.jobRuns,
      teams: repos.teams,
      clock: new ManualClock(IN_CYCLE_2),
      announcer: testAnnouncer(notifier),
      outbox: delivery.outbox,
      log: createLogger("silent"),
    });
    delivery.handle({ alarm: service.deliveryHandler });
    const done = service.onDataChanged(team.id);
    await vi.advanceTimersByTimeAsync(499);
    await delivery.deliver(IN_CYCLE_2);
    expect(notifier.posts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    await delivery.deliver(IN_CYCLE_2);
    expect(postedTexts(notifier)).toEqual(ALL_FOUR);
  });
});

describe("the cycle sweep's time budget", () => {
  it("stops starting evaluations once a tick has spent its budget; the teams left are evaluated on the next ticks, each once", async () => {
    const { repos, team } = await world();
    for (const n of [1, 2, 3]) {
      const { id: _id, ...fields } = teamFixture({ channelId: `C0MORE${n}`, name: `Team ${n}` });
      await repos.teams.save({ ...fields, createdAt: new Date("2026-11-01T00:00:00Z") });
    }
    // A slow evaluation, as a large team's on a loaded database: every look at the clock is 3 s later.
    let t = IN_CYCLE_2.getTime();
    const slowClock = {
      now: () => {
        t += 3_000;
        return new Date(t);
      },
    };
    const service = new AlarmService({
      alarms: repos.alarms,
      jobRuns: repos.jobRuns,
      teams: repos.teams,
      clock: slowClock,
      announcer: testAnnouncer(new RecordingNotifier()),
      outbox: testDelivery({ notifier: new RecordingNotifier(), clock: new ManualClock(IN_CYCLE_2) }).outbox,
      log: createLogger("silent"),
      settleMs: 0,
    });
    const counts: number[] = [];
    for (let tick = 0; tick < 6; tick++) counts.push((await service.sweep(IN_CYCLE_2)).evaluated);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[0]).toBeLessThan(4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(await repos.jobRuns.statuses("alarms", [`${team.id}:2`])).toEqual(
      new Map([[`${team.id}:2`, "done"]]),
    );
  });
});
