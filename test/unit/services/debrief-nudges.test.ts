import { Writable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { DebriefService } from "../../../src/debriefs/debrief-service.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { createLogger } from "../../../src/shared/logger.js";
import type { Team } from "../../../src/teams/team.js";
import { TeamService } from "../../../src/teams/team-service.js";
import { testAnnouncer, testDelivery } from "../../support/delivery.js";
import { InMemoryDebriefRepository } from "../../support/fakes/in-memory-debriefs.js";
import { createInMemoryRepositories } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";
import { teamFixture } from "../../support/team-fixture.js";

// The debrief's nudge through the outbox, over in-memory fakes: who gets one (the channel's people,
// or — when the channel can't be listed — the people seen before), and the person's opt-out, which
// also holds for a nudge already queued. The Slack side is in test/e2e/debrief-nudges.test.ts.

// London in November is UTC: Friday 27 Nov prompt 15:00, nudge 16:00, digest 17:00.
const PROMPT = new Date("2026-11-27T15:00:00Z");
const NUDGE = new Date("2026-11-27T16:00:00Z");

async function world() {
  const clock = new ManualClock("2026-11-25T09:00:00Z");
  const repos = createInMemoryRepositories();
  const notifier = new RecordingNotifier();
  const lines: { msg: string; level: number; [k: string]: unknown }[] = [];
  const log = createLogger(
    "info",
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const delivery = testDelivery({ notifier, clock });
  const teams = new TeamService({ teams: repos.teams, clock, outbox: delivery.outbox, log });
  const debriefRepo = new InMemoryDebriefRepository(repos.store);
  const debriefs = new DebriefService({
    debriefs: debriefRepo,
    teams: repos.teams,
    teamService: teams,
    clock,
    announcer: testAnnouncer(notifier),
    outbox: delivery.outbox,
    log,
  });
  delivery.handle({
    debrief_prompt: debriefs.promptHandler,
    debrief_nudge: debriefs.nudgeHandler,
    debrief_digest: debriefs.digestHandler,
  });
  const { id: _id, ...data } = teamFixture({ channelId: "C0TEAM", debriefNudge: true });
  const team: Team = await repos.teams.save(data);
  /** Runs the debrief job and delivers what it queued, at `at`. */
  const runAt = async (at: Date) => {
    clock.set(at.toISOString());
    await debriefs.sweep(at);
    await delivery.deliver(at);
  };
  // A DM is posted in the D… channel conversations.open gives for the person.
  const nudges = () => notifier.posts.filter((p) => p.msg.text.text.startsWith("Share your week"));
  const nudged = () => nudges().map((p) => p.channel.replace(/^D/, ""));
  return { clock, notifier, debriefs, debriefRepo, team, runAt, nudges, nudged, lines };
}

describe("debrief nudges", () => {
  let w: Awaited<ReturnType<typeof world>>;
  beforeEach(async () => {
    w = await world();
  });

  it("a nudge already queued is not sent to someone who opted out meanwhile", async () => {
    w.notifier.seedMembers("C0TEAM", ["U0ANA", "U0BEN"]);
    await w.runAt(PROMPT);
    w.clock.set(NUDGE.toISOString());
    expect((await w.debriefs.sweep(NUDGE)).nudged).toBe(2);
    await w.debriefs.setTeamNudges(w.team.id, "U0ANA", true);
    await w.runAt(NUDGE);
    expect(w.nudged()).toEqual(["U0BEN"]);
  });

  it("when the channel can't be listed, nudges who shared lately and logs why, opt-outs still kept", async () => {
    // Last week U0OLD and U0QUIET shared; U0QUIET has since asked not to be nudged.
    const last = await w.debriefRepo.createRound(
      w.team.id,
      {
        promptAt: new Date("2026-11-20T15:00:00Z"),
        digestAt: new Date("2026-11-20T17:00:00Z"),
        nudgeAt: null,
        localDate: "2026-11-20",
        week: "2026-W47",
      },
      "pending",
      PROMPT,
    );
    if (!last) throw new Error("no round");
    await w.debriefRepo.markPosted(last.id, "C0TEAM", "1700000000.000001");
    await w.debriefRepo.markDigested(last.id, "1700000000.000002");
    for (const who of ["U0OLD", "U0QUIET"]) {
      await w.debriefRepo.upsertAnswer(last.id, who, { shipped: "x", input: "", blockers: "" }, PROMPT);
    }
    await w.debriefs.setTeamNudges(w.team.id, "U0QUIET", true);

    await w.runAt(PROMPT);
    await w.runAt(NUDGE); // C0TEAM's members were never seeded: channel_not_found
    expect(w.nudged()).toEqual(["U0OLD"]);
    const warned = w.lines.filter((l) => l.msg.startsWith("debrief: could not list the channel's members"));
    expect(warned).toMatchObject([{ level: 40, channel: "C0TEAM", purpose: "nudge", teamId: w.team.id }]);
  });

  it("keeps the person's choice when the DM can't be redrawn, and logs it", async () => {
    w.notifier.seedMembers("C0TEAM", ["U0ANA"]);
    await w.runAt(PROMPT);
    await w.runAt(NUDGE);
    const [dm] = w.nudges();
    if (!dm) throw new Error("no nudge");
    w.notifier.failNext("update", "message_not_found");
    const team = await w.debriefs.setNudges(roundOf(dm), "U0ANA", true, {
      channel: dm.channel,
      ts: dm.ts,
    });
    expect(team.id).toBe(w.team.id);
    expect(await w.debriefRepo.nudgeOptOuts(w.team.id)).toEqual(["U0ANA"]);
    expect(w.lines.some((l) => l.msg === "debrief nudge choice saved but the DM was not redrawn")).toBe(true);
  });

  it("refuses a choice for a round that doesn't exist, saving nothing", async () => {
    await expect(w.debriefs.setNudges("no-such-round", "U0ANA", true, null)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await w.debriefRepo.nudgeOptOuts(w.team.id)).toEqual([]);
  });
});

/** The round id the DM's buttons carry. */
function roundOf(dm: { msg: { blocks: unknown[] } }): string {
  const match = /"value":"([^"]+)"/.exec(JSON.stringify(dm.msg.blocks));
  return match?.[1] ?? "";
}
