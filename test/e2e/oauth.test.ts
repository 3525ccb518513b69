import { afterEach, beforeEach, expect, it } from "vitest";
import { TEAM_BLOCK } from "../../src/slack/ids.js";
import { SlackSender } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { type Harness, SIGNING_SECRET, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

type Grant = { teamId: string; enterpriseId?: string; orgWide?: boolean; rotation?: boolean };

const baseOf = (h: Harness) => h.appUrl.replace(/\/slack\/events$/, "");

/** A person clicks "Add to Slack": /slack/install → Slack's authorize page → /slack/oauth_redirect. */
async function install(h: Harness, grant: Grant, o: { state?: string } = {}) {
  const start = await fetch(`${baseOf(h)}/slack/install`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location") ?? "");
  expect(authorize.searchParams.get("scope")).toContain("chat:write");
  const state = o.state ?? authorize.searchParams.get("state") ?? "";
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const code = h.fake.grantInstall(grant);
  return fetch(`${baseOf(h)}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: "manual",
  });
}

const senderFor = (h: Harness, teamId: string) =>
  new SlackSender({ appUrl: h.appUrl, signingSecret: SIGNING_SECRET, fake: h.fake, teamId });

/** `/ratchet setup` in a channel of the workspace, submitted: the team exists and its post went out. */
async function setup(h: Harness, sender: SlackSender, channelId: string, org?: string) {
  let body = sender.commandBody("setup", { channelId });
  if (org) {
    const form = new URLSearchParams(body);
    form.set("enterprise_id", org);
    form.set("is_enterprise_install", "true");
    body = form.toString();
  }
  await sender.post(body, "application/x-www-form-urlencoded");
  const view = await h.openedView();
  const answers = {
    [TEAM_BLOCK.name]: `Team in ${channelId}`,
    [TEAM_BLOCK.timezone]: "Europe/London",
    [TEAM_BLOCK.weekday]: "2",
    [TEAM_BLOCK.time]: "10:00",
    [TEAM_BLOCK.cadence]: "1",
  };
  if (org) {
    // Under an org-wide install Slack marks every payload so, with the org's id.
    const payload = {
      ...sender.viewSubmission(view.id, answers),
      is_enterprise_install: true,
      enterprise: { id: org },
    };
    expect((await sender.postPayload(payload)).status).toBe(200);
  } else {
    expect((await sender.submitView(view.id, answers)).errors).toBeUndefined();
  }
  await h.settle();
  return h.testDb.db.team.findFirstOrThrow({ where: { channelId } });
}

const callsIn = (h: Harness, method: string, channel: string) =>
  h.fake.calls.filter((c) => c.method === method && c.args.channel === channel);

describeDb("OAuth: many workspaces", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z", oauth: {} });
    h.fake.addChannel({ id: "C0ORG", name: "org-team" });
  });
  afterEach(async () => h?.close());

  it("installs two workspaces and an org, stores their tokens sealed, and answers each with its own token", async () => {
    expect((await install(h, { teamId: "T0AAA" })).status).toBe(200);
    expect((await install(h, { teamId: "T0BBB" })).status).toBe(200);
    expect((await install(h, { teamId: "T0ORG1", enterpriseId: "E0ORG", orgWide: true })).status).toBe(200);
    const rows = await h.testDb.db.installation.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.isEnterpriseInstall])).toEqual([
      ["E0ORG", true],
      ["T0AAA", false],
      ["T0BBB", false],
    ]);
    const tokens = ["T0AAA", "T0BBB", "E0ORG"].map((id) => h.fake.tokenOf(id) ?? "missing");
    for (const row of rows) {
      for (const token of tokens) expect(row.secret).not.toContain(token);
      expect(row.keyId).toMatch(/^[0-9a-f]{12}$/);
    }

    await setup(h, senderFor(h, "T0AAA"), "C0TEAM");
    await setup(h, senderFor(h, "T0BBB"), "C0OTHER");
    await setup(h, senderFor(h, "T0ORG1"), "C0ORG", "E0ORG");
    // Bolt's client (views.open) and the outbox (the team's confirmation post) both use the workspace's token.
    const opened = h.fake.calls.filter((c) => c.method === "views.open").map((c) => c.token);
    expect(opened).toEqual(tokens);
    expect(callsIn(h, "chat.postMessage", "C0TEAM").map((c) => c.token)).toEqual([tokens[0]]);
    expect(callsIn(h, "chat.postMessage", "C0OTHER").map((c) => c.token)).toEqual([tokens[1]]);
    expect(callsIn(h, "chat.postMessage", "C0ORG").map((c) => c.token)).toEqual([tokens[2]]);

    // No token (nor the signing secret) in anything the app logged.
    const logged = JSON.stringify(h.logs);
    for (const secret of [...tokens, SIGNING_SECRET, h.fake.clientSecret])
      expect(logged).not.toContain(secret);
  });

  it("refuses a callback whose state it did not issue", async () => {
    const res = await install(h, { teamId: "T0AAA" }, { state: "forged-state" });
    expect(res.status).not.toBe(200);
    expect(h.fake.calls.filter((c) => c.method === "oauth.v2.access")).toHaveLength(0);
    expect(await h.testDb.db.installation.count()).toBe(0);
  });

  it("on uninstall drops the tokens and stops the workspace's posts; a re-install resumes; the data goes after the retention period", async () => {
    await install(h, { teamId: "T0AAA" });
    await install(h, { teamId: "T0BBB" });
    const a = await setup(h, senderFor(h, "T0AAA"), "C0TEAM");
    const b = await setup(h, senderFor(h, "T0BBB"), "C0OTHER");

    h.fake.revoke("T0AAA");
    await senderFor(h, "T0AAA").event({ type: "app_uninstalled" });
    await eventually(async () => {
      const row = await h.testDb.db.installation.findUniqueOrThrow({ where: { id: "T0AAA" } });
      return row.secret === null && row.keyId === null && row.uninstalledAt !== null;
    });

    // Something for each team queued now: A's is cancelled, not retried; B's goes out.
    const before = h.fake.calls.length;
    for (const team of [a, b]) {
      await h.testDb.db.delivery.create({
        data: {
          key: `test:${team.id}`,
          teamId: team.id,
          kind: "team_saved",
          ref: JSON.stringify({ teamId: team.id, created: false, by: "U0TESTER" }),
          target: team.channelId,
          status: "queued",
          notBefore: h.clock.now(),
          createdAt: h.clock.now(),
          updatedAt: h.clock.now(),
        },
      });
    }
    await h.tick();
    const posted = h.fake.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    expect(posted.filter((c) => c.args.channel === "C0TEAM")).toHaveLength(0);
    const queuedForB = await h.testDb.db.delivery.findUniqueOrThrow({ where: { key: `test:${b.id}` } });
    expect(queuedForB.status).toBe("sent");
    const queuedForA = await h.testDb.db.delivery.findUniqueOrThrow({ where: { key: `test:${a.id}` } });
    expect(queuedForA.status).toBe("cancelled");

    // A re-install within the period: the same team posts again.
    await install(h, { teamId: "T0AAA" });
    await h.testDb.db.delivery.create({
      data: {
        key: `test2:${a.id}`,
        teamId: a.id,
        kind: "team_saved",
        ref: JSON.stringify({ teamId: a.id, created: false, by: "U0TESTER" }),
        target: "C0TEAM",
        status: "queued",
        notBefore: h.clock.now(),
        createdAt: h.clock.now(),
        updatedAt: h.clock.now(),
      },
    });
    await h.tick();
    expect(callsIn(h, "chat.postMessage", "C0TEAM").at(-1)?.token).toBe(h.fake.tokenOf("T0AAA"));
    expect(
      (await h.testDb.db.installation.findUniqueOrThrow({ where: { id: "T0AAA" } })).uninstalledAt,
    ).toBeNull();

    // Uninstalled again: kept 29 days, deleted after 30 (RATCHET_RETENTION_DAYS' default).
    await senderFor(h, "T0AAA").event({ type: "tokens_revoked", tokens: { bot: ["U0RATCHET"] } });
    await eventually(
      async () =>
        (await h.testDb.db.installation.findUniqueOrThrow({ where: { id: "T0AAA" } })).secret === null,
    );
    h.clock.advance(29 * 86_400_000);
    await h.tick();
    expect(await h.testDb.db.team.count({ where: { id: a.id } })).toBe(1);
    h.clock.advance(1 * 86_400_000 + 60_000);
    await h.tick();
    expect(await h.testDb.db.team.count({ where: { id: a.id } })).toBe(0);
    expect(await h.testDb.db.installation.count({ where: { id: "T0AAA" } })).toBe(0);
    expect(await h.testDb.db.team.count({ where: { id: b.id } })).toBe(1);
    await h.tick(); // idempotent: nothing left to delete, nothing fails
    expect(h.logs.filter((l) => l.msg.includes("after the retention period"))).toHaveLength(1);
  });
});
