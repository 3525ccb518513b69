import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MechanismInput } from "../../../src/mechanisms/mechanism.js";
import type { MechanismRepository } from "../../../src/mechanisms/mechanism-repository.js";
import type { DecisionInput, Review } from "../../../src/reviews/review.js";
import type { ReviewRepository } from "../../../src/reviews/review-repository.js";
import type { Team } from "../../../src/teams/team.js";
import type { TeamRepository } from "../../../src/teams/team-repository.js";
import { claimOne } from "../claim-one.js";
import { teamFixture } from "../team-fixture.js";

/** A set of repositories over one store (a database, or the in-memory fake). */
export interface RepositorySet {
  teams: TeamRepository;
  mechanisms: MechanismRepository;
  reviews: ReviewRepository;
  close(): Promise<void>;
}

/**
 * The repository contracts the services rely on, written once so the same cases can run
 * against the in-memory fakes (test/unit/services) and the Prisma repositories on a real
 * database: a fake that passes here behaves like the database where it matters.
 */
export function describeRepositoryContract(name: string, open: () => Promise<RepositorySet>): void {
  const T0 = new Date("2026-11-24T10:00:00Z");
  /** A creation time far from the wall clock, with milliseconds: stored exactly, or the repository took another clock. */
  const CREATED = new Date("2031-07-15T03:04:05.678Z");
  const week = (n: number) => new Date(T0.getTime() + n * 7 * 86_400_000);

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({
      slackTeamId: "T0WORK",
      channelId: "C0TEAM",
      createdBy: "U0LEAD",
      ...o,
    });
    return team;
  };

  const mechanismData = (o: Partial<MechanismInput> = {}): MechanismInput => ({
    title: "First-run nudge",
    aim: "Increase activation",
    aimForWhom: "Segment S",
    aimFrom: 27,
    aimTo: 35,
    aimUnit: "%",
    aimBy: "2027-01-31",
    statement: "We believe…",
    checkpointRule: "continue if proxy >= 80",
    guardrail: "Errors ≤ 0.1%",
    stopOwnerId: null,
    rollbackPath: "Flag off",
    ownerId: "U0OWNER",
    cadenceWeeks: 1,
    signals: [
      { kind: "outcome", name: "Activation", baseline: 27, target: 35, unit: "%" },
      { kind: "proxy", name: "Action X", baseline: 40, target: 80, unit: "%" },
    ],
    ...o,
  });

  const decisionData = (
    o: Partial<DecisionInput> & Pick<DecisionInput, "mechanismId"> & { at?: Date },
  ): DecisionInput & { checkpoint: "pass"; source: "review"; at: Date } => ({
    reviewId: null,
    decision: "continue",
    entry: "Keep going.",
    whatChanged: "",
    whatDidnt: "",
    why: "",
    changeDetail: "",
    gateReason: "",
    readings: {},
    decidedBy: "U0OWNER",
    checkpoint: "pass",
    source: "review",
    at: new Date("2026-11-24T10:20:00Z"),
    ...o,
  });

  describe(`repository contract: ${name}`, () => {
    let r: RepositorySet;
    let teamId: string;
    let mechanismId: string;
    beforeEach(async () => {
      r = await open();
      teamId = (await r.teams.save(teamData())).id;
      mechanismId = (
        await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0LEAD",
          createdAt: CREATED,
          nextReviewAt: T0,
        })
      ).id;
    });
    afterEach(async () => r?.close());

    const CLAIMED = new Date("2031-07-16T01:02:03.456Z");
    const claim = (o: {
      dueAt: Date;
      expected: Date;
      next: Date;
      missed?: Date[];
      late?: boolean;
      at?: Date;
    }) =>
      claimOne(r.reviews, {
        mechanismId,
        dueAt: o.dueAt,
        late: o.late ?? false,
        missed: o.missed ?? [],
        expectedNextReviewAt: o.expected,
        nextReviewAt: o.next,
        at: o.at ?? CLAIMED,
      });
    const req = (id: string, dueAt: Date, expected: Date, next: Date, missed: Date[] = []) => ({
      mechanismId: id,
      dueAt,
      late: false,
      missed,
      expectedNextReviewAt: expected,
      nextReviewAt: next,
      at: CLAIMED,
    });
    const nextReviewAt = async () => (await r.mechanisms.findById(mechanismId))?.nextReviewAt?.toISOString();
    const statuses = async () => (await r.reviews.listByMechanism(mechanismId)).map((x) => x.status);

    describe("teams", () => {
      it("creates, then updates in place by id; one team per (workspace, channel)", async () => {
        const [team] = await r.teams.listAll();
        const updated = await r.teams.save({ ...teamData({ name: "Renamed" }), id: team?.id });
        expect(updated).toMatchObject({ id: team?.id, name: "Renamed", cadenceWeeks: 1 });
        expect(await r.teams.listAll()).toHaveLength(1);
        await expect(r.teams.save(teamData())).rejects.toMatchObject({ code: "P2002" });
      });

      it("due index: a new team is due at once, advances per job, and a save makes it due again", async () => {
        const [team] = await r.teams.listAll();
        const other = await r.teams.save(teamData({ name: "Other", channelId: "C0OTHER" }));
        const ids = async (job: "deviations" | "alarms", at: Date) =>
          (await r.teams.listDue(job, at, 10)).map((d) => d.team.id).sort();
        expect(await ids("alarms", T0)).toEqual([team?.id, other.id].sort());
        const [first] = await r.teams.listDue("alarms", T0, 1);
        expect(first?.dueAt).toBeNull();
        // The team object carries no index columns.
        expect(Object.keys(first?.team ?? {}).some((k) => k.endsWith("DueAt"))).toBe(false);

        for (const due of await r.teams.listDue("alarms", T0, 10))
          await r.teams.advance("alarms", due, week(1));
        expect(await ids("alarms", T0)).toEqual([]);
        // Other jobs keep their own instants.
        expect(await ids("deviations", T0)).toHaveLength(2);
        // Due again at (not only after) the instant; most overdue first, limit applied.
        expect(await ids("alarms", week(1))).toHaveLength(2);
        const [one] = await r.teams.listDue("alarms", week(1), 10);
        if (one) await r.teams.advance("alarms", one, week(3));
        expect(await r.teams.listDue("alarms", week(2), 10)).toHaveLength(1);
        expect((await r.teams.listDue("alarms", week(5), 1))[0]?.dueAt?.toISOString()).toBe(
          week(1).toISOString(),
        );

        // A save clears the index; an advance computed from the old read then changes nothing.
        const [stale] = await r.teams.listDue("alarms", week(5), 10);
        if (!stale) throw new Error("expected a due team");
        await r.teams.save({
          ...teamData({ name: stale.team.name, channelId: stale.team.channelId }),
          id: stale.team.id,
        });
        await r.teams.advance("alarms", stale, week(9));
        const after = (await r.teams.listDue("alarms", T0, 10)).find((d) => d.team.id === stale.team.id);
        expect(after?.dueAt).toBeNull();

        // clearAll: every team, every job, due at once.
        for (const due of await r.teams.listDue("rollups", T0, 10))
          await r.teams.advance("rollups", due, week(4));
        expect(await r.teams.listDue("rollups", T0, 10)).toEqual([]);
        await r.teams.clearAll();
        expect(await ids("alarms", T0)).toHaveLength(2);
        expect((await r.teams.listDue("rollups", T0, 10)).every((d) => d.dueAt === null)).toBe(true);
        expect(await r.teams.listDue("rollups", T0, 10)).toHaveLength(2);
      });

      it("lists a workspace's teams by name and finds one by channel", async () => {
        await r.teams.save(teamData({ name: "Alpha", channelId: "C0ALPHA" }));
        await r.teams.save(teamData({ name: "Other", channelId: "C0X", slackTeamId: "T0OTHER" }));
        expect((await r.teams.listByWorkspace("T0WORK")).map((t) => t.name)).toEqual([
          "Alpha",
          "Checkout squad",
        ]);
        expect((await r.teams.findByChannel("T0WORK", "C0ALPHA"))?.name).toBe("Alpha");
        expect(await r.teams.findByChannel("T0OTHER", "C0ALPHA")).toBeNull();
      });
    });

    describe("times come from the caller, never from the database", () => {
      it("stores a team's createdAt as given", async () => {
        const saved = await r.teams.save(teamData({ channelId: "C0TIME", createdAt: CREATED }));
        expect((await r.teams.findById(saved.id))?.createdAt.toISOString()).toBe(CREATED.toISOString());
        // An update keeps the original creation time whatever the caller's object says.
        await r.teams.save({ ...teamData({ channelId: "C0TIME", createdAt: T0 }), id: saved.id });
        expect((await r.teams.findById(saved.id))?.createdAt.toISOString()).toBe(CREATED.toISOString());
      });

      it("stores a mechanism's createdAt as given", async () => {
        expect((await r.mechanisms.findById(mechanismId))?.createdAt.toISOString()).toBe(
          CREATED.toISOString(),
        );
      });

      it("stamps claimed and missed review rows with the claim's time", async () => {
        await claim({ dueAt: week(1), expected: T0, next: week(2), missed: [T0] });
        const rows = await r.reviews.listByMechanism(mechanismId);
        expect(rows.map((x) => x.createdAt.toISOString())).toEqual([
          CLAIMED.toISOString(),
          CLAIMED.toISOString(),
        ]);
      });
    });

    describe("mechanisms", () => {
      it("stores several guardrails in order, and an edit archives the ones it leaves out", async () => {
        const errorRate = {
          name: "Error rate",
          comparison: "<=" as const,
          threshold: 0.1,
          unit: "%",
          stopOwnerId: "U0SRE",
        };
        const rollback = {
          name: "Documented rollback",
          comparison: null,
          threshold: null,
          unit: "",
          stopOwnerId: null,
        };
        const created = await r.mechanisms.create({
          ...mechanismData({ title: "Guarded", guardrails: [errorRate, rollback] }),
          teamId,
          createdBy: "U0OWNER",
          createdAt: T0,
          nextReviewAt: null,
        });
        expect(created.guardrails?.map(({ id: _id, ...g }) => g)).toEqual([errorRate, rollback]);
        const first = created.guardrails?.[0]?.id;
        const edited = await r.mechanisms.update(created.id, {
          ...mechanismData({ title: "Guarded", guardrails: [{ ...errorRate, threshold: 0.2 }] }),
          nextReviewAt: undefined,
          at: T0,
        });
        expect(edited.guardrails).toEqual([{ ...errorRate, threshold: 0.2, id: first }]);
        expect((await r.mechanisms.listByTeam(teamId)).find((m) => m.id === created.id)?.guardrails).toEqual(
          edited.guardrails,
        );
        const guardrailId = first ?? "";
        await r.mechanisms.recordGuardrailReadings([{ guardrailId, value: 0.3, breached: true }], {
          reviewId: null,
          by: "U0OWNER",
          at: T0,
        });
        await r.mechanisms.recordGuardrailReadings([{ guardrailId, value: 0.05, breached: false }], {
          reviewId: null,
          by: "U0OWNER",
          at: week(1),
        });
        expect(await r.mechanisms.latestGuardrailReadings(created.id)).toEqual({
          [guardrailId]: { value: 0.05, breached: false, recordedAt: week(1) },
        });
        // A breach is decided once: the first decision holds, a second finds it taken.
        const [breach] = await r.mechanisms.recordGuardrailReadings(
          [{ guardrailId, value: 0.4, breached: true }],
          { reviewId: null, by: "U0OWNER", at: week(2) },
        );
        const breachId = breach?.id ?? "";
        expect(breach).toEqual({ id: breachId, guardrailId, breached: true });
        expect(await r.mechanisms.findGuardrailBreach(breachId)).toMatchObject({
          readingId: breachId,
          mechanismId: created.id,
          guardrail: { id: guardrailId, threshold: 0.2 },
          value: 0.4,
          decision: null,
          decidedBy: null,
        });
        const decided = { decision: "continue" as const, reason: "known outage", by: "U0STOP", at: week(2) };
        expect(await r.mechanisms.decideGuardrailBreach(breachId, decided)).toBe(true);
        expect(await r.mechanisms.decideGuardrailBreach(breachId, { ...decided, decision: "stop" })).toBe(
          false,
        );
        expect(await r.mechanisms.findGuardrailBreach(breachId)).toMatchObject({
          decision: "continue",
          decisionReason: "known outage",
          decidedBy: "U0STOP",
          decidedAt: week(2),
        });
        // A reading within its line is no breach to decide.
        const [held] = await r.mechanisms.recordGuardrailReadings(
          [{ guardrailId, value: 0.01, breached: false }],
          { reviewId: null, by: "U0OWNER", at: week(3) },
        );
        expect(await r.mechanisms.findGuardrailBreach(held?.id ?? "")).toBeNull();
        expect(await r.mechanisms.decideGuardrailBreach(held?.id ?? "", decided)).toBe(false);
        // Without guardrails in the input, an edit leaves them as they are.
        const untouched = await r.mechanisms.update(created.id, {
          ...mechanismData({ title: "Guarded" }),
          nextReviewAt: undefined,
          at: T0,
        });
        expect(untouched.guardrails).toEqual(edited.guardrails);
      });

      it("creates active with signals in proxy, outcome, leading order", async () => {
        const m = await r.mechanisms.findById(mechanismId);
        expect(m).toMatchObject({ status: "active", messageTs: null, stoppedAt: null, teamId });
        expect(m?.signals.map((s) => s.kind)).toEqual(["proxy", "outcome"]);
        expect(m?.nextReviewAt?.toISOString()).toBe(T0.toISOString());
      });

      it("findDue returns active mechanisms due by now, earliest first, up to the limit", async () => {
        const later = await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0",
          createdAt: CREATED,
          nextReviewAt: week(-1),
        });
        await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0",
          createdAt: CREATED,
          nextReviewAt: week(1),
        });
        await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0",
          createdAt: CREATED,
          nextReviewAt: null,
        });
        const stopped = await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0",
          createdAt: CREATED,
          nextReviewAt: null,
        });
        await r.reviews.recordDecision(decisionData({ mechanismId: stopped.id, decision: "stop" }), {});
        await r.mechanisms.setNextReview(stopped.id, week(-2));
        expect((await r.mechanisms.findDue(T0, 10)).map((m) => m.id)).toEqual([later.id, mechanismId]);
        expect((await r.mechanisms.findDue(T0, 1)).map((m) => m.id)).toEqual([later.id]);
      });

      it("update with a rule edit writes its 'change' decision with it, from the edit", async () => {
        const at = new Date("2026-11-25T14:00:00Z");
        await r.mechanisms.update(mechanismId, {
          ...mechanismData({ checkpointRule: "continue if proxy >= 90" }),
          nextReviewAt: undefined,
          at,
          ruleEdit: {
            entry: "Rule changed: … because …",
            changeDetail: "Checkpoint rule: “a” → “b”",
            by: "U0EDITOR",
          },
        });
        expect(await r.mechanisms.listDecisions(mechanismId, 10)).toMatchObject([
          {
            decision: "change",
            source: "edit",
            entry: "Rule changed: … because …",
            changeDetail: "Checkpoint rule: “a” → “b”",
            checkpoint: "unknown",
            reviewId: null,
            decidedBy: "U0EDITOR",
            decidedAt: at,
          },
        ]);
      });

      it("update keeps a signal's id (and readings) by its slot, and archives a removed one with its readings", async () => {
        const before = await r.mechanisms.findById(mechanismId);
        const idOf = (kind: string) => before?.signals.find((s) => s.kind === kind)?.id;
        const signalIds = Object.fromEntries((before?.signals ?? []).map((s) => [s.kind, s.id]));
        await r.reviews.recordDecision(
          decisionData({ mechanismId, readings: { proxy: 60, outcome: 29 } }),
          signalIds,
        );
        const updated = await r.mechanisms.update(mechanismId, {
          ...mechanismData({ title: "Renamed" }),
          signals: [{ kind: "proxy", name: "Action X v2", baseline: 41, target: 81, unit: "%", position: 0 }],
          nextReviewAt: week(1),
          at: T0,
        });
        expect(updated.title).toBe("Renamed");
        expect(updated.signals).toEqual([
          {
            id: idOf("proxy"),
            kind: "proxy",
            name: "Action X v2",
            baseline: 41,
            target: 81,
            unit: "%",
            position: 0,
          },
        ]);
        const latest = await r.mechanisms.latestReadings(mechanismId);
        expect(Object.keys(latest)).toEqual([idOf("proxy")]);
        expect(latest[idOf("proxy") ?? ""]?.value).toBe(60);

        // Named again (case aside), the archived signal comes back with its id and its readings.
        const back = await r.mechanisms.update(mechanismId, {
          ...mechanismData(),
          signals: [
            { kind: "proxy", name: "Action X v2", baseline: 41, target: 81, unit: "%", position: 0 },
            { kind: "outcome", name: "Timeouts", baseline: 1.8, target: 0.6, unit: "%", position: 0 },
            { kind: "outcome", name: "activation", baseline: 27, target: 35, unit: "%", position: 1 },
          ],
          nextReviewAt: undefined,
          at: T0,
        });
        expect(back.signals.map((s) => [s.name, s.position, s.id === idOf("outcome")])).toEqual([
          ["Action X v2", 0, false],
          ["Timeouts", 0, false],
          ["activation", 1, true],
        ]);
        expect(back.nextReviewAt?.toISOString()).toBe(week(1).toISOString());
        expect((await r.mechanisms.latestReadings(mechanismId))[idOf("outcome") ?? ""]?.value).toBe(29);
      });
    });

    describe("reviews.claim", () => {
      it("inserts the claimed occurrence and the missed ones, and moves nextReviewAt", async () => {
        const review = await claim({
          dueAt: week(2),
          expected: T0,
          next: week(3),
          missed: [T0, week(1)],
          late: true,
        });
        expect(review).toMatchObject({
          mechanismId,
          status: "claimed",
          late: true,
          messageTs: null,
        });
        expect(review?.dueAt.toISOString()).toBe(week(2).toISOString());
        expect(await statuses()).toEqual(["missed", "missed", "claimed"]);
        expect(await nextReviewAt()).toBe(week(3).toISOString());
      });

      it("claims a batch in one call: each request alone decides, in the requests' order", async () => {
        const another = async (next: Date) =>
          (
            await r.mechanisms.create({
              ...mechanismData({ title: `Another ${next.toISOString()}` }),
              teamId,
              createdBy: "U0LEAD",
              createdAt: CREATED,
              nextReviewAt: next,
            })
          ).id;
        const [b, stale, stopped, taken] = [
          await another(T0),
          await another(week(-1)),
          await another(T0),
          await another(T0),
        ];
        await r.reviews.recordDecision(decisionData({ mechanismId: stopped, decision: "stop" }), {});
        await r.mechanisms.setNextReview(stopped, T0);
        // `taken` already has its T0 row: the schedule moves on, nothing is claimed for it.
        await claimOne(r.reviews, { ...req(taken, T0, T0, week(1)) });
        await r.mechanisms.setNextReview(taken, T0);
        const reqs = [
          req(b, week(1), T0, week(2), [T0]),
          req(stale, T0, T0, week(1)),
          req(stopped, T0, T0, week(1)),
          req(taken, T0, T0, week(1)),
          req(mechanismId, T0, T0, week(1)),
          // The same mechanism twice: the first request wins, as one by one.
          req(b, week(3), T0, week(4)),
        ];
        const claimed = await r.reviews.claimMany(reqs);
        expect(claimed.map((x) => [x.mechanismId, x.dueAt.toISOString()])).toEqual([
          [b, week(1).toISOString()],
          [mechanismId, T0.toISOString()],
        ]);
        expect((await r.reviews.listByMechanism(b)).map((x) => x.status)).toEqual(["missed", "claimed"]);
        expect((await r.mechanisms.findById(b))?.nextReviewAt?.toISOString()).toBe(week(2).toISOString());
        expect((await r.mechanisms.findById(stale))?.nextReviewAt?.toISOString()).toBe(
          week(-1).toISOString(),
        );
        expect(await r.reviews.listByMechanism(stale)).toEqual([]);
        expect(await r.reviews.listByMechanism(stopped)).toEqual([]);
        expect((await r.mechanisms.findById(taken))?.nextReviewAt?.toISOString()).toBe(week(1).toISOString());
        expect((await r.reviews.listByMechanism(taken)).map((x) => x.status)).toEqual(["claimed"]);
        // Claimed again, nothing is: every schedule has moved on.
        expect(await r.reviews.claimMany(reqs)).toEqual([]);
        expect(await r.reviews.claimMany([])).toEqual([]);
      });

      it("claims more requests than one transaction's batch, each exactly once", async () => {
        const ids = [mechanismId];
        for (let i = 0; i < 120; i++) {
          ids.push(
            (
              await r.mechanisms.create({
                ...mechanismData({ title: `Many ${i}` }),
                teamId,
                createdBy: "U0LEAD",
                createdAt: CREATED,
                nextReviewAt: T0,
              })
            ).id,
          );
        }
        const claimed = await r.reviews.claimMany(ids.map((id) => req(id, T0, T0, week(1))));
        expect(claimed.map((x) => x.mechanismId)).toEqual(ids);
        expect(new Set(claimed.map((x) => x.id)).size).toBe(ids.length);
        expect(await r.reviews.listClaimed(500)).toHaveLength(ids.length);
      });

      it("returns null and writes nothing when nextReviewAt moved since it was read", async () => {
        expect(await claim({ dueAt: T0, expected: week(-1), next: week(1) })).toBeNull();
        expect(await statuses()).toEqual([]);
        expect(await nextReviewAt()).toBe(T0.toISOString());
      });

      it("skips an occurrence that already has a row and still moves the schedule forward", async () => {
        const first = await claim({ dueAt: T0, expected: T0, next: week(1) });
        if (!first) throw new Error("first claim failed");
        await r.reviews.markPosted(first.id, "C0TEAM", "1.000001");
        // nextReviewAt is put back (e.g. an edit raced the job): claiming T0 again posts nothing,
        // but the mechanism moves on instead of failing on the unique key every tick.
        await r.mechanisms.setNextReview(mechanismId, T0);
        expect(await claim({ dueAt: T0, expected: T0, next: week(1) })).toBeNull();
        expect(await nextReviewAt()).toBe(week(1).toISOString());
        expect(await statuses()).toEqual(["reminded"]);
        // An existing row among the missed ones is skipped too; the new occurrence is claimed.
        await r.mechanisms.setNextReview(mechanismId, T0);
        expect(await claim({ dueAt: week(1), expected: T0, next: week(2), missed: [T0] })).not.toBeNull();
        expect(await statuses()).toEqual(["unanswered", "claimed"]);
        expect(await nextReviewAt()).toBe(week(2).toISOString());
      });

      it("returns null for a stopped mechanism", async () => {
        await r.reviews.recordDecision(decisionData({ mechanismId, decision: "stop" }), {});
        expect(await claim({ dueAt: T0, expected: T0, next: week(1) })).toBeNull();
        // Even if something put a due date back on it, a stopped mechanism is never claimed.
        await r.mechanisms.setNextReview(mechanismId, T0);
        expect(await claim({ dueAt: T0, expected: T0, next: week(1) })).toBeNull();
        expect(await statuses()).toEqual([]);
      });

      it("marks earlier reminders unanswered, never-posted ones missed, never done ones", async () => {
        const a = await claim({ dueAt: T0, expected: T0, next: week(1) });
        if (!a) throw new Error("claim failed");
        await r.reviews.markPosted(a.id, "C0TEAM", "1.000001");
        const b = await claim({ dueAt: week(1), expected: week(1), next: week(2) });
        if (!b) throw new Error("claim failed");
        await r.reviews.recordDecision(decisionData({ mechanismId, reviewId: b.id }), {});
        const c = await claim({ dueAt: week(2), expected: week(2), next: week(3) });
        if (!c) throw new Error("claim failed");
        // c was claimed but never reached the channel (Slack kept refusing it).
        await claim({ dueAt: week(3), expected: week(3), next: week(4) });
        expect(await statuses()).toEqual(["unanswered", "done", "missed", "claimed"]);
      });
    });

    describe("reviews posting", () => {
      let review: Review;
      beforeEach(async () => {
        const claimed = await claim({ dueAt: T0, expected: T0, next: week(1) });
        if (!claimed) throw new Error("claim failed");
        review = claimed;
      });

      it("markPosted makes it reminded with its message, and it is no longer listed as claimed", async () => {
        await r.reviews.markPosted(review.id, "C0TEAM", "1.000001");
        expect(await r.reviews.findById(review.id)).toMatchObject({
          status: "reminded",
          messageChannelId: "C0TEAM",
          messageTs: "1.000001",
        });
        expect(await r.reviews.listClaimed(10)).toEqual([]);
        // A second record (a recovered lookup racing the first) changes nothing.
        await r.reviews.markPosted(review.id, "C0TEAM", "1.000002");
        expect((await r.reviews.findById(review.id))?.messageTs).toBe("1.000001");
      });

      it("markPosted on a review decided meanwhile keeps it done and only records the message", async () => {
        await r.reviews.recordDecision(decisionData({ mechanismId, reviewId: review.id }), {});
        await r.reviews.markPosted(review.id, "C0TEAM", "1.000001");
        expect(await r.reviews.findById(review.id)).toMatchObject({ status: "done", messageTs: "1.000001" });
      });

      it("listClaimed lists claimed, unposted reviews, earliest due first, up to the limit", async () => {
        const other = await r.mechanisms.create({
          ...mechanismData(),
          teamId,
          createdBy: "U0",
          createdAt: CREATED,
          nextReviewAt: week(-1),
        });
        const earlier = await claimOne(r.reviews, {
          mechanismId: other.id,
          dueAt: week(-1),
          late: false,
          missed: [],
          expectedNextReviewAt: week(-1),
          nextReviewAt: T0,
          at: CLAIMED,
        });
        expect((await r.reviews.listClaimed(10)).map((x) => x.id)).toEqual([earlier?.id, review.id]);
        expect((await r.reviews.listClaimed(1)).map((x) => x.id)).toEqual([earlier?.id]);
        // Only those claimed before an instant: both were claimed at CLAIMED.
        expect(await r.reviews.listClaimed(10, CLAIMED)).toEqual([]);
        expect(await r.reviews.listClaimed(10, new Date(CLAIMED.getTime() + 1))).toHaveLength(2);
        await r.reviews.markMissed(earlier?.id ?? "");
        expect((await r.reviews.listClaimed(10)).map((x) => x.id)).toEqual([review.id]);
      });
    });

    describe("reviews.recordDecision", () => {
      it("records exactly one decision when two people submit the same review at once", async () => {
        const review = await claim({ dueAt: T0, expected: T0, next: week(1) });
        if (!review) throw new Error("claim failed");
        const at = new Date("2026-11-24T10:20:00Z");
        const both = await Promise.all([
          r.reviews.recordDecision(decisionData({ mechanismId, reviewId: review.id, readings: {}, at }), {}),
          r.reviews.recordDecision(decisionData({ mechanismId, reviewId: review.id, readings: {}, at }), {}),
        ]);
        expect(both.filter((d) => d !== null)).toHaveLength(1);
        expect(await r.mechanisms.countDecisions(mechanismId)).toBe(1);
      });

      it("stores readings for known signals, closes the review, and returns the decision", async () => {
        const review = await claim({ dueAt: T0, expected: T0, next: week(1) });
        if (!review) throw new Error("claim failed");
        const m = await r.mechanisms.findById(mechanismId);
        const signalIds = Object.fromEntries((m?.signals ?? []).map((s) => [s.kind, s.id]));
        const at = new Date("2026-11-24T10:20:00Z");
        const d = await r.reviews.recordDecision(
          decisionData({ mechanismId, reviewId: review.id, readings: { proxy: 85, leading: 3 }, at }),
          signalIds,
        );
        expect(d).toMatchObject({
          mechanismId,
          reviewId: review.id,
          decision: "continue",
          checkpoint: "pass",
        });
        expect(d?.decidedAt.toISOString()).toBe(at.toISOString());
        // A second decision on the same, now closed, review records nothing.
        expect(
          await r.reviews.recordDecision(
            decisionData({ mechanismId, reviewId: review.id, readings: {}, at }),
            signalIds,
          ),
        ).toBeNull();
        const latest = await r.mechanisms.latestReadings(mechanismId);
        expect(Object.keys(latest)).toEqual([signalIds.proxy]); // no leading signal: its reading is dropped
        expect(latest[signalIds.proxy ?? ""]).toMatchObject({ value: 85, signalId: signalIds.proxy });
        const stored = (await r.reviews.findById(review.id)) as Review & { completedAt?: Date | null };
        expect(stored.status).toBe("done");
        expect(stored.completedAt?.toISOString()).toBe(at.toISOString());
        expect((await r.mechanisms.findById(mechanismId))?.status).toBe("active");
        expect(await r.mechanisms.countDecisions(mechanismId)).toBe(1);
      });

      it("stop stops the mechanism and clears nextReviewAt", async () => {
        const at = new Date("2026-11-24T10:20:00Z");
        await r.reviews.recordDecision(decisionData({ mechanismId, decision: "stop", at }), {});
        const m = await r.mechanisms.findById(mechanismId);
        expect(m).toMatchObject({ status: "stopped", nextReviewAt: null });
        expect(m?.stoppedAt?.toISOString()).toBe(at.toISOString());
        expect(await r.mechanisms.findDue(week(10), 10)).toEqual([]);
      });

      it("finds a decision by id, and null for an unknown id", async () => {
        const d = await r.reviews.recordDecision(decisionData({ mechanismId, at: week(1) }), {});
        expect(await r.mechanisms.findDecision(d?.id ?? "")).toEqual(d);
        expect(await r.mechanisms.findDecision("nope")).toBeNull();
      });

      it("lists decisions newest first", async () => {
        for (const [i, decision] of (["continue", "change", "continue"] as const).entries()) {
          await r.reviews.recordDecision(decisionData({ mechanismId, decision, at: week(i) }), {});
        }
        expect((await r.mechanisms.listDecisions(mechanismId, 2)).map((d) => d.decision)).toEqual([
          "continue",
          "change",
        ]);
      });
    });
  });
}
