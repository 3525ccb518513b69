import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";
import { AccessGuard } from "../../../src/teams/access.js";
import type { Owner } from "../../../src/teams/ownership-repository.js";

const A = { slackTeamId: "T0A", userId: "U0ANN" };
const owners: Owner[] = [
  { id: "mech-a", teamId: "team-a", slackTeamId: "T0A", channelId: "C0A" },
  { id: "mech-b", teamId: "team-b", slackTeamId: "T0B", channelId: "C0B" },
  { id: "inc-x", teamId: "team-x", slackTeamId: "T0A", channelId: "C0X" },
];

function guard(members: Record<string, string[] | null | Error>) {
  const clock = new ManualClock("2026-03-29T00:30:00Z");
  const asked: string[] = [];
  const g = new AccessGuard({
    owners: { ownersOf: async (ids) => owners.filter((o) => ids.includes(o.id)) },
    channelMembers: async (channel) => {
      asked.push(channel);
      const m = members[channel];
      if (m instanceof Error) throw m;
      return m ?? null;
    },
    clock,
    log: createLogger("silent"),
  });
  return { g, clock, asked };
}

describe("the isolation guard", () => {
  it("lets a request through that names nothing, or only ids of nothing", async () => {
    const { g, asked } = guard({});
    expect(await g.check(A, [])).toEqual({ ok: true });
    expect(await g.check(A, ["cnothing"])).toEqual({ ok: true });
    expect(asked).toEqual([]);
  });

  it("refuses an id of another workspace before asking Slack anything", async () => {
    const { g, asked } = guard({ C0A: ["U0ANN"], C0B: ["U0ANN"] });
    expect(await g.check(A, ["mech-a", "mech-b"])).toEqual({ ok: false, why: "workspace" });
    expect(asked).toEqual([]);
  });

  it("refuses a person who isn't in the channel of the object's team, and names the channel", async () => {
    const { g } = guard({ C0A: ["U0ANN"], C0X: ["U0XAVIER"] });
    expect(await g.check(A, ["mech-a"])).toEqual({ ok: true });
    expect(await g.check(A, ["mech-a", "inc-x"])).toEqual({ ok: false, why: "channel", channelId: "C0X" });
  });

  it("refuses when Slack can't list the channel, and lets a deleted channel's objects be (workspace-scoped)", async () => {
    expect(await guard({ C0A: new Error("ratelimited") }).g.check(A, ["mech-a"])).toEqual({
      ok: false,
      why: "unchecked",
      channelId: "C0A",
    });
    expect(await guard({ C0A: null }).g.check(A, ["mech-a"])).toEqual({ ok: true });
  });

  it("uses a list read within the hour when Slack can't answer now, and refuses when it has none", async () => {
    const members: Record<string, string[] | Error> = { C0A: ["U0ANN"] };
    const { g, clock } = guard(members);
    await g.check(A, ["mech-a"]);
    members.C0A = new Error("ratelimited");
    clock.advance(30 * 60_000);
    expect(await g.check(A, ["mech-a"])).toEqual({ ok: true });
    clock.advance(31 * 60_000);
    expect(await g.check(A, ["mech-a"])).toMatchObject({ ok: false, why: "unchecked" });
  });

  it("trusts a channel's member list for a minute of instants, and re-reads it after", async () => {
    const { g, clock, asked } = guard({ C0A: ["U0ANN"] });
    await g.check(A, ["mech-a"]);
    clock.advance(59_000);
    await g.check(A, ["mech-a"]);
    expect(asked).toEqual(["C0A"]);
    clock.advance(2_000);
    await g.check(A, ["mech-a"]);
    expect(asked).toEqual(["C0A", "C0A"]);
    // A clock set back (a corrected host) doesn't keep a stale list forever.
    clock.advance(-3_600_000);
    await g.check(A, ["mech-a"]);
    expect(asked).toHaveLength(3);
  });
});
