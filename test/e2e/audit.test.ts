import { afterEach, beforeEach, expect, it } from "vitest";
import type { StoredView } from "../../src/sandbox/fake-slack.js";
import {
  ACTION,
  AUDIT_ACTION,
  AUDIT_VIEW,
  DEV_BLOCK,
  DEVIATION_VIEW,
  INCIDENT_ACTION,
  INCIDENT_BLOCK,
  MECH_BLOCK,
  REVIEW_BLOCK,
  TEAM_BLOCK,
  VIEW,
} from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

const HOSTILE = "<!channel> Nudge <@U0BOSS> & co";

describeDb("audit log", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-25T09:00:00Z" });
    for (const id of ["U0OWNER", "U0STOPPER"]) h.fake.addUser({ id, name: id.toLowerCase() });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  const entries = (subjectType: string) =>
    h.testDb.db.auditEntry.findMany({ where: { subjectType }, orderBy: { at: "asc" } });
  const textOf = (view: StoredView) => JSON.stringify(view.blocks);

  /** The one-pager's History button, as `userId` clicks it. */
  async function openHistory(ts: string, userId = "U0TESTER") {
    await h.sender.clickButton({
      userId,
      message: { channelId: "C0TEAM", ts },
      actionId: AUDIT_ACTION.history,
    });
    const view = await h.openedView();
    expect(view.callback_id).toBe(AUDIT_VIEW.history);
    return view;
  }

  it("records a mechanism's create, edit and stop, and its History shows them escaped", async () => {
    const { mechanism, post } = await createMechanism(h);
    const ts = String((post.response as { ts: string }).ts);
    // The owner edits its title to something hostile.
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts },
      actionId: ACTION.editMechanism,
    });
    const edit = await h.openedView();
    expect(edit.callback_id).toBe(VIEW.mechanism);
    const res = await h.sender.submitView(edit.id, { [MECH_BLOCK.title]: HOSTILE }, { userId: "U0OWNER" });
    expect(res.errors).toBeUndefined();
    // The stop owner stops it.
    await h.sender.command("log", { channelId: "C0TEAM", userId: "U0STOPPER" });
    const log = await h.openedView();
    const stop = await h.sender.submitView(
      log.id,
      {
        [REVIEW_BLOCK.mechanism]: mechanism.id,
        [REVIEW_BLOCK.decision]: "stop",
        [REVIEW_BLOCK.entry]: "Done.",
      },
      { userId: "U0STOPPER" },
    );
    expect(stop.errors).toBeUndefined();

    const rows = await eventually(async () => {
      const r = await entries("mechanism");
      return r.length === 3 ? r : null;
    });
    expect(rows.map((r) => [r.action, r.actor, r.surface])).toEqual([
      ["created", "U0TESTER", "modal"],
      ["edited", "U0OWNER", "modal"],
      ["stopped", "U0STOPPER", "modal"],
    ]);
    // Compact: an edit keeps only what changed.
    expect(JSON.parse(rows[1]?.before ?? "{}")).toEqual({ title: goodMechanism[MECH_BLOCK.title] });
    expect(JSON.parse(rows[1]?.after ?? "{}")).toEqual({ title: HOSTILE });

    const view = await openHistory(ts);
    const text = textOf(view);
    expect(text).toContain("stopped");
    expect(text).toContain("edited");
    expect(text).toContain("created");
    expect(text).toContain("&lt;!channel&gt; Nudge &lt;@U0BOSS&gt; &amp; co");
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<@U0BOSS>");
    expect(text.indexOf("stopped")).toBeLessThan(text.indexOf("created"));
  });

  it("pages the History: newest ten first, then Older", async () => {
    const { mechanism, post } = await createMechanism(h);
    const ts = String((post.response as { ts: string }).ts);
    const team = await h.testDb.db.team.findFirstOrThrow();
    await h.testDb.db.auditEntry.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        slackTeamId: team.slackTeamId,
        teamId: team.id,
        subjectType: "mechanism",
        subjectId: mechanism.id,
        actor: "U0OWNER",
        action: `edit number ${i + 1}`,
        before: "{}",
        after: "{}",
        surface: "modal",
        at: new Date(Date.UTC(2026, 10, 26, 9, i)),
      })),
    });
    const view = await openHistory(ts);
    expect(textOf(view)).toContain("edit number 12");
    expect(textOf(view)).not.toContain("edit number 2*");
    await h.sender.blockAction({
      userId: "U0TESTER",
      actionId: AUDIT_ACTION.page,
      viewId: view.id,
      value: JSON.stringify({ t: "mechanism", id: mechanism.id, p: 1 }),
    });
    await h.fake.waitFor("views.update", undefined, 5000);
    const older = h.fake.viewById(view.id);
    expect(older && textOf(older)).toContain("*created*");
    expect(older && textOf(older)).toContain("edit number 2*");
  });

  it("records settings changes, deviations and incident edits, and /ratchet audit lists them", async () => {
    await h.sender.command("settings", { channelId: "C0TEAM" });
    const settings = await h.openedView();
    expect(
      (await h.sender.submitView(settings.id, { [TEAM_BLOCK.name]: "Payments" })).errors,
    ).toBeUndefined();

    await h.sender.command("deviate", { channelId: "C0TEAM" });
    const dev = await h.openedView();
    expect(dev.callback_id).toBe(DEVIATION_VIEW.log);
    const logged = await h.sender.submitView(dev.id, {
      [DEV_BLOCK.area]: "API framework",
      [DEV_BLOCK.deviation]: "Try Fastify on the checkout service",
      [DEV_BLOCK.hypothesis]: "Because its router should cut p95 by 20%",
      [DEV_BLOCK.benefit]: "Better latency",
      [DEV_BLOCK.risk]: "Small migration cost",
    });
    expect(logged.errors).toBeUndefined();

    await h.sender.command("incident", { channelId: "C0TEAM" });
    const intake = await h.openedView();
    const opened = await h.sender.submitView(intake.id, {
      [INCIDENT_BLOCK.title]: "Checkout timeouts",
      [INCIDENT_BLOCK.severity]: "sev2",
      [INCIDENT_BLOCK.impact]: "3% of checkouts failed",
      [INCIDENT_BLOCK.description]: "Pool ran out.",
      [INCIDENT_BLOCK.startedAt]: new Date("2026-11-25T07:30:00Z"),
      [INCIDENT_BLOCK.detectedAt]: new Date("2026-11-25T07:45:00Z"),
      [INCIDENT_BLOCK.howNoticed]: "Alarm",
    });
    expect(opened.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Incident:"),
      5000,
    );
    const msg = { channelId: String(post.args.channel), ts: String((post.response as { ts: string }).ts) };
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: INCIDENT_ACTION.edit });
    const edit = await h.openedView();
    expect(
      (await h.sender.submitView(edit.id, { [INCIDENT_BLOCK.title]: "Checkout <!here> timeouts" })).errors,
    ).toBeUndefined();

    const incidentRows = await eventually(async () => {
      const r = await entries("incident");
      return r.length === 2 ? r : null;
    });
    expect(incidentRows.map((r) => r.action)).toEqual(["recorded", "edited"]);
    expect(JSON.parse(incidentRows[1]?.after ?? "{}")).toMatchObject({ title: "Checkout <!here> timeouts" });
    expect((await entries("team")).map((r) => r.action)).toEqual(["set up", "settings changed"]);
    expect(JSON.parse((await entries("team"))[1]?.after ?? "{}")).toEqual({ name: "Payments" });
    expect((await entries("deviation")).map((r) => r.action)).toEqual(["logged"]);

    // The incident's own History.
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: AUDIT_ACTION.history });
    const history = await h.openedView();
    expect(textOf(history)).toContain("Checkout &lt;!here&gt; timeouts");
    expect(textOf(history)).not.toContain("<!here>");

    await h.sender.command("audit", { channelId: "C0TEAM" });
    const [answer] = (await h.responses(1)).slice(-1);
    const said = JSON.stringify(answer);
    for (const action of ["settings changed", "logged", "recorded", "edited"]) expect(said).toContain(action);
    expect(said).not.toContain("<!here>");
  });
});
