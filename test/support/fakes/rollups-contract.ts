import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlarmKind } from "../../../src/alarms/types.js";
import type { Db } from "../../../src/db/client.js";
import type { NewIncident } from "../../../src/incidents/incident.js";
import type {
  DecisionKind,
  Mechanism,
  MechanismInput,
  SignalKind,
} from "../../../src/mechanisms/mechanism.js";
import type { RollupData, RollupTeam } from "../../../src/rollups/rollup.js";
import type { Team } from "../../../src/teams/team.js";
import { claimOne } from "../claim-one.js";
import type { OpenRepositories, Repositories, RepositoryImplementation } from "../repositories.js";
import { teamFixture } from "../team-fixture.js";
import { InMemoryStore } from "./store.js";

/**
 * The stored Workspace row's createdAt. No repository method returns it, so the contract reads the
 * row itself: the fake's table, or the database through the Prisma repository's own client.
 */
async function storedWorkspaceCreatedAt(repos: Repositories, slackTeamId: string): Promise<Date | null> {
  if ("store" in repos && repos.store instanceof InMemoryStore) {
    return repos.store.workspaces.get(slackTeamId)?.createdAt ?? null;
  }
  const { db } = repos.rollups as unknown as { db?: Db };
  if (!db) throw new Error("cannot read the stored Workspace row of this implementation");
  return (await db.workspace.findUnique({ where: { slackTeamId } }))?.createdAt ?? null;
}

/**
 * The RollupRepository contract, run against the in-memory fake (test/unit/fakes) and the Prisma
 * repository on SQLite and PostgreSQL (test/db). Where a database leaves an order open (a full
 * tie, or no orderBy at all), the cases compare sets. Everything is seeded through the public
 * repository methods, so the same cases run on both.
 */
export function describeRollupsContract(impl: RepositoryImplementation): void {
  const DAY = 86_400_000;
  // Instants far from the wall clock, with milliseconds: stored exactly, or another clock was used.
  const CREATED = new Date("2031-07-01T03:04:05.678Z");
  // The week [W_FROM, W_TO). W_TO is 2031-07-21 in UTC but already 2031-07-22 in London (BST).
  const W_FROM = new Date("2031-07-14T23:04:05.678Z");
  const W_TO = new Date(W_FROM.getTime() + 7 * DAY);
  const at = (days: number) => new Date(W_FROM.getTime() + days * DAY);

  const teamData = (o: Partial<Team> = {}): Omit<Team, "id"> => {
    const { id: _id, ...team } = teamFixture({
      slackTeamId: "T0WORK",
      channelId: "C0TEAM",
      createdAt: CREATED,
      ...o,
    });
    return team;
  };

  const OUTCOME = { kind: "outcome" as const, name: "Activation", baseline: 27, target: 35, unit: "%" };
  const PROXY = { kind: "proxy" as const, name: "Action X", baseline: 40, target: 80, unit: "%" };
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
    stopOwnerId: null,
    rollbackPath: "Flag off",
    ownerId: "U0OWNER",
    cadenceWeeks: 1,
    signals: [OUTCOME, PROXY],
    ...o,
  });

  describe(`RollupRepository contract: ${impl.name}`, () => {
    let open: OpenRepositories;
    let r: Repositories;
    let teamId: string;
    let otherTeamId: string;
    beforeEach(async () => {
      open = await impl.open();
      r = open.repos;
      teamId = (await r.teams.save(teamData())).id;
      otherTeamId = (
        await r.teams.save(teamData({ channelId: "C0OTHER", name: "Other squad", createdAt: at(-3) }))
      ).id;
    });
    afterEach(async () => open?.close());

    const rollupTeam = async (id = teamId): Promise<RollupTeam> => {
      const team = await r.rollups.findTeam(id);
      if (!team) throw new Error(`no team ${id}`);
      return team;
    };
    const load = async (window = { from: W_FROM, to: W_TO }): Promise<RollupData> =>
      r.rollups.load(await rollupTeam(), window);

    const mechanism = (
      o: Partial<MechanismInput> & { createdAt?: Date; nextReviewAt?: Date | null; team?: string } = {},
    ) =>
      r.mechanisms.create({
        ...mechanismData(o),
        teamId: o.team ?? teamId,
        createdBy: "U0LEAD",
        createdAt: o.createdAt ?? at(-100),
        nextReviewAt: o.nextReviewAt ?? null,
      });

    /** Records a decision (with readings) on a mechanism, not tied to a review unless given. */
    const record = (
      m: Mechanism,
      o: {
        at: Date;
        decision?: DecisionKind;
        readings?: Partial<Record<SignalKind, number>>;
        entry?: string;
        changeDetail?: string;
        reviewId?: string;
      },
    ) =>
      r.reviews.recordDecision(
        {
          mechanismId: m.id,
          reviewId: o.reviewId ?? null,
          decision: o.decision ?? "continue",
          entry: o.entry ?? "Keep going",
          whatChanged: "",
          whatDidnt: "",
          why: "",
          changeDetail: o.changeDetail ?? "",
          gateReason: "",
          readings: o.readings ?? {},
          decidedBy: "U0OWNER",
          checkpoint: "unknown",
          source: "command",
          at: o.at,
        },
        Object.fromEntries(m.signals.map((s) => [s.kind, s.id])),
      );

    describe("teams", () => {
      it("lists every workspace's teams by name, with the fields a rollup needs", async () => {
        const elsewhere = await r.teams.save(
          teamData({
            slackTeamId: "T0ELSE",
            channelId: "C0ALPHA",
            name: "Alpha",
            timezone: "Pacific/Auckland",
            rollupWeekday: 5,
            rollupTime: "16:30",
            createdAt: at(-2),
          }),
        );
        expect(await r.rollups.listTeams()).toEqual([
          {
            id: elsewhere.id,
            slackTeamId: "T0ELSE",
            name: "Alpha",
            channelId: "C0ALPHA",
            timezone: "Pacific/Auckland",
            rollupWeekday: 5,
            rollupTime: "16:30",
            createdAt: at(-2),
          },
          {
            id: teamId,
            slackTeamId: "T0WORK",
            name: "Checkout squad",
            channelId: "C0TEAM",
            timezone: "Europe/London",
            rollupWeekday: 1,
            rollupTime: "09:00",
            createdAt: CREATED,
          },
          {
            id: otherTeamId,
            slackTeamId: "T0WORK",
            name: "Other squad",
            channelId: "C0OTHER",
            timezone: "Europe/London",
            rollupWeekday: 1,
            rollupTime: "09:00",
            createdAt: at(-3),
          },
        ]);
      });

      it("lists every team of the same name (their order is not promised)", async () => {
        const twin = await r.teams.save(teamData({ slackTeamId: "T0ELSE", channelId: "C0TWIN" }));
        const names = (await r.rollups.listTeams()).map((t) => `${t.name}/${t.id}`);
        expect(names.slice(0, 2).sort()).toEqual(
          [`Checkout squad/${teamId}`, `Checkout squad/${twin.id}`].sort(),
        );
        expect(names[2]).toBe(`Other squad/${otherTeamId}`);
      });

      it("finds one team's rollup fields by id, and nothing for an unknown id", async () => {
        expect(await r.rollups.findTeam(otherTeamId)).toEqual({
          id: otherTeamId,
          slackTeamId: "T0WORK",
          name: "Other squad",
          channelId: "C0OTHER",
          timezone: "Europe/London",
          rollupWeekday: 1,
          rollupTime: "09:00",
          createdAt: at(-3),
        });
        expect(await r.rollups.findTeam("no-such-team")).toBeNull();
      });
    });

    describe("workspace channel", () => {
      it("has no channel for a workspace never configured", async () => {
        expect(await r.rollups.workspaceChannel("T0WORK")).toBeNull();
        expect(await r.rollups.workspacesWithChannel()).toEqual([]);
      });

      it("sets a workspace's channel, changes it, and turns it off with null", async () => {
        await r.rollups.setWorkspaceChannel("T0WORK", "C0ROLLUP", at(0));
        expect(await r.rollups.workspaceChannel("T0WORK")).toBe("C0ROLLUP");
        await r.rollups.setWorkspaceChannel("T0WORK", "C0NEW", at(1));
        expect(await r.rollups.workspaceChannel("T0WORK")).toBe("C0NEW");
        expect(await r.rollups.workspacesWithChannel()).toEqual([
          { slackTeamId: "T0WORK", channelId: "C0NEW" },
        ]);
        await r.rollups.setWorkspaceChannel("T0WORK", null, at(2));
        expect(await r.rollups.workspaceChannel("T0WORK")).toBeNull();
        expect(await r.rollups.workspacesWithChannel()).toEqual([]);
      });

      it("lists each workspace that has a channel, and only those (their order is not promised)", async () => {
        await r.rollups.setWorkspaceChannel("T0B", "C0B", at(0));
        await r.rollups.setWorkspaceChannel("T0OFF", null, at(0));
        await r.rollups.setWorkspaceChannel("T0A", "C0A", at(1));
        const listed = await r.rollups.workspacesWithChannel();
        expect([...listed].sort((x, y) => x.slackTeamId.localeCompare(y.slackTeamId))).toEqual([
          { slackTeamId: "T0A", channelId: "C0A" },
          { slackTeamId: "T0B", channelId: "C0B" },
        ]);
        expect(await r.rollups.workspaceChannel("T0OFF")).toBeNull();
      });
    });

    describe("load", () => {
      it("reads active mechanisms and those stopped inside the window, oldest first", async () => {
        const b = await mechanism({ title: "B", createdAt: at(-50) });
        const a = await mechanism({ title: "A", createdAt: at(-90) });
        const c = await mechanism({ title: "C", createdAt: at(-95) });
        const d = await mechanism({ title: "D", createdAt: at(-80) });
        const e = await mechanism({ title: "E", createdAt: at(-70), signals: [PROXY] });
        await mechanism({ title: "Not ours", team: otherTeamId });
        await record(a, { decision: "stop", at: W_FROM }); // stopped as the window opens: in
        await record(c, { decision: "stop", at: at(-1) }); // before the window: out
        await record(d, { decision: "stop", at: W_TO }); // as the window closes: out (half-open)
        const noReading = {
          name: "Activation",
          unit: "%",
          baseline: 27,
          target: 35,
          latest: null,
          previous: null,
        };
        expect((await load()).mechanisms).toEqual([
          { id: a.id, title: "A", status: "stopped", stoppedAt: W_FROM, outcome: noReading },
          { id: e.id, title: "E", status: "active", stoppedAt: null, outcome: null },
          { id: b.id, title: "B", status: "active", stoppedAt: null, outcome: noReading },
        ]);
      });

      it("gives each outcome its newest reading inside the window and the reading just before it", async () => {
        const m1 = await mechanism({ title: "M1", createdAt: at(-40) });
        const m2 = await mechanism({ title: "M2", createdAt: at(-30) });
        const m3 = await mechanism({ title: "M3", createdAt: at(-20) });
        const m4 = await mechanism({ title: "M4", createdAt: at(-10) });
        // Recorded out of time order: readings are picked by recordedAt, not insertion.
        await record(m1, { at: at(3), readings: { outcome: 30, proxy: 70 } });
        await record(m1, { at: at(8), readings: { outcome: 98 } }); // after the window
        await record(m1, { at: at(-2), readings: { outcome: 20 } });
        await record(m1, { at: W_TO, readings: { outcome: 99 } }); // the window's end is outside it
        await record(m1, { at: at(1), readings: { outcome: 25, proxy: 90 } });
        await record(m2, { at: at(-2), readings: { outcome: 20 } }); // only a reading before the window
        await record(m3, { at: W_FROM, readings: { outcome: 21 } }); // the window's start is inside it
        await record(m4, { at: at(2), readings: { outcome: 12 } });
        await record(m4, { at: at(-3), readings: { outcome: 10 } }); // "previous" may be any time before
        const base = { name: "Activation", unit: "%", baseline: 27, target: 35 };
        expect((await load()).mechanisms.map((m) => [m.title, m.outcome])).toEqual([
          [
            "M1",
            { ...base, latest: { value: 30, recordedAt: at(3) }, previous: { value: 25, recordedAt: at(1) } },
          ],
          ["M2", { ...base, latest: null, previous: null }],
          ["M3", { ...base, latest: { value: 21, recordedAt: W_FROM }, previous: null }],
          [
            "M4",
            {
              ...base,
              latest: { value: 12, recordedAt: at(2) },
              previous: { value: 10, recordedAt: at(-3) },
            },
          ],
        ]);
      });

      it("gives two readings recorded at one instant as latest and previous, never one of them twice (which is which is not promised)", async () => {
        const m = await mechanism({ title: "Tied" });
        await record(m, { at: at(2), readings: { outcome: 30 } });
        await record(m, { at: at(2), readings: { outcome: 31 } });
        const outcome = (await load()).mechanisms[0]?.outcome;
        expect([outcome?.latest?.value, outcome?.previous?.value].sort()).toEqual([30, 31]);
        expect([outcome?.latest?.recordedAt, outcome?.previous?.recordedAt]).toEqual([at(2), at(2)]);
      });

      it("reads the outcomes of a team's mechanisms only, each from its own signal", async () => {
        const ours = await mechanism({ title: "Ours" });
        const theirs = await mechanism({ title: "Theirs", team: otherTeamId });
        await record(theirs, { at: at(3), readings: { outcome: 99, proxy: 98 } });
        await record(ours, { at: at(1), readings: { outcome: 28, proxy: 97 } });
        await record(theirs, { at: at(4), readings: { outcome: 96 } });
        expect(
          (await load()).mechanisms.map((m) => [m.title, m.outcome?.latest, m.outcome?.previous]),
        ).toEqual([["Ours", { value: 28, recordedAt: at(1) }, null]]);
      });

      it("reads the decisions taken inside the window, oldest first, with their mechanism's title", async () => {
        const a = await mechanism({ title: "A" });
        const b = await mechanism({ title: "B" });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId });
        await record(b, { decision: "stop", entry: "b4", at: at(4) });
        await record(a, { entry: "a-1", at: at(-1) });
        await record(a, { entry: "a7", at: W_TO });
        await record(b, { decision: "change", entry: "b1", changeDetail: "Smaller nudge", at: at(1) });
        await record(foreign, { entry: "o3", at: at(3) });
        await record(a, { entry: "a0", at: W_FROM });
        expect((await load()).decisions).toEqual([
          {
            mechanismId: a.id,
            mechanismTitle: "A",
            decision: "continue",
            entry: "a0",
            changeDetail: "",
            decidedAt: W_FROM,
          },
          {
            mechanismId: b.id,
            mechanismTitle: "B",
            decision: "change",
            entry: "b1",
            changeDetail: "Smaller nudge",
            decidedAt: at(1),
          },
          {
            mechanismId: b.id,
            mechanismTitle: "B",
            decision: "stop",
            entry: "b4",
            changeDetail: "",
            decidedAt: at(4),
          },
        ]);
      });

      it("reads the deviations promoted or retired inside the window, earliest decided first", async () => {
        const dev = (area: string, team = teamId) =>
          r.deviations.create({
            area,
            deviation: `${area} deviation`,
            hypothesis: "because",
            benefit: "",
            risk: "",
            cycleIndex: 2,
            sensitive: false,
            approverId: null,
            teamId: team,
            ownerId: "U0OWNER",
            createdAt: at(-20),
          });
        const decide = async (area: string, verdict: "promote" | "retire", when: Date, team = teamId) => {
          const d = await dev(area, team);
          await r.deviations.decide(d.id, { verdict, outcome: `${area} outcome`, at: when });
        };
        await decide("promoted", "promote", at(2));
        await decide("retired", "retire", W_FROM);
        await dev("still open");
        await decide("at the end", "retire", W_TO);
        await decide("before", "promote", at(-1));
        await decide("not ours", "promote", at(3), otherTeamId);
        expect((await load()).deviations).toEqual([
          {
            area: "retired",
            deviation: "retired deviation",
            outcome: "retired outcome",
            verdict: "retire",
            decidedAt: W_FROM,
          },
          {
            area: "promoted",
            deviation: "promoted deviation",
            outcome: "promoted outcome",
            verdict: "promote",
            decidedAt: at(2),
          },
        ]);
      });

      it("reads each open condition once (kind and subject): open or acknowledged, by its subject's title, oldest first", async () => {
        const m = await mechanism({ title: "Weekly nudge" });
        const raise = async (
          kind: AlarmKind,
          cycle: number,
          raisedAt: Date,
          o: { team?: string; subject?: string } = {},
        ) => {
          const subjectKey = o.subject ?? "team";
          const a = await r.alarms.claim(
            o.team ?? teamId,
            cycle,
            {
              kind,
              subjectKey,
              subjectLabel: "(ignored)",
              evidence: `${kind} evidence ${cycle}`,
              suggestion: "",
            },
            raisedAt,
          );
          if (!a) throw new Error(`claim of ${kind} returned null`);
          return a;
        };
        await raise("no_kills", 1, at(-30));
        await raise("no_deviations", 3, at(-40));
        // Still holding next cycle: raised again while the old row stays open — one condition, 3 cycles.
        await raise("stale_pilot", 2, at(-90), { subject: m.id });
        await raise("stale_pilot", 4, at(-10), { subject: m.id });
        await raise("stale_pilot", 3, at(-20), { subject: m.id });
        const acknowledged = await raise("no_checkpoint", 3, at(-50), { subject: m.id });
        await r.alarms.transition(acknowledged.id, ["open"], { status: "acknowledged" });
        const snoozed = await raise("stale_pilot", 3, at(-60));
        await r.alarms.transition(snoozed.id, ["open"], { status: "snoozed", snoozeUntil: 9 });
        const resolved = await raise("owner_unclear", 3, at(-70));
        await r.alarms.transition(resolved.id, ["open"], { status: "resolved", resolvedAt: at(1) });
        // A mechanism deleted since: its open alarm still shows, without a title to show.
        await raise("no_because", 3, at(-5), { subject: "gone" });
        await raise("no_kills", 1, at(-80), { team: otherTeamId });
        expect((await load()).openAlarms).toEqual([
          {
            kind: "stale_pilot",
            subjectKey: m.id,
            subjectLabel: "Weekly nudge",
            evidence: "stale_pilot evidence 4",
            raisedAt: at(-90),
            cycles: 3,
          },
          {
            kind: "no_checkpoint",
            subjectKey: m.id,
            subjectLabel: "Weekly nudge",
            evidence: "no_checkpoint evidence 3",
            raisedAt: at(-50),
            cycles: 1,
          },
          {
            kind: "no_deviations",
            subjectKey: "team",
            subjectLabel: "Team",
            evidence: "no_deviations evidence 3",
            raisedAt: at(-40),
            cycles: 1,
          },
          {
            kind: "no_kills",
            subjectKey: "team",
            subjectLabel: "Team",
            evidence: "no_kills evidence 1",
            raisedAt: at(-30),
            cycles: 1,
          },
          {
            kind: "no_because",
            subjectKey: "gone",
            subjectLabel: "a removed mechanism",
            evidence: "no_because evidence 3",
            raisedAt: at(-5),
            cycles: 1,
          },
        ]);
      });

      it("counts a condition carried from cycle to cycle in one row as its message does", async () => {
        const a = await r.alarms.claim(
          teamId,
          2,
          { kind: "no_kills", subjectKey: "team", subjectLabel: "", evidence: "first", suggestion: "" },
          at(-50),
        );
        if (!a) throw new Error("not claimed");
        await r.alarms.carryOver(a.id, { cycle: 5, evidence: "latest" });
        expect((await load()).openAlarms).toEqual([
          {
            kind: "no_kills",
            subjectKey: "team",
            subjectLabel: "Team",
            evidence: "latest",
            raisedAt: at(-50),
            cycles: 4,
          },
        ]);
      });

      it("titles an alarm's mechanism stopped before the window (not among the mechanisms it reads)", async () => {
        const old = await mechanism({ title: "Stopped long ago" });
        await record(old, { at: at(-10), decision: "stop" });
        await r.alarms.claim(
          teamId,
          1,
          { kind: "owner_unclear", subjectKey: old.id, subjectLabel: "", evidence: "e", suggestion: "" },
          at(-5),
        );
        const data = await load();
        expect(data.mechanisms.map((x) => x.title)).not.toContain("Stopped long ago");
        expect(data.openAlarms.map((a) => a.subjectLabel)).toEqual(["Stopped long ago"]);
      });

      it("reads the reviews due inside the window that were missed or went unanswered, earliest due first", async () => {
        const m = await mechanism({ title: "Weekly", nextReviewAt: at(1) });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId, nextReviewAt: at(1) });
        const claim = (mechanismId: string, dueAt: Date, next: Date, missed: Date[] = []) =>
          claimOne(r.reviews, {
            mechanismId,
            dueAt,
            late: false,
            missed,
            expectedNextReviewAt: dueAt,
            nextReviewAt: next,
            at: dueAt,
          });
        // at(-1) and at(0.5) were missed; at(1) is reminded and then goes unanswered.
        const first = await claim(m.id, at(1), at(2), [at(-1), at(0.5)]);
        await r.reviews.markPosted(first?.id ?? "", "C0TEAM", "1700000000.000100");
        // at(2) is answered (done).
        const second = await claim(m.id, at(2), at(3));
        await record(m, { at: at(2.1), reviewId: second?.id ?? "" });
        // at(3) is claimed but never posted: missed once at(7) is claimed; at(7) then misses at the window's end.
        await claim(m.id, at(3), W_TO);
        await claim(m.id, W_TO, at(8));
        await claim(m.id, at(8), at(9));
        await claim(foreign.id, at(1), at(2), [at(0.5)]);
        expect((await load()).missedReviews).toEqual([
          { mechanismTitle: "Weekly", dueAt: at(0.5), status: "missed" },
          { mechanismTitle: "Weekly", dueAt: at(1), status: "unanswered" },
          { mechanismTitle: "Weekly", dueAt: at(3), status: "missed" },
        ]);
      });

      it("reads the open action items of the team's incidents, earliest due first, overdue when due before the window's last local day", async () => {
        const incident = async (title: string, team = teamId): Promise<string> =>
          (
            await r.incidents.create(
              {
                title,
                severity: "sev2",
                impact: "Checkout failed for some users",
                description: "",
                startedAt: at(-10),
                detectedAt: at(-10),
                mitigatedAt: null,
                resolvedAt: null,
                howNoticed: "",
                howMitigated: "",
                tags: [],
                teamId: team,
                reporterId: "U0REPORTER",
                reporterTz: "Europe/London",
                sourceLink: null,
              } satisfies NewIncident,
              "T0WORK",
              at(-9),
            )
          ).id;
        const finding = (incidentId: string, text: string, dueDate: string | null) =>
          r.incidents.addFinding(
            incidentId,
            {
              findingId: null,
              text,
              action: dueDate
                ? { ownerId: `U0${text.length}`, dueDate, kind: "prevent", ticketUrl: null }
                : null,
              notedReason: null,
            },
            at(-8),
          );
        const outage = await incident("Checkout outage");
        const second = await incident("Second incident");
        const foreign = await incident("Not ours", otherTeamId);
        await finding(outage, "Alert on 5xx", "2031-07-25");
        await finding(outage, "Runbook", "2031-07-21"); // before London's 2031-07-22: overdue
        await finding(outage, "Canary", "2031-07-22"); // the window's last local day: not overdue
        await finding(outage, "Closed", "2031-07-01");
        await finding(outage, "No action", null);
        await finding(second, "Second's item", "2031-07-23");
        await finding(foreign, "Foreign item", "2031-07-01");
        const closed = (await r.incidents.findById(outage))?.findings.find((f) => f.text === "Closed");
        await r.actionItems.close(closed?.actionItem?.id ?? "", {
          status: "done",
          reason: "Shipped",
          by: "U0OWNER",
          at: at(-1),
        });
        expect((await load()).openActionItems).toEqual([
          {
            text: "Runbook",
            incidentTitle: "Checkout outage",
            ownerId: "U07",
            dueDate: "2031-07-21",
            overdue: true,
          },
          {
            text: "Canary",
            incidentTitle: "Checkout outage",
            ownerId: "U06",
            dueDate: "2031-07-22",
            overdue: false,
          },
          {
            text: "Second's item",
            incidentTitle: "Second incident",
            ownerId: "U013",
            dueDate: "2031-07-23",
            overdue: false,
          },
          {
            text: "Alert on 5xx",
            incidentTitle: "Checkout outage",
            ownerId: "U012",
            dueDate: "2031-07-25",
            overdue: false,
          },
        ]);
      });

      it("reads every tie all (decisions, alarms and action items at one instant or date; their order is not promised)", async () => {
        const m = await mechanism({ title: "A" });
        for (const entry of ["x", "y", "z"]) await record(m, { entry, at: at(1) });
        for (const kind of ["no_kills", "no_deviations", "no_checkpoint"] as const)
          await r.alarms.claim(
            teamId,
            1,
            { kind, subjectKey: "team", subjectLabel: "", evidence: kind, suggestion: "" },
            at(-1),
          );
        const inc = await r.incidents.create(
          {
            title: "Outage",
            severity: "sev3",
            impact: "Some",
            description: "",
            startedAt: at(-3),
            detectedAt: at(-3),
            mitigatedAt: null,
            resolvedAt: null,
            howNoticed: "",
            howMitigated: "",
            tags: [],
            teamId,
            reporterId: "U0REPORTER",
            reporterTz: "UTC",
            sourceLink: null,
          },
          "T0WORK",
          at(-2),
        );
        for (const text of ["p", "q", "s"])
          await r.incidents.addFinding(
            inc.id,
            {
              findingId: null,
              text,
              action: { ownerId: "U0", dueDate: "2031-07-30", kind: "detect", ticketUrl: null },
              notedReason: null,
            },
            at(-2),
          );
        const data = await load();
        expect(data.decisions.map((d) => d.entry).sort()).toEqual(["x", "y", "z"]);
        expect(data.openAlarms.map((a) => a.kind).sort()).toEqual([
          "no_checkpoint",
          "no_deviations",
          "no_kills",
        ]);
        expect(data.openActionItems.map((a) => a.text).sort()).toEqual(["p", "q", "s"]);
      });

      it("reads nothing for a team with nothing to say, and leaves loop metrics to the service", async () => {
        await mechanism({ title: "Not ours", team: otherTeamId });
        const team = await rollupTeam();
        const window = { from: W_FROM, to: W_TO };
        expect(await r.rollups.load(team, window)).toEqual({
          team,
          window,
          mechanisms: [],
          decisions: [],
          deviations: [],
          openAlarms: [],
          missedReviews: [],
          openActionItems: [],
          loopMetrics: null,
          overdueCoes: [],
        });
      });
    });

    describe("chartSeries", () => {
      it("reads outcome readings in [from, to] of mechanisms active now or stopped since stoppedSince, oldest mechanism first", async () => {
        await mechanism({ title: "B", createdAt: at(-50) });
        const a = await mechanism({ title: "A", createdAt: at(-60) });
        const stoppedSince = await mechanism({ title: "Stopped in time", createdAt: at(-40) });
        const stoppedBefore = await mechanism({ title: "Stopped before", createdAt: at(-70) });
        await mechanism({ title: "No outcome", createdAt: at(-80), signals: [PROXY] });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId });
        await record(a, { at: at(7), readings: { outcome: 31 } }); // `to` is inside
        await record(a, { at: at(0), readings: { outcome: 29, proxy: 50 } }); // `from` is inside
        await record(a, { at: at(-1), readings: { outcome: 28 } }); // before: out
        await record(a, { at: at(8), readings: { outcome: 32 } }); // after: out
        await record(a, { at: at(3), readings: { outcome: 30 } });
        await record(foreign, { at: at(3), readings: { outcome: 1 } });
        await record(stoppedSince, { at: at(2), readings: { outcome: 5 } });
        await record(stoppedSince, { decision: "stop", at: at(4) });
        await record(stoppedBefore, { at: at(2), readings: { outcome: 6 } });
        await record(stoppedBefore, { decision: "stop", at: at(3.9) });
        const series = await r.rollups.chartSeries(teamId, { from: at(0), to: at(7), stoppedSince: at(4) });
        const line = { signal: "Activation", unit: "%", baseline: 27, target: 35 };
        expect(series).toEqual([
          {
            ...line,
            mechanism: "A",
            points: [
              { at: at(0), value: 29 },
              { at: at(3), value: 30 },
              { at: at(7), value: 31 },
            ],
          },
          { ...line, mechanism: "B", points: [] },
          { ...line, mechanism: "Stopped in time", points: [{ at: at(2), value: 5 }] },
        ]);
      });

      it("reads nothing for a team without mechanisms", async () => {
        await mechanism({ title: "Not ours", team: otherTeamId });
        expect(await r.rollups.chartSeries(teamId, { from: at(0), to: at(7), stoppedSince: at(0) })).toEqual(
          [],
        );
      });
    });

    describe("the chart before its points (hasChartData, chartLines, chartPoints)", () => {
      const range = { from: at(0), to: at(7), stoppedSince: at(4) };

      it("has chart data exactly when chartSeries reads a reading: [from, to] of the mechanisms it shows", async () => {
        const has = () => r.rollups.hasChartData(teamId, range);
        expect(await has()).toBe(false); // no mechanisms
        const a = await mechanism({ title: "A" });
        const proxyOnly = await mechanism({ title: "Proxy only", signals: [PROXY] });
        const stoppedBefore = await mechanism({ title: "Stopped before" });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId });
        await record(a, { at: at(-1), readings: { outcome: 28 } }); // before `from`
        await record(a, { at: at(7.5), readings: { outcome: 28 } }); // after `to`
        await record(proxyOnly, { at: at(2), readings: { proxy: 50 } }); // not an outcome
        await record(stoppedBefore, { at: at(2), readings: { outcome: 6 } });
        await record(stoppedBefore, { decision: "stop", at: at(3.9) }); // stopped before stoppedSince
        await record(foreign, { at: at(2), readings: { outcome: 1 } }); // another team's
        expect(await has()).toBe(false);
        expect((await r.rollups.chartSeries(teamId, range)).some((x) => x.points.length > 0)).toBe(false);
        await record(a, { at: at(7), readings: { outcome: 31 } }); // `to` is inside
        expect(await has()).toBe(true);
      });

      it("has chart data from `from` on, and from a mechanism stopped at stoppedSince", async () => {
        const a = await mechanism({ title: "A" });
        await record(a, { at: at(0), readings: { outcome: 29 } });
        await record(a, { decision: "stop", at: at(4) });
        expect(await r.rollups.hasChartData(teamId, range)).toBe(true);
        expect(await r.rollups.hasChartData(otherTeamId, range)).toBe(false);
      });

      it("lists chartSeries' lines, in its order, each with its two newest readings in [from, to)", async () => {
        await mechanism({ title: "B", createdAt: at(-50) });
        const a = await mechanism({ title: "A", createdAt: at(-60) });
        const stoppedSince = await mechanism({ title: "Stopped in time", createdAt: at(-40) });
        const stoppedBefore = await mechanism({ title: "Stopped before", createdAt: at(-70) });
        await mechanism({ title: "No outcome", createdAt: at(-80), signals: [PROXY] });
        const foreign = await mechanism({ title: "Not ours", team: otherTeamId });
        // Recorded out of time order: readings are picked by recordedAt, not insertion.
        await record(a, { at: at(3), readings: { outcome: 30 } });
        await record(a, { at: at(7), readings: { outcome: 31 } }); // `to` is outside: half-open
        await record(a, { at: at(0), readings: { outcome: 29, proxy: 50 } });
        await record(a, { at: at(-1), readings: { outcome: 28 } }); // before `from`: out
        await record(a, { at: at(1), readings: { outcome: 33 } });
        await record(foreign, { at: at(3), readings: { outcome: 1 } });
        await record(stoppedSince, { at: at(-2), readings: { outcome: 4 } }); // before `from`: out
        await record(stoppedSince, { at: at(2), readings: { outcome: 5 } });
        await record(stoppedSince, { decision: "stop", at: at(4) });
        await record(stoppedBefore, { at: at(2), readings: { outcome: 6 } });
        await record(stoppedBefore, { decision: "stop", at: at(3.9) });
        const lines = await r.rollups.chartLines(teamId, range);
        const line = { signal: "Activation", unit: "%", baseline: 27, target: 35 };
        const outcomeId = (m: Mechanism) => m.signals.find((x) => x.kind === "outcome")?.id;
        expect(lines).toEqual([
          {
            ...line,
            signalId: outcomeId(a),
            mechanism: "A",
            latest: { at: at(3), value: 30 },
            previous: { at: at(1), value: 33 },
          },
          { ...line, signalId: expect.any(String), mechanism: "B", latest: null, previous: null },
          {
            ...line,
            signalId: outcomeId(stoppedSince),
            mechanism: "Stopped in time",
            latest: { at: at(2), value: 5 },
            previous: null,
          },
        ]);
        // The same lines as chartSeries, in the same order.
        const series = await r.rollups.chartSeries(teamId, range);
        expect(lines.map((l) => l.mechanism)).toEqual(series.map((x) => x.mechanism));
        expect(await r.rollups.chartLines(otherTeamId, range)).toEqual([
          {
            ...line,
            signalId: outcomeId(foreign),
            mechanism: "Not ours",
            latest: { at: at(3), value: 1 },
            previous: null,
          },
        ]);
      });

      it("reads the points of the given signals only, in [from, to], as chartSeries does", async () => {
        const a = await mechanism({ title: "A", createdAt: at(-60) });
        const b = await mechanism({ title: "B", createdAt: at(-50) });
        const c = await mechanism({ title: "C", createdAt: at(-40) });
        for (const [m, v] of [
          [a, 10],
          [b, 20],
          [c, 30],
        ] as const) {
          await record(m, { at: at(7), readings: { outcome: v + 3 } }); // `to` is inside
          await record(m, { at: at(0), readings: { outcome: v + 1, proxy: 50 } }); // `from` is inside
          await record(m, { at: at(-1), readings: { outcome: v } }); // before: out
          await record(m, { at: at(8), readings: { outcome: v + 9 } }); // after: out
          await record(m, { at: at(3), readings: { outcome: v + 2 } });
        }
        const outcomeId = (m: Mechanism) => m.signals.find((x) => x.kind === "outcome")?.id ?? "";
        const points = await r.rollups.chartPoints([outcomeId(c), outcomeId(a)], range);
        const series = await r.rollups.chartSeries(teamId, range);
        expect(points).toEqual(
          new Map([
            [outcomeId(c), series[2]?.points],
            [outcomeId(a), series[0]?.points],
          ]),
        );
        expect(points.get(outcomeId(a))).toEqual([
          { at: at(0), value: 11 },
          { at: at(3), value: 12 },
          { at: at(7), value: 13 },
        ]);
        expect(await r.rollups.chartPoints([], range)).toEqual(new Map());
      });

      it("takes the reading chartPoints puts last among those sharing an instant as a line's latest", async () => {
        const m = await mechanism({ title: "Tied" });
        await record(m, { at: at(2), readings: { outcome: 30 } });
        await record(m, { at: at(2), readings: { outcome: 31 } });
        await record(m, { at: at(2), readings: { outcome: 32 } });
        const [line] = await r.rollups.chartLines(teamId, range);
        const points = (await r.rollups.chartPoints([line?.signalId ?? ""], range)).get(line?.signalId ?? "");
        expect(points?.map((p) => p.at)).toEqual([at(2), at(2), at(2)]);
        expect([line?.previous, line?.latest]).toEqual(points?.slice(-2));
      });
    });

    describe("times come from the caller, never from the database", () => {
      it("creates the workspace at the caller's instant and keeps it when the channel changes", async () => {
        await r.rollups.setWorkspaceChannel("T0WORK", "C0ROLLUP", new Date("2031-07-15T03:04:05.678Z"));
        expect((await storedWorkspaceCreatedAt(r, "T0WORK"))?.toISOString()).toBe("2031-07-15T03:04:05.678Z");
        await r.rollups.setWorkspaceChannel("T0WORK", null, new Date("2031-09-01T01:02:03.456Z"));
        expect((await storedWorkspaceCreatedAt(r, "T0WORK"))?.toISOString()).toBe("2031-07-15T03:04:05.678Z");
      });

      it("reads back a team's createdAt and every stored instant to the millisecond", async () => {
        expect((await r.rollups.findTeam(teamId))?.createdAt?.toISOString()).toBe("2031-07-01T03:04:05.678Z");
        const m = await mechanism();
        await record(m, { at: new Date("2031-07-16T10:20:30.456Z"), readings: { outcome: 30 } });
        const data = await load();
        expect(data.decisions[0]?.decidedAt.toISOString()).toBe("2031-07-16T10:20:30.456Z");
        expect(data.mechanisms[0]?.outcome?.latest?.recordedAt.toISOString()).toBe(
          "2031-07-16T10:20:30.456Z",
        );
        const [series] = await r.rollups.chartSeries(teamId, {
          from: W_FROM,
          to: W_TO,
          stoppedSince: W_FROM,
        });
        expect(series?.points[0]?.at.toISOString()).toBe("2031-07-16T10:20:30.456Z");
      });
    });
  });
}
