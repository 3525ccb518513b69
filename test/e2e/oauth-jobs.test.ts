import { afterEach, beforeEach, expect, it } from "vitest";
import { TEAM_BLOCK } from "../../src/slack/ids.js";
import { SlackSender } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/**
 * OAuth mode, issue 14: what the scheduled jobs do on their own (no request, sometimes no outbox)
 * speaks for the right workspace, and an uninstalled workspace's schedules wait until a re-install.
 */

const baseOf = (h: Harness) => h.appUrl.replace(/\/slack\/events$/, "");

async function install(h: Harness, teamId: string) {
  const start = await fetch(`${baseOf(h)}/slack/install`, { redirect: "manual" });
  const authorize = new URL(start.headers.get("location") ?? "");
  const state = authorize.searchParams.get("state") ?? "";
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const code = h.fake.grantInstall({ teamId });
  const res = await fetch(
    `${baseOf(h)}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`,
    { headers: { cookie }, redirect: "manual" },
  );
  expect(res.status).toBe(200);
}

const senderFor = (h: Harness, teamId: string) =>
  new SlackSender({ appUrl: h.appUrl, signingSecret: SIGNING_SECRET, fake: h.fake, teamId });

/** `/ratchet setup` in a workspace's channel: reviews Tuesdays 10:00 London, debriefs Friday 15:00/17:00. */
async function setup(h: Harness, teamId: string, channelId: string) {
  const sender = senderFor(h, teamId);
  await sender.command("setup", { channelId });
  const view = await h.openedView();
  const res = await sender.submitView(view.id, {
    [TEAM_BLOCK.name]: `Team in ${channelId}`,
    [TEAM_BLOCK.timezone]: "Europe/London",
    [TEAM_BLOCK.weekday]: "2",
    [TEAM_BLOCK.time]: "10:00",
    [TEAM_BLOCK.cadence]: "1",
  });
  expect(res.errors).toBeUndefined();
  await h.settle();
  return h.testDb.db.team.findFirstOrThrow({ where: { channelId } });
}

/** A mechanism whose next review is due at `dueAt` (what /ratchet new stores, written directly). */
function mechanismDue(h: Harness, teamId: string, dueAt: Date) {
  return h.testDb.db.mechanism.create({
    data: {
      teamId,
      title: `Bet of ${teamId}`,
      aim: "Raise activation",
      aimForWhom: "new signups",
      aimFrom: 27,
      aimTo: 35,
      aimBy: "2027-06-30",
      statement: "We believe X because Y",
      checkpointRule: "continue if proxy >= 80",
      guardrail: "Error rate ≤ 0.1%",
      rollbackPath: "Flag off",
      ownerId: "U0OWNER",
      cadenceWeeks: 1,
      nextReviewAt: dueAt,
      createdBy: "U0OWNER",
      createdAt: h.clock.now(),
    },
  });
}

const tokensOf = (h: Harness, method: string, pick: (args: Record<string, unknown>) => boolean) =>
  h.fake.calls.filter((c) => c.method === method && pick(c.args)).map((c) => c.token);

describeDb("OAuth: the scheduled jobs of many workspaces", () => {
  let h: Harness;
  beforeEach(async () => {
    // Monday 23 November 2026, 09:00 London
    h = await startHarness({ now: "2026-11-23T09:00:00Z", oauth: {} });
    await install(h, "T0AAA");
    await install(h, "T0BBB");
  });
  afterEach(async () => h?.close());

  it("a debrief nudge reads each channel's members with its own workspace's token", async () => {
    await setup(h, "T0AAA", "C0TEAM");
    await setup(h, "T0BBB", "C0OTHER");
    await h.testDb.db.team.updateMany({ data: { debriefNudge: true } });
    // Friday 15:00 London: the prompts go out (outbox); 16:00: the nudge job lists each channel's
    // people itself (conversations.members, users.info), outside any request or delivery; 17:00:
    // the digests (delivered in the outbox's scope).
    for (const at of ["2026-11-27T15:00:00Z", "2026-11-27T16:00:00Z", "2026-11-27T17:00:00Z"]) {
      h.clock.set(at);
      await h.tick();
    }
    const a = h.fake.tokenOf("T0AAA");
    const b = h.fake.tokenOf("T0BBB");
    const inTeam = tokensOf(h, "conversations.members", (x) => x.channel === "C0TEAM");
    const inOther = tokensOf(h, "conversations.members", (x) => x.channel === "C0OTHER");
    expect(inTeam.length).toBeGreaterThan(0);
    expect(inOther.length).toBeGreaterThan(0);
    expect(new Set(inTeam)).toEqual(new Set([a]));
    expect(new Set(inOther)).toEqual(new Set([b]));
    expect(h.logs.filter((l) => l.msg.includes("could not list the channel's members"))).toEqual([]);
    // Both digests were posted, each with its workspace's token.
    const digests = await h.testDb.db.delivery.findMany({ where: { kind: "debrief_digest" } });
    expect(digests.map((d) => d.status).sort()).toEqual(["sent", "sent"]);
  });

  it("the home job re-publishes each person's Home with the token of the Home's workspace", async () => {
    const a = await setup(h, "T0AAA", "C0TEAM");
    const b = await setup(h, "T0BBB", "C0OTHER");
    h.fake.addUser({ id: "U0BEE", name: "bee", real_name: "Bee Person", tz: "Europe/London" });
    // Two Homes published earlier, now stale (something concerning each person was queued).
    const past = new Date(h.clock.now().getTime() - 3_600_000);
    for (const [slackTeamId, userId, teamId] of [
      ["T0AAA", "U0TESTER", a.id],
      ["T0BBB", "U0BEE", b.id],
    ] as const) {
      await h.testDb.db.homeView.create({
        data: { slackTeamId, userId, teamId, hash: "before", lastPublishedAt: past, staleAt: past },
      });
    }
    await h.tick();
    expect(tokensOf(h, "views.publish", (x) => x.user_id === "U0TESTER")).toEqual([h.fake.tokenOf("T0AAA")]);
    expect(tokensOf(h, "views.publish", (x) => x.user_id === "U0BEE")).toEqual([h.fake.tokenOf("T0BBB")]);
  });

  it("a delivery queued without a team goes out with the token of its channel's workspace", async () => {
    const b = await setup(h, "T0BBB", "C0OTHER");
    const now = h.clock.now();
    for (const [key, target] of [
      ["test:no-team", "C0OTHER"],
      ["test:nowhere", "C0GENERAL"],
    ] as const) {
      await h.testDb.db.delivery.create({
        data: {
          key,
          teamId: null,
          kind: "team_saved",
          ref: JSON.stringify({ teamId: b.id, created: false, by: "U0TESTER" }),
          target,
          status: "queued",
          notBefore: now,
          createdAt: now,
          updatedAt: now,
        },
      });
    }
    await h.tick();
    const sent = await h.testDb.db.delivery.findUniqueOrThrow({ where: { key: "test:no-team" } });
    expect(sent.status).toBe("sent");
    expect(tokensOf(h, "chat.postMessage", (x) => x.channel === "C0OTHER").at(-1)).toBe(
      h.fake.tokenOf("T0BBB"),
    );
    // A channel no workspace of Ratchet's is known for: said in the log, with what it was.
    const warned = h.logs.find((l) => l.msg.includes("a delivery whose workspace is unknown"));
    expect(warned).toMatchObject({ key: "test:nowhere", target: "C0GENERAL" });
  });

  it("an uninstalled workspace's reviews wait while another's go on, and resume after a re-install", async () => {
    const a = await setup(h, "T0AAA", "C0TEAM");
    const b = await setup(h, "T0BBB", "C0OTHER");
    const due = new Date("2026-11-24T10:00:00Z");
    const ma = await mechanismDue(h, a.id, due);
    const mb = await mechanismDue(h, b.id, due);
    // Each workspace's weekly business review, never looked at yet (dueAt null: the next tick).
    for (const [slackTeamId, channelId] of [
      ["T0AAA", "C0TEAM"],
      ["T0BBB", "C0OTHER"],
    ] as const) {
      await h.testDb.db.wbrSchedule.create({
        data: {
          slackTeamId,
          channelId,
          weekday: 4,
          time: "09:00",
          timezone: "Europe/London",
          updatedBy: "U0TESTER",
          updatedAt: h.clock.now(),
        },
      });
    }
    const wbrDue = async (slackTeamId: string) =>
      (await h.testDb.db.wbrSchedule.findUniqueOrThrow({ where: { slackTeamId } })).dueAt;

    h.fake.revoke("T0AAA");
    await senderFor(h, "T0AAA").event({ type: "app_uninstalled" });
    await eventually(
      async () => (await h.testDb.db.team.findUniqueOrThrow({ where: { id: a.id } })).workspaceAway,
    );

    const before = h.fake.calls.length;
    h.clock.set("2026-11-24T10:01:00Z");
    await h.tick();
    h.clock.set("2026-11-24T10:02:00Z");
    await h.tick();
    expect(await h.testDb.db.review.count({ where: { mechanismId: ma.id } })).toBe(0);
    expect(await h.testDb.db.review.count({ where: { mechanismId: mb.id } })).toBe(1);
    const posted = h.fake.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    expect(posted.filter((c) => c.args.channel === "C0TEAM")).toEqual([]);
    expect(posted.filter((c) => c.args.channel === "C0OTHER").map((c) => c.token)).toContain(
      h.fake.tokenOf("T0BBB"),
    );
    // Nothing was even queued for A: the jobs skipped it. The team-wide jobs never looked at A
    // (its due instants are as the setup left them), while B's moved on.
    expect(await h.testDb.db.delivery.count({ where: { teamId: a.id, kind: "review_due" } })).toBe(0);
    const [awayA, liveB] = await Promise.all(
      [a.id, b.id].map((id) => h.testDb.db.team.findUniqueOrThrow({ where: { id } })),
    );
    expect([awayA?.deviationsDueAt, awayA?.debriefsDueAt, awayA?.alarmsDueAt, awayA?.rollupsDueAt]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect([liveB?.deviationsDueAt, liveB?.debriefsDueAt, liveB?.rollupsDueAt]).not.toContain(null);
    expect(await wbrDue("T0AAA")).toBeNull();
    expect(await wbrDue("T0BBB")).not.toBeNull();

    // Re-installed within the retention period: A's review, still due, is claimed and posted.
    await install(h, "T0AAA");
    expect((await h.testDb.db.team.findUniqueOrThrow({ where: { id: a.id } })).workspaceAway).toBe(false);
    h.clock.set("2026-11-24T10:03:00Z");
    await h.tick();
    expect(await h.testDb.db.review.count({ where: { mechanismId: ma.id } })).toBe(1);
    expect(await wbrDue("T0AAA")).not.toBeNull();
    expect(tokensOf(h, "chat.postMessage", (x) => x.channel === "C0TEAM").at(-1)).toBe(
      h.fake.tokenOf("T0AAA"),
    );
  });
});
