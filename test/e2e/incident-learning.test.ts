import { afterEach, beforeEach, expect, it } from "vitest";
import {
  INCIDENT_ACTION as A,
  ACTION_ITEM_BLOCK,
  INCIDENT_BLOCK as B,
  INCIDENT_VIEW,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The harness clock: Mon 23 Nov 2026, 09:00 UTC. Issue 11: not every finding needs a ticket, and the
// learning-loop numbers (remediation that isn't "not doing", known root causes, quarter over quarter).
const at = (iso: string) => new Date(iso);

describeDb("COE findings noted with no action, root causes, and the learning-loop numbers", () => {
  let h: Harness;
  let team: { id: string; slackTeamId: string };
  beforeEach(async () => {
    h = await startHarness();
    team = await setupTeam(h, { tz: "America/New_York" });
  });
  afterEach(async () => h?.close());

  async function startIncident() {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(INCIDENT_VIEW.intake);
    const res = await h.sender.submitView(view.id, {
      [B.title]: "Checkout timeouts: connection pool exhausted",
      [B.severity]: "sev2",
      [B.impact]: "3% of checkouts failed for 40 minutes",
      [B.startedAt]: at("2026-11-23T07:30:00Z"),
      [B.detectedAt]: at("2026-11-23T07:45:00Z"),
    });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => a.channel === "C0TEAM" && String(a.text).startsWith("Incident:"),
      5000,
    );
    const ts = String((post.response as { ts: string }).ts);
    const incident = await eventually(() => h.testDb.db.incident.findFirst({ where: { messageTs: ts } }));
    return { incident, msg: { channelId: "C0TEAM", ts } };
  }

  async function step(
    msg: { channelId: string; ts: string },
    actionId: string,
    answers: Record<string, Answer>,
  ) {
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId });
    const view = await h.openedView();
    return { view, ...(await h.sender.submitView(view.id, answers)) };
  }

  it("notes a finding with no action and a reason, refuses one without, and the gate accepts it in place of an action item", async () => {
    const { incident, msg } = await startIncident();
    const why = await step(msg, A.why, {
      [B.whyText]: "The pool size is static infrastructure-as-code, never reviewed per release",
      [B.whyRootCause]: ["root_cause"],
    });
    expect(why.errors).toBeUndefined();
    const factor = await step(msg, A.factor, {
      [B.factorCategory]: "process",
      [B.factorText]: "Nobody owns the pool config",
    });
    expect(factor.errors).toBeUndefined();

    // Noted with no reason: refused inline, nothing written.
    const noReason = await step(msg, A.finding, {
      [B.findingText]: "The error log is noisy during sales",
      [B.findingDisposition]: "noted",
    });
    expect(noReason.errors).toEqual({
      [B.findingNotedReason]: "Say why this finding needs no action: it is what readers will trust.",
    });
    expect(JSON.stringify(noReason.view.blocks)).toContain("Noted, no action");
    // Noted, yet with an owner and a date: which is it? Refused at the owner.
    const both = await h.sender.submitView(noReason.view.id, {
      [B.findingText]: "The error log is noisy during sales",
      [B.findingDisposition]: "noted",
      [B.findingNotedReason]: "Low impact",
      [B.findingOwner]: "U0OWNER",
      [B.findingDue]: "2026-12-04",
    });
    expect(Object.keys(both.errors ?? {})).toEqual([B.findingOwner]);
    expect(await h.testDb.db.finding.count()).toBe(0);
    const noted = await h.sender.submitView(noReason.view.id, {
      [B.findingText]: "The error log is noisy during sales",
      [B.findingDisposition]: "noted",
      [B.findingNotedReason]: "Low impact, and the new pool alarm already catches this",
    });
    expect(noted.errors).toBeUndefined();

    // A bare finding holds the gate until it is settled; noting it (existing finding) settles it.
    expect(
      (await step(msg, A.finding, { [B.findingText]: "Sale traffic forecast was a guess" })).errors,
    ).toBeUndefined();
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.complete });
    const notReady = await h.openedView();
    expect(JSON.stringify(notReady.blocks)).toContain(
      "Finding 2 “Sale traffic forecast was a guess”: no action item",
    );
    expect(JSON.stringify(notReady.blocks)).toContain("Noted, no action");
    h.fake.closeView(notReady.id);
    const bare = await h.testDb.db.finding.findFirstOrThrow({
      where: { incidentId: incident.id, text: "Sale traffic forecast was a guess" },
    });
    const settled = await step(msg, A.finding, {
      [B.findingExisting]: bare.id,
      [B.findingDisposition]: "noted",
      [B.findingNotedReason]: "Marketing now shares forecasts; nothing for us to build",
    });
    expect(settled.errors).toBeUndefined();
    expect(await h.testDb.db.actionItem.count()).toBe(0);

    const accepted = await step(msg, A.complete, { [B.completeConfirm]: ["confirmed"] });
    expect(accepted.errors).toBeUndefined();
    expect((await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      "complete",
    );
    const update = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === msg.ts && String(a.text).startsWith("COE complete"),
      5000,
    );
    const shown = JSON.stringify(update.args.blocks);
    expect(shown).toContain("2 findings: 0 with action items, 2 noted with no action");
    expect(shown).toContain("📝 noted, no action — Low impact, and the new pool alarm already catches this");
    expect(shown).toContain("🎯 _root cause_");

    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.export });
    await h.fake.waitFor("files.completeUploadExternal", undefined, 5000);
    const markdown = new TextDecoder().decode(h.fake.files.find((f) => f.completed)?.bytes);
    expect(markdown).toContain("_2 findings: 0 with action items, 2 noted with no action._");
    expect(markdown).toContain("Noted, no action: Marketing now shares forecasts; nothing for us to build");
    expect(markdown).toContain("never reviewed per release _(root cause)_");
  });

  it("refuses, from a modal opened earlier, to note a finding that has since got its action item", async () => {
    const { incident, msg } = await startIncident();
    expect(
      (await step(msg, A.finding, { [B.findingText]: "Pool size is set by hand" })).errors,
    ).toBeUndefined();
    const finding = await h.testDb.db.finding.findFirstOrThrow({ where: { incidentId: incident.id } });
    // Two people open the Finding modal; the first gives the finding its action item.
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.finding });
    const stale = await h.openedView();
    const owned = await step(msg, A.finding, {
      [B.findingExisting]: finding.id,
      [B.findingOwner]: "U0OWNER",
      [B.findingDue]: "2026-12-04",
    });
    expect(owned.errors).toBeUndefined();
    const late = await h.sender.submitView(stale.id, {
      [B.findingExisting]: finding.id,
      [B.findingDisposition]: "noted",
      [B.findingNotedReason]: "Changed our minds",
    });
    expect(late.errors).toEqual({ [B.findingExisting]: "That finding already has an action item." });
    expect(
      (await h.testDb.db.finding.findUniqueOrThrow({ where: { id: finding.id } })).notedReason,
    ).toBeNull();
  });

  /** A COE stored as the flow stores it, at a chosen instant (history the harness clock can't replay). */
  async function seed(o: {
    createdAt: string;
    completedAt?: string;
    rootCause?: boolean;
    items?: { status: "open" | "done" | "not_doing"; closedAt?: string }[];
    noted?: string[];
  }) {
    const createdAt = at(o.createdAt);
    await h.testDb.db.incident.create({
      data: {
        teamId: team.id,
        title: `Incident of ${o.createdAt}`,
        severity: "sev2",
        impact: "some",
        description: "",
        startedAt: createdAt,
        detectedAt: createdAt,
        reporterId: "U0TESTER",
        reporterTz: "Europe/London",
        status: o.completedAt ? "complete" : "open",
        completedAt: o.completedAt ? at(o.completedAt) : null,
        createdAt,
        whys: { create: [{ text: `why ${o.createdAt}`, rootCause: o.rootCause ?? false, createdAt }] },
        findings: {
          create: [
            ...(o.items ?? []).map((item, n) => ({
              text: `finding ${n}`,
              createdAt,
              actionItem: {
                create: {
                  ownerId: "U0OWNER",
                  dueDate: "2026-12-31",
                  kind: "prevent",
                  status: item.status,
                  closedAt: item.closedAt ? at(item.closedAt) : null,
                  createdAt,
                },
              },
            })),
            ...(o.noted ?? []).map((reason, n) => ({ text: `noted ${n}`, notedReason: reason, createdAt })),
          ],
        },
      },
    });
  }

  it("/ratchet incident stats: not doing is not remediation, the share with a known root cause, and this quarter against last in the team's zone", async () => {
    // Last quarter (2026 Q3 in New York): remediated in 72 h.
    await seed({
      createdAt: "2026-08-10T12:00:00Z",
      completedAt: "2026-08-11T12:00:00Z",
      items: [{ status: "done", closedAt: "2026-08-14T12:00:00Z" }],
    });
    // 23:30 on 30 September in New York, though 1 October in UTC: still Q3 on the team's calendar.
    await seed({ createdAt: "2026-10-01T03:30:00Z" });
    // This quarter: its only item closed as not doing (not remediated), and a root cause found.
    await seed({
      createdAt: "2026-10-01T04:30:00Z",
      completedAt: "2026-10-02T00:00:00Z",
      rootCause: true,
      items: [{ status: "not_doing", closedAt: "2026-10-03T00:00:00Z" }],
    });
    await seed({ createdAt: "2026-11-20T12:00:00Z", rootCause: true, noted: ["Covered by the pool alarm"] });

    await h.sender.command("incident stats", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    const text = JSON.stringify(answer);
    // The 90-day window (25 Aug – 23 Nov) holds the last three.
    expect(text).toContain("*Incidents:* 3");
    expect(text).toContain("*Known root cause:* *67%* (2 of 3 COEs");
    expect(text).toContain("1 COE closed every action item as not doing, so nothing was remediated");
    expect(text).not.toContain("from COE complete to its last action item done");
    expect(text).toContain("*Findings:* 2 (1 with action items, 1 noted with no action)");
    const blocks = (answer as { blocks: { block_id?: string; text?: { text: string } }[] }).blocks;
    const trend = blocks.find((b) => b.block_id === ACTION_ITEM_BLOCK.statsTrend)?.text?.text ?? "";
    expect(trend.split("\n")).toEqual([
      "*Quarter over quarter:* 2026 Q4 so far vs 2026 Q3",
      "• Incidents: *2* vs 2",
      "• Repeat-incident rate: *0%* vs 0% (no change)",
      "• Known root cause: *100%* vs 0% (better)",
      "• Time to insight: *—* vs —",
      "• Time to remediation: *—* vs 3 days",
      "• Findings noted with no action: *1* of 2 vs 0 of 1",
    ]);
  });
});
