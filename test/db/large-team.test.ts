import { afterAll, beforeAll, expect, it } from "vitest";
import { PrismaAlarmRepository } from "../../src/alarms/alarm-repository.js";
import { PrismaDeliveryRepository } from "../../src/db/delivery-repository.js";
import { PrismaJobRuns } from "../../src/db/job-runs.js";
import { PrismaMechanismRepository } from "../../src/mechanisms/mechanism-repository.js";
import { PrismaRollupRepository } from "../../src/rollups/rollup-repository.js";
import { PrismaTeamRepository } from "../../src/teams/team-repository.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

// Issue 10: SQLite refuses a statement with more than 999 bound parameters (Prisma P2029). A team
// with more mechanisms than that, or a tick over more teams, must still load: no query may carry
// one parameter per mechanism, team or key.
const N = 1200;
const DAY = 86_400_000;
const NOW = new Date("2031-07-22T09:00:00.000Z");
const WEEK_AGO = new Date(NOW.getTime() - 7 * DAY);
const TEAM = "team-large";
const mech = (i: number) => `m${String(i).padStart(5, "0")}`;

describeDb("a team with 1,200 mechanisms", () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb();
    const { db } = t;
    await db.team.create({
      data: {
        id: TEAM,
        slackTeamId: "T0WORK",
        name: "Large",
        channelId: "C0LARGE",
        timezone: "Europe/London",
        reviewWeekday: 2,
        reviewTime: "10:00",
        cadenceWeeks: 1,
        cycleAnchor: new Date("2031-01-07T10:00:00Z"),
        createdBy: "U0OWNER",
        createdAt: new Date("2031-01-01T00:00:00Z"),
      },
    });
    const ids = Array.from({ length: N }, (_, i) => mech(i));
    const batches = async <T>(rows: T[], write: (b: T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += 300) await write(rows.slice(i, i + 300));
    };
    await batches(ids, (b) =>
      t.db.mechanism.createMany({
        data: b.map((id) => ({
          id,
          teamId: TEAM,
          title: `Mechanism ${id}`,
          aim: "a",
          aimForWhom: "b",
          aimFrom: 1,
          aimTo: 2,
          aimBy: "2031-12-31",
          statement: "s",
          checkpointRule: "outcome >= 2",
          guardrail: "g",
          rollbackPath: "r",
          cadenceWeeks: 1,
          createdBy: "U0OWNER",
          createdAt: new Date(Date.UTC(2031, 0, 2) + Number(id.slice(1)) * 1000),
        })),
      }),
    );
    await batches(ids, (b) =>
      t.db.signal.createMany({
        data: b.flatMap((id) => [
          { id: `${id}o`, mechanismId: id, kind: "outcome", name: "Out", baseline: 1, target: 2 },
          { id: `${id}p`, mechanismId: id, kind: "proxy", name: "Prox", baseline: 1, target: 2 },
        ]),
      }),
    );
    await batches(ids, (b) =>
      t.db.review.createMany({
        data: b.map((id) => ({
          id: `${id}r`,
          mechanismId: id,
          dueAt: new Date(NOW.getTime() - 2 * DAY),
          status: "done",
          createdAt: new Date(NOW.getTime() - 2 * DAY),
        })),
      }),
    );
    await batches(ids, (b) =>
      t.db.reading.createMany({
        data: b.flatMap((id) =>
          ["o", "p"].map((s) => ({
            signalId: `${id}${s}`,
            reviewId: `${id}r`,
            value: 1.5,
            recordedBy: "U0OWNER",
            recordedAt: new Date(NOW.getTime() - 2 * DAY),
          })),
        ),
      }),
    );
    await batches(ids, (b) =>
      t.db.decision.createMany({
        data: b.map((id) => ({
          mechanismId: id,
          reviewId: `${id}r`,
          decision: "continue",
          entry: "keep going",
          source: "review",
          decidedBy: "U0OWNER",
          decidedAt: new Date(NOW.getTime() - 2 * DAY),
        })),
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the review sweep finds all 1,200 due at once, and their team", async () => {
    await t.db.mechanism.updateMany({ where: { teamId: TEAM }, data: { nextReviewAt: WEEK_AGO } });
    const due = await new PrismaMechanismRepository(t.db).findDue(NOW, 2000);
    expect(due).toHaveLength(N);
    expect(due.every((m) => m.teamId === TEAM && m.cadenceWeeks === 1)).toBe(true);
    await t.db.mechanism.updateMany({ where: { teamId: TEAM }, data: { nextReviewAt: null } });
    const teams = await new PrismaTeamRepository(t.db).findByIds([
      TEAM,
      ...Array.from({ length: N }, (_, i) => `x${i}`),
    ]);
    expect(teams.map((x) => x.id)).toEqual([TEAM]);
  });

  it("the alarm check loads the whole team's snapshot", async () => {
    const snap = await new PrismaAlarmRepository(t.db).snapshotData(TEAM, {
      reviewsSince: WEEK_AGO,
      fromCycle: 0,
    });
    expect(snap.mechanisms).toHaveLength(N);
    const last = snap.mechanisms[N - 1];
    expect(last?.id).toBe(mech(N - 1));
    expect(last?.signals.map((s) => [s.kind, s.readings.length]).sort()).toEqual([
      ["outcome", 1],
      ["proxy", 1],
    ]);
    expect(last?.decisions).toHaveLength(1);
    expect(last?.reviews).toEqual([
      { dueAt: new Date(NOW.getTime() - 2 * DAY), status: "done", decided: true },
    ]);
  });

  it("the alarm messages label every subject", async () => {
    const labels = await new PrismaAlarmRepository(t.db).subjectLabels(
      TEAM,
      Array.from({ length: N }, (_, i) => mech(i)),
    );
    expect(labels.size).toBe(N + 1);
  });

  it("the rollup loads its sections and its chart series", async () => {
    const rollups = new PrismaRollupRepository(t.db, { listOpenForTeam: async () => [] });
    const team = await rollups.findTeam(TEAM);
    if (!team) throw new Error("team missing");
    const data = await rollups.load(team, { from: WEEK_AGO, to: NOW });
    expect(data.mechanisms).toHaveLength(N);
    expect(data.mechanisms.filter((m) => m.outcome?.latest?.value === 1.5)).toHaveLength(N);
    expect(data.decisions).toHaveLength(N);
    const series = await rollups.chartSeries(TEAM, { from: WEEK_AGO, to: NOW, stoppedSince: WEEK_AGO });
    expect(series).toHaveLength(N);
    expect(series.every((s) => s.points.length === 1)).toBe(true);
  });

  it("the rollup chart chooses its lines before reading their points, with no list of the team's ids", async () => {
    const rollups = new PrismaRollupRepository(t.db, { listOpenForTeam: async () => [] });
    const range = { from: WEEK_AGO, to: NOW, stoppedSince: WEEK_AGO };
    expect(await rollups.hasChartData(TEAM, range)).toBe(true);
    const lines = await rollups.chartLines(TEAM, range);
    expect(lines).toHaveLength(N);
    expect(lines.every((l) => l.latest?.value === 1.5)).toBe(true);
  });

  it("the team's mechanisms list with their signals", async () => {
    const list = await new PrismaMechanismRepository(t.db).listByTeam(TEAM);
    expect(list).toHaveLength(N);
    expect(list.every((m) => m.signals.map((s) => s.kind).join() === "proxy,outcome")).toBe(true);
  });

  it("finds a review's decisions and readings through an index, not a scan", async () => {
    const indexed = async (table: string) => {
      const rows: { sql: string | null }[] =
        t.provider === "sqlite"
          ? await t.db.$queryRawUnsafe(
              `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}'`,
            )
          : await t.db.$queryRawUnsafe(
              `SELECT indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '${table}'`,
            );
      return rows.some((r) => /\("reviewId"\)/.test(r.sql ?? ""));
    };
    expect(await indexed("Decision")).toBe(true);
    expect(await indexed("Reading")).toBe(true);
  });

  it("a tick reads the claims and outbox statuses of 1,200 keys at once", async () => {
    const keys = Array.from({ length: N }, (_, i) => `k${i}`);
    const runs = new PrismaJobRuns(t.db);
    await runs.claim("alarms", "k7", { at: NOW, maxAttempts: 5 });
    expect([...(await runs.statuses("alarms", keys))]).toEqual([["k7", "claimed"]]);
    expect((await new PrismaDeliveryRepository(t.db).statuses(keys)).size).toBe(0);
  });
});
