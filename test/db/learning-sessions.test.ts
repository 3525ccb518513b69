import { afterEach, beforeEach, expect, it } from "vitest";
import { PrismaLearningRepository } from "../../src/learning/learning-repository.js";
import { teamFixture } from "../support/team-fixture.js";
import { createTestDb, describeDb, type TestDb } from "../support/test-db.js";

describeDb("learning session repository", () => {
  let t: TestDb;
  let repo: PrismaLearningRepository;
  let teamId: string;
  beforeEach(async () => {
    t = await createTestDb();
    repo = new PrismaLearningRepository(t.db);
    const { id: _id, ...team } = teamFixture({ slackTeamId: "T1", channelId: "C0TEAM" });
    teamId = (await t.db.team.create({ data: { ...team, admins: team.admins.join(",") } })).id;
  });
  afterEach(async () => t?.close());

  const at = (iso: string) => new Date(iso);
  const make = (topic: string, startsAt: string, nextDueAt: string | null) =>
    repo.create({
      teamId,
      slackTeamId: "T1",
      topic,
      speakerId: "U0SAM",
      startsAt: at(startsAt),
      timezone: "America/New_York",
      durationMinutes: 30,
      channels: ["C0TEAM", "C0ENG"],
      createdBy: "U0LEAD",
      createdAt: at("2027-03-01T00:00:00Z"),
      nextDueAt: nextDueAt ? at(nextDueAt) : null,
    });

  it("keeps the audience channels in order and reads only what is due, oldest first", async () => {
    const later = await make("later", "2027-03-20T14:00:00Z", "2027-03-19T14:00:00Z");
    const sooner = await make("sooner", "2027-03-14T14:00:00Z", "2027-03-13T15:00:00Z");
    await make("done", "2027-03-02T14:00:00Z", null);
    expect(sooner.channels).toEqual(["C0TEAM", "C0ENG"]);
    expect((await repo.due(at("2027-03-13T15:00:00Z"), 10)).map((s) => s.topic)).toEqual(["sooner"]);
    expect((await repo.due(at("2027-03-30T00:00:00Z"), 10)).map((s) => s.id)).toEqual([sooner.id, later.id]);
    expect((await repo.due(at("2027-03-30T00:00:00Z"), 1)).map((s) => s.id)).toEqual([sooner.id]);
  });

  it("moves the due index on only from the instant the mover read: of two sweeps, one wins", async () => {
    const s = await make("talk", "2027-03-14T14:00:00Z", "2027-03-13T15:00:00Z");
    const read = at("2027-03-13T15:00:00Z");
    const next = at("2027-03-14T13:00:00Z");
    expect(await repo.advance(s.id, read, next)).toBe(true);
    expect(await repo.advance(s.id, read, next)).toBe(false);
    expect((await repo.findById(s.id))?.nextDueAt).toEqual(next);
    expect(await repo.advance(s.id, next, null)).toBe(true);
    expect(await repo.due(at("2030-01-01T00:00:00Z"), 10)).toEqual([]);
  });

  it("lists the workspace's upcoming sessions soonest first and past ones newest first", async () => {
    await make("a", "2027-03-10T14:00:00Z", null);
    await make("b", "2027-03-12T14:00:00Z", null);
    await make("c", "2027-03-20T14:00:00Z", null);
    await make("d", "2027-03-15T14:00:00Z", null);
    const now = at("2027-03-13T00:00:00Z");
    expect((await repo.upcoming("T1", now, 10)).map((s) => s.topic)).toEqual(["d", "c"]);
    expect((await repo.past("T1", now, 10)).map((s) => s.topic)).toEqual(["b", "a"]);
    expect(await repo.upcoming("T2", now, 10)).toEqual([]);
  });
});
