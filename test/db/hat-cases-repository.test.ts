import { afterEach, beforeEach, expect, it } from "vitest";
import { PrismaHatCaseRepository } from "../../src/hat-cases/hat-case-repository.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

const AT = new Date("2026-11-25T09:00:00Z");

const input = (submissionKey: string, createdAt = AT) => ({
  teamId: "team1",
  authorId: "U0TESTER",
  context: "Checkout squad",
  traits: ["Context vacuum"],
  symptoms: ["Faux alignment", "Reviews are “status only” & late"],
  reinforcingLoops: [],
  balancingLoops: ["Mini Prototype"],
  submissionKey,
  createdAt,
});

describeDb("Anthropologist Hat cases in the database", () => {
  let t: TestDb;
  let repo: PrismaHatCaseRepository;
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
    repo = new PrismaHatCaseRepository(t.db);
  });
  afterEach(async () => t?.close());

  it("keeps every list as written and reads it back", async () => {
    const { hatCase, created } = await repo.createOnce(input("view:V1:h1"));
    expect(created).toBe(true);
    expect(await repo.findById(hatCase.id)).toEqual({
      id: hatCase.id,
      teamId: "team1",
      authorId: "U0TESTER",
      context: "Checkout squad",
      traits: ["Context vacuum"],
      symptoms: ["Faux alignment", "Reviews are “status only” & late"],
      reinforcingLoops: [],
      balancingLoops: ["Mini Prototype"],
      createdAt: AT,
    });
  });

  it("writes one case per submission, even when two copies race", async () => {
    const [a, b] = await Promise.all([
      repo.createOnce(input("view:V1:h1")),
      repo.createOnce(input("view:V1:h1")),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.hatCase.id).toBe(b.hatCase.id);
    const again = await repo.createOnce(input("view:V1:h1"));
    expect(again).toMatchObject({ created: false, hatCase: { id: a.hatCase.id } });
    expect(await repo.countByTeam("team1")).toBe(1);
  });

  it("lists a team's cases newest first, as many as asked", async () => {
    for (let i = 0; i < 3; i++)
      await repo.createOnce(input(`view:V${i}:h`, new Date(AT.getTime() + i * 60_000)));
    const listed = await repo.listByTeam("team1", 2);
    expect(listed.map((c) => c.createdAt.getTime() - AT.getTime())).toEqual([120_000, 60_000]);
    expect(await repo.countByTeam("team1")).toBe(3);
    expect(await repo.listByTeam("other", 10)).toEqual([]);
  });

  it("reads a list it can't parse as empty rather than failing the post", async () => {
    const { hatCase } = await repo.createOnce(input("view:V1:h1"));
    await t.db.hatCase.update({
      where: { id: hatCase.id },
      data: { traits: "not json", symptoms: '[1,"x"]' },
    });
    expect(await repo.findById(hatCase.id)).toMatchObject({ traits: [], symptoms: [] });
  });
});
