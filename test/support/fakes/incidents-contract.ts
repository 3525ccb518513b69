import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FindingInput, NewIncident, StoredIncident } from "../../../src/incidents/incident.js";
import type { Team } from "../../../src/teams/team.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";

/**
 * The IncidentRepository contract: PrismaIncidentRepository on SQLite and PostgreSQL
 * (test/db/incidents-contract.test.ts) and InMemoryIncidentRepository (test/unit/fakes) pass the
 * same cases, so service tests over the fake say something true about production.
 */
export function describeIncidentsContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const T1 = new Date("2031-07-15T03:04:05.678Z");
  const T2 = new Date("2031-07-15T04:05:06.789Z");
  const T3 = new Date("2031-07-15T05:06:07.891Z");
  const T4 = new Date("2031-07-15T06:07:08.912Z");
  const STARTED = new Date("2031-07-14T22:10:11.123Z");
  const DETECTED = new Date("2031-07-14T22:15:16.456Z");
  const MITIGATED = new Date("2031-07-14T23:01:02.345Z");
  const RESOLVED = new Date("2031-07-15T01:02:03.987Z");

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({ slackTeamId: "T0WORK", channelId: "C0TEAM", ...o });
    return team;
  };

  describe(`IncidentRepository contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let r: Repositories;
    let teamId: string;
    let siblingId: string;
    let foreignId: string;
    beforeEach(async () => {
      open = await impl.open();
      r = open.repos;
      teamId = (await r.teams.save(teamData())).id;
      siblingId = (await r.teams.save(teamData({ name: "Payments", channelId: "C0PAY" }))).id;
      foreignId = (await r.teams.save(teamData({ slackTeamId: "T0OTHER", channelId: "C0FOREIGN" }))).id;
    });
    afterEach(async () => open?.close());

    const newIncident = (o: Partial<NewIncident> = {}): NewIncident => ({
      teamId,
      reporterId: "U0REPORTER",
      reporterTz: "Europe/Berlin",
      sourceLink: "https://example.slack.com/archives/C0TEAM/p1",
      title: "Checkout timeouts",
      severity: "sev2",
      impact: "3% of checkouts failed",
      description: "The pool ran out.",
      startedAt: STARTED,
      detectedAt: DETECTED,
      mitigatedAt: MITIGATED,
      resolvedAt: null,
      howNoticed: "Alert",
      howMitigated: "Raised the pool size",
      tags: [],
      ...o,
    });
    const create = (o: Partial<NewIncident> = {}, at = T1, workspace = "T0WORK") =>
      r.incidents.create(newIncident(o), workspace, at);
    const find = async (id: string): Promise<StoredIncident> => {
      const found = await r.incidents.findById(id);
      if (!found) throw new Error(`incident ${id} not found`);
      return found;
    };
    const finding = (
      text: string,
      action: FindingInput["action"] = null,
      findingId: string | null = null,
      notedReason: string | null = null,
    ) => ({
      findingId,
      text,
      action,
      notedReason,
    });
    const action = (o: Partial<NonNullable<FindingInput["action"]>> = {}) => ({
      ownerId: "U0OWNER",
      dueDate: "2031-08-01",
      kind: "prevent" as const,
      ticketUrl: "https://tickets.example/T-1",
      ...o,
    });

    describe("create and findById", () => {
      it("stores the intake as given and returns it open, with no analysis and no message yet", async () => {
        const created = await create({ tags: ["db"] });
        expect(created).toEqual({
          id: created.id,
          teamId,
          reporterId: "U0REPORTER",
          channelId: null,
          messageTs: null,
          title: "Checkout timeouts",
          severity: "sev2",
          impact: "3% of checkouts failed",
          description: "The pool ran out.",
          startedAt: STARTED,
          detectedAt: DETECTED,
          mitigatedAt: MITIGATED,
          resolvedAt: null,
          howNoticed: "Alert",
          howMitigated: "Raised the pool size",
          learned: "",
          sourceLink: "https://example.slack.com/archives/C0TEAM/p1",
          status: "open",
          completedAt: null,
          createdAt: T1,
          reporterTz: "Europe/Berlin",
          // The team's default: SEV1 and SEV2 get the full COE.
          coeDepth: "full",
          timeline: [],
          whys: [],
          factors: [],
          findings: [],
          tags: ["db"],
        });
        expect(await r.incidents.findById(created.id)).toEqual(created);
      });

      it("stamps createdAt and every intake instant exactly as the caller gave them", async () => {
        const created = await create({ resolvedAt: RESOLVED }, T2);
        const stored = await find(created.id);
        expect(stored.createdAt.toISOString()).toBe(T2.toISOString());
        expect(
          [stored.startedAt, stored.detectedAt, stored.mitigatedAt, stored.resolvedAt].map((d) =>
            d?.toISOString(),
          ),
        ).toEqual([STARTED, DETECTED, MITIGATED, RESOLVED].map((d) => d.toISOString()));
      });

      it("keeps a copy: changing the caller's input or a returned incident afterwards changes nothing stored", async () => {
        const input = newIncident({ startedAt: new Date(STARTED), tags: ["db"] });
        const created = await r.incidents.create(input, "T0WORK", T1);
        input.startedAt.setTime(0);
        input.tags.push("late");
        created.tags.push("mutated");
        created.createdAt.setTime(0);
        const stored = await find(created.id);
        expect(stored.startedAt.toISOString()).toBe(STARTED.toISOString());
        expect(stored.createdAt.toISOString()).toBe(T1.toISOString());
        expect(stored.tags).toEqual(["db"]);
      });

      it("refuses an unknown team with P2003 and stores nothing, not even its tags", async () => {
        await expect(create({ teamId: "no-such-team", tags: ["orphan"] })).rejects.toMatchObject({
          code: "P2003",
        });
        expect(await r.incidents.listForTeam("no-such-team")).toEqual([]);
        expect(await r.incidents.listTags("T0WORK")).toEqual([]);
      });

      it("findById returns null for an unknown id", async () => {
        expect(await r.incidents.findById("no-such-incident")).toBeNull();
      });
    });

    describe("listing", () => {
      it("listForTeam lists only that team's incidents, newest createdAt first whatever the insertion order", async () => {
        const middle = await create({ title: "middle" }, T2);
        const newest = await create({ title: "newest" }, T3);
        const oldest = await create({ title: "oldest" }, T1);
        await create({ title: "sibling's", teamId: siblingId }, T4);
        expect((await r.incidents.listForTeam(teamId)).map((i) => i.id)).toEqual([
          newest.id,
          middle.id,
          oldest.id,
        ]);
        expect(await r.incidents.listForTeam("no-such-team")).toEqual([]);
      });

      it("listForWorkspace lists every team's incidents in the workspace, newest first, and no other workspace's", async () => {
        const mine = await create({ title: "mine" }, T1);
        const sibling = await create({ title: "sibling's", teamId: siblingId }, T3);
        await create({ title: "foreign", teamId: foreignId }, T2, "T0OTHER");
        const listed = await r.incidents.listForWorkspace("T0WORK");
        expect(listed.map((i) => i.id)).toEqual([sibling.id, mine.id]);
        // Whole incidents, as findById returns them.
        expect(listed[1]).toEqual(await find(mine.id));
        expect(await r.incidents.listForWorkspace("T0NOBODY")).toEqual([]);
      });

      it("lists incidents created at the same instant, in an order the database chooses", async () => {
        // Prisma orders by createdAt alone, so the order of ties is not part of the contract.
        const a = await create({ title: "a" }, T1);
        const b = await create({ title: "b" }, T1);
        const later = await create({ title: "later" }, T2);
        const listed = (await r.incidents.listForTeam(teamId)).map((i) => i.id);
        expect(listed[0]).toBe(later.id);
        expect([...listed.slice(1)].sort()).toEqual([a.id, b.id].sort());
      });

      it("returns whole incidents with their analysis from both lists", async () => {
        const i = await create({ tags: ["db"] }, T1);
        await r.incidents.addWhy(i.id, { parentId: null, text: "why", rootCause: false, at: T2 });
        await r.incidents.addFinding(i.id, finding("finding", action()), T2);
        const stored = await find(i.id);
        expect(await r.incidents.listForTeam(teamId)).toEqual([stored]);
        expect(await r.incidents.listForWorkspace("T0WORK")).toEqual([stored]);
      });
    });

    describe("tags", () => {
      it("come back sorted by name and de-duplicated, and join the workspace's vocabulary", async () => {
        const i = await create({ tags: ["db", "config", "db", "auth"] });
        expect(i.tags).toEqual(["auth", "config", "db"]);
        expect(await r.incidents.listTags("T0WORK")).toEqual(["auth", "config", "db"]);
      });

      it("are per workspace: the same name in two workspaces is two tags, and each lists only its own", async () => {
        await create({ tags: ["db"] });
        await create({ teamId: foreignId, tags: ["queues", "db"] }, T1, "T0OTHER");
        expect(await r.incidents.listTags("T0WORK")).toEqual(["db"]);
        expect(await r.incidents.listTags("T0OTHER")).toEqual(["db", "queues"]);
        expect(await r.incidents.listTags("T0NOBODY")).toEqual([]);
      });

      it("a second incident with a workspace's existing tag reuses it", async () => {
        const a = await create({ tags: ["db"] });
        const b = await create({ teamId: siblingId, tags: ["db", "search"] });
        expect(await r.incidents.listTags("T0WORK")).toEqual(["db", "search"]);
        expect((await find(a.id)).tags).toEqual(["db"]);
        expect((await find(b.id)).tags).toEqual(["db", "search"]);
      });

      it("setTags replaces an incident's tags; names no incident uses any more stay in the vocabulary", async () => {
        const i = await create({ tags: ["a", "b"] });
        const other = await create({ tags: ["a"] });
        await r.incidents.setTags(i.id, ["c", "b", "c"], "T0WORK");
        expect((await find(i.id)).tags).toEqual(["b", "c"]);
        expect((await find(other.id)).tags).toEqual(["a"]);
        await r.incidents.setTags(i.id, [], "T0WORK");
        expect((await find(i.id)).tags).toEqual([]);
        expect(await r.incidents.listTags("T0WORK")).toEqual(["a", "b", "c"]);
      });

      it("setTags on an unknown incident fails with P2003 and creates no tag; with no tags it does nothing", async () => {
        await expect(r.incidents.setTags("no-such-incident", ["orphan"], "T0WORK")).rejects.toMatchObject({
          code: "P2003",
        });
        expect(await r.incidents.listTags("T0WORK")).toEqual([]);
        await expect(r.incidents.setTags("no-such-incident", [], "T0WORK")).resolves.toBeUndefined();
      });

      it("gives three incidents introducing the same new tag at once that tag, created once", async () => {
        // Several rounds: the first runs on a cold connection pool, which serialises by accident.
        const rounds = ["new-a", "new-b", "new-c", "new-d", "new-e"];
        for (const tag of rounds) {
          const three = await Promise.all([1, 2, 3].map(() => create({ tags: [tag] })));
          for (const i of three) expect((await find(i.id)).tags).toEqual([tag]);
        }
        expect(await r.incidents.listTags("T0WORK")).toEqual(rounds);
      });
    });

    describe("updateDetails, setMessage, setLearned", () => {
      it("updateDetails rewrites the intake and the tags and leaves the rest as it was", async () => {
        const i = await create({ tags: ["db"] }, T1);
        await r.incidents.setMessage(i.id, "C0INC", "1700000000.000100");
        await r.incidents.setLearned(i.id, "Pools need headroom");
        await r.incidents.complete(i.id, T2);
        await r.incidents.updateDetails(
          i.id,
          {
            title: "Checkout outage",
            severity: "sev1",
            impact: "All checkouts failed",
            description: "Pool exhausted at peak.",
            startedAt: DETECTED,
            detectedAt: MITIGATED,
            mitigatedAt: null,
            resolvedAt: RESOLVED,
            howNoticed: "Customers",
            howMitigated: "Rollback",
            tags: ["pool", "db"],
          },
          "T0WORK",
        );
        expect(await find(i.id)).toEqual({
          ...i,
          title: "Checkout outage",
          severity: "sev1",
          impact: "All checkouts failed",
          description: "Pool exhausted at peak.",
          startedAt: DETECTED,
          detectedAt: MITIGATED,
          mitigatedAt: null,
          resolvedAt: RESOLVED,
          howNoticed: "Customers",
          howMitigated: "Rollback",
          tags: ["db", "pool"],
          channelId: "C0INC",
          messageTs: "1700000000.000100",
          learned: "Pools need headroom",
          status: "complete",
          completedAt: T2,
        });
      });

      it("updateDetails on an unknown incident fails with P2025 and creates no tag", async () => {
        const {
          teamId: _t,
          reporterId: _r,
          reporterTz: _z,
          sourceLink: _s,
          ...details
        } = newIncident({
          tags: ["orphan"],
        });
        await expect(r.incidents.updateDetails("no-such-incident", details, "T0WORK")).rejects.toMatchObject({
          code: "P2025",
        });
        expect(await r.incidents.listTags("T0WORK")).toEqual([]);
      });

      it("setMessage records where the incident's message lives, and can move it", async () => {
        const i = await create();
        await r.incidents.setMessage(i.id, "C0INC", "1.000001");
        await r.incidents.setMessage(i.id, "C0INC2", "2.000002");
        expect(await find(i.id)).toMatchObject({ channelId: "C0INC2", messageTs: "2.000002" });
        await expect(r.incidents.setMessage("no-such-incident", "C0", "1.1")).rejects.toMatchObject({
          code: "P2025",
        });
      });

      it("setLearned records the lesson; an unknown incident fails with P2025", async () => {
        const i = await create();
        await r.incidents.setLearned(i.id, "Watch the pool");
        expect((await find(i.id)).learned).toBe("Watch the pool");
        await expect(r.incidents.setLearned("no-such-incident", "x")).rejects.toMatchObject({
          code: "P2025",
        });
      });
    });

    describe("timeline, whys and factors", () => {
      it("timeline entries come back by their instant, ties in the order they were added, each at the caller's instant", async () => {
        const i = await create();
        await r.incidents.addTimelineEntry(i.id, { at: T3, text: "resolved" });
        await r.incidents.addTimelineEntry(i.id, { at: T1, text: "paged" });
        await r.incidents.addTimelineEntry(i.id, { at: T2, text: "rolled back" });
        await r.incidents.addTimelineEntry(i.id, { at: T1, text: "acknowledged" });
        const { timeline } = await find(i.id);
        expect(timeline.map((t) => [t.text, t.at.toISOString()])).toEqual([
          ["paged", T1.toISOString()],
          ["acknowledged", T1.toISOString()],
          ["rolled back", T2.toISOString()],
          ["resolved", T3.toISOString()],
        ]);
        expect(new Set(timeline.map((t) => t.id)).size).toBe(4);
      });

      it("a timeline entry on an unknown incident is refused with P2003", async () => {
        await expect(
          r.incidents.addTimelineEntry("no-such-incident", { at: T1, text: "x" }),
        ).rejects.toMatchObject({ code: "P2003" });
      });

      it("whys form a tree and come back by createdAt (the caller's instant), ties in the order they were added", async () => {
        const i = await create();
        await r.incidents.addWhy(i.id, { parentId: null, text: "pool ran out", rootCause: false, at: T2 });
        const root = (await find(i.id)).whys[0];
        if (!root) throw new Error("no root why");
        await r.incidents.addWhy(i.id, { parentId: null, text: "nobody noticed", rootCause: false, at: T1 });
        await r.incidents.addWhy(i.id, {
          parentId: root.id,
          text: "limit outdated",
          rootCause: false,
          at: T1,
        });
        const { whys } = await find(i.id);
        const nobody = whys.find((w) => w.text === "nobody noticed");
        expect(whys.map((w) => ({ ...w, createdAt: w.createdAt.toISOString() }))).toEqual([
          {
            id: nobody?.id,
            parentId: null,
            text: "nobody noticed",
            rootCause: false,
            createdAt: T1.toISOString(),
          },
          {
            id: expect.any(String),
            parentId: root.id,
            text: "limit outdated",
            rootCause: false,
            createdAt: T1.toISOString(),
          },
          {
            id: root.id,
            parentId: null,
            text: "pool ran out",
            rootCause: false,
            createdAt: T2.toISOString(),
          },
        ]);
      });

      it("a why keeps whether the team marked it a root cause", async () => {
        const i = await create();
        await r.incidents.addWhy(i.id, { parentId: null, text: "static pool", rootCause: true, at: T1 });
        expect((await find(i.id)).whys).toMatchObject([{ text: "static pool", rootCause: true }]);
      });

      it("a why with an unknown parent, or on an unknown incident, is refused with P2003", async () => {
        const i = await create();
        await expect(
          r.incidents.addWhy(i.id, { parentId: "no-such-why", text: "x", rootCause: false, at: T1 }),
        ).rejects.toMatchObject({ code: "P2003" });
        await expect(
          r.incidents.addWhy("no-such-incident", { parentId: null, text: "x", rootCause: false, at: T1 }),
        ).rejects.toMatchObject({ code: "P2003" });
        expect((await find(i.id)).whys).toEqual([]);
      });

      it("a why may name a parent in another incident: the schema only asks that the parent exists", async () => {
        const a = await create({ title: "a" });
        const b = await create({ title: "b" });
        await r.incidents.addWhy(a.id, { parentId: null, text: "root in a", rootCause: false, at: T1 });
        const parent = (await find(a.id)).whys[0];
        await r.incidents.addWhy(b.id, {
          parentId: parent?.id ?? null,
          text: "child in b",
          rootCause: false,
          at: T2,
        });
        expect((await find(b.id)).whys).toMatchObject([{ parentId: parent?.id, text: "child in b" }]);
        expect((await find(a.id)).whys).toHaveLength(1);
      });

      it("factors come back in the order they were added; an unknown incident is refused with P2003", async () => {
        const i = await create();
        await r.incidents.addFactor(i.id, { category: "process", text: "no checklist" });
        await r.incidents.addFactor(i.id, { category: "technical", text: "static pool" });
        await r.incidents.addFactor(i.id, { category: "organisational", text: "one DBA" });
        expect((await find(i.id)).factors.map(({ id: _id, ...f }) => f)).toEqual([
          { category: "process", text: "no checklist" },
          { category: "technical", text: "static pool" },
          { category: "organisational", text: "one DBA" },
        ]);
        await expect(
          r.incidents.addFactor("no-such-incident", { category: "process", text: "x" }),
        ).rejects.toMatchObject({ code: "P2003" });
      });
    });

    describe("COE depth and the COE-deadline due index", () => {
      it("reads the depth from the team's full-COE severities: full for those, light for the rest", async () => {
        const sev2 = await create({ severity: "sev2" });
        const sev3 = await create({ severity: "sev3" });
        expect((await find(sev2.id)).coeDepth).toBe("full");
        expect((await find(sev3.id)).coeDepth).toBe("light");
        await r.teams.save({ ...teamData(), id: teamId, fullCoeSeverities: "sev1,sev3" });
        expect((await find(sev2.id)).coeDepth).toBe("light");
        expect((await find(sev3.id)).coeDepth).toBe("full");
      });

      it("a new incident is due for its first look at its creation; completing it takes it off the index", async () => {
        const a = await create({ title: "a" }, T1);
        const b = await create({ title: "b" }, T2);
        expect((await r.incidents.listCoeDue(T1, 10)).map((i) => i.id)).toEqual([a.id]);
        expect((await r.incidents.listCoeDue(T3, 10)).map((i) => i.id)).toEqual([a.id, b.id]);
        expect((await r.incidents.listCoeDue(T3, 1)).map((i) => i.id)).toEqual([a.id]);
        await r.incidents.complete(a.id, T2);
        expect((await r.incidents.listCoeDue(T3, 10)).map((i) => i.id)).toEqual([b.id]);
      });

      it("moves or clears an incident's next look, and a team's settings change brings its open ones back", async () => {
        const a = await create({ title: "a" }, T1);
        const done = await create({ title: "done" }, T1);
        const other = await r.incidents.create(newIncident({ teamId: siblingId }), "T0WORK", T1);
        await r.incidents.complete(done.id, T1);
        await r.incidents.setCoeCheck(a.id, T3);
        await r.incidents.setCoeCheck(other.id, null);
        expect(await r.incidents.listCoeDue(T2, 10)).toEqual([]);
        await r.incidents.setCoeCheck(a.id, null);
        expect(await r.incidents.listCoeDue(T3, 10)).toEqual([]);
        await r.incidents.recheckOpenCoes(teamId, T2);
        expect((await r.incidents.listCoeDue(T2, 10)).map((i) => i.id)).toEqual([a.id]);
      });

      it("lists a team's open incidents of some severities detected by an instant, oldest detection first", async () => {
        const late = await create({ title: "late", detectedAt: new Date(DETECTED.getTime() + 60_000) });
        const early = await create({ title: "early" });
        await create({ title: "minor", severity: "sev3" });
        const closed = await create({ title: "closed" });
        await r.incidents.complete(closed.id, T2);
        await r.incidents.create(newIncident({ teamId: siblingId }), "T0WORK", T1);
        const listed = await r.incidents.listOpenBySeverity(
          teamId,
          ["sev1", "sev2"],
          new Date(DETECTED.getTime() + 60_000),
        );
        expect(listed.map((i) => i.title)).toEqual(["early", "late"]);
        expect((await r.incidents.listOpenBySeverity(teamId, ["sev2"], DETECTED)).map((i) => i.id)).toEqual([
          early.id,
        ]);
        expect(late.id).toBeTruthy();
      });
    });

    describe("findings and action items", () => {
      it("findings come back by createdAt (the caller's instant), ties in the order they were added", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("third"), T3);
        await r.incidents.addFinding(i.id, finding("first"), T1);
        await r.incidents.addFinding(i.id, finding("second"), T2);
        await r.incidents.addFinding(i.id, finding("second, tie"), T2);
        const { findings } = await find(i.id);
        expect(findings.map((f) => [f.text, f.actionItem])).toEqual([
          ["first", null],
          ["second", null],
          ["second, tie", null],
          ["third", null],
        ]);
      });

      it("a finding with an action gets an open action item with the owner, due date, kind and ticket given", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("static pool", action({ kind: "detect" })), T2);
        const [f] = (await find(i.id)).findings;
        expect(f).toEqual({
          id: expect.any(String),
          text: "static pool",
          notedReason: null,
          actionItem: {
            id: expect.any(String),
            ownerId: "U0OWNER",
            dueDate: "2031-08-01",
            kind: "detect",
            ticketUrl: "https://tickets.example/T-1",
            status: "open",
            closedAt: null,
          },
        });
      });

      it("with a findingId, gives that existing finding its action item instead of adding a finding", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("needs an owner"), T1);
        const [bare] = (await find(i.id)).findings;
        if (!bare) throw new Error("no finding");
        await r.incidents.addFinding(i.id, finding("ignored text", action({ ticketUrl: null }), bare.id), T2);
        expect((await find(i.id)).findings).toEqual([
          {
            id: bare.id,
            text: "needs an owner",
            notedReason: null,
            actionItem: expect.objectContaining({ ownerId: "U0OWNER", ticketUrl: null, status: "open" }),
          },
        ]);
      });

      it("a finding can be noted with no action: its reason is kept and no action item is made", async () => {
        const i = await create();
        await r.incidents.addFinding(
          i.id,
          finding("log noise", null, null, "Low impact; the alarm covers it"),
          T1,
        );
        expect((await find(i.id)).findings).toEqual([
          {
            id: expect.any(String),
            text: "log noise",
            notedReason: "Low impact; the alarm covers it",
            actionItem: null,
          },
        ]);
      });

      it("with a findingId and a reason, notes that existing finding instead of adding one; an unknown one is P2025", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("bare"), T1);
        const [bare] = (await find(i.id)).findings;
        if (!bare) throw new Error("no finding");
        await r.incidents.addFinding(i.id, finding("ignored", null, bare.id, "Already fixed upstream"), T2);
        expect((await find(i.id)).findings).toEqual([
          { id: bare.id, text: "bare", notedReason: "Already fixed upstream", actionItem: null },
        ]);
        await expect(
          r.incidents.addFinding(i.id, finding("x", null, "no-such-finding", "why"), T2),
        ).rejects.toMatchObject({ code: "P2025" });
      });

      it("with a findingId and no action, writes nothing", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("bare"), T1);
        const before = await find(i.id);
        const [bare] = before.findings;
        await r.incidents.addFinding(i.id, finding("again", null, bare?.id ?? null), T2);
        await r.incidents.addFinding(i.id, finding("unknown", null, "no-such-finding"), T2);
        expect(await find(i.id)).toEqual(before);
      });

      it("a finding takes one action item: a second is refused with P2002 and the first stays", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("f", action({ ownerId: "U0FIRST" })), T1);
        const [f] = (await find(i.id)).findings;
        await expect(
          r.incidents.addFinding(i.id, finding("f", action({ ownerId: "U0SECOND" }), f?.id ?? null), T2),
        ).rejects.toMatchObject({ code: "P2002" });
        expect((await find(i.id)).findings).toMatchObject([{ actionItem: { ownerId: "U0FIRST" } }]);
      });

      it("of two action items given to one finding at once, exactly one is stored", async () => {
        const i = await create();
        await r.incidents.addFinding(i.id, finding("f"), T1);
        const [f] = (await find(i.id)).findings;
        const give = (ownerId: string) =>
          r.incidents.addFinding(i.id, finding("f", action({ ownerId }), f?.id ?? null), T2);
        const results = await Promise.allSettled([give("U0A"), give("U0B")]);
        expect(results.map((x) => x.status).sort()).toEqual(["fulfilled", "rejected"]);
        const rejected = results.find((x) => x.status === "rejected");
        expect(rejected?.status === "rejected" && rejected.reason).toMatchObject({ code: "P2002" });
        const stored = (await find(i.id)).findings;
        expect(stored).toHaveLength(1);
        expect(["U0A", "U0B"]).toContain(stored[0]?.actionItem?.ownerId);
      });

      it("a finding on an unknown incident, or an action item for an unknown finding, is refused with P2003", async () => {
        const i = await create();
        await expect(
          r.incidents.addFinding("no-such-incident", finding("x", action()), T1),
        ).rejects.toMatchObject({ code: "P2003" });
        await expect(
          r.incidents.addFinding(i.id, finding("x", action(), "no-such-finding"), T1),
        ).rejects.toMatchObject({ code: "P2003" });
        expect((await find(i.id)).findings).toEqual([]);
        expect(await r.actionItems.listOpenForTeam(teamId)).toEqual([]);
      });

      it("actionItems.listOpenForTeam lists the team's open items (made through addFinding) by due date, ties in creation order, with where they came from", async () => {
        const a = await create({ title: "A" }, T1);
        const b = await create({ title: "B" }, T2);
        await r.incidents.setMessage(b.id, "C0INC", "2.000002");
        await r.incidents.addFinding(a.id, finding("late", action({ dueDate: "2031-09-01" })), T1);
        await r.incidents.addFinding(b.id, finding("soon", action({ dueDate: "2031-08-01" })), T2);
        await r.incidents.addFinding(a.id, finding("soon too", action({ dueDate: "2031-08-01" })), T1);
        await r.incidents.addFinding(a.id, finding("no action"), T1);
        const sibling = await create({ teamId: siblingId }, T1);
        await r.incidents.addFinding(sibling.id, finding("sibling's", action({ dueDate: "2031-07-01" })), T1);

        const items = await r.actionItems.listOpenForTeam(teamId);
        expect(items.map((x) => x.findingText)).toEqual(["soon", "soon too", "late"]);
        const soon = (await find(b.id)).findings[0];
        expect(items[0]).toEqual({
          incidentId: b.id,
          incidentTitle: "B",
          findingId: soon?.id,
          findingText: "soon",
          channelId: "C0INC",
          messageTs: "2.000002",
          actionItem: soon?.actionItem,
        });
        expect(items[1]).toMatchObject({ incidentId: a.id, channelId: null, messageTs: null });
        expect(await r.actionItems.listOpenForTeam("no-such-team")).toEqual([]);
      });
    });

    describe("complete", () => {
      it("marks an open incident complete at the caller's instant, once", async () => {
        const i = await create();
        expect(await r.incidents.complete(i.id, T2)).toBe(true);
        expect(await r.incidents.complete(i.id, T3)).toBe(false);
        const stored = await find(i.id);
        expect(stored.status).toBe("complete");
        expect(stored.completedAt?.toISOString()).toBe(T2.toISOString());
      });

      it("of two concurrent completes exactly one wins", async () => {
        const i = await create();
        const results = await Promise.all([r.incidents.complete(i.id, T2), r.incidents.complete(i.id, T3)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] ? T2 : T3;
        expect((await find(i.id)).completedAt?.toISOString()).toBe(winner.toISOString());
      });

      it("returns false for an unknown incident", async () => {
        expect(await r.incidents.complete("no-such-incident", T1)).toBe(false);
      });
    });
  });
}
