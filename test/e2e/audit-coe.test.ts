import { afterEach, beforeEach, expect, it } from "vitest";
import { PrismaIncidentRepository } from "../../src/incidents/incident-repository.js";
import {
  INCIDENT_ACTION as A,
  ACTION_ITEM_ACTION,
  ACTION_ITEM_BLOCK,
  AUDIT_ACTION,
  AUDIT_VIEW,
  INCIDENT_BLOCK as B,
  INCIDENT_VIEW,
  PEOPLE_ACTION,
  PEOPLE_BLOCK,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// Issue 14: every change a person makes to an incident's COE and its action items is in the
// incident's History (who, what, before → after, through which surface).
const at = (iso: string) => new Date(iso);
const HOSTILE = "<!channel> rolled back & <@U0BOSS> paged";

describeDb("audit log: a COE's analysis steps and its action items", () => {
  let h: Harness;
  let team: { id: string; slackTeamId: string };
  beforeEach(async () => {
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    h.fake.addUser({ id: "U0KOL", name: "Kavya", tz: "Asia/Kolkata" });
    team = await setupTeam(h);
  });
  afterEach(async () => h?.close());

  const incidentEntries = (incidentId: string) =>
    h.testDb.db.auditEntry.findMany({
      where: { subjectType: "incident", subjectId: incidentId },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });

  async function startIncident() {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(INCIDENT_VIEW.intake);
    const res = await h.sender.submitView(view.id, {
      [B.title]: "Checkout timeouts",
      [B.severity]: "sev2",
      [B.impact]: "3% of checkouts failed",
      [B.startedAt]: at("2026-11-23T07:30:00Z"),
      [B.detectedAt]: at("2026-11-23T07:45:00Z"),
      [B.newTags]: "config, db",
    });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Incident:"),
      5000,
    );
    const ts = String((post.response as { ts: string }).ts);
    const incident = await eventually(() => h.testDb.db.incident.findFirst({ where: { messageTs: ts } }));
    return { incident, msg: { channelId: String(post.args.channel), ts } };
  }

  async function step(
    msg: { channelId: string; ts: string },
    actionId: string,
    answers: Record<string, Answer>,
    userId = "U0OWNER",
  ) {
    await h.sender.clickButton({ userId, message: msg, actionId });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, answers, { userId });
    expect(res.errors).toBeUndefined();
  }

  it("records every analysis save under the incident, and its History lists them escaped", async () => {
    const { incident, msg } = await startIncident();
    await step(msg, A.timeline, { [B.timelineAt]: at("2026-11-23T08:00:00Z"), [B.timelineText]: HOSTILE });
    await step(msg, A.why, { [B.whyText]: "The pool limit was outdated", [B.whyRootCause]: ["root_cause"] });
    await step(msg, A.factor, { [B.factorCategory]: "process", [B.factorText]: "Nobody owns the pool" });
    await step(msg, A.learned, { [B.learned]: "Pools need headroom for sales" });
    await step(msg, A.finding, {
      [B.findingText]: "Pool size is set by hand",
      [B.findingOwner]: "U0KOL",
      [B.findingDue]: "2026-12-04",
      [B.findingKind]: "prevent",
    });
    // Dropping a tag deletes its link: recorded with what was there before.
    await step(msg, A.tags, { [B.tags]: ["db"] });
    await step(msg, A.complete, { [B.completeConfirm]: ["confirmed"] }, "U0TESTER");

    const rows = await eventually(async () => {
      const r = await incidentEntries(incident.id);
      return r.length === 8 ? r : null;
    });
    expect(rows.map((r) => [r.action, r.actor, r.surface])).toEqual([
      ["recorded", "U0TESTER", "modal"],
      ["timeline entry added", "U0OWNER", "modal"],
      ["why added", "U0OWNER", "modal"],
      ["contributing factor added", "U0OWNER", "modal"],
      ["lessons edited", "U0OWNER", "modal"],
      ["action item created", "U0OWNER", "modal"],
      ["tags changed", "U0OWNER", "modal"],
      ["COE completed", "U0TESTER", "modal"],
    ]);
    const parsed = rows.map((r) => ({ before: JSON.parse(r.before), after: JSON.parse(r.after) }));
    expect(parsed[1]).toEqual({ before: {}, after: { at: "2026-11-23T08:00:00.000Z", text: HOSTILE } });
    expect(parsed[2]?.after).toEqual({
      why: "The pool limit was outdated",
      answers: "the incident",
      rootCause: true,
    });
    expect(parsed[3]?.after).toEqual({ category: "process", text: "Nobody owns the pool" });
    expect(parsed[4]).toEqual({
      before: { learned: "" },
      after: { learned: "Pools need headroom for sales" },
    });
    expect(parsed[5]?.after).toEqual({
      finding: "Pool size is set by hand",
      ownerId: "U0KOL",
      dueDate: "2026-12-04",
      kind: "prevent",
      ticketUrl: null,
    });
    expect(parsed[6]).toEqual({ before: { tags: ["config", "db"] }, after: { tags: ["db"] } });
    expect(parsed[7]).toEqual({ before: { status: "open" }, after: { status: "complete" } });

    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: AUDIT_ACTION.history });
    const history = await h.openedView();
    expect(history.callback_id).toBe(AUDIT_VIEW.history);
    const text = JSON.stringify(history.blocks);
    for (const action of [
      "timeline entry added",
      "why added",
      "lessons edited",
      "tags changed",
      "COE completed",
    ]) {
      expect(text).toContain(action);
    }
    expect(text).toContain("&lt;!channel&gt; rolled back &amp; &lt;@U0BOSS&gt; paged");
    expect(text).not.toContain("<!channel>");
    expect(text.indexOf("COE completed")).toBeLessThan(text.indexOf("timeline entry added"));
  });

  it("records an action item's due-date move and closing under its incident, with the owner and surface", async () => {
    const repo = new PrismaIncidentRepository(h.testDb.db);
    const incident = await repo.create(
      {
        teamId: team.id,
        reporterId: "U0TESTER",
        reporterTz: "Europe/London",
        sourceLink: null,
        title: "Checkout timeouts",
        severity: "sev2",
        impact: "",
        description: "",
        startedAt: at("2026-11-23T07:30:00Z"),
        detectedAt: at("2026-11-23T07:45:00Z"),
        mitigatedAt: null,
        resolvedAt: null,
        howNoticed: "",
        howMitigated: "",
        tags: [],
      },
      team.slackTeamId,
      h.clock.now(),
    );
    for (const text of ["Load-test before every sale", "Page the DBA on pool alarms"]) {
      await repo.addFinding(
        incident.id,
        {
          findingId: null,
          text,
          action: { ownerId: "U0KOL", dueDate: "2026-12-04", kind: "prevent", ticketUrl: null },
          notedReason: null,
        },
        h.clock.now(),
      );
    }
    // The overdue nudges reach the owner's DMs with their buttons.
    h.clock.set("2026-12-07T03:30:00Z");
    await h.tick();
    const dm = (text: string) => {
      const m = h.fake.dmsTo("U0KOL").find((x) => x.text.includes(text));
      if (!m) throw new Error(`no DM about ${text}`);
      return { channelId: m.channel, ts: m.ts };
    };
    await eventually(async () => h.fake.dmsTo("U0KOL").length === 2);

    await h.sender.clickButton({
      userId: "U0KOL",
      message: dm("Load-test"),
      actionId: ACTION_ITEM_ACTION.extend,
    });
    const extend = await h.openedView();
    const extended = await h.sender.submitView(
      extend.id,
      { [ACTION_ITEM_BLOCK.newDate]: "2026-12-20", [ACTION_ITEM_BLOCK.extendReason]: "Waiting for the rig" },
      { userId: "U0KOL" },
    );
    expect(extended.errors).toBeUndefined();
    await h.sender.clickButton({
      userId: "U0KOL",
      message: dm("Page the DBA"),
      actionId: ACTION_ITEM_ACTION.done,
    });

    const rows = await eventually(async () => {
      const r = await incidentEntries(incident.id);
      return r.length === 2 ? r : null;
    });
    expect(rows.map((r) => [r.action, r.actor, r.surface])).toEqual([
      ["action item due date moved", "U0KOL", "modal"],
      ["action item done", "U0KOL", "button"],
    ]);
    expect(JSON.parse(rows[0]?.before ?? "")).toEqual({ dueDate: "2026-12-04", reason: "" });
    expect(JSON.parse(rows[0]?.after ?? "")).toEqual({
      item: "Load-test before every sale",
      owner: "U0KOL",
      dueDate: "2026-12-20",
      reason: "Waiting for the rig",
    });
    expect(JSON.parse(rows[1]?.before ?? "")).toEqual({ status: "open" });
    expect(JSON.parse(rows[1]?.after ?? "")).toEqual({
      item: "Page the DBA on pool alarms",
      owner: "U0KOL",
      status: "done",
    });
  });

  it("removes a team's quiet days only with an entry in the team's log, written with the delete", async () => {
    await h.sender.command("away add", { channelId: "C0TEAM", userId: "U0OWNER" });
    const form = await h.openedView();
    const added = await h.sender.submitView(
      form.id,
      {
        [PEOPLE_BLOCK.whose]: "team",
        [PEOPLE_BLOCK.fromDate]: "2026-12-24",
        [PEOPLE_BLOCK.toDate]: "2026-12-26",
        [PEOPLE_BLOCK.note]: "Holidays",
      },
      { userId: "U0OWNER" },
    );
    expect(added.errors).toBeUndefined();
    await h.sender.command("away", { channelId: "C0TEAM", userId: "U0KOL" });
    const list = await eventually(async () =>
      h.fake
        .ephemeralsFor("U0KOL")
        .find((m) => JSON.stringify(m.blocks).includes(PEOPLE_ACTION.removeQuietDays)),
    );
    await h.sender.clickButton({
      userId: "U0KOL",
      message: { channelId: list.channel, ts: list.ts },
      actionId: PEOPLE_ACTION.removeQuietDays,
    });
    await eventually(async () => (await h.testDb.db.quietDay.count()) === 0);
    const [row, ...more] = await h.testDb.db.auditEntry.findMany({
      where: { action: "team quiet days removed" },
    });
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ subjectType: "team", subjectId: team.id, actor: "U0KOL", surface: "button" });
    expect(JSON.parse(row?.before ?? "")).toEqual({
      fromDate: "2026-12-24",
      toDate: "2026-12-26",
      note: "Holidays",
    });
    expect(JSON.parse(row?.after ?? "")).toEqual({});
  });
});
