import { afterEach, beforeEach, expect, it } from "vitest";
import type { NewAuditEntry } from "../../src/audit/audit-entry.js";
import { PrismaDebriefRepository } from "../../src/debriefs/debrief-repository.js";
import { PrismaIncidentRepository } from "../../src/incidents/incident-repository.js";
import { PrismaPeopleRepository } from "../../src/people/people-repository.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

const AT = new Date("2026-11-25T09:00:00Z");

/** An entry the database refuses (no valid instant), as an audit write that fails would be. */
const entry = (o: { valid: boolean }): NewAuditEntry => ({
  slackTeamId: "T0WORK",
  teamId: "team1",
  subjectType: "team",
  subjectId: "team1",
  actor: "U0TESTER",
  action: "removed",
  before: { what: "it" },
  after: {},
  surface: "button",
  at: o.valid ? AT : new Date(Number.NaN),
});

// Issue 14: nothing is hard-deleted without an audit entry. Each delete a person can trigger writes
// its entry in the same transaction: if the entry can't be written, the row stays.
describeDb("hard deletes write their audit entry in the same transaction", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
    await t.db.team.create({
      data: {
        id: "team1",
        slackTeamId: "T0WORK",
        name: "Checkout squad",
        channelId: "C0TEAM",
        timezone: "Europe/London",
        reviewWeekday: 2,
        reviewTime: "10:00",
        cadenceWeeks: 1,
        cycleAnchor: AT,
        createdBy: "U0TESTER",
        createdAt: AT,
      },
    });
  });
  afterEach(async () => t?.close());

  async function quietDay() {
    return t.db.quietDay.create({
      data: {
        slackTeamId: "T0WORK",
        teamId: "team1",
        fromDate: "2026-12-24",
        toDate: "2026-12-26",
        timezone: "Europe/London",
        createdBy: "U0TESTER",
        createdAt: AT,
      },
    });
  }

  it("keeps quiet days when their audit entry fails, and removes them with it when it is written", async () => {
    const repo = new PrismaPeopleRepository(t.db);
    const q = await quietDay();
    await expect(repo.removeQuietDay(q.id, entry({ valid: false }))).rejects.toThrow();
    expect(await t.db.quietDay.count()).toBe(1);
    expect(await t.db.auditEntry.count()).toBe(0);

    expect(await repo.removeQuietDay(q.id, entry({ valid: true }))).toBe(true);
    expect(await t.db.quietDay.count()).toBe(0);
    expect(await t.db.auditEntry.count()).toBe(1);
    // Already gone: nothing deleted, nothing recorded.
    expect(await repo.removeQuietDay(q.id, entry({ valid: true }))).toBe(false);
    expect(await t.db.auditEntry.count()).toBe(1);
  });

  it("keeps an incident's tags when the entry for dropping them fails", async () => {
    const repo = new PrismaIncidentRepository(t.db);
    const incident = await repo.create(
      {
        teamId: "team1",
        reporterId: "U0TESTER",
        reporterTz: "Europe/London",
        sourceLink: null,
        title: "Checkout timeouts",
        severity: "sev2",
        impact: "",
        description: "",
        startedAt: AT,
        detectedAt: AT,
        mitigatedAt: null,
        resolvedAt: null,
        howNoticed: "",
        howMitigated: "",
        tags: ["config", "db"],
      },
      "T0WORK",
      AT,
    );
    await expect(repo.setTags(incident.id, ["db"], "T0WORK", entry({ valid: false }))).rejects.toThrow();
    expect((await repo.findById(incident.id))?.tags).toEqual(["config", "db"]);
    expect(await t.db.auditEntry.count()).toBe(0);

    await repo.setTags(incident.id, ["db"], "T0WORK", entry({ valid: true }));
    expect((await repo.findById(incident.id))?.tags).toEqual(["db"]);
    expect(await t.db.auditEntry.count()).toBe(1);
  });

  it("keeps a debrief nudge opt-out when the entry for turning nudges back on fails", async () => {
    const repo = new PrismaDebriefRepository(t.db);
    await repo.setNudgeOptOut("team1", "U0ANA", true, AT);
    await expect(repo.setNudgeOptOut("team1", "U0ANA", false, AT, entry({ valid: false }))).rejects.toThrow();
    expect(await repo.nudgeOptOuts("team1")).toEqual(["U0ANA"]);

    await repo.setNudgeOptOut("team1", "U0ANA", false, AT, entry({ valid: true }));
    expect(await repo.nudgeOptOuts("team1")).toEqual([]);
    expect(await t.db.auditEntry.count()).toBe(1);
  });
});
