import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Alarm } from "../../../src/alarms/alarm.js";
import {
  SNAPSHOT_DECISIONS,
  SNAPSHOT_READINGS,
  type SnapshotData,
} from "../../../src/alarms/alarm-repository.js";
import type { AlarmFinding, AlarmKind } from "../../../src/alarms/types.js";
import type { MechanismInput } from "../../../src/mechanisms/mechanism.js";
import type { Team } from "../../../src/teams/team.js";
import { claimOne } from "../claim-one.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";

/**
 * The AlarmRepository contract, run against the in-memory fake (test/unit/fakes) and the Prisma
 * repository on SQLite and PostgreSQL (test/db). Where a database leaves an order open (a full
 * tie, or a relation included without orderBy), the cases compare sets.
 */
export function describeAlarmsContract(impl: RepositoryImplementation): void {
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const RAISED = new Date("2031-07-15T03:04:05.678Z");
  const RESOLVED = new Date("2031-07-29T11:12:13.987Z");
  const minutes = (n: number) => new Date(RAISED.getTime() + n * 60_000);
  const week = (n: number) => new Date(RAISED.getTime() + n * 7 * 86_400_000);

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
    statement: "We believe the nudge will move activation because users miss step 2",
    checkpointRule: "continue if proxy >= 80",
    guardrail: "Errors ≤ 0.1%",
    stopOwnerId: "U0STOPPER",
    rollbackPath: "Flag off",
    ownerId: "U0OWNER",
    cadenceWeeks: 1,
    signals: [
      { kind: "outcome", name: "Activation", baseline: 27, target: 35, unit: "%" },
      { kind: "proxy", name: "Action X", baseline: 40, target: 80, unit: "%" },
    ],
    ...o,
  });

  const finding = (kind: AlarmKind, subjectKey = "team", o: Partial<AlarmFinding> = {}): AlarmFinding => ({
    kind,
    subjectKey,
    subjectLabel: subjectKey === "team" ? "Team" : "A mechanism",
    evidence: `${kind} evidence`,
    suggestion: `${kind} suggestion`,
    ...o,
  });

  describe(`AlarmRepository contract: ${impl.name}`, () => {
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

    /** Claims a finding for the team (or another) in `cycle`, raised at `at`; fails the test if it was taken. */
    const raise = async (
      kind: AlarmKind,
      o: { subject?: string; cycle?: number; at?: Date; team?: string } = {},
    ): Promise<Alarm> => {
      const alarm = await r.alarms.claim(
        o.team ?? teamId,
        o.cycle ?? 5,
        finding(kind, o.subject),
        o.at ?? RAISED,
      );
      if (!alarm) throw new Error(`claim of ${kind} returned null`);
      return alarm;
    };
    const resolve = (a: Alarm, at = RESOLVED) =>
      r.alarms.transition(a.id, ["open", "acknowledged", "snoozed"], { status: "resolved", resolvedAt: at });
    const ids = (list: Alarm[]) => list.map((a) => a.id);
    const sorted = (list: string[]) => [...list].sort();

    const mechanism = (
      o: Partial<MechanismInput> & { createdAt?: Date; nextReviewAt?: Date | null; team?: string } = {},
    ) =>
      r.mechanisms.create({
        ...mechanismData(o),
        teamId: o.team ?? teamId,
        createdBy: "U0LEAD",
        createdAt: o.createdAt ?? minutes(-10_000),
        nextReviewAt: o.nextReviewAt ?? null,
      });

    describe("claim and findById", () => {
      it("claims a finding as an open, unposted alarm raised at the caller's instant", async () => {
        const claimed = await r.alarms.claim(teamId, 5, finding("no_kills"), RAISED);
        const expected: Alarm = {
          id: claimed?.id ?? "",
          teamId,
          kind: "no_kills",
          subjectKey: "team",
          cycleIndex: 5,
          evidence: "no_kills evidence",
          suggestion: "no_kills suggestion",
          status: "open",
          snoozeUntil: null,
          lastCycle: 5,
          stateBy: null,
          messageTs: null,
          raisedAt: RAISED,
          resolvedAt: null,
        };
        expect(claimed).toEqual(expected);
        expect(await r.alarms.findById(expected.id)).toEqual(expected);
      });

      it("returns null when the (team, kind, subject, cycle) is already claimed, and keeps the first row", async () => {
        const first = await raise("no_checkpoint", { subject: "m1" });
        const again = await r.alarms.claim(
          teamId,
          5,
          finding("no_checkpoint", "m1", { evidence: "newer evidence" }),
          minutes(60),
        );
        expect(again).toBeNull();
        expect(await r.alarms.findById(first.id)).toEqual(first);
        expect(await r.alarms.listUnresolved(teamId)).toEqual([first]);
      });

      it("returns null for a key already claimed even after that alarm was resolved", async () => {
        const first = await raise("no_kills");
        await resolve(first);
        expect(await r.alarms.claim(teamId, 5, finding("no_kills"), minutes(1))).toBeNull();
      });

      it("claims the same finding again in another cycle, and other subjects, kinds and teams in the same one", async () => {
        const base = await raise("stale_pilot", { subject: "m1", cycle: 5 });
        const claimed = [
          await raise("stale_pilot", { subject: "m1", cycle: 6 }),
          await raise("stale_pilot", { subject: "m2", cycle: 5 }),
          await raise("no_checkpoint", { subject: "m1", cycle: 5 }),
          await raise("stale_pilot", { subject: "m1", cycle: 5, team: otherTeamId }),
        ];
        expect(new Set([base, ...claimed].map((a) => a.id)).size).toBe(5);
      });

      it("of two concurrent claims of one key, exactly one gets the row", async () => {
        const results = await Promise.all([
          r.alarms.claim(teamId, 5, finding("no_kills"), RAISED),
          r.alarms.claim(teamId, 5, finding("no_kills"), minutes(1)),
        ]);
        const won = results.filter((a) => a !== null);
        expect(won).toHaveLength(1);
        expect(await r.alarms.listUnresolved(teamId)).toEqual(won);
      });

      it("rejects a claim for a team that does not exist (foreign key, P2003)", async () => {
        await expect(r.alarms.claim("no-such-team", 5, finding("no_kills"), RAISED)).rejects.toMatchObject({
          code: "P2003",
        });
      });

      it("stores a kind this version does not know but never hands it out", async () => {
        const retired: string = "retired_kind";
        expect(await r.alarms.claim(teamId, 5, finding(retired as AlarmKind), RAISED)).toBeNull();
        // The row exists: the key stays taken.
        expect(await r.alarms.claim(teamId, 5, finding(retired as AlarmKind), RAISED)).toBeNull();
        const known = await raise("no_kills");
        expect(await r.alarms.listUnresolved(teamId)).toEqual([known]);
        expect(await r.alarms.listRelevant(teamId, 5)).toEqual([known]);
        expect(await r.alarms.listUnposted({ teamId, limit: 100 })).toEqual([known]);
      });

      it("finds nothing for an unknown id", async () => {
        expect(await r.alarms.findById("no-such-alarm")).toBeNull();
      });

      it("hands out copies: changing a returned alarm changes nothing stored", async () => {
        const a = await raise("no_kills");
        a.status = "resolved";
        a.raisedAt.setTime(0);
        expect(await r.alarms.findById(a.id)).toMatchObject({ status: "open", raisedAt: RAISED });
      });
    });

    describe("listUnposted and markPosted", () => {
      it("lists the team's open, never-posted alarms, oldest raised first whatever their cycle", async () => {
        const late = await raise("no_kills", { cycle: 4, at: minutes(30) });
        const early = await raise("no_deviations", { cycle: 6, at: minutes(10) });
        const mid = await raise("no_checkpoint", { cycle: 5, at: minutes(20) });
        const posted = await raise("stale_pilot", { at: minutes(1) });
        await r.alarms.markPosted(posted.id, "1700000000.000100");
        const acknowledged = await raise("owner_unclear", { at: minutes(2) });
        await r.alarms.transition(acknowledged.id, ["open"], { status: "acknowledged" });
        const resolved = await raise("no_ops_path", { at: minutes(3) });
        await resolve(resolved);
        const elsewhere = await raise("no_kills", { team: otherTeamId, at: minutes(0) });
        expect(ids(await r.alarms.listUnposted({ teamId, limit: 100 }))).toEqual(ids([early, mid, late]));
        // Without a team, every team's, oldest first.
        expect(ids(await r.alarms.listUnposted({ limit: 100 }))).toEqual(ids([elsewhere, early, mid, late]));
      });

      it("lists at most `limit`, the oldest", async () => {
        // Claimed newest first, so insertion order is the opposite of the expected one.
        const claimed: Alarm[] = [];
        for (let i = 11; i >= 0; i--)
          claimed.push(await raise("stale_pilot", { subject: `m${i}`, at: minutes(i) }));
        const listed = await r.alarms.listUnposted({ teamId, limit: 10 });
        expect(listed).toHaveLength(10);
        expect(listed.map((a) => a.subjectKey)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      });

      it("lists alarms raised at the same instant (one evaluation) in claim order, the rules' order", async () => {
        const same = [await raise("no_kills"), await raise("no_deviations"), await raise("no_checkpoint")];
        const earlier = await raise("stale_pilot", { at: minutes(-1) });
        expect(ids(await r.alarms.listUnposted({ teamId, limit: 100 }))).toEqual([earlier.id, ...ids(same)]);
      });

      it("marks an alarm posted with its message ts, and nothing else", async () => {
        const a = await raise("no_kills");
        await r.alarms.markPosted(a.id, "1700000000.000100");
        expect(await r.alarms.findById(a.id)).toEqual({ ...a, messageTs: "1700000000.000100" });
        expect(await r.alarms.listUnposted({ teamId, limit: 100 })).toEqual([]);
      });

      it("rejects marking an unknown alarm posted (P2025)", async () => {
        await expect(r.alarms.markPosted("no-such-alarm", "1.2")).rejects.toMatchObject({ code: "P2025" });
      });
    });

    describe("transition", () => {
      it("moves an alarm from an allowed status and reports true", async () => {
        const a = await raise("no_kills");
        expect(await r.alarms.transition(a.id, ["open"], { status: "acknowledged" })).toBe(true);
        expect(await r.alarms.findById(a.id)).toEqual({ ...a, status: "acknowledged" });
      });

      it("from a status not listed returns false and changes nothing", async () => {
        const a = await raise("no_kills");
        await resolve(a);
        const resolved = await r.alarms.findById(a.id);
        expect(
          await r.alarms.transition(a.id, ["open", "acknowledged"], { status: "snoozed", snoozeUntil: 9 }),
        ).toBe(false);
        expect(await r.alarms.transition(a.id, [], { status: "open" })).toBe(false);
        expect(await r.alarms.findById(a.id)).toEqual(resolved);
      });

      it("of two concurrent transitions from open, exactly one wins", async () => {
        const a = await raise("no_kills");
        const results = await Promise.all([
          r.alarms.transition(a.id, ["open"], { status: "acknowledged" }),
          r.alarms.transition(a.id, ["open"], { status: "snoozed", snoozeUntil: 6 }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const stored = await r.alarms.findById(a.id);
        expect(stored).toEqual(
          results[0] ? { ...a, status: "acknowledged" } : { ...a, status: "snoozed", snoozeUntil: 6 },
        );
      });

      it("writes snoozeUntil and resolvedAt only when given, keeping earlier values", async () => {
        const a = await raise("no_kills");
        await r.alarms.transition(a.id, ["open"], { status: "snoozed", snoozeUntil: 6 });
        await r.alarms.transition(a.id, ["snoozed"], { status: "resolved", resolvedAt: RESOLVED });
        expect(await r.alarms.findById(a.id)).toMatchObject({
          status: "resolved",
          snoozeUntil: 6,
          resolvedAt: RESOLVED,
        });
        await r.alarms.transition(a.id, ["resolved"], { status: "open" });
        expect(await r.alarms.findById(a.id)).toMatchObject({
          status: "open",
          snoozeUntil: 6,
          resolvedAt: RESOLVED,
        });
      });

      it("returns false for an unknown id", async () => {
        expect(await r.alarms.transition("no-such-alarm", ["open"], { status: "acknowledged" })).toBe(false);
      });

      it("remembers who acknowledged or snoozed it, only when given", async () => {
        const a = await raise("no_kills");
        await r.alarms.transition(a.id, ["open"], { status: "acknowledged", by: "U0ALICE" });
        expect(await r.alarms.findById(a.id)).toMatchObject({ status: "acknowledged", stateBy: "U0ALICE" });
        await r.alarms.transition(a.id, ["acknowledged"], { status: "resolved", resolvedAt: RESOLVED });
        expect(await r.alarms.findById(a.id)).toMatchObject({ status: "resolved", stateBy: "U0ALICE" });
      });

      it("changes only the alarm it names", async () => {
        const a = await raise("no_kills");
        const b = await raise("no_deviations");
        await r.alarms.transition(a.id, ["open"], { status: "acknowledged" });
        expect(await r.alarms.findById(b.id)).toEqual(b);
      });
    });

    describe("carryOver", () => {
      it("moves an unresolved alarm into a later cycle with the latest evidence, once", async () => {
        const a = await raise("no_kills", { cycle: 5 });
        expect(await r.alarms.carryOver(a.id, { cycle: 6, evidence: "still" })).toBe(true);
        expect(await r.alarms.findById(a.id)).toEqual({ ...a, lastCycle: 6, evidence: "still" });
        expect(await r.alarms.carryOver(a.id, { cycle: 6, evidence: "still" })).toBe(false);
        // New evidence within the same cycle is taken too.
        expect(await r.alarms.carryOver(a.id, { cycle: 6, evidence: "worse" })).toBe(true);
        expect(await r.alarms.findById(a.id)).toMatchObject({
          cycleIndex: 5,
          lastCycle: 6,
          evidence: "worse",
        });
      });

      it("never moves an alarm back to an earlier cycle, nor touches a resolved one", async () => {
        const a = await raise("no_kills", { cycle: 5 });
        expect(await r.alarms.carryOver(a.id, { cycle: 4, evidence: "older" })).toBe(false);
        await r.alarms.transition(a.id, ["open"], { status: "snoozed", snoozeUntil: 6, by: "U0ALICE" });
        expect(await r.alarms.carryOver(a.id, { cycle: 6, evidence: "snoozed" })).toBe(true);
        await resolve(a);
        const resolved = await r.alarms.findById(a.id);
        expect(await r.alarms.carryOver(a.id, { cycle: 7, evidence: "gone" })).toBe(false);
        expect(await r.alarms.findById(a.id)).toEqual(resolved);
        expect(await r.alarms.carryOver("no-such-alarm", { cycle: 7, evidence: "x" })).toBe(false);
      });

      it("of two concurrent carry-overs into the same cycle, exactly one wins", async () => {
        const a = await raise("no_kills", { cycle: 5 });
        const results = await Promise.all([
          r.alarms.carryOver(a.id, { cycle: 6, evidence: "e" }),
          r.alarms.carryOver(a.id, { cycle: 6, evidence: "e" }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe("listUnresolved and listRelevant", () => {
      it("lists the team's open, acknowledged and snoozed alarms, oldest cycle first, then oldest raised", async () => {
        const c5early = await raise("no_kills", { cycle: 5, at: minutes(1) });
        const c4late = await raise("no_kills", { cycle: 4, at: minutes(50) });
        const c5late = await raise("no_deviations", { cycle: 5, at: minutes(40) });
        const c4early = await raise("no_deviations", { cycle: 4, at: minutes(5) });
        await r.alarms.transition(c5late.id, ["open"], { status: "acknowledged" });
        await r.alarms.transition(c4early.id, ["open"], { status: "snoozed", snoozeUntil: 5 });
        await resolve(await raise("stale_pilot", { cycle: 3 }));
        await raise("no_kills", { team: otherTeamId, cycle: 1 });
        expect(ids(await r.alarms.listUnresolved(teamId))).toEqual(ids([c4early, c4late, c5early, c5late]));
        expect(await r.alarms.listUnresolved("no-such-team")).toEqual([]);
      });

      it("lists what an evaluation needs: the rows seen holding this cycle, every unresolved one, and resolved ones whose snooze covers the cycle", async () => {
        const thisCycleResolved = await raise("no_kills", { cycle: 5, at: minutes(9) });
        await resolve(thisCycleResolved);
        const oldOpen = await raise("no_kills", { cycle: 3, at: minutes(8) });
        const oldAcknowledged = await raise("no_deviations", { cycle: 3, at: minutes(7) });
        await r.alarms.transition(oldAcknowledged.id, ["open"], { status: "acknowledged" });
        const snoozedPast = await raise("stale_pilot", { cycle: 2, at: minutes(6) });
        await r.alarms.transition(snoozedPast.id, ["open"], { status: "snoozed", snoozeUntil: 4 });
        const snoozeCovers = await raise("no_checkpoint", { cycle: 2, at: minutes(5) });
        await r.alarms.transition(snoozeCovers.id, ["open"], { status: "snoozed", snoozeUntil: 5 });
        await resolve(snoozeCovers);
        const snoozeEnded = await raise("owner_unclear", { cycle: 2, at: minutes(4) });
        await r.alarms.transition(snoozeEnded.id, ["open"], { status: "snoozed", snoozeUntil: 4 });
        await resolve(snoozeEnded);
        await resolve(await raise("no_ops_path", { cycle: 1, at: minutes(3) }));
        const nextCycleOpen = await raise("no_because", { cycle: 6, at: minutes(2) });
        // Raised earlier, carried into this cycle, then resolved: it was seen holding this cycle.
        const carriedResolved = await raise("no_because", { cycle: 1, at: minutes(1) });
        await r.alarms.carryOver(carriedResolved.id, { cycle: 5, evidence: "carried" });
        await resolve(carriedResolved);
        await raise("no_kills", { team: otherTeamId, cycle: 5 });
        expect(ids(await r.alarms.listRelevant(teamId, 5))).toEqual(
          ids([
            carriedResolved,
            snoozeCovers,
            snoozedPast,
            oldAcknowledged,
            oldOpen,
            thisCycleResolved,
            nextCycleOpen,
          ]),
        );
      });

      it("lists unresolved alarms raised at the same instant in one cycle all (their order is not promised)", async () => {
        const same = [await raise("no_kills"), await raise("no_deviations"), await raise("no_checkpoint")];
        expect(sorted(ids(await r.alarms.listUnresolved(teamId)))).toEqual(sorted(ids(same)));
        expect(sorted(ids(await r.alarms.listRelevant(teamId, 5)))).toEqual(sorted(ids(same)));
      });
    });

    describe("subjectLabels", () => {
      it('labels the team subject "Team" and each of the team\'s mechanisms by its title', async () => {
        const a = await mechanism({ title: "Alpha" });
        const b = await mechanism({ title: "Beta" });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId });
        const labels = await r.alarms.subjectLabels(teamId, [
          a.id,
          "team",
          foreign.id,
          "no-such-mechanism",
          a.id,
          b.id,
        ]);
        expect(Object.fromEntries(labels)).toEqual({ [a.id]: "Alpha", [b.id]: "Beta", team: "Team" });
      });

      it("always labels the team subject, even when nothing is asked", async () => {
        await mechanism({ title: "Alpha" });
        expect(Object.fromEntries(await r.alarms.subjectLabels(teamId, []))).toEqual({ team: "Team" });
      });
    });

    describe("snapshotData", () => {
      it('reads who runs each mechanism if it works, apart from its rollback path ("" when not written)', async () => {
        await mechanism({ title: "Named", opsPath: "Support on-call", createdAt: minutes(-20) });
        await mechanism({ title: "Unnamed", createdAt: minutes(-10) });
        const data = await r.alarms.snapshotData(teamId, { reviewsSince: minutes(-1000), fromCycle: 0 });
        expect(data.mechanisms.map((m) => [m.title, m.opsPath, m.rollbackPath])).toEqual([
          ["Named", "Support on-call", "Flag off"],
          ["Unnamed", "", "Flag off"],
        ]);
      });

      it("reads each of the team's mechanisms, oldest first, with signals, readings, decisions and recent reviews", async () => {
        // B is created first but dated later: the order comes from createdAt.
        const b = await mechanism({ title: "B", createdAt: minutes(-500), ownerId: null, stopOwnerId: null });
        const a = await mechanism({ title: "A", createdAt: minutes(-900), nextReviewAt: week(2) });
        await mechanism({ title: "Not ours", team: otherTeamId });
        const signalIds = Object.fromEntries(a.signals.map((s) => [s.kind, s.id]));
        const review = await claimOne(r.reviews, {
          mechanismId: a.id,
          dueAt: week(2),
          late: false,
          missed: [week(0), week(1)],
          expectedNextReviewAt: week(2),
          nextReviewAt: week(3),
          at: week(2),
        });
        const decision = {
          mechanismId: a.id,
          entry: "Keep going",
          whatChanged: "",
          whatDidnt: "",
          why: "",
          changeDetail: "",
          gateReason: "",
          decidedBy: "U0OWNER",
          checkpoint: "pass" as const,
          source: "review" as const,
        };
        // Recorded newest first: readings and decisions come back by time, not insertion.
        const later = minutes(20_000);
        const earlier = minutes(15_000);
        await r.reviews.recordDecision(
          {
            ...decision,
            reviewId: review?.id ?? null,
            decision: "change",
            readings: { outcome: 30, proxy: 55 },
            at: later,
          },
          signalIds,
        );
        await r.reviews.recordDecision(
          { ...decision, reviewId: null, decision: "continue", readings: { outcome: 28 }, at: earlier },
          signalIds,
        );
        const stoppedAt = minutes(21_000);
        await r.reviews.recordDecision(
          { ...decision, mechanismId: b.id, reviewId: null, decision: "stop", readings: {}, at: stoppedAt },
          {},
        );

        const data = await r.alarms.snapshotData(teamId, { reviewsSince: week(1), fromCycle: 0 });
        const bySignalKind = (m: SnapshotData["mechanisms"][number]) => ({
          ...m,
          signals: [...m.signals].sort((x, y) => x.kind.localeCompare(y.kind)),
        });
        expect(data.mechanisms.map(bySignalKind)).toEqual([
          {
            id: a.id,
            title: "A",
            status: "active",
            createdAt: minutes(-900),
            stoppedAt: null,
            statement: a.statement,
            ownerId: "U0OWNER",
            stopOwnerId: "U0STOPPER",
            checkpointRule: "continue if proxy >= 80",
            rollbackPath: "Flag off",
            opsPath: "",
            signals: [
              {
                kind: "outcome",
                name: "Activation",
                baseline: 27,
                target: 35,
                readings: [
                  { value: 28, at: earlier },
                  { value: 30, at: later },
                ],
              },
              {
                kind: "proxy",
                name: "Action X",
                baseline: 40,
                target: 80,
                readings: [{ value: 55, at: later }],
              },
            ],
            // The newest few (SNAPSHOT_DECISIONS), oldest first, whatever the history.
            decisions: [
              { decision: "continue", at: earlier, checkpoint: "pass" },
              { decision: "change", at: later, checkpoint: "pass" },
            ],
            // week(0) is before reviewsSince; week(1) was missed; week(2) was decided.
            reviews: [
              { dueAt: week(1), status: "missed", decided: false },
              { dueAt: week(2), status: "done", decided: true },
            ],
            guardrailBreach: null,
            guardrails: [],
          },
          {
            id: b.id,
            title: "B",
            status: "stopped",
            createdAt: minutes(-500),
            stoppedAt,
            statement: b.statement,
            ownerId: null,
            stopOwnerId: null,
            checkpointRule: "continue if proxy >= 80",
            rollbackPath: "Flag off",
            opsPath: "",
            signals: [
              { kind: "outcome", name: "Activation", baseline: 27, target: 35, readings: [] },
              { kind: "proxy", name: "Action X", baseline: 40, target: 80, readings: [] },
            ],
            decisions: [{ decision: "stop", at: stoppedAt, checkpoint: "pass" }],
            reviews: [],
            guardrailBreach: null,
            guardrails: [],
          },
        ]);
      });

      it("reads each active mechanism's newest breached guardrail reading and whether anyone decided it", async () => {
        const line = { comparison: "<=" as const, threshold: 0.1, unit: "%", stopOwnerId: null };
        const a = await mechanism({ title: "A", guardrails: [{ name: "Error rate", ...line }] });
        const guardrailId = a.guardrails?.[0]?.id ?? "";
        const by = { reviewId: null, by: "U0OWNER" };
        const [older] = await r.mechanisms.recordGuardrailReadings(
          [{ guardrailId, value: 0.5, breached: true }],
          { ...by, at: minutes(-60) },
        );
        await r.mechanisms.recordGuardrailReadings([{ guardrailId, value: 0.3, breached: true }], {
          ...by,
          at: minutes(-30),
        });
        await r.mechanisms.recordGuardrailReadings([{ guardrailId, value: 0.05, breached: false }], {
          ...by,
          at: minutes(-10),
        });
        // Deciding an older breach leaves the newest one undecided.
        const decided = { decision: "stop" as const, reason: "", by: "U0OWNER", at: minutes(-5) };
        await r.mechanisms.decideGuardrailBreach(older?.id ?? "", decided);
        const snap = async () =>
          (await r.alarms.snapshotData(teamId, { reviewsSince: week(0), fromCycle: 0 })).mechanisms.find(
            (m) => m.id === a.id,
          )?.guardrailBreach;
        expect(await snap()).toEqual({
          guardrail: "Error rate",
          reading: "0.3% vs ≤ 0.1%",
          at: minutes(-30),
          stopOwnerId: "U0STOPPER",
          decided: false,
        });
      });

      it("reads each mechanism's current guardrails with their own stop owners, in order", async () => {
        const line = { comparison: "<=" as const, threshold: 0.1, unit: "%" };
        const a = await mechanism({
          title: "A",
          guardrails: [
            { name: "Error rate", ...line, stopOwnerId: "U0SRE" },
            { name: "Outreach cap", ...line, stopOwnerId: null },
          ],
        });
        const data = await r.alarms.snapshotData(teamId, { reviewsSince: week(0), fromCycle: 0 });
        expect(data.mechanisms.find((m) => m.id === a.id)?.guardrails).toEqual([
          { name: "Error rate", stopOwnerId: "U0SRE" },
          { name: "Outreach cap", stopOwnerId: null },
        ]);
      });

      it("reads only each signal's newest readings, however long its history", async () => {
        const a = await mechanism({ title: "A", createdAt: minutes(-900) });
        const signalIds = Object.fromEntries(a.signals.map((s) => [s.kind, s.id]));
        const total = SNAPSHOT_READINGS + 3;
        for (let i = 0; i < total; i++) {
          await r.reviews.recordDecision(
            {
              mechanismId: a.id,
              reviewId: null,
              entry: `Week ${i}`,
              whatChanged: "",
              whatDidnt: "",
              why: "",
              changeDetail: "",
              gateReason: "",
              decidedBy: "U0OWNER",
              checkpoint: "pass",
              source: "review",
              decision: "continue",
              readings: { outcome: i },
              at: minutes(1_000 + i * 60),
            },
            signalIds,
          );
        }
        const data = await r.alarms.snapshotData(teamId, { reviewsSince: week(1), fromCycle: 0 });
        const outcome = data.mechanisms[0]?.signals.find((x) => x.kind === "outcome");
        expect(outcome?.readings.map((x) => x.value)).toEqual(
          Array.from({ length: SNAPSHOT_READINGS }, (_, k) => total - SNAPSHOT_READINGS + k),
        );
        expect(data.mechanisms[0]?.decisions).toEqual(
          Array.from({ length: SNAPSHOT_DECISIONS }, (_, k) => ({
            decision: "continue",
            at: minutes(1_000 + (total - SNAPSHOT_DECISIONS + k) * 60),
            checkpoint: "pass",
          })),
        );
      });

      it("reads deviations from fromCycle on plus the team's first one ever, once", async () => {
        const dev = (cycleIndex: number, createdAt: Date, team = teamId) =>
          r.deviations.create({
            area: "Area",
            deviation: "Deviation",
            hypothesis: "because",
            benefit: "",
            risk: "",
            cycleIndex,
            sensitive: false,
            approverId: null,
            teamId: team,
            ownerId: "U0OWNER",
            createdAt,
          });
        // The first one ever is filed under cycle 2 but logged before the cycle-1 one.
        const first = await dev(2, minutes(1));
        const c1 = await dev(1, minutes(2));
        const c4 = await dev(4, minutes(3));
        const c5 = await dev(5, minutes(4));
        await dev(6, minutes(0), otherTeamId);
        const pick = (d: { id: string; cycleIndex: number; createdAt: Date }) => ({
          id: d.id,
          cycleIndex: d.cycleIndex,
          createdAt: d.createdAt,
        });
        const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

        const recent = await r.alarms.snapshotData(teamId, { reviewsSince: RAISED, fromCycle: 4 });
        expect(recent.deviations[0]).toEqual(pick(first));
        expect([...recent.deviations.slice(1)].sort(byId)).toEqual([pick(c4), pick(c5)].sort(byId));

        const all = await r.alarms.snapshotData(teamId, { reviewsSince: RAISED, fromCycle: 1 });
        expect([...all.deviations].sort(byId)).toEqual([first, c1, c4, c5].map(pick).sort(byId));
        expect(recent.mechanisms).toEqual([]);
      });

      it("reads nothing for a team without mechanisms or deviations", async () => {
        await mechanism({ team: otherTeamId });
        expect(await r.alarms.snapshotData(teamId, { reviewsSince: RAISED, fromCycle: 0 })).toEqual({
          mechanisms: [],
          deviations: [],
        });
      });
    });

    describe("times come from the caller, never from the database", () => {
      it("stores raisedAt and resolvedAt exactly as given, to the millisecond", async () => {
        const a = await raise("no_kills", { at: RAISED });
        await resolve(a, RESOLVED);
        const found = await r.alarms.findById(a.id);
        expect(found?.raisedAt.toISOString()).toBe("2031-07-15T03:04:05.678Z");
        expect(found?.resolvedAt?.toISOString()).toBe("2031-07-29T11:12:13.987Z");
        const [relevant] = await r.alarms.listRelevant(teamId, 5);
        expect(relevant?.raisedAt.toISOString()).toBe("2031-07-15T03:04:05.678Z");
        expect(relevant?.resolvedAt?.toISOString()).toBe("2031-07-29T11:12:13.987Z");
      });
    });
  });
}
