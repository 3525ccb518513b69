import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DebriefRound, RoundWindow } from "../../../src/debriefs/debrief.js";
import type { MechanismInput } from "../../../src/mechanisms/mechanism.js";
import type { Team } from "../../../src/teams/team.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";

/**
 * The DebriefRepository contract: PrismaDebriefRepository on SQLite and PostgreSQL
 * (test/db/debriefs-contract.test.ts) and InMemoryDebriefRepository (test/unit/fakes) pass the
 * same cases. A round moves pending → open → digested (or → skipped) only by
 * compare-and-set, so of two ticks racing exactly one acts.
 */
export function describeDebriefsContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const BASE = new Date("2031-07-18T14:00:00.123Z");
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const at = (ms: number) => new Date(BASE.getTime() + ms);
  const T1 = new Date("2031-07-15T03:04:05.678Z");
  const T2 = new Date("2031-07-15T04:05:06.789Z");
  const T3 = new Date("2031-07-15T05:06:07.891Z");

  /** The round prompted `days` after BASE: digest two hours later, nudge one hour before the digest. */
  const win = (days: number, o: Partial<RoundWindow> = {}): RoundWindow => {
    const promptAt = at(days * DAY);
    return {
      promptAt,
      digestAt: new Date(promptAt.getTime() + 2 * HOUR),
      nudgeAt: new Date(promptAt.getTime() + HOUR),
      localDate: promptAt.toISOString().slice(0, 10),
      week: "2031-W29",
      ...o,
    };
  };

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({ slackTeamId: "T0WORK", channelId: "C0TEAM", ...o });
    return team;
  };

  const mechanismData = (o: Partial<MechanismInput> = {}): MechanismInput => ({
    title: "First-run nudge",
    aim: "Increase activation",
    aimForWhom: "Segment S",
    aimFrom: 27,
    aimTo: 35,
    aimUnit: "%",
    aimBy: "2031-12-31",
    statement: "We believe…",
    checkpointRule: "continue if proxy >= 80",
    guardrail: "Errors ≤ 0.1%",
    stopOwnerId: null,
    rollbackPath: "Flag off",
    ownerId: "U0OWNER",
    cadenceWeeks: 1,
    signals: [],
    ...o,
  });

  describe(`DebriefRepository contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let r: Repositories;
    let teamId: string;
    let otherTeamId: string;
    beforeEach(async () => {
      open = await impl.open();
      r = open.repos;
      teamId = (await r.teams.save(teamData())).id;
      otherTeamId = (await r.teams.save(teamData({ name: "Payments", channelId: "C0PAY" }))).id;
    });
    afterEach(async () => open?.close());

    const create = async (w: RoundWindow, team = teamId, status: "pending" | "skipped" = "pending") => {
      const round = await r.debriefs.createRound(team, w, status, T1);
      if (!round) throw new Error("round already claimed");
      return round;
    };
    const newTeam = (channelId: string) => r.teams.save(teamData({ name: channelId, channelId }));
    const find = async (id: string): Promise<DebriefRound> => {
      const round = await r.debriefs.findRound(id);
      if (!round) throw new Error(`round ${id} not found`);
      return round;
    };
    const status = async (id: string) => (await find(id)).status;
    /** A round whose prompt is posted: open, with its message. */
    const opened = async (w: RoundWindow, team = teamId) => {
      const round = await create(w, team);
      await r.debriefs.markPosted(round.id, "C0TEAM", `${round.id}.prompt`);
      return round;
    };
    const digested = async (w: RoundWindow, team = teamId) => {
      const round = await opened(w, team);
      await r.debriefs.markDigested(round.id, `${round.id}.digest`);
      return round;
    };
    const ids = (rounds: DebriefRound[]) => rounds.map((x) => x.id);
    const sorted = (xs: string[]) => [...xs].sort();
    const answer = (shipped: string) => ({
      shipped,
      input: `${shipped}: input`,
      blockers: `${shipped}: blockers`,
    });

    describe("createRound, findRound, roundsSince", () => {
      it("stores the window as given, pending, with no message, digest or nudge yet", async () => {
        const w = win(0);
        const round = await r.debriefs.createRound(teamId, w, "pending", T1);
        expect(round).toEqual({
          id: expect.any(String),
          teamId,
          promptAt: w.promptAt,
          digestAt: w.digestAt,
          nudgeAt: w.nudgeAt,
          localDate: w.localDate,
          status: "pending",
          messageChannelId: null,
          messageTs: null,
          digestTs: null,
          nudgedAt: null,
        });
        expect(await r.debriefs.findRound(round?.id ?? "")).toEqual(round);
        expect(round?.promptAt.toISOString()).toBe(w.promptAt.toISOString());
      });

      it("stores a skipped round, and a round without a nudge time", async () => {
        const round = await create(win(0, { nudgeAt: null }), teamId, "skipped");
        expect(await find(round.id)).toMatchObject({ status: "skipped", nudgeAt: null });
      });

      it("is the week's claim: a second round for the same team and prompt time is null; another team's is not", async () => {
        const first = await create(win(0));
        expect(await r.debriefs.createRound(teamId, win(0, { localDate: "x" }), "skipped", T2)).toBeNull();
        expect(await find(first.id)).toMatchObject({ status: "pending", localDate: win(0).localDate });
        expect(await r.debriefs.createRound(otherTeamId, win(0), "pending", T2)).not.toBeNull();
        expect(await r.debriefs.createRound(teamId, win(7), "pending", T2)).not.toBeNull();
      });

      it("lets exactly one of several concurrent claimers create the round", async () => {
        const rounds = await Promise.all(
          Array.from({ length: 4 }, () => r.debriefs.createRound(teamId, win(0), "pending", T1)),
        );
        expect(rounds.filter((x) => x !== null)).toHaveLength(1);
        expect(await r.debriefs.roundsSince(win(0).promptAt)).toHaveLength(1);
      });

      it("refuses an unknown team with P2003", async () => {
        await expect(r.debriefs.createRound("no-such-team", win(0), "pending", T1)).rejects.toMatchObject({
          code: "P2003",
        });
      });

      it("findRound returns null for an unknown id, and a copy otherwise", async () => {
        expect(await r.debriefs.findRound("no-such-round")).toBeNull();
        const round = await create(win(0));
        const found = await find(round.id);
        found.promptAt.setTime(0);
        expect((await find(round.id)).promptAt.toISOString()).toBe(win(0).promptAt.toISOString());
      });

      it("roundsSince lists every team's rounds prompted at or after the instant, whatever their status", async () => {
        await create(win(-1));
        const onTheDot = await create(win(0), teamId, "skipped");
        const later = await opened(win(1));
        const otherTeam = await create(win(2), otherTeamId);
        const since = await r.debriefs.roundsSince(win(0).promptAt);
        // Prisma gives roundsSince no order.
        expect(sorted(ids(since))).toEqual(sorted([onTheDot.id, later.id, otherTeam.id]));
        expect(since.find((x) => x.id === later.id)).toEqual(await find(later.id));
        expect(await r.debriefs.roundsSince(at(3 * DAY))).toEqual([]);
      });
    });

    describe("posting the prompt", () => {
      it("a round goes pending → open with its prompt's message", async () => {
        const round = await create(win(0));
        await r.debriefs.markPosted(round.id, "C0TEAM", "1700000000.000100");
        expect(await find(round.id)).toMatchObject({
          status: "open",
          messageChannelId: "C0TEAM",
          messageTs: "1700000000.000100",
        });
      });

      it("listPending lists pending rounds, earliest prompt first, up to the limit", async () => {
        const later = await create(win(2));
        const earliest = await create(win(0));
        const middle = await create(win(1), otherTeamId);
        await create(win(-3), teamId, "skipped");
        await opened(win(-4));
        expect(ids(await r.debriefs.listPending(10))).toEqual([earliest.id, middle.id, later.id]);
        expect(ids(await r.debriefs.listPending(2))).toEqual([earliest.id, middle.id]);
        expect(await r.debriefs.listPending(0)).toEqual([]);
      });

      it("listPending lists two teams' rounds for the same slot, in an order the database chooses", async () => {
        const a = await create(win(0));
        const b = await create(win(0), otherTeamId);
        const later = await create(win(1));
        const listed = ids(await r.debriefs.listPending(10));
        expect(sorted(listed.slice(0, 2))).toEqual(sorted([a.id, b.id]));
        expect(listed[2]).toBe(later.id);
      });

      it("markPosted only opens a pending round: a second record (a recovered lookup) changes nothing", async () => {
        const skipped = await create(win(0), teamId, "skipped");
        await r.debriefs.markPosted(skipped.id, "C0TEAM", "1.1");
        expect(await find(skipped.id)).toMatchObject({ status: "skipped", messageTs: null });
        const open = await opened(win(1));
        await r.debriefs.markPosted(open.id, "C0OTHER", "2.2");
        expect(await find(open.id)).toMatchObject({ status: "open", messageChannelId: "C0TEAM" });
        await expect(r.debriefs.markPosted("no-such-round", "C0", "3.3")).resolves.toBeUndefined();
      });

      it("skipUnpostedPast skips pending rounds whose digest time has come and counts them", async () => {
        const due = await create(win(-1));
        const dueNow = await create(win(0));
        const notYet = await create(win(1));
        const open = await opened(win(-3));
        expect(await r.debriefs.skipUnpostedPast(win(0).digestAt)).toBe(2);
        expect(await Promise.all([due, dueNow, notYet, open].map((x) => status(x.id)))).toEqual([
          "skipped",
          "skipped",
          "pending",
          "open",
        ]);
        expect(await r.debriefs.skipUnpostedPast(win(0).digestAt)).toBe(0);
      });
    });

    describe("the digest", () => {
      it("a round goes open → digested with its digest message", async () => {
        const round = await opened(win(0));
        await r.debriefs.markDigested(round.id, "1700000000.000200");
        expect(await find(round.id)).toMatchObject({ status: "digested", digestTs: "1700000000.000200" });
      });

      it("listDueDigests lists open rounds whose digest time has come, earliest first, up to the limit", async () => {
        const dueNow = await opened(win(0));
        const earliest = await opened(win(-2), otherTeamId);
        const middle = await opened(win(-1));
        await opened(win(1));
        await create(win(-3));
        await digested(win(-4));
        expect(ids(await r.debriefs.listDueDigests(win(0).digestAt, 10))).toEqual([
          earliest.id,
          middle.id,
          dueNow.id,
        ]);
        expect(ids(await r.debriefs.listDueDigests(win(0).digestAt, 1))).toEqual([earliest.id]);
      });

      it("expireDigests skips open rounds whose digest time is before the cutoff, and counts them", async () => {
        const before = await opened(win(-1));
        const onCutoff = await opened(win(0));
        const pending = await create(win(-2));
        const done = await digested(win(-3));
        expect(await r.debriefs.expireDigests(win(0).digestAt)).toBe(1);
        expect(await Promise.all([before, onCutoff, pending, done].map((x) => status(x.id)))).toEqual([
          "skipped",
          "open",
          "pending",
          "digested",
        ]);
      });

      it("markDigested only completes an open round: a second record changes nothing", async () => {
        const pending = await create(win(0));
        await r.debriefs.markDigested(pending.id, "9.9");
        expect(await find(pending.id)).toMatchObject({ status: "pending", digestTs: null });
        const done = await digested(win(1));
        await r.debriefs.markDigested(done.id, "8.8");
        expect((await find(done.id)).digestTs).toBe(`${done.id}.digest`);
        await expect(r.debriefs.markDigested("no-such-round", "9.9")).resolves.toBeUndefined();
      });
    });

    describe("the nudge", () => {
      it("listDueNudges lists open, un-nudged rounds between their nudge and digest times, earliest nudge first, up to the limit", async () => {
        const now = win(0).nudgeAt ?? BASE;
        const dueNow = await opened(win(0));
        const earlier = await opened(win(0, { nudgeAt: new Date(now.getTime() - 60_000) }), otherTeamId);
        await opened(win(0, { nudgeAt: new Date(now.getTime() + 1) }), (await newTeam("C0LATER")).id);
        await opened(win(0, { nudgeAt: null }), (await newTeam("C0NONE")).id);
        await opened(win(0, { digestAt: now }), (await newTeam("C0DIGESTNOW")).id);
        await create(win(0), (await newTeam("C0PENDING")).id);
        const nudged = await opened(win(0), (await newTeam("C0NUDGED")).id);
        await r.debriefs.claimNudge(nudged.id, T1);
        expect(ids(await r.debriefs.listDueNudges(now, 10))).toEqual([earlier.id, dueNow.id]);
        expect(ids(await r.debriefs.listDueNudges(now, 1))).toEqual([earlier.id]);
      });

      it("claimNudge sets nudgedAt to the caller's instant once, and the round is no longer due", async () => {
        const round = await opened(win(0));
        expect(await r.debriefs.claimNudge(round.id, T2)).toBe(true);
        expect(await r.debriefs.claimNudge(round.id, T3)).toBe(false);
        expect((await find(round.id)).nudgedAt?.toISOString()).toBe(T2.toISOString());
        expect(await r.debriefs.listDueNudges(win(0).nudgeAt ?? BASE, 10)).toEqual([]);
      });

      it("of two concurrent nudgers exactly one wins", async () => {
        const round = await opened(win(0));
        const results = await Promise.all([
          r.debriefs.claimNudge(round.id, T2),
          r.debriefs.claimNudge(round.id, T3),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await find(round.id)).nudgedAt?.toISOString()).toBe((results[0] ? T2 : T3).toISOString());
      });

      it("claimNudge is false for an unknown round", async () => {
        expect(await r.debriefs.claimNudge("no-such-round", T1)).toBe(false);
      });
    });

    describe("answers", () => {
      it("upsertAnswer creates the answer with the caller's instant and no thread reply yet", async () => {
        const round = await opened(win(0));
        const saved = await r.debriefs.upsertAnswer(round.id, "U0ANA", answer("shipped A"), T2);
        expect(saved).toEqual({
          id: expect.any(String),
          roundId: round.id,
          userId: "U0ANA",
          shipped: "shipped A",
          input: "shipped A: input",
          blockers: "shipped A: blockers",
          threadTs: null,
          updatedAt: T2,
        });
        expect(saved.updatedAt.toISOString()).toBe(T2.toISOString());
        expect(await r.debriefs.findAnswer(round.id, "U0ANA")).toEqual(saved);
      });

      it("upsertAnswer again replaces the text and updatedAt, keeping the answer's id and thread reply", async () => {
        const round = await opened(win(0));
        const first = await r.debriefs.upsertAnswer(round.id, "U0ANA", answer("v1"), T1);
        await r.debriefs.setAnswerThreadTs(first.id, "1700000000.000300");
        const second = await r.debriefs.upsertAnswer(round.id, "U0ANA", answer("v2"), T3);
        expect(second).toEqual({ ...first, ...answer("v2"), threadTs: "1700000000.000300", updatedAt: T3 });
        expect(await r.debriefs.listAnswers(round.id)).toEqual([second]);
      });

      it("two submissions racing for one person both succeed, leaving one answer with one of them", async () => {
        const round = await opened(win(0));
        const [a, b] = await Promise.all([
          r.debriefs.upsertAnswer(round.id, "U0ANA", answer("a"), T1),
          r.debriefs.upsertAnswer(round.id, "U0ANA", answer("b"), T2),
        ]);
        expect(a.id).toBe(b.id);
        const stored = await r.debriefs.listAnswers(round.id);
        expect(stored).toHaveLength(1);
        expect([a, b]).toContainEqual(stored[0]);
      });

      it("findAnswer is null for someone who has not answered, or an unknown round", async () => {
        const round = await opened(win(0));
        await r.debriefs.upsertAnswer(round.id, "U0ANA", answer("a"), T1);
        expect(await r.debriefs.findAnswer(round.id, "U0BEN")).toBeNull();
        expect(await r.debriefs.findAnswer("no-such-round", "U0ANA")).toBeNull();
      });

      it("upsertAnswer for an unknown round fails with P2003", async () => {
        await expect(
          r.debriefs.upsertAnswer("no-such-round", "U0ANA", answer("a"), T1),
        ).rejects.toMatchObject({
          code: "P2003",
        });
      });

      it("setAnswerThreadTs records the thread reply; an unknown answer fails with P2025", async () => {
        const round = await opened(win(0));
        const saved = await r.debriefs.upsertAnswer(round.id, "U0ANA", answer("a"), T1);
        await r.debriefs.setAnswerThreadTs(saved.id, "5.5");
        expect((await r.debriefs.findAnswer(round.id, "U0ANA"))?.threadTs).toBe("5.5");
        await expect(r.debriefs.setAnswerThreadTs("no-such-answer", "5.5")).rejects.toMatchObject({
          code: "P2025",
        });
      });

      it("listAnswers lists the round's answers by updatedAt, so a resubmission moves last", async () => {
        const round = await opened(win(0));
        const other = await opened(win(0), otherTeamId);
        await r.debriefs.upsertAnswer(round.id, "U0LATE", answer("late"), T3);
        await r.debriefs.upsertAnswer(round.id, "U0EARLY", answer("early"), T1);
        await r.debriefs.upsertAnswer(round.id, "U0MID", answer("mid"), T2);
        await r.debriefs.upsertAnswer(other.id, "U0ELSE", answer("else"), T1);
        expect((await r.debriefs.listAnswers(round.id)).map((a) => a.userId)).toEqual([
          "U0EARLY",
          "U0MID",
          "U0LATE",
        ]);
        await r.debriefs.upsertAnswer(round.id, "U0EARLY", answer("again"), at(DAY));
        expect((await r.debriefs.listAnswers(round.id)).map((a) => a.userId)).toEqual([
          "U0MID",
          "U0LATE",
          "U0EARLY",
        ]);
        expect(await r.debriefs.listAnswers("no-such-round")).toEqual([]);
      });

      it("listAnswers lists answers updated at the same instant, in an order the database chooses", async () => {
        const round = await opened(win(0));
        await r.debriefs.upsertAnswer(round.id, "U0A", answer("a"), T2);
        await r.debriefs.upsertAnswer(round.id, "U0B", answer("b"), T2);
        await r.debriefs.upsertAnswer(round.id, "U0FIRST", answer("first"), T1);
        const listed = (await r.debriefs.listAnswers(round.id)).map((a) => a.userId);
        expect(listed[0]).toBe("U0FIRST");
        expect(sorted(listed.slice(1))).toEqual(["U0A", "U0B"]);
      });
    });

    describe("who is in the team", () => {
      it("recentSharers is everyone who answered in the team's N most recent posted rounds, once each", async () => {
        const oldest = await opened(win(0));
        const done = await digested(win(7));
        const newest = await opened(win(14));
        // Newer still, but never posted: nobody could share in them.
        const skipped = await create(win(21), teamId, "skipped");
        const pending = await create(win(28));
        const elsewhere = await opened(win(14), otherTeamId);
        await r.debriefs.upsertAnswer(oldest.id, "U0OLD", answer("x"), T1);
        await r.debriefs.upsertAnswer(done.id, "U0ANA", answer("x"), T1);
        await r.debriefs.upsertAnswer(newest.id, "U0ANA", answer("x"), T2);
        await r.debriefs.upsertAnswer(newest.id, "U0BEN", answer("x"), T2);
        await r.debriefs.upsertAnswer(skipped.id, "U0SKIP", answer("x"), T2);
        await r.debriefs.upsertAnswer(pending.id, "U0PEND", answer("x"), T2);
        await r.debriefs.upsertAnswer(elsewhere.id, "U0ELSE", answer("x"), T2);

        // Prisma's `distinct` gives no order.
        expect(sorted(await r.debriefs.recentSharers(teamId, 2))).toEqual(["U0ANA", "U0BEN"]);
        expect(sorted(await r.debriefs.recentSharers(teamId, 4))).toEqual(["U0ANA", "U0BEN", "U0OLD"]);
        expect(await r.debriefs.recentSharers(teamId, 1)).toHaveLength(2);
        expect(await r.debriefs.recentSharers(teamId, 0)).toEqual([]);
        expect(await r.debriefs.recentSharers("no-such-team", 4)).toEqual([]);
      });

      it("recentSharers is empty while the team's recent rounds have no answers", async () => {
        await opened(win(0));
        expect(await r.debriefs.recentSharers(teamId, 4)).toEqual([]);
      });

      it("mechanismOwners lists the distinct owners of the team's active mechanisms", async () => {
        const mechanism = (owner: string | null, team = teamId) =>
          r.mechanisms.create({
            ...mechanismData({ ownerId: owner }),
            teamId: team,
            createdBy: "U0LEAD",
            createdAt: T1,
            nextReviewAt: null,
          });
        await mechanism("U0ANA");
        await mechanism("U0BEN");
        await mechanism("U0ANA");
        await mechanism(null);
        await mechanism("U0ELSE", otherTeamId);
        const stopped = await mechanism("U0STOPPED");
        await r.reviews.recordDecision(
          {
            mechanismId: stopped.id,
            reviewId: null,
            decision: "stop",
            entry: "Done with it.",
            whatChanged: "",
            whatDidnt: "",
            why: "",
            changeDetail: "",
            gateReason: "",
            readings: {},
            decidedBy: "U0LEAD",
            checkpoint: "pass",
            source: "command",
            at: T2,
          },
          {},
        );
        // Prisma's `distinct` gives no order.
        expect(sorted(await r.debriefs.mechanismOwners(teamId))).toEqual(["U0ANA", "U0BEN"]);
        expect(await r.debriefs.mechanismOwners("no-such-team")).toEqual([]);
      });

      it("nudgeOptOuts lists who pressed 'Stop nudging me' in this team, once each, until they opt back in", async () => {
        expect(await r.debriefs.nudgeOptOuts(teamId)).toEqual([]);
        await r.debriefs.setNudgeOptOut(teamId, "U0BEN", true, T1);
        await r.debriefs.setNudgeOptOut(teamId, "U0ANA", true, T2);
        // Pressed twice: still one opt-out.
        await r.debriefs.setNudgeOptOut(teamId, "U0ANA", true, T3);
        await r.debriefs.setNudgeOptOut(otherTeamId, "U0ELSE", true, T1);
        expect(await r.debriefs.nudgeOptOuts(teamId)).toEqual(["U0ANA", "U0BEN"]);
        expect(await r.debriefs.nudgeOptOuts(otherTeamId)).toEqual(["U0ELSE"]);

        await r.debriefs.setNudgeOptOut(teamId, "U0ANA", false, T3);
        // Opting in when not opted out changes nothing.
        await r.debriefs.setNudgeOptOut(teamId, "U0NEVER", false, T3);
        expect(await r.debriefs.nudgeOptOuts(teamId)).toEqual(["U0BEN"]);
        expect(await r.debriefs.nudgeOptOuts("no-such-team")).toEqual([]);
      });

      it("two concurrent opt-outs of one person both succeed, leaving one", async () => {
        await Promise.all([
          r.debriefs.setNudgeOptOut(teamId, "U0ANA", true, T1),
          r.debriefs.setNudgeOptOut(teamId, "U0ANA", true, T2),
        ]);
        expect(await r.debriefs.nudgeOptOuts(teamId)).toEqual(["U0ANA"]);
      });

      it("an opt-out for an unknown team fails with P2003", async () => {
        await expect(r.debriefs.setNudgeOptOut("no-such-team", "U0ANA", true, T1)).rejects.toMatchObject({
          code: "P2003",
        });
      });
    });
  });
}
