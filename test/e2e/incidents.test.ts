import { afterEach, beforeEach, expect, it } from "vitest";
import { PrismaIncidentRepository } from "../../src/incidents/incident-repository.js";
import {
  INCIDENT_ACTION as A,
  INCIDENT_BLOCK as B,
  INCIDENT_SHORTCUT,
  INCIDENT_VIEW,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The harness clock: Mon 23 Nov 2026, 09:00 UTC (09:00 in London).
const at = (iso: string) => new Date(iso);

const intakeAnswers = (o: Record<string, Answer> = {}): Record<string, Answer> => ({
  [B.title]: "Checkout timeouts: connection pool exhausted",
  [B.severity]: "sev2",
  [B.impact]: "3% of checkouts failed for 40 minutes",
  [B.description]: "The database connection pool ran out during the sale.",
  [B.startedAt]: at("2026-11-23T07:30:00Z"),
  [B.detectedAt]: at("2026-11-23T07:45:00Z"),
  [B.mitigatedAt]: at("2026-11-23T08:10:00Z"),
  [B.howNoticed]: "Checkout error-rate alarm",
  [B.newTags]: "Config, #DB",
  ...o,
});

describeDb("incidents and COE", () => {
  let h: Harness;
  let slackTeamId: string;
  let teamId: string;
  beforeEach(async () => {
    h = await startHarness();
    h.fake.addChannel({ id: "C0INC", name: "incidents" });
    const team = await setupTeam(h);
    slackTeamId = team.slackTeamId;
    teamId = team.id;
  });
  afterEach(async () => h?.close());

  /** Runs /ratchet incident in the team channel and submits the intake; resolves once it is posted. */
  async function startIncident(answers: Record<string, Answer> = intakeAnswers(), channel = "C0TEAM") {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(INCIDENT_VIEW.intake);
    const res = await h.sender.submitView(view.id, answers);
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => a.channel === channel && String(a.text).startsWith("Incident:"),
      5000,
    );
    const ts = String((post.response as { ts: string }).ts);
    const incident = await eventually(() => h.testDb.db.incident.findFirst({ where: { messageTs: ts } }));
    return { incident, ts, msg: { channelId: channel, ts } };
  }

  /** Clicks a button on the incident message and submits the modal it opens. */
  async function step(
    msg: { channelId: string; ts: string },
    actionId: string,
    answers: Record<string, Answer>,
  ) {
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId });
    const view = await h.openedView();
    return { view, ...(await h.sender.submitView(view.id, answers)) };
  }

  it("takes an incident from /ratchet incident: times in UTC, posted to the incidents channel, similar check in the thread", async () => {
    await h.sender.command("incident channel <#C0INC|incidents>", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("<#C0INC>");

    const { incident, ts } = await startIncident(intakeAnswers(), "C0INC");
    expect(incident.teamId).toBe(teamId);
    expect(incident.startedAt.toISOString()).toBe("2026-11-23T07:30:00.000Z");
    expect(incident.detectedAt.toISOString()).toBe("2026-11-23T07:45:00.000Z");
    expect(incident.mitigatedAt?.toISOString()).toBe("2026-11-23T08:10:00.000Z");
    expect(incident.resolvedAt).toBeNull();
    expect(incident.reporterTz).toBe("Europe/London");
    const tags = await h.testDb.db.tag.findMany({ where: { slackTeamId }, orderBy: { name: "asc" } });
    expect(tags.map((t) => t.name)).toEqual(["config", "db"]);

    const blocks = JSON.stringify(h.fake.message("C0INC", ts)?.blocks);
    expect(blocks).toContain("SEV2");
    expect(blocks).toContain("3% of checkouts failed");
    expect(blocks).toContain("+15 min");
    expect(blocks).toContain("#config");
    const reply = await h.fake.waitFor("chat.postMessage", (a) => a.thread_ts === ts, 5000);
    expect(String(reply.args.text)).toContain("No similar past incidents");
  });

  it("starts a COE from a message: the description is the message and the incident links back to it", async () => {
    const source = h.fake.addUserMessage({
      channel: "C0TEAM",
      user: "U0OWNER",
      text: "Checkout is throwing 500s for everyone since 07:30",
    });
    await h.sender.shortcut({ callbackId: INCIDENT_SHORTCUT, message: { channelId: "C0TEAM", ts: source } });
    const view = await h.openedView();
    expect(JSON.stringify(view.blocks)).toContain("Checkout is throwing 500s for everyone since 07:30");
    const { [B.description]: _typed, ...rest } = intakeAnswers();
    const res = await h.sender.submitView(view.id, rest);
    expect(res.errors).toBeUndefined();
    const incident = await eventually(() =>
      h.testDb.db.incident.findFirst({ where: { messageTs: { not: null } } }),
    );
    expect(incident.description).toBe("Checkout is throwing 500s for everyone since 07:30");
    expect(incident.sourceLink).toBe(
      `https://ratchet-test.slack.com/archives/C0TEAM/p${source.replace(".", "")}`,
    );
    const post = h.fake.message("C0TEAM", incident.messageTs ?? "");
    expect(JSON.stringify(post?.blocks)).toContain("source message");
  });

  it("refuses times out of order or in the future, inline, writing nothing", async () => {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const outOfOrder = await h.sender.submitView(
      view.id,
      intakeAnswers({
        [B.detectedAt]: at("2026-11-23T07:00:00Z"),
        [B.resolvedAt]: at("2026-11-23T08:00:00Z"),
      }),
    );
    expect(outOfOrder.errors?.[B.detectedAt]).toMatch(/before the start/);
    expect(outOfOrder.errors?.[B.resolvedAt]).toMatch(/before the mitigation/);
    // Named by the earliest moment it precedes: a resolution before the start is before the start.
    const beforeStart = await h.sender.submitView(
      view.id,
      intakeAnswers({ [B.resolvedAt]: at("2026-11-23T07:00:00Z") }),
    );
    expect(beforeStart.errors).toEqual({ [B.resolvedAt]: "The resolution can't be before the start." });
    const future = await h.sender.submitView(
      view.id,
      intakeAnswers({ [B.resolvedAt]: at("2026-11-23T11:00:00Z") }),
    );
    expect(Object.keys(future.errors ?? {})).toEqual([B.resolvedAt]);
    expect(future.errors?.[B.resolvedAt]).toMatch(/future/);
    expect(await h.testDb.db.incident.count()).toBe(0);
    expect(await h.testDb.db.tag.count()).toBe(0);
    expect(h.fake.isViewOpen(view.id)).toBe(true);
  });

  it("branches the whys: two causes under why 1, one of them extended to 1.1.1, on the updated message", async () => {
    const { incident, msg } = await startIncident();
    const whyId = async (text: string) =>
      (await h.testDb.db.why.findFirstOrThrow({ where: { incidentId: incident.id, text } })).id;

    expect(
      (await step(msg, A.why, { [B.whyText]: "Requests queued until they timed out" })).errors,
    ).toBeUndefined();
    const why1 = await whyId("Requests queued until they timed out");
    expect(
      (await step(msg, A.why, { [B.whyParent]: why1, [B.whyText]: "Traffic doubled for the sale" })).errors,
    ).toBeUndefined();
    expect(
      (await step(msg, A.why, { [B.whyParent]: why1, [B.whyText]: "The pool limit was set in 2019" })).errors,
    ).toBeUndefined();
    const why11 = await whyId("Traffic doubled for the sale");
    const { view, errors } = await step(msg, A.why, {
      [B.whyParent]: why11,
      [B.whyText]: "Nobody load-tested the sale",
    });
    expect(errors).toBeUndefined();
    // The "because of" select labelled the existing whys by their path.
    expect(JSON.stringify(view.blocks)).toContain("Why 1.2: The pool limit was set in 2019");

    const update = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === msg.ts && JSON.stringify(a.blocks).includes("Why 1.1.1"),
      5000,
    );
    const shown = JSON.stringify(update.args.blocks);
    expect(shown).toContain("*Why 1* Requests queued until they timed out");
    expect(shown).toContain("*Why 1.1* Traffic doubled for the sale");
    expect(shown).toContain("*Why 1.2* The pool limit was set in 2019");
    expect(shown).toContain("*Why 1.1.1* Nobody load-tested the sale");
    expect(h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Incident:"))).toHaveLength(1);
  });

  it("holds the integration gate until every finding is owned and dated, then completes and exports Markdown", async () => {
    const { incident, msg } = await startIncident();
    expect((await step(msg, A.why, { [B.whyText]: "The pool limit was outdated" })).errors).toBeUndefined();
    const factor = await step(msg, A.factor, {
      [B.factorCategory]: "process",
      [B.factorText]: "Pool configuration is never revisited per release",
    });
    expect(factor.errors).toBeUndefined();
    const finding = await step(msg, A.finding, { [B.findingText]: "Pool size is set by hand" });
    expect(finding.errors).toBeUndefined();

    // A due date already past for the owner (London) is refused, and nothing is written.
    const past = await step(msg, A.finding, {
      [B.findingText]: "Load-test before every sale",
      [B.findingOwner]: "U0OWNER",
      [B.findingDue]: "2026-11-22",
    });
    expect(past.errors?.[B.findingDue]).toMatch(/passed/);
    expect(await h.testDb.db.finding.count()).toBe(1);
    h.fake.closeView(past.view.id);

    // Not ready: the modal says what is missing first, with no box to tick and no Complete button.
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.complete });
    const notReady = await h.openedView();
    expect(notReady.submit ?? null).toBeNull();
    const shown = JSON.stringify(notReady.blocks);
    expect(shown).toContain("Not ready yet — still missing");
    expect(shown).toContain("Finding 1 “Pool size is set by hand”: no action item");
    expect(shown).not.toContain(B.completeConfirm);
    expect((await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      "open",
    );
    h.fake.closeView(notReady.id);

    const pool = await h.testDb.db.finding.findFirstOrThrow({ where: { incidentId: incident.id } });
    const completed = await step(msg, A.finding, {
      [B.findingExisting]: pool.id,
      [B.findingOwner]: "U0OWNER",
      [B.findingDue]: "2026-12-04",
      [B.findingKind]: "prevent",
      [B.findingTicket]: "https://tracker.example.com/OPS-42",
    });
    expect(completed.errors).toBeUndefined();

    // Ready when opened, unready by the time it is submitted (a finding added meanwhile): refused with
    // one short line under the box, in whole words, and nothing written.
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.complete });
    const ready = await h.openedView();
    expect(ready.submit).toBeTruthy();
    const added = await step(msg, A.finding, {
      [B.findingText]: `Alarm threshold ${"too high ".repeat(30)}`,
    });
    expect(added.errors).toBeUndefined();
    const raced = await h.sender.submitView(ready.id, { [B.completeConfirm]: ["confirmed"] });
    const line = raced.errors?.[B.completeConfirm] ?? "";
    expect(line).toMatch(
      /^Not ready yet: Finding 2 “Alarm threshold too high too high.*…”: no action item\./,
    );
    // Cut between words: what is quoted is the finding's text up to a space.
    const quoted = /“(.*)…”/.exec(line)?.[1] ?? "";
    expect(`Alarm threshold ${"too high ".repeat(30)}`.startsWith(`${quoted} `)).toBe(true);
    expect(line).toContain("Close this and press Mark COE complete to see all.");
    expect((await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      "open",
    );
    h.fake.closeView(ready.id);
    const alarmFinding = await h.testDb.db.finding.findFirstOrThrow({
      where: { incidentId: incident.id, text: { startsWith: "Alarm threshold" } },
    });
    const second = await step(msg, A.finding, {
      [B.findingExisting]: alarmFinding.id,
      [B.findingOwner]: "U0OWNER",
      [B.findingDue]: "2026-12-04",
      [B.findingKind]: "detect",
    });
    expect(second.errors).toBeUndefined();

    const accepted = await step(msg, A.complete, { [B.completeConfirm]: ["confirmed"] });
    expect(accepted.errors).toBeUndefined();
    const done = await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(done.status).toBe("complete");
    expect(done.completedAt?.toISOString()).toBe("2026-11-23T09:00:00.000Z");
    const update = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === msg.ts && String(a.text).startsWith("COE complete"),
      5000,
    );
    expect(JSON.stringify(update.args.blocks)).toContain("<@U0OWNER>");
    expect(JSON.stringify(update.args.blocks)).toContain("due 2026-12-04");

    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.export });
    const shared = await h.fake.waitFor("files.completeUploadExternal", undefined, 5000);
    expect(shared.args.channel_id).toBe("C0TEAM");
    expect(shared.args.thread_ts).toBe(msg.ts);
    const file = h.fake.files.find((f) => f.completed);
    const markdown = new TextDecoder().decode(file?.bytes);
    expect(file?.filename).toMatch(/^coe-checkout-timeouts.*\.md$/);
    for (const section of [
      "# COE: Checkout timeouts: connection pool exhausted",
      "## Why did this happen?",
      "- **Why 1** The pool limit was outdated",
      "### Process",
      "## Findings and action items",
      "1. Pool size is set by hand",
      // Outside Slack a person is their name, not an id.
      "owner Olly Owner · due 2026-12-04 · kind: prevent",
      "`#config`",
    ]) {
      expect(markdown).toContain(section);
    }
  });

  it("lists similar past incidents with reasons and whether their fixes shipped, and re-checks when tags change", async () => {
    const repo = new PrismaIncidentRepository(h.testDb.db);
    const past = (o: { title: string; tags: string[]; startedAt: string }) =>
      repo.create(
        {
          teamId,
          reporterId: "U0OWNER",
          reporterTz: "Europe/London",
          sourceLink: null,
          severity: "sev2",
          impact: "",
          description: "",
          detectedAt: at(o.startedAt),
          mitigatedAt: null,
          resolvedAt: null,
          howNoticed: "",
          howMitigated: "",
          ...o,
          startedAt: at(o.startedAt),
        },
        slackTeamId,
        at(o.startedAt),
      );
    const pool = await past({
      title: "Search outage: database connection pool exhausted",
      tags: ["db"],
      startedAt: "2026-08-01T10:00:00Z",
    });
    await repo.addFinding(
      pool.id,
      {
        findingId: null,
        text: "Pool size is static",
        action: { ownerId: "U0OWNER", dueDate: "2026-08-20", kind: "prevent", ticketUrl: null },
        notedReason: null,
      },
      at("2026-08-02T10:00:00Z"),
    );
    await past({
      title: "Expired certificate broke sign-in",
      tags: ["certificates"],
      startedAt: "2026-06-01T10:00:00Z",
    });

    const { msg } = await startIncident(intakeAnswers({ [B.newTags]: "db" }));
    const reply = await h.fake.waitFor("chat.postMessage", (a) => a.thread_ts === msg.ts, 5000);
    const text = JSON.stringify(reply.args.blocks);
    expect(text).toContain("Search outage: database connection pool exhausted");
    expect(text).toContain("shared tags: #db");
    expect(text).toContain("similar wording");
    // Its one action item is still open and was due in August: last time's fix did not ship.
    expect(text).toContain("0 of 1 done, 1 open (1 overdue)");
    expect(text).not.toContain("Expired certificate");

    const tagged = await step(msg, A.tags, { [B.tags]: ["db", "certificates"] });
    expect(tagged.errors).toBeUndefined();
    const recheck = await h.fake.waitFor(
      "chat.postMessage",
      (a) => a.thread_ts === msg.ts && String(JSON.stringify(a.blocks)).includes("New similar incidents"),
      5000,
    );
    const again = JSON.stringify(recheck.args.blocks);
    expect(again).toContain("Expired certificate broke sign-in");
    expect(again).toContain("shared tags: #certificates");
    expect(again).not.toContain("Search outage");
  });
});
