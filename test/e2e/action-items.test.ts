import { afterEach, expect, it } from "vitest";
import { PrismaIncidentRepository } from "../../src/incidents/incident-repository.js";
import type { IncidentRecord } from "../../src/incidents/types.js";
import { ACTION_ITEM_ACTION as A, ACTION_ITEM_VIEW, ACTION_ITEM_BLOCK as B } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";
import { FIXTURE_NOW, fixtureIncidents } from "../unit/incidents/fixtures.js";

const at = (iso: string) => new Date(iso);
const TITLE = "Checkout timeouts: connection pool exhausted";

describeDb("Action items: nudges, Done / Extend / Not doing, stats, rollup", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  /** A harness with the team, an owner in Kolkata (+05:30) and a deactivated owner. */
  async function start(now = "2026-11-23T09:00:00Z") {
    h = await startHarness({ now });
    h.fake.addUser({ id: "U0KOL", name: "Kavya", tz: "Asia/Kolkata" });
    h.fake.addUser({ id: "U0GONE", name: "Gone", tz: "Asia/Kolkata", deleted: true });
    return setupTeam(h);
  }

  /** An incident with action items, stored as the COE flow stores it and posted in the team channel. */
  async function seedIncident(
    team: { id: string; slackTeamId: string },
    items: { text: string; ownerId: string; dueDate: string }[],
  ) {
    const repo = new PrismaIncidentRepository(h.testDb.db);
    const incident = await repo.create(
      {
        teamId: team.id,
        reporterId: "U0TESTER",
        reporterTz: "Europe/London",
        sourceLink: null,
        title: TITLE,
        severity: "sev2",
        impact: "3% of checkouts failed",
        description: "",
        startedAt: at("2026-11-23T07:30:00Z"),
        detectedAt: at("2026-11-23T07:45:00Z"),
        mitigatedAt: null,
        resolvedAt: null,
        howNoticed: "",
        howMitigated: "",
        tags: ["db"],
      },
      team.slackTeamId,
      h.clock.now(),
    );
    for (const item of items) {
      await repo.addFinding(
        incident.id,
        {
          findingId: null,
          text: item.text,
          action: { ownerId: item.ownerId, dueDate: item.dueDate, kind: "prevent", ticketUrl: null },
          notedReason: null,
        },
        h.clock.now(),
      );
    }
    // Queues its message, which the kick posts: wait for it, and its ts.
    await h.composed.deps.incidents.publish(incident.id);
    await h.composed.deliverer.idle();
    const stored = await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const rows = await h.testDb.db.actionItem.findMany({
      where: { finding: { incidentId: incident.id } },
      include: { finding: true },
    });
    const idOf = (text: string) => rows.find((r) => r.finding.text === text)?.id ?? "";
    return { incident: stored, msg: { channelId: stored.channelId ?? "", ts: stored.messageTs ?? "" }, idOf };
  }

  async function tickAt(iso: string) {
    h.clock.set(iso);
    await h.tick();
  }

  const dmsTo = (user: string) => h.fake.dmsTo(user);
  const dmAbout = (user: string, text: string) => {
    const found = dmsTo(user).filter((m) => m.text.includes(text));
    const last = found.at(-1);
    if (!last) throw new Error(`no DM to ${user} about “${text}”`);
    return { channelId: last.channel, ts: last.ts, text: last.text, blocks: JSON.stringify(last.blocks) };
  };

  it("nudges at 09:00 in the owner's zone, exactly once each, and tells the thread when the owner is deactivated", async () => {
    const team = await start();
    const { msg } = await seedIncident(team, [
      { text: "Load-test before every sale", ownerId: "U0KOL", dueDate: "2026-12-04" },
      { text: "Alert on pool saturation", ownerId: "U0GONE", dueDate: "2026-12-04" },
    ]);

    // 2026-12-01 03:29Z is 08:59 in Kolkata: too early.
    await tickAt("2026-12-01T03:29:00Z");
    expect(dmsTo("U0KOL")).toHaveLength(0);

    // 03:30Z is 09:00 IST, three days before the due date. Two ticks, one DM.
    await tickAt("2026-12-01T03:30:00Z");
    await h.tick();
    expect(dmsTo("U0KOL")).toHaveLength(1);
    const pre = dmAbout("U0KOL", "Load-test before every sale");
    expect(pre.blocks).toContain("due on *2026-12-04*");
    expect(pre.blocks).toContain(`/archives/${msg.channelId}/p${msg.ts.replace(".", "")}|${TITLE}>`);
    for (const id of [A.done, A.extend, A.notDoing]) expect(pre.blocks).toContain(id);

    // The deactivated owner gets no DM; the incident's thread is told, once.
    expect(dmsTo("U0GONE")).toHaveLength(0);
    const orphaned = h.fake
      .repliesTo(msg.channelId, msg.ts)
      .filter((m) => m.text.includes("without an active owner"));
    expect(orphaned).toHaveLength(1);
    expect(JSON.stringify(orphaned[0]?.blocks)).toContain("<@U0GONE> is deactivated");

    // The due date itself (09:00 IST on 12-04) and 08:59 IST the day after: nothing new.
    await tickAt("2026-12-04T03:30:00Z");
    await tickAt("2026-12-05T03:29:00Z");
    expect(dmsTo("U0KOL")).toHaveLength(1);

    // 09:00 IST the day after the due date: the overdue nudge, once.
    await tickAt("2026-12-05T03:30:00Z");
    await h.tick();
    expect(dmsTo("U0KOL")).toHaveLength(2);
    expect(dmAbout("U0KOL", "overdue").blocks).toContain("it was due on *2026-12-04*");
    expect(
      h.fake.repliesTo(msg.channelId, msg.ts).filter((m) => m.text.includes("without an active owner")),
    ).toHaveLength(2);
    // Each nudge is one delivery, sent once, and logged on the item's audit trail.
    expect(await h.testDb.db.delivery.count({ where: { kind: "action_item_nudge", status: "sent" } })).toBe(
      4,
    );
    expect(await h.testDb.db.actionItemEvent.count({ where: { kind: "nudge" } })).toBe(4);
    // Both items have had their date's last nudge: later ticks pass them over until a date moves.
    expect(await h.testDb.db.actionItem.count({ where: { nudgesDone: true } })).toBe(2);

    // The rollup lists both open items as overdue, with owner, due date and incident.
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const [preview] = await h.responses(1);
    const shown = JSON.stringify(preview);
    expect(shown).toContain("Open and overdue COE action items");
    expect(shown).toContain("🔥 *overdue* · Load-test before every sale — <@U0KOL> · due 2026-12-04");
    expect(shown).toContain(TITLE);
    expect(shown).toContain("2 open COE action items (2 overdue)");
  });

  it("closes an item with Done from the DM: status, closedAt, DM and incident message updated; a stale click answers “already done”", async () => {
    const team = await start();
    const { msg, idOf } = await seedIncident(team, [
      { text: "Load-test before every sale", ownerId: "U0KOL", dueDate: "2026-12-04" },
    ]);
    await tickAt("2026-12-01T03:30:00Z");
    await tickAt("2026-12-05T03:30:00Z");
    const stale = dmAbout("U0KOL", "due 2026-12-04");
    const overdue = dmAbout("U0KOL", "overdue");

    h.clock.set("2026-12-05T04:00:00Z");
    await h.sender.clickButton({ userId: "U0KOL", message: overdue, actionId: A.done });
    const item = await eventually(() =>
      h.testDb.db.actionItem.findFirst({
        where: { id: idOf("Load-test before every sale"), status: "done" },
      }),
    );
    expect(item.closedAt?.toISOString()).toBe("2026-12-05T04:00:00.000Z");
    const dmUpdate = await h.fake.waitFor(
      "chat.update",
      (a) => a.channel === overdue.channelId && a.ts === overdue.ts,
      5000,
    );
    expect(JSON.stringify(dmUpdate.args.blocks)).toContain("*Done.*");
    expect(JSON.stringify(dmUpdate.args.blocks)).not.toContain(A.done);
    const incidentUpdate = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === msg.ts && JSON.stringify(a.blocks).includes("✅ done"),
      5000,
    );
    expect(incidentUpdate.args.channel).toBe(msg.channelId);

    // The pre-due DM still shows its buttons; a click there changes nothing and says so.
    await h.sender.clickButton({ userId: "U0KOL", message: stale, actionId: A.done });
    await eventually(
      async () =>
        h.fake.responseUrlPosts.find((p) => JSON.stringify(p.body).includes("already done")) ?? null,
    );
    expect(await h.testDb.db.actionItemEvent.count({ where: { kind: "done" } })).toBe(1);
  });

  it("extends with a reason (past dates refused inline, nudges re-armed) and closes as not doing only with a reason", async () => {
    const team = await start();
    const { idOf } = await seedIncident(team, [
      { text: "Load-test before every sale", ownerId: "U0KOL", dueDate: "2026-12-04" },
      { text: "Page the DBA on pool alarms", ownerId: "U0KOL", dueDate: "2026-12-04" },
    ]);
    // Down for two days: the overdue nudges go out late, once; the pre-due ones are not sent late.
    await tickAt("2026-12-07T03:30:00Z");
    expect(dmsTo("U0KOL")).toHaveLength(2);
    const loadTest = idOf("Load-test before every sale");
    const dm = dmAbout("U0KOL", "Load-test before every sale");

    await h.sender.clickButton({ userId: "U0KOL", message: dm, actionId: A.extend });
    const view = await h.openedView();
    expect(view.callback_id).toBe(ACTION_ITEM_VIEW.extend);
    // 12-06 is after the due date but already past in Kolkata (today is 12-07 there).
    const past = await h.sender.submitView(
      view.id,
      { [B.newDate]: "2026-12-06", [B.extendReason]: "Blocked" },
      { userId: "U0KOL" },
    );
    expect(past.errors?.[B.newDate]).toMatch(/passed for the owner \(today is 2026-12-07 in Asia\/Kolkata\)/);
    // Slack itself refuses an empty required input; only spaces get through to us.
    const noReason = await h.sender.submitView(
      view.id,
      { [B.newDate]: "2026-12-20", [B.extendReason]: "   " },
      { userId: "U0KOL" },
    );
    expect(Object.keys(noReason.errors ?? {})).toEqual([B.extendReason]);
    expect((await h.testDb.db.actionItem.findUniqueOrThrow({ where: { id: loadTest } })).dueDate).toBe(
      "2026-12-04",
    );
    expect(await h.testDb.db.actionItemEvent.count({ where: { kind: "extend" } })).toBe(0);

    const ok = await h.sender.submitView(
      view.id,
      { [B.newDate]: "2026-12-20", [B.extendReason]: "Waiting for the load-test rig" },
      { userId: "U0KOL" },
    );
    expect(ok.errors).toBeUndefined();
    expect((await h.testDb.db.actionItem.findUniqueOrThrow({ where: { id: loadTest } })).dueDate).toBe(
      "2026-12-20",
    );
    const event = await h.testDb.db.actionItemEvent.findFirstOrThrow({ where: { kind: "extend" } });
    expect(event).toMatchObject({
      fromDate: "2026-12-04",
      toDate: "2026-12-20",
      reason: "Waiting for the load-test rig",
      by: "U0KOL",
    });
    const redrawn = await h.fake.waitFor("chat.update", (a) => a.ts === dm.ts, 5000);
    expect(JSON.stringify(redrawn.args.blocks)).toContain(
      "Extended to 2026-12-20: Waiting for the load-test rig",
    );

    // Re-armed for the new date: the pre-due nudge at 09:00 IST on 12-17, and only then.
    await tickAt("2026-12-17T03:29:00Z");
    expect(dmsTo("U0KOL")).toHaveLength(2);
    await tickAt("2026-12-17T03:30:00Z");
    await h.tick();
    expect(dmsTo("U0KOL")).toHaveLength(3);
    expect(dmAbout("U0KOL", "due 2026-12-20").blocks).toContain("due on *2026-12-20*");

    // Not doing needs a reason.
    const page = idOf("Page the DBA on pool alarms");
    await h.sender.clickButton({
      userId: "U0KOL",
      message: dmAbout("U0KOL", "Page the DBA"),
      actionId: A.notDoing,
    });
    const nd = await h.openedView();
    const empty = await h.sender.submitView(nd.id, { [B.notDoingReason]: "  " }, { userId: "U0KOL" });
    expect(empty.errors?.[B.notDoingReason]).toMatch(/why it won't be done/);
    expect((await h.testDb.db.actionItem.findUniqueOrThrow({ where: { id: page } })).status).toBe("open");
    const closed = await h.sender.submitView(
      nd.id,
      { [B.notDoingReason]: "The DBA rota is being retired" },
      { userId: "U0KOL" },
    );
    expect(closed.errors).toBeUndefined();
    const row = await h.testDb.db.actionItem.findUniqueOrThrow({ where: { id: page } });
    expect(row).toMatchObject({ status: "not_doing", reason: "The DBA rota is being retired" });
    expect(row.closedAt?.toISOString()).toBe("2026-12-17T03:30:00.000Z");
    await h.fake.waitFor("chat.update", (a) => JSON.stringify(a.blocks).includes("🚫 not doing"), 5000);
  });

  it("reports loop metrics for the team over 90 days, with an empty state first", async () => {
    const team = await start(FIXTURE_NOW.toISOString());
    await h.sender.command("incident stats", { channelId: "C0TEAM" });
    const [empty] = await h.responses(1);
    expect(JSON.stringify(empty)).toContain("nothing to measure yet");

    for (const i of fixtureIncidents) await seedFixture(h, team, i);
    await h.sender.command("incident stats", { channelId: "C0TEAM" });
    const answers = await h.responses(2);
    const text = JSON.stringify(answers[1]);
    // The numbers are worked out in test/unit/incidents/metrics.test.ts:
    // window (2024-04-01 12:00, 2024-06-30 12:00]: i3–i8 = 6 incidents; i4, i6, i7 repeat → 3 of 6 = 50%.
    expect(text).toContain("*Incidents:* 6");
    expect(text).toContain("*50%* (3 of 6 incidents looked like an earlier one)");
    // time to insight: i5 12 h, i3 24 h, i4 48 h, i6 72 h → median 36 h over 4 COEs.
    expect(text).toContain("median *36 h* from resolution to COE complete (4 COEs)");
    // time to remediation: i6 0 h, i4 120 h, i3 240 h (its last item DONE) → median 120 h = 5 days over 3 COEs.
    expect(text).toContain("median *5 days* from COE complete to its last action item done (3 COEs;");
    // factor categories: technical i3 i4 i5 i6; process i3 i4 i7; organisational i4 i6.
    expect(text).toContain("technical 4 · process 3 · organisational 2");
    // tags: config (i4, i7) twice, then alphabetical singles.
    expect(text).toContain("*Top tags:* #config 2 · #auth 1");
    // The weekly rollup carries the same loop in one line.
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const preview = JSON.stringify((await h.responses(3))[2]);
    expect(preview).toContain(
      "Learning loop, 90 days: 50% repeats (3/6) · insight 36 h · remediation 5 days",
    );
  });
});

/** Stores one fixture incident as the COE flow would (items without an owner stay findings only). */
async function seedFixture(h: Harness, team: { id: string; slackTeamId: string }, i: IncidentRecord) {
  await h.testDb.db.incident.create({
    data: {
      teamId: team.id,
      title: i.title,
      severity: i.severity,
      impact: i.impact,
      description: i.description,
      startedAt: i.startedAt,
      detectedAt: i.detectedAt,
      mitigatedAt: i.mitigatedAt,
      resolvedAt: i.resolvedAt,
      learned: i.learned,
      reporterId: "U0TESTER",
      reporterTz: i.reporterTz,
      status: i.status,
      completedAt: i.completedAt,
      createdAt: i.createdAt,
      whys: { create: i.whys.map((w) => ({ text: w.text, createdAt: w.createdAt })) },
      factors: { create: i.factors.map((f) => ({ category: f.category, text: f.text })) },
      findings: {
        create: i.findings.map((f) => ({
          text: f.text,
          createdAt: i.createdAt,
          ...(f.actionItem?.ownerId && f.actionItem.dueDate
            ? {
                actionItem: {
                  create: {
                    ownerId: f.actionItem.ownerId,
                    dueDate: f.actionItem.dueDate,
                    kind: f.actionItem.kind,
                    status: f.actionItem.status,
                    closedAt: f.actionItem.closedAt,
                    createdAt: i.createdAt,
                  },
                },
              }
            : {}),
        })),
      },
      tags: {
        create: i.tags.map((name) => ({
          tag: {
            connectOrCreate: {
              where: { slackTeamId_name: { slackTeamId: team.slackTeamId, name } },
              create: { slackTeamId: team.slackTeamId, name },
            },
          },
        })),
      },
    },
  });
}
