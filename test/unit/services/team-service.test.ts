import { describe, expect, it } from "vitest";
import { cycleBounds, cycleIndex, firstSlotOnOrAfter } from "../../../src/scheduler/schedule.js";
import { ManualClock } from "../../../src/shared/clock.js";
import { DomainError } from "../../../src/shared/errors.js";
import { createLogger } from "../../../src/shared/logger.js";
import type { Team, TeamSetupInput } from "../../../src/teams/team.js";
import { TeamService } from "../../../src/teams/team-service.js";
import { testDelivery } from "../../support/delivery.js";
import { createInMemoryRepositories } from "../../support/fakes/in-memory-repositories.js";
import { RecordingNotifier } from "../../support/fakes/recording-notifier.js";

const setupInput = (o: Partial<TeamSetupInput> = {}): TeamSetupInput => ({
  slackTeamId: "T0WORK",
  name: "Checkout squad",
  channelId: "C0CHECKOUT",
  timezone: "Europe/London",
  reviewWeekday: 2,
  reviewTime: "10:00",
  cadenceWeeks: 1,
  userId: "U0LEAD",
  ...o,
});

function world(now = "2026-11-23T09:00:00Z") {
  const clock = new ManualClock(now); // 2026-11-23 is a Monday
  const repos = createInMemoryRepositories();
  const notifier = new RecordingNotifier();
  const delivery = testDelivery({ notifier, clock });
  const rescheduled: Team[] = [];
  const teams = new TeamService({
    teams: repos.teams,
    clock,
    outbox: delivery.outbox,
    log: createLogger("silent"),
    onRescheduled: async (t) => {
      rescheduled.push(t);
    },
  });
  delivery.handle({ team_saved: teams.savedHandler });
  let submissions = 0;
  /** One submission of the setup modal (each its own view). */
  const setup = (input: TeamSetupInput, submission = `view:V${++submissions}:h`) =>
    teams.setup(input, { submission });
  return { clock, repos, teams, setup, rescheduled, notifier, delivery };
}

async function domainErrorFrom(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("TeamService.resolve", () => {
  it("picks the team whose channel the command ran in, even when the workspace has several", async () => {
    const w = world();
    await w.setup(setupInput({ name: "Checkout squad", channelId: "C0CHECKOUT" }));
    const { team: payments } = await w.setup(setupInput({ name: "Payments", channelId: "C0PAY" }));
    expect((await w.teams.resolve("T0WORK", "C0PAY")).id).toBe(payments.id);
  });

  it("picks the workspace's only team from any channel", async () => {
    const w = world();
    const { team } = await w.setup(setupInput());
    // A team in another workspace does not make this one ambiguous.
    await w.setup(setupInput({ slackTeamId: "T0ELSEWHERE", channelId: "C0ELSE" }));
    expect((await w.teams.resolve("T0WORK", "C0RANDOM")).id).toBe(team.id);
  });

  it("says how to set up when the workspace has no team", async () => {
    const w = world();
    await w.setup(setupInput({ slackTeamId: "T0ELSEWHERE" }));
    const err = await domainErrorFrom(w.teams.resolve("T0WORK", "C0RANDOM"));
    expect(err.code).toBe("no_team");
    expect(err.message).toContain("`/ratchet setup`");
  });

  it("names every team channel when the channel has no team and several exist", async () => {
    const w = world();
    await w.setup(setupInput({ name: "Payments", channelId: "C0PAY" }));
    await w.setup(setupInput({ name: "Checkout squad", channelId: "C0CHECKOUT" }));
    const err = await domainErrorFrom(w.teams.resolve("T0WORK", "C0RANDOM"));
    expect(err.code).toBe("no_team");
    // Listed by team name, as the repository orders them; named as data, drawn as links by Slack's side.
    expect(err.channels).toEqual(["C0CHECKOUT", "C0PAY"]);
  });
});

describe("TeamService.setup", () => {
  it.each([
    {
      now: "2026-11-23T09:00:00Z",
      tz: "Europe/London",
      weekday: 2,
      time: "10:00",
      anchor: "2026-11-24T10:00:00.000Z",
    },
    // On the slot itself: "on or after" keeps it.
    {
      now: "2026-11-24T10:00:00Z",
      tz: "Europe/London",
      weekday: 2,
      time: "10:00",
      anchor: "2026-11-24T10:00:00.000Z",
    },
    {
      now: "2026-11-24T10:01:00Z",
      tz: "Europe/London",
      weekday: 2,
      time: "10:00",
      anchor: "2026-12-01T10:00:00.000Z",
    },
    // 09:00Z Monday is 04:00 in New York (EST, UTC−5): today's 09:00 local is still ahead.
    {
      now: "2026-11-23T09:00:00Z",
      tz: "America/New_York",
      weekday: 1,
      time: "09:00",
      anchor: "2026-11-23T14:00:00.000Z",
    },
    // Local Tuesday in Auckland (NZDT, UTC+13) begins on Monday in UTC.
    {
      now: "2026-11-23T09:00:00Z",
      tz: "Pacific/Auckland",
      weekday: 2,
      time: "10:00",
      anchor: "2026-11-23T21:00:00.000Z",
    },
  ])("anchors the cycle at the first slot on or after now ($now, $tz)", async (c) => {
    const w = world(c.now);
    const { team, created } = await w.setup(
      setupInput({ timezone: c.tz, reviewWeekday: c.weekday, reviewTime: c.time }),
    );
    expect(created).toBe(true);
    expect(team.cycleAnchor.toISOString()).toBe(c.anchor);
    expect(w.rescheduled).toHaveLength(0);
  });

  it.each([
    { change: "time", patch: { reviewTime: "11:00" } },
    { change: "weekday", patch: { reviewWeekday: 4 } },
    { change: "cadence", patch: { cadenceWeeks: 2 as const } },
    { change: "time zone", patch: { timezone: "Europe/Paris" } },
  ])(
    "re-setup with a different $change keeps the cycle numbering, starts the next cycle at the new slot and calls onRescheduled once",
    async ({ patch }) => {
      const w = world();
      const first = await w.setup(setupInput());
      w.clock.set("2026-12-16T12:00:00Z"); // three weeks on: cycle 3 of the weekly Tuesday cycles
      const now = w.clock.now();
      const before = cycleIndex(first.team.cycleAnchor, 1, "Europe/London", now);
      expect(before).toBe(3);
      const again = await w.setup(setupInput(patch));
      expect(again).toMatchObject({ created: false, team: { id: first.team.id, ...patch } });
      const t = again.team;
      expect(cycleIndex(t.cycleAnchor, t.cadenceWeeks, t.timezone, now)).toBe(before);
      const nextSlot = firstSlotOnOrAfter(
        { tz: t.timezone, weekday: t.reviewWeekday, time: t.reviewTime },
        now,
      );
      expect(cycleBounds(t.cycleAnchor, t.cadenceWeeks, t.timezone, before + 1).start).toEqual(nextSlot);
      expect(w.rescheduled).toHaveLength(1);
      expect(w.rescheduled[0]).toEqual(again.team);
    },
  );

  it("re-setup with the same slot keeps the anchor and does not reschedule", async () => {
    const w = world();
    const first = await w.setup(setupInput());
    w.clock.set("2026-12-02T12:00:00Z");
    const again = await w.setup(setupInput({ name: "Checkout & Payments" }));
    expect(again.created).toBe(false);
    expect(again.team).toMatchObject({ id: first.team.id, name: "Checkout & Payments" });
    expect(again.team.cycleAnchor).toEqual(first.team.cycleAnchor);
    expect(w.rescheduled).toHaveLength(0);
    expect(await w.repos.teams.listAll()).toHaveLength(1);
  });

  it("keeps settings changed since the first setup (debrief, rollup) when set up again", async () => {
    const w = world();
    const { team } = await w.setup(setupInput());
    await w.teams.updateSettings(team.id, { debriefEnabled: false, rollupTime: "08:30" });
    const again = await w.setup(setupInput({ reviewTime: "11:00" }));
    expect(again.team).toMatchObject({ debriefEnabled: false, rollupTime: "08:30", createdBy: "U0LEAD" });
  });
});

describe("TeamService: the channel's confirmation", () => {
  const saidIn = (w: ReturnType<typeof world>, channel: string) =>
    w.notifier.postsIn(channel).map((p) => p.msg.text.text);

  it("says the team is set up once per submission, however often the same submission is saved", async () => {
    const w = world();
    await w.setup(setupInput(), "view:V1:h1");
    await w.setup(setupInput(), "view:V1:h1");
    await w.delivery.deliver(w.clock.now());
    expect(w.delivery.store.all()).toMatchObject([{ key: "team-saved:view:V1:h1", status: "sent" }]);
    expect(saidIn(w, "C0CHECKOUT")).toEqual([
      "🎉 *Checkout squad* is set up here by <@U0LEAD>: 15-minute reviews every week on Tuesday at 10:00 (Europe/London). Write the team's first bet with `/ratchet new`.",
    ]);
  });

  it("says “settings updated”, naming who changed them, when the channel's team is set up again", async () => {
    const w = world();
    await w.setup(setupInput());
    await w.setup(setupInput({ reviewTime: "11:00", userId: "U0OTHER" }));
    await w.delivery.deliver(w.clock.now());
    expect(saidIn(w, "C0CHECKOUT")[1]).toBe(
      "⚙️ *Checkout squad* settings updated by <@U0OTHER>: 15-minute reviews every week on Tuesday at 11:00 (Europe/London).",
    );
  });
});
