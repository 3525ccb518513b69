import { afterEach, beforeEach, expect, it } from "vitest";
import { INCIDENT_ACTION as A, INCIDENT_BLOCK as B } from "../../src/slack/ids.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The harness clock: Mon 23 Nov 2026, 09:00 UTC. The COE export is read outside Slack (a wiki, a
// repo), where "U0ALICE" means nothing: people are shown by their names.
describeDb("the COE export names people, not Slack ids", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.fake.addUser({ id: "U0ALICE", name: "alice", real_name: "Alice Smith", tz: "Europe/London" });
    h.fake.addUser({ id: "U0BOB", name: "bob", real_name: "Bob Builder", tz: "Europe/London" });
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  /** An incident whose text mentions Bob, with a finding owned by Alice; returns its message. */
  async function incidentNamingPeople() {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const intake = await h.openedView();
    const res = await h.sender.submitView(intake.id, {
      [B.title]: "Checkout timeouts",
      [B.severity]: "sev2",
      [B.impact]: "3% of checkouts failed",
      [B.description]: "Paged <@U0BOB> at 07:50; he raised the pool limit.",
      [B.startedAt]: new Date("2026-11-23T07:30:00Z"),
      [B.detectedAt]: new Date("2026-11-23T07:45:00Z"),
      [B.howNoticed]: "Checkout error-rate alarm",
    });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Incident:"),
      5000,
    );
    const msg = { channelId: "C0TEAM", ts: String((post.response as { ts: string }).ts) };
    await eventually(() => h.testDb.db.incident.findFirst({ where: { messageTs: msg.ts } }));

    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.finding });
    const finding = await h.openedView();
    const added = await h.sender.submitView(finding.id, {
      [B.findingText]: "Pool size is set by hand",
      [B.findingOwner]: "U0ALICE",
      [B.findingDue]: "2026-12-04",
      [B.findingKind]: "prevent",
    });
    expect(added.errors).toBeUndefined();
    await eventually(() => h.testDb.db.actionItem.findFirst({ where: { ownerId: "U0ALICE" } }));
    return msg;
  }

  async function exported(msg: { channelId: string; ts: string }): Promise<string> {
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.export });
    await h.fake.waitFor("files.completeUploadExternal", undefined, 5000);
    const file = h.fake.files.find((f) => f.completed);
    return new TextDecoder().decode(file?.bytes);
  }

  it("shows the action item's owner and the people mentioned in the text by their names", async () => {
    const markdown = await exported(await incidentNamingPeople());
    expect(markdown).toContain("owner Alice Smith · due 2026-12-04");
    expect(markdown).toContain("Paged Bob Builder at 07:50");
    expect(markdown).not.toContain("U0ALICE");
    expect(markdown).not.toContain("U0BOB");
    // Each person is looked up once per export, however often they are named.
    const lookups = h.fake.calls.filter((c) => c.method === "users.info" && c.args.user === "U0BOB");
    expect(lookups).toHaveLength(1);
  });

  it("keeps a person's id when Slack can't say who they are, and logs it", async () => {
    const msg = await incidentNamingPeople();
    // Alice's lookup is refused; Bob's still answers.
    h.fake.chaos = (method, args) =>
      method === "users.info" && args.user === "U0ALICE" ? { error: "ratelimited" } : undefined;
    const markdown = await exported(msg);
    h.fake.chaos = undefined;
    expect(markdown).toContain("owner @U0ALICE · due 2026-12-04");
    expect(markdown).toContain("Paged Bob Builder at 07:50");
    const warned = h.logs.filter((l) => l.msg.startsWith("COE export: could not look up"));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, failed: ["U0ALICE"], incidentId: expect.any(String) });
  });
});
