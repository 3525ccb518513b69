import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Deviation, DeviationInput } from "../../../src/deviations/deviation.js";
import type { Team } from "../../../src/teams/team.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";

/**
 * The DeviationRepository contract, run against the in-memory fake (test/unit/fakes) and the
 * Prisma repository on SQLite and PostgreSQL (test/db). Where a database leaves an order open
 * (a full tie), the cases compare sets, never the fake's insertion order.
 */
export function describeDeviationsContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const CREATED = new Date("2031-07-15T03:04:05.678Z");
  const DECIDED = new Date("2031-08-01T22:33:44.555Z");
  const minutes = (n: number) => new Date(CREATED.getTime() + n * 60_000);

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({ slackTeamId: "T0WORK", channelId: "C0TEAM", ...o });
    return team;
  };

  const deviationData = (o: Partial<DeviationInput> = {}): DeviationInput => ({
    area: "API framework",
    deviation: "Use Hono instead of Express",
    hypothesis: "because a smaller router should cut p95 by 20%",
    benefit: "Faster handlers",
    risk: "Unfamiliar to the on-call",
    cycleIndex: 3,
    sensitive: false,
    approverId: null,
    ...o,
  });

  describe(`DeviationRepository contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let r: Repositories;
    let teamId: string;
    let otherTeamId: string;
    beforeEach(async () => {
      open = await impl.open();
      r = open.repos;
      teamId = (await r.teams.save(teamData())).id;
      otherTeamId = (await r.teams.save(teamData({ channelId: "C0OTHER", name: "Other squad" }))).id;
    });
    afterEach(async () => open?.close());

    /** Logs a deviation for the team (or another), at `createdAt` (CREATED unless given). */
    const log = (o: Partial<DeviationInput> & { teamId?: string; ownerId?: string; createdAt?: Date } = {}) =>
      r.deviations.create({
        ...deviationData(o),
        teamId: o.teamId ?? teamId,
        ownerId: o.ownerId ?? "U0OWNER",
        createdAt: o.createdAt ?? CREATED,
      });
    const ids = (list: Deviation[]) => list.map((d) => d.id);
    const sorted = (list: string[]) => [...list].sort();

    describe("create and findById", () => {
      it("creates an open, undecided deviation with exactly the caller's fields", async () => {
        const created = await log({ sensitive: true, approverId: "U0APPROVER", cycleIndex: 7 });
        const expected: Deviation = {
          id: created.id,
          teamId,
          area: "API framework",
          deviation: "Use Hono instead of Express",
          hypothesis: "because a smaller router should cut p95 by 20%",
          benefit: "Faster handlers",
          risk: "Unfamiliar to the on-call",
          cycleIndex: 7,
          sensitive: true,
          approverId: "U0APPROVER",
          ownerId: "U0OWNER",
          outcome: "",
          verdict: "open",
          createdAt: CREATED,
          decidedAt: null,
        };
        expect(created).toEqual(expected);
        expect(await r.deviations.findById(created.id)).toEqual(expected);
      });

      it("starts open whatever verdict, outcome or decision time the argument also carries", async () => {
        const extra = {
          ...deviationData(),
          teamId,
          ownerId: "U0OWNER",
          createdAt: CREATED,
          verdict: "promote",
          outcome: "already decided?",
          decidedAt: DECIDED,
        };
        const created = await r.deviations.create(extra);
        expect(created).toMatchObject({ verdict: "open", outcome: "", decidedAt: null });
        expect(await r.deviations.findById(created.id)).toMatchObject({ verdict: "open", decidedAt: null });
      });

      it("rejects a deviation for a team that does not exist (foreign key, P2003)", async () => {
        await expect(log({ teamId: "no-such-team" })).rejects.toMatchObject({ code: "P2003" });
        expect(await r.deviations.countByTeam("no-such-team")).toBe(0);
      });

      it("finds nothing for an unknown id", async () => {
        expect(await r.deviations.findById("no-such-deviation")).toBeNull();
      });

      it("hands out copies: changing a returned deviation changes nothing stored", async () => {
        const created = await log();
        created.area = "changed";
        created.createdAt.setTime(0);
        const found = await r.deviations.findById(created.id);
        expect(found).toMatchObject({ area: "API framework", createdAt: CREATED });
        if (found) found.verdict = "retire";
        expect((await r.deviations.findById(created.id))?.verdict).toBe("open");
      });
    });

    describe("listByTeam", () => {
      it("lists a team's deviations newest cycle first, then newest logged first", async () => {
        // Logged out of order on purpose: the order comes from cycle and createdAt, not insertion.
        const c3late = await log({ cycleIndex: 3, createdAt: minutes(30) });
        const c5 = await log({ cycleIndex: 5, createdAt: minutes(1) });
        const c3early = await log({ cycleIndex: 3, createdAt: minutes(10) });
        const c4 = await log({ cycleIndex: 4, createdAt: minutes(50) });
        const c3mid = await log({ cycleIndex: 3, createdAt: minutes(20) });
        await log({ teamId: otherTeamId, cycleIndex: 9 });
        expect(ids(await r.deviations.listByTeam(teamId))).toEqual(ids([c5, c4, c3late, c3mid, c3early]));
      });

      it("keeps only cycles from sinceCycle on (inclusive)", async () => {
        const c2 = await log({ cycleIndex: 2 });
        const c3 = await log({ cycleIndex: 3, createdAt: minutes(1) });
        const c4 = await log({ cycleIndex: 4, createdAt: minutes(2) });
        expect(ids(await r.deviations.listByTeam(teamId, { sinceCycle: 3 }))).toEqual(ids([c4, c3]));
        expect(ids(await r.deviations.listByTeam(teamId, { sinceCycle: 2 }))).toEqual(ids([c4, c3, c2]));
        expect(await r.deviations.listByTeam(teamId, { sinceCycle: 5 })).toEqual([]);
      });

      it("returns the newest `limit` deviations, after the cycle filter", async () => {
        await log({ cycleIndex: 1, createdAt: minutes(9) });
        const c2 = await log({ cycleIndex: 2, createdAt: minutes(1) });
        const c3 = await log({ cycleIndex: 3, createdAt: minutes(2) });
        const c3b = await log({ cycleIndex: 3, createdAt: minutes(3) });
        expect(ids(await r.deviations.listByTeam(teamId, { limit: 2 }))).toEqual(ids([c3b, c3]));
        expect(ids(await r.deviations.listByTeam(teamId, { sinceCycle: 2, limit: 5 }))).toEqual(
          ids([c3b, c3, c2]),
        );
        expect(await r.deviations.listByTeam(teamId, { limit: 0 })).toEqual([]);
      });

      it("lists every deviation logged at the same instant in the same cycle (their order is not promised)", async () => {
        const same = [await log(), await log(), await log()];
        const earlier = await log({ createdAt: minutes(-1) });
        const listed = ids(await r.deviations.listByTeam(teamId));
        expect(sorted(listed.slice(0, 3))).toEqual(sorted(ids(same)));
        expect(listed[3]).toBe(earlier.id);
      });

      it("lists nothing for a team without deviations or an unknown team", async () => {
        await log({ teamId: otherTeamId });
        expect(await r.deviations.listByTeam(teamId)).toEqual([]);
        expect(await r.deviations.listByTeam("no-such-team")).toEqual([]);
      });
    });

    describe("counts", () => {
      it("counts a team's deviations, and those filed under one cycle", async () => {
        await log({ cycleIndex: 3 });
        await log({ cycleIndex: 3 });
        await log({ cycleIndex: 4 });
        await log({ teamId: otherTeamId, cycleIndex: 3 });
        expect(await r.deviations.countByTeam(teamId)).toBe(3);
        expect(await r.deviations.countInCycle(teamId, 3)).toBe(2);
        expect(await r.deviations.countInCycle(teamId, 4)).toBe(1);
        expect(await r.deviations.countInCycle(teamId, 5)).toBe(0);
        expect(await r.deviations.countByTeam(otherTeamId)).toBe(1);
        expect(await r.deviations.countByTeam("no-such-team")).toBe(0);
      });

      it("counts decided deviations too", async () => {
        const d = await log({ cycleIndex: 3 });
        await r.deviations.decide(d.id, { verdict: "retire", outcome: "No gain", at: DECIDED });
        expect(await r.deviations.countByTeam(teamId)).toBe(1);
        expect(await r.deviations.countInCycle(teamId, 3)).toBe(1);
      });
    });

    describe("listOpenBefore", () => {
      it("lists open deviations of ended cycles, oldest logged first", async () => {
        // createdAt order differs from cycle order: the list follows createdAt.
        const c2late = await log({ cycleIndex: 2, createdAt: minutes(40) });
        const c1 = await log({ cycleIndex: 1, createdAt: minutes(30) });
        const c2early = await log({ cycleIndex: 2, createdAt: minutes(10) });
        await log({ cycleIndex: 3, createdAt: minutes(0) }); // the cycle asked about: not ended
        await log({ cycleIndex: 4, createdAt: minutes(5) }); // a later cycle
        await log({ teamId: otherTeamId, cycleIndex: 1 });
        expect(ids(await r.deviations.listOpenBefore(teamId, 3))).toEqual(ids([c2early, c1, c2late]));
      });

      it("leaves out deviations already promoted or retired", async () => {
        const kept = await log({ cycleIndex: 1, createdAt: minutes(1) });
        const promoted = await log({ cycleIndex: 1, createdAt: minutes(2) });
        const retired = await log({ cycleIndex: 2, createdAt: minutes(3) });
        await r.deviations.decide(promoted.id, {
          verdict: "promote",
          outcome: "Now the default",
          at: DECIDED,
        });
        await r.deviations.decide(retired.id, { verdict: "retire", outcome: "No gain", at: DECIDED });
        expect(ids(await r.deviations.listOpenBefore(teamId, 3))).toEqual([kept.id]);
      });

      it("lists every open deviation logged at the same instant (their order is not promised)", async () => {
        const same = [
          await log({ cycleIndex: 1 }),
          await log({ cycleIndex: 2 }),
          await log({ cycleIndex: 1 }),
        ];
        expect(sorted(ids(await r.deviations.listOpenBefore(teamId, 3)))).toEqual(sorted(ids(same)));
      });

      it("lists nothing when no cycle before the given one has an open deviation", async () => {
        await log({ cycleIndex: 0 });
        expect(await r.deviations.listOpenBefore(teamId, 0)).toEqual([]);
        expect(await r.deviations.listOpenBefore("no-such-team", 10)).toEqual([]);
      });
    });

    describe("decide", () => {
      it("records the verdict, the outcome and the caller's decision time on an open deviation", async () => {
        const d = await log();
        const decided = await r.deviations.decide(d.id, {
          verdict: "promote",
          outcome: "p95 down 23%",
          at: DECIDED,
        });
        const expected = { ...d, verdict: "promote", outcome: "p95 down 23%", decidedAt: DECIDED };
        expect(decided).toEqual(expected);
        expect(await r.deviations.findById(d.id)).toEqual(expected);
      });

      it("decides only once: a second verdict returns null and changes nothing", async () => {
        const d = await log();
        await r.deviations.decide(d.id, { verdict: "retire", outcome: "No gain", at: DECIDED });
        expect(
          await r.deviations.decide(d.id, {
            verdict: "promote",
            outcome: "Changed my mind",
            at: minutes(99),
          }),
        ).toBeNull();
        expect(await r.deviations.findById(d.id)).toMatchObject({
          verdict: "retire",
          outcome: "No gain",
          decidedAt: DECIDED,
        });
      });

      it("of two people deciding at once, exactly one wins and the stored verdict is theirs", async () => {
        const d = await log();
        const [a, b] = await Promise.all([
          r.deviations.decide(d.id, { verdict: "promote", outcome: "from A", at: DECIDED }),
          r.deviations.decide(d.id, { verdict: "retire", outcome: "from B", at: minutes(5) }),
        ]);
        const winners = [a, b].filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        const stored = await r.deviations.findById(d.id);
        expect(stored).toEqual(winners[0]);
      });

      it("returns null for an unknown id", async () => {
        expect(
          await r.deviations.decide("no-such-deviation", { verdict: "promote", outcome: "x", at: DECIDED }),
        ).toBeNull();
      });

      it("changes only the deviation it names", async () => {
        const d = await log();
        const other = await log({ createdAt: minutes(1) });
        await r.deviations.decide(d.id, { verdict: "promote", outcome: "yes", at: DECIDED });
        expect(await r.deviations.findById(other.id)).toEqual(other);
      });
    });

    describe("times come from the caller, never from the database", () => {
      it("stores createdAt and decidedAt exactly as given, to the millisecond", async () => {
        const d = await log({ createdAt: CREATED });
        await r.deviations.decide(d.id, { verdict: "retire", outcome: "", at: DECIDED });
        const found = await r.deviations.findById(d.id);
        expect(found?.createdAt.toISOString()).toBe("2031-07-15T03:04:05.678Z");
        expect(found?.decidedAt?.toISOString()).toBe("2031-08-01T22:33:44.555Z");
        const [listed] = await r.deviations.listByTeam(teamId);
        expect(listed?.createdAt.toISOString()).toBe("2031-07-15T03:04:05.678Z");
        expect(listed?.decidedAt?.toISOString()).toBe("2031-08-01T22:33:44.555Z");
      });

      it("keeps createdAt when a deviation is decided", async () => {
        const d = await log({ createdAt: CREATED });
        const decided = await r.deviations.decide(d.id, { verdict: "promote", outcome: "", at: DECIDED });
        expect(decided?.createdAt.toISOString()).toBe(CREATED.toISOString());
      });
    });
  });
}
