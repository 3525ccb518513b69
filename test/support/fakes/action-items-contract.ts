import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloseInput, ExtendInput } from "../../../src/action-items/action-item.js";
import type { FindingInput } from "../../../src/incidents/incident.js";
import type { Team } from "../../../src/teams/team.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";

/**
 * The ActionItemRepository contract: PrismaActionItemRepository on SQLite and PostgreSQL
 * (test/db/action-items-contract.test.ts) and InMemoryActionItemRepository (test/unit/fakes) pass
 * the same cases. Items are made the way production makes them, through incidents.addFinding.
 */
export function describeActionItemsContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const CREATED = new Date("2031-07-15T03:04:05.678Z");
  const T1 = new Date("2031-07-16T04:05:06.789Z");
  const T2 = new Date("2031-07-17T05:06:07.891Z");
  const T3 = new Date("2031-07-18T06:07:08.912Z");

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({
      slackTeamId: "T0WORK",
      channelId: "C0TEAM",
      timezone: "America/New_York",
      incidentsChannelId: "C0INCIDENTS",
      ...o,
    });
    return team;
  };

  describe(`ActionItemRepository contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let r: Repositories;
    let teamId: string;
    let incidentId: string;
    beforeEach(async () => {
      open = await impl.open();
      r = open.repos;
      teamId = (await r.teams.save(teamData())).id;
      incidentId = await newIncident(teamId, "Checkout timeouts");
    });
    afterEach(async () => open?.close());

    const newIncident = async (team: string, title: string, workspace = "T0WORK") =>
      (
        await r.incidents.create(
          {
            teamId: team,
            reporterId: "U0REPORTER",
            reporterTz: "UTC",
            sourceLink: null,
            title,
            severity: "sev2",
            impact: "impact",
            description: "",
            startedAt: new Date("2031-07-14T22:10:11.123Z"),
            detectedAt: new Date("2031-07-14T22:15:16.456Z"),
            mitigatedAt: null,
            resolvedAt: null,
            howNoticed: "",
            howMitigated: "",
            tags: [],
          },
          workspace,
          CREATED,
        )
      ).id;

    /** Adds a finding with an action item to the incident and returns the item's id. */
    const newItem = async (
      o: Partial<NonNullable<FindingInput["action"]>> & { text?: string; incident?: string; at?: Date } = {},
    ) => {
      const { text = "Pool size is static", incident = incidentId, at = CREATED, ...action } = o;
      await r.incidents.addFinding(
        incident,
        {
          findingId: null,
          text,
          action: { ownerId: "U0OWNER", dueDate: "2031-08-01", kind: "prevent", ticketUrl: null, ...action },
          notedReason: null,
        },
        at,
      );
      const stored = await r.incidents.findById(incident);
      const id = stored?.findings.find((f) => f.text === text)?.actionItem?.id;
      if (!id) throw new Error(`no action item for ${text}`);
      return id;
    };
    const find = async (id: string) => {
      const item = await r.actionItems.find(id);
      if (!item) throw new Error(`action item ${id} not found`);
      return item;
    };
    const closing = (o: Partial<CloseInput> = {}): CloseInput => ({
      status: "done",
      reason: "Shipped the autoscaler",
      by: "U0OWNER",
      at: T1,
      ...o,
    });
    const extending = (o: Partial<ExtendInput> = {}): ExtendInput => ({
      fromDate: "2031-08-01",
      toDate: "2031-08-15",
      reason: "Waiting on the vendor",
      by: "U0OWNER",
      at: T2,
      ...o,
    });
    const nudge = (actionItemId: string, at = T1) => ({
      actionItemId,
      reason: "overdue",
      dueDate: "2031-08-01",
      at,
    });

    describe("find", () => {
      it("returns the item with its finding, incident and team; its due date was set when it was created", async () => {
        const id = await newItem({ ticketUrl: "https://tickets.example/T-1", kind: "detect" });
        expect(await r.actionItems.find(id)).toEqual({
          id,
          ownerId: "U0OWNER",
          dueDate: "2031-08-01",
          kind: "detect",
          ticketUrl: "https://tickets.example/T-1",
          status: "open",
          reason: "",
          closedAt: null,
          dueSetAt: CREATED,
          findingText: "Pool size is static",
          incident: { id: incidentId, title: "Checkout timeouts", channelId: null, messageTs: null },
          team: {
            id: teamId,
            timezone: "America/New_York",
            channelId: "C0TEAM",
            incidentsChannelId: "C0INCIDENTS",
          },
        });
      });

      it("stamps dueSetAt with the instant the caller created the item at", async () => {
        const id = await newItem({ at: T3 });
        expect((await find(id)).dueSetAt.toISOString()).toBe(T3.toISOString());
      });

      it("shows where the incident's message lives once it is posted", async () => {
        const id = await newItem();
        await r.incidents.setMessage(incidentId, "C0INC", "1700000000.000100");
        expect((await find(id)).incident).toEqual({
          id: incidentId,
          title: "Checkout timeouts",
          channelId: "C0INC",
          messageTs: "1700000000.000100",
        });
      });

      it("returns a copy: changing a returned item changes nothing stored", async () => {
        const id = await newItem();
        const item = await find(id);
        item.dueSetAt.setTime(0);
        item.incident.title = "mutated";
        expect(await find(id)).toMatchObject({ dueSetAt: CREATED, incident: { title: "Checkout timeouts" } });
      });

      it("returns null for an unknown id", async () => {
        expect(await r.actionItems.find("no-such-item")).toBeNull();
      });
    });

    describe("listOpenDueBy", () => {
      it("lists open items due on or before the horizon, oldest due first, ties in creation order, from every team", async () => {
        const otherTeam = (await r.teams.save(teamData({ slackTeamId: "T0OTHER", channelId: "C0X" }))).id;
        const otherIncident = await newIncident(otherTeam, "Elsewhere", "T0OTHER");
        const onHorizon = await newItem({ text: "on the horizon", dueDate: "2031-08-10" });
        const oldest = await newItem({ text: "oldest", dueDate: "2031-07-01", incident: otherIncident });
        const tieFirst = await newItem({ text: "tie, first", dueDate: "2031-08-01" });
        const tieSecond = await newItem({ text: "tie, second", dueDate: "2031-08-01", at: T1 });
        await newItem({ text: "after the horizon", dueDate: "2031-08-11" });
        const closed = await newItem({ text: "closed", dueDate: "2031-07-02" });
        await r.actionItems.close(closed, closing());

        const listed = await r.actionItems.listOpenDueBy("2031-08-10");
        expect(listed.map((i) => i.id)).toEqual([oldest, tieFirst, tieSecond, onHorizon]);
        expect(listed[0]).toEqual(await find(oldest));
        expect(listed[0]?.team.id).toBe(otherTeam);
        expect(await r.actionItems.listOpenDueBy("2031-06-30")).toEqual([]);
      });

      it("passes over an item whose nudges are done for its date, until an extension moves the date", async () => {
        const id = await newItem({ dueDate: "2031-08-01" });
        await r.actionItems.markNudgesDone(id, "2031-07-31"); // a date it no longer has: nothing
        expect((await r.actionItems.listOpenDueBy("2031-08-20")).map((i) => i.id)).toEqual([id]);
        await r.actionItems.markNudgesDone(id, "2031-08-01");
        expect(await r.actionItems.listOpenDueBy("2031-08-20")).toEqual([]);
        expect(await r.actionItems.extend(id, extending())).toBe(true);
        expect((await r.actionItems.listOpenDueBy("2031-08-20")).map((i) => i.id)).toEqual([id]);
      });
    });

    describe("logNudge", () => {
      it("logs a nudge, not an extension: the item and when its due date was set are unchanged", async () => {
        const id = await newItem();
        const before = await find(id);
        await r.actionItems.logNudge(nudge(id, T3));
        await r.actionItems.logNudge(nudge(id, T3));
        expect(await find(id)).toEqual(before);
      });

      it("fails with P2003 for an unknown item", async () => {
        await expect(r.actionItems.logNudge(nudge("no-such-item"))).rejects.toMatchObject({ code: "P2003" });
      });
    });

    describe("close", () => {
      it("closes an open item with its status, reason and the caller's instant", async () => {
        const id = await newItem();
        expect(
          await r.actionItems.close(id, closing({ status: "not_doing", reason: "Replaced", at: T2 })),
        ).toBe(true);
        const item = await find(id);
        expect(item).toMatchObject({ status: "not_doing", reason: "Replaced", dueDate: "2031-08-01" });
        expect(item.closedAt?.toISOString()).toBe(T2.toISOString());
        expect(item.dueSetAt.toISOString()).toBe(CREATED.toISOString());
      });

      it("is false on an item no longer open, which keeps its first closing", async () => {
        const id = await newItem();
        expect(await r.actionItems.close(id, closing({ status: "done", reason: "first", at: T1 }))).toBe(
          true,
        );
        expect(
          await r.actionItems.close(id, closing({ status: "not_doing", reason: "second", at: T2 })),
        ).toBe(false);
        const item = await find(id);
        expect(item).toMatchObject({ status: "done", reason: "first" });
        expect(item.closedAt?.toISOString()).toBe(T1.toISOString());
      });

      it("of two concurrent closes exactly one wins, and the item carries the winner's closing", async () => {
        const id = await newItem();
        const results = await Promise.all([
          r.actionItems.close(id, closing({ status: "done", reason: "a", at: T1 })),
          r.actionItems.close(id, closing({ status: "not_doing", reason: "b", at: T2 })),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const item = await find(id);
        expect(item).toMatchObject(
          results[0]
            ? { status: "done", reason: "a", closedAt: T1 }
            : { status: "not_doing", reason: "b", closedAt: T2 },
        );
      });

      it("drops the item from the open lists", async () => {
        const id = await newItem();
        await r.actionItems.close(id, closing());
        expect(await r.actionItems.listOpenDueBy("2099-12-31")).toEqual([]);
        expect(await r.actionItems.listOpenForTeam(teamId)).toEqual([]);
        expect((await r.incidents.findById(incidentId))?.findings[0]?.actionItem).toMatchObject({
          id,
          status: "done",
          closedAt: T1,
        });
      });

      it("is false for an unknown item", async () => {
        expect(await r.actionItems.close("no-such-item", closing())).toBe(false);
      });
    });

    describe("extend", () => {
      it("moves the due date from the expected one and records when, at the caller's instant", async () => {
        const id = await newItem();
        expect(await r.actionItems.extend(id, extending({ at: T2 }))).toBe(true);
        const item = await find(id);
        expect(item).toMatchObject({ dueDate: "2031-08-15", status: "open" });
        expect(item.dueSetAt.toISOString()).toBe(T2.toISOString());
      });

      it("is false when the due date changed meanwhile, and changes nothing", async () => {
        const id = await newItem();
        expect(await r.actionItems.extend(id, extending({ fromDate: "2031-07-31" }))).toBe(false);
        const item = await find(id);
        expect(item.dueDate).toBe("2031-08-01");
        expect(item.dueSetAt.toISOString()).toBe(CREATED.toISOString());
      });

      it("is false on a closed item and on an unknown one", async () => {
        const id = await newItem();
        await r.actionItems.close(id, closing());
        expect(await r.actionItems.extend(id, extending())).toBe(false);
        expect((await find(id)).dueDate).toBe("2031-08-01");
        expect(await r.actionItems.extend("no-such-item", extending())).toBe(false);
      });

      it("of two concurrent extensions from the same date exactly one wins", async () => {
        const id = await newItem();
        const results = await Promise.all([
          r.actionItems.extend(id, extending({ toDate: "2031-08-20", at: T1 })),
          r.actionItems.extend(id, extending({ toDate: "2031-09-01", at: T2 })),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await find(id)).toMatchObject(
          results[0] ? { dueDate: "2031-08-20", dueSetAt: T1 } : { dueDate: "2031-09-01", dueSetAt: T2 },
        );
      });

      it("dueSetAt is the latest extension by its instant, not the last one written", async () => {
        const id = await newItem();
        await r.actionItems.extend(id, extending({ fromDate: "2031-08-01", toDate: "2031-08-15", at: T3 }));
        await r.actionItems.extend(id, extending({ fromDate: "2031-08-15", toDate: "2031-08-30", at: T2 }));
        const item = await find(id);
        expect(item.dueDate).toBe("2031-08-30");
        expect(item.dueSetAt.toISOString()).toBe(T3.toISOString());
      });

      it("moves the item in listOpenDueBy and listOpenForTeam", async () => {
        const id = await newItem();
        await r.actionItems.extend(id, extending());
        expect(await r.actionItems.listOpenDueBy("2031-08-14")).toEqual([]);
        expect((await r.actionItems.listOpenDueBy("2031-08-15")).map((i) => i.id)).toEqual([id]);
        expect((await r.actionItems.listOpenForTeam(teamId))[0]?.actionItem.dueDate).toBe("2031-08-15");
      });
    });
  });
}
