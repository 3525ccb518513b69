import { afterEach, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { TEAM_BLOCK } from "../../src/slack/ids.js";
import { type Harness, startHarness } from "../support/harness.js";
import { teamFixture } from "../support/team-fixture.js";
import { describeDb } from "../support/test-db.js";

/**
 * The due index (src/teams/team-due.ts): a tick reads only what is due, so a quiet minute costs the
 * same few queries with 4 teams as with 40, and reads no team row. Counted at the Prisma model
 * calls the app makes (what each query costs is the bench's business: `npm run bench:scale`).
 */
interface Counter {
  on: boolean;
  calls: number;
  teamRows: number;
}

function counting(counter: Counter) {
  const wrapModel = (model: object, name: string) =>
    new Proxy(model, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          const result: unknown = await value.apply(t, args);
          if (counter.on) {
            counter.calls++;
            if (name === "team") counter.teamRows += Array.isArray(result) ? result.length : result ? 1 : 0;
          }
          return result;
        };
      },
    });
  return (db: Db): Db =>
    new Proxy(db, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof prop === "string" && !prop.startsWith("$") && typeof value === "object" && value !== null)
          return wrapModel(value, prop);
        return typeof value === "function" ? value.bind(t) : value;
      },
    });
}

// A Wednesday 03:07 UTC: no team below has a review, debrief, rollup or cycle boundary near it.
const START = "2027-03-10T03:07:00Z";
const minute = (n: number) => new Date(new Date(START).getTime() + n * 60_000).toISOString();

describeDb("quiet tick", () => {
  let h: Harness;
  const counter: Counter = { on: false, calls: 0, teamRows: 0 };
  afterEach(async () => {
    await h?.close();
  });

  const addTeams = async (from: number, n: number) => {
    await h.testDb.db.team.createMany({
      data: Array.from({ length: n }, (_, i) => {
        const { id: _id, ...team } = teamFixture({
          slackTeamId: "T0RATCHET",
          channelId: `C0Q${from + i}`,
          name: `Team ${from + i}`,
          // Zones and days spread like a real workspace; none is due in the minutes measured.
          timezone: ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"][i % 4],
          cycleAnchor: new Date("2027-01-05T10:00:00Z"),
          createdAt: new Date("2027-01-01T00:00:00Z"),
        });
        return { ...team, admins: team.admins.join(",") };
      }),
    });
  };

  const quietTick = async (at: string) => {
    h.clock.set(at);
    counter.calls = 0;
    counter.teamRows = 0;
    counter.on = true;
    await h.tick();
    counter.on = false;
    return { calls: counter.calls, teamRows: counter.teamRows };
  };

  it("costs the same few queries whatever the number of teams, and reads no team", async () => {
    h = await startHarness({ now: START, wrapDb: counting(counter) });
    await addTeams(0, 4);
    // The first tick looks at every new team once (their due instants start empty).
    h.clock.set(START);
    await h.tick();
    const few = await quietTick(minute(1));
    expect(few.teamRows).toBe(0);

    await addTeams(4, 36);
    h.clock.set(minute(2));
    await h.tick();
    const many = await quietTick(minute(3));
    expect(many.teamRows).toBe(0);
    expect(many.calls).toBe(few.calls);
    // A handful: one indexed read per job and the outbox's own, not one per team.
    expect(many.calls).toBeLessThan(20);
  }, 60_000);

  it("looks at a team again as soon as its settings are saved", async () => {
    h = await startHarness({ now: START, wrapDb: counting(counter) });
    await addTeams(0, 2);
    h.clock.set(START);
    await h.tick();
    expect((await quietTick(minute(1))).teamRows).toBe(0);
    // Any save through the repository clears the team's due instants.
    h.fake.addChannel({ id: "C0Q0", name: "team-0" });
    await h.sender.command("settings", { channelId: "C0Q0" });
    const view = await h.openedView();
    expect(
      (await h.sender.submitView(view.id, { [TEAM_BLOCK.name]: "Team 0, renamed" })).errors,
    ).toBeUndefined();
    const dueOf = async (channelId: string) => {
      const t = await h.testDb.db.team.findFirstOrThrow({ where: { channelId } });
      return [t.deviationsDueAt, t.debriefsDueAt, t.alarmsDueAt, t.rollupsDueAt];
    };
    expect(await dueOf("C0Q0")).toEqual([null, null, null, null]);
    expect((await dueOf("C0Q1")).every((d) => d !== null && d > new Date(minute(2)))).toBe(true);
    const after = await quietTick(minute(2));
    expect(after.teamRows).toBeGreaterThan(0);
    expect((await dueOf("C0Q0")).every((d) => d !== null && d > new Date(minute(2)))).toBe(true);
    expect((await quietTick(minute(3))).teamRows).toBe(0);
  }, 60_000);

  it("looks at every team again when the clock goes back", async () => {
    h = await startHarness({ now: START, wrapDb: counting(counter) });
    await addTeams(0, 3);
    h.clock.set(START);
    await h.tick();
    expect((await quietTick(minute(1))).teamRows).toBe(0);
    // The week after, then back: instants computed a week ahead would otherwise hold this week's work.
    h.clock.set("2027-03-17T03:07:00Z");
    await h.tick();
    const back = await quietTick(minute(2));
    // Each of the 4 team-wide jobs reads the 3 teams again (and what they queue may read more).
    expect(back.teamRows).toBeGreaterThanOrEqual(3 * 4);
    expect((await quietTick(minute(3))).teamRows).toBe(0);
  }, 60_000);
});
