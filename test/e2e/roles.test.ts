import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, REVIEW_BLOCK, SETTINGS_BLOCK, TEAM_BLOCK, VIEW } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// setupTeam runs as U0TESTER (the first admin); goodMechanism's owner is U0OWNER, its stop owner U0STOPPER.
const REFUSAL =
  "Only the mechanism's owner <@U0OWNER> or stop owner <@U0STOPPER> can stop it; ask them or a team admin <@U0TESTER>.";

describeDb("roles: who may do what", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    // People in the team channel (the isolation guard asks Slack who is).
    for (const id of ["U0OWNER", "U0STOPPER", "U0RANDOM"]) h.fake.addUser({ id, name: id.toLowerCase() });
  });
  afterEach(async () => h?.close());

  async function logStop(userId: string, mechanismId: string) {
    await h.sender.command("log", { channelId: "C0TEAM", userId });
    const view = await h.openedView();
    return h.sender.submitView(
      view.id,
      {
        [REVIEW_BLOCK.mechanism]: mechanismId,
        [REVIEW_BLOCK.decision]: "stop",
        [REVIEW_BLOCK.entry]: "Not worth it.",
      },
      { userId },
    );
  }

  const openSettings = async (userId: string) => {
    await h.sender.command("settings", { channelId: "C0TEAM", userId });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.settings);
    return view;
  };

  it("makes whoever sets the team up its first admin", async () => {
    const team = await setupTeam(h);
    expect(team.admins).toBe("U0TESTER");
  });

  it("refuses a stop from someone who is not an owner, saying who can, and changes nothing", async () => {
    await setupTeam(h);
    const { mechanism } = await createMechanism(h);
    const refused = await logStop("U0RANDOM", mechanism.id);
    expect(refused.errors?.[REVIEW_BLOCK.decision]).toBe(REFUSAL);
    const after = await h.testDb.db.mechanism.findUniqueOrThrow({ where: { id: mechanism.id } });
    expect(after.status).toBe("active");
    expect(await h.testDb.db.decision.count()).toBe(0);
  });

  it("lets the owner, a stop owner or an admin stop it", async () => {
    await setupTeam(h);
    for (const userId of ["U0OWNER", "U0STOPPER", "U0TESTER"]) {
      await h.testDb.db.mechanism.deleteMany();
      const { mechanism } = await createMechanism(h);
      const res = await logStop(userId, mechanism.id);
      expect(res.errors, userId).toBeUndefined();
      await eventually(() =>
        h.testDb.db.mechanism.findFirst({ where: { id: mechanism.id, status: "stopped" } }),
      );
    }
  });

  it("lets anyone in the channel log a continue", async () => {
    await setupTeam(h);
    const { mechanism } = await createMechanism(h);
    await h.sender.command("log", { channelId: "C0TEAM", userId: "U0RANDOM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(
      view.id,
      {
        [REVIEW_BLOCK.mechanism]: mechanism.id,
        [REVIEW_BLOCK.decision]: "continue",
        [REVIEW_BLOCK.entry]: "Keep going.",
      },
      { userId: "U0RANDOM" },
    );
    expect(res.errors).toBeUndefined();
    await eventually(() => h.testDb.db.decision.findFirst({ where: { decidedBy: "U0RANDOM" } }));
  });

  it("answers a non-owner's Edit with who can edit, and opens no modal", async () => {
    await setupTeam(h);
    const { post } = await createMechanism(h);
    const opened = h.fake.calls.filter((c) => c.method === "views.open").length;
    await h.sender.clickButton({
      userId: "U0RANDOM",
      message: { channelId: "C0TEAM", ts: String((post.response as { ts: string }).ts) },
      actionId: ACTION.editMechanism,
    });
    const answer = await eventually(async () =>
      h.fake.ephemeralsFor("U0RANDOM").find((m) => m.text.includes("can edit it")),
    );
    // Mentioned as people, the rest of the sentence escaped as always.
    expect(answer.text).toBe(
      "Only the mechanism's owner <@U0OWNER> or stop owner <@U0STOPPER> can edit it; ask them or a team admin <@U0TESTER>.",
    );
    expect(h.fake.calls.filter((c) => c.method === "views.open")).toHaveLength(opened);
  });

  it("lets an admin change settings and refuses anyone else inline, changing nothing", async () => {
    const before = await setupTeam(h);
    const refused = await h.sender.submitView(
      (await openSettings("U0RANDOM")).id,
      { [TEAM_BLOCK.name]: "Hijacked" },
      { userId: "U0RANDOM" },
    );
    expect(refused.errors?.[SETTINGS_BLOCK.admins]).toMatch(/Only a team admin .*<@U0TESTER>/);
    expect(await h.testDb.db.team.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before);

    const view = await openSettings("U0TESTER");
    const ok = await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "Checkout & payments",
      [SETTINGS_BLOCK.admins]: ["U0TESTER", "U0RANDOM"],
    });
    expect(ok.errors).toBeUndefined();
    const after = await h.testDb.db.team.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ name: "Checkout & payments", admins: "U0TESTER,U0RANDOM" });

    // Now an admin, U0RANDOM may save.
    const again = await h.sender.submitView(
      (await openSettings("U0RANDOM")).id,
      { [TEAM_BLOCK.name]: "Payments" },
      { userId: "U0RANDOM" },
    );
    expect(again.errors).toBeUndefined();
  });

  it("keeps the last admin: emptying Team admins is refused inline", async () => {
    const before = await setupTeam(h);
    const view = await openSettings("U0TESTER");
    const res = await h.sender.submitView(view.id, { [SETTINGS_BLOCK.admins]: [] });
    expect(res.errors?.[SETTINGS_BLOCK.admins]).toMatch(/at least one admin/);
    expect((await h.testDb.db.team.findUniqueOrThrow({ where: { id: before.id } })).admins).toBe("U0TESTER");
  });

  it("locks nobody out of a team from before roles, and says so in settings until an admin is set", async () => {
    const team = await setupTeam(h);
    await h.testDb.db.team.update({ where: { id: team.id }, data: { admins: "" } });
    const { mechanism } = await createMechanism(h);
    expect((await logStop("U0RANDOM", mechanism.id)).errors).toBeUndefined();
    const view = await openSettings("U0RANDOM");
    expect(JSON.stringify(view.blocks)).toContain(SETTINGS_BLOCK.adminsHint);
    const res = await h.sender.submitView(
      view.id,
      { [SETTINGS_BLOCK.admins]: ["U0RANDOM"] },
      { userId: "U0RANDOM" },
    );
    expect(res.errors).toBeUndefined();
    expect((await h.testDb.db.team.findUniqueOrThrow({ where: { id: team.id } })).admins).toBe("U0RANDOM");
  });
});
