import { PNG } from "pngjs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { pngSize } from "../../src/sandbox/fake-slack.js";
import { MECH_BLOCK, REVIEW_BLOCK, ROLLUP_SETTINGS_BLOCK, TEAM_BLOCK, VIEW } from "../../src/slack/ids.js";
import { createMechanism, goodMechanism, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// Tuesday 24 Nov 2026; the team's rollup is Mondays 09:00 London (= 09:00Z in winter), so the
// next one is Mon 30 Nov 09:00Z and covers [Mon 23 Nov 09:00Z, Mon 30 Nov 09:00Z).
const START = "2026-11-24T08:00:00Z";
const ROLLUP_AT = "2026-11-30T09:00:00Z";

const rollupsIn = (h: Harness, channel: string, team: string) =>
  h.fake.messagesIn(channel).filter((m) => m.text.startsWith(`Weekly rollup — ${team}`));
const blockText = (blocks: unknown) => JSON.stringify(blocks);

async function seedWeek(h: Harness) {
  const team = await setupTeam(h);
  await createMechanism(h);
  await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.title]: "Onboarding checklist pilot" });
  const nudge = await h.testDb.db.mechanism.findFirstOrThrow({ where: { title: "First-run nudge" } });
  const pilot = await h.testDb.db.mechanism.findFirstOrThrow({
    where: { title: "Onboarding checklist pilot" },
  });
  const outcome = await h.testDb.db.signal.findFirstOrThrow({
    where: { mechanismId: nudge.id, kind: "outcome" },
  });
  // Last week 28%, this week 30.5%: toward the 35% target.
  await h.testDb.db.reading.createMany({
    data: [
      {
        signalId: outcome.id,
        value: 28,
        recordedBy: "U0OWNER",
        recordedAt: new Date("2026-11-17T10:00:00Z"),
      },
      {
        signalId: outcome.id,
        value: 30.5,
        recordedBy: "U0OWNER",
        recordedAt: new Date("2026-11-26T10:00:00Z"),
      },
    ],
  });
  // Stop the pilot through /ratchet log.
  await h.sender.command("log", { channelId: "C0TEAM" });
  const log = await h.openedView();
  const res = await h.sender.submitView(log.id, {
    [REVIEW_BLOCK.mechanism]: pilot.id,
    [REVIEW_BLOCK.decision]: "stop",
    [REVIEW_BLOCK.entry]: "Checklist completion never moved activation.",
  });
  expect(res.errors).toBeUndefined();
  await h.fake.waitFor(
    "chat.postMessage",
    (a) => blockText(a.blocks).includes("never moved activation"),
    5000,
  );
  await h.testDb.db.deviation.create({
    data: {
      teamId: team.id,
      area: "Code review",
      deviation: "Pair review instead of async review",
      hypothesis: "because waiting is the bottleneck",
      benefit: "faster merges",
      risk: "less written record",
      cycleIndex: 0,
      ownerId: "U0OWNER",
      outcome: "Lead time halved",
      verdict: "promote",
      createdAt: new Date("2026-11-16T10:00:00Z"),
      decidedAt: new Date("2026-11-27T10:00:00Z"),
    },
  });
  // The promoted deviation puts a default on the Floor; a guardrail beside it keeps the Floor's own
  // alarm ("Floor without a guardrail") out of this week's numbers.
  await h.testDb.db.floorDefault.create({
    data: {
      teamId: team.id,
      text: "Error rate ≤ 0.1% or roll back",
      why: "Users must not pay for our tests",
      kind: "guardrail",
      addedBy: "U0OWNER",
      createdAt: new Date("2026-11-16T10:00:00Z"),
    },
  });
  // Seeded after the set-up's alarm re-checks have run, so none of them resolves these meanwhile.
  await h.settle();
  // One condition raised in two cycles (the old row still open), one acknowledged, one snoozed.
  const alarm = (o: {
    kind: string;
    subjectKey: string;
    cycleIndex: number;
    raisedAt: string;
    status?: string;
  }) =>
    h.testDb.db.alarm.create({
      data: {
        teamId: team.id,
        evidence: `Evidence of cycle ${o.cycleIndex}`,
        suggestion: "Decide",
        ...o,
        raisedAt: new Date(o.raisedAt),
      },
    });
  await alarm({ kind: "stale_pilot", subjectKey: nudge.id, cycleIndex: 0, raisedAt: "2026-11-18T10:00:00Z" });
  await alarm({ kind: "stale_pilot", subjectKey: nudge.id, cycleIndex: 1, raisedAt: "2026-11-25T10:00:00Z" });
  await alarm({
    kind: "no_deviations",
    subjectKey: "team",
    cycleIndex: 1,
    raisedAt: "2026-11-25T10:00:00Z",
    status: "acknowledged",
  });
  await alarm({
    kind: "owner_unclear",
    subjectKey: nudge.id,
    cycleIndex: 1,
    raisedAt: "2026-11-25T10:00:00Z",
    status: "snoozed",
  });
  return { team, nudge, pilot };
}

describeDb("weekly rollup", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: START });
  });
  afterEach(async () => h?.close());

  it("previews privately, then posts once at the rollup time with the numbers and a PNG chart in the thread", async () => {
    const { team } = await seedWeek(h);

    // Preview: ephemeral on the response_url, no claim, no upload.
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const preview = ((await h.responses(1)) as { response_type?: string; blocks?: unknown }[]).at(-1);
    expect(preview?.response_type).toBe("ephemeral");
    expect(blockText(preview?.blocks)).toContain("Preview");
    expect(blockText(preview?.blocks)).toContain("Onboarding checklist pilot");
    const previewText = blockText(preview?.blocks);
    // Each open condition once, by its title and subject, never by its internal code; snoozed ones stay quiet.
    expect(previewText).toMatch(
      /Open alarms.*Pilot past a cycle without a decision\* · First-run nudge — Evidence of cycle 1 _\(open since .*, 2 cycles\)_/s,
    );
    expect(previewText).toMatch(/Two cycles without a deviation\* · Team/);
    expect(previewText.match(/Pilot past a cycle/g)).toHaveLength(1);
    expect(previewText).not.toMatch(/stale_pilot|no_deviations|owner_unclear|Owner unclear/);
    expect(await h.testDb.db.jobRun.count({ where: { job: "rollups" } })).toBe(0);
    expect(h.fake.callsTo("files.getUploadURLExternal")).toHaveLength(0);

    h.clock.set(ROLLUP_AT);
    await h.tick();
    const [rollup, ...more] = rollupsIn(h, "C0TEAM", "Checkout squad");
    expect(more).toHaveLength(0);
    const text = blockText(rollup?.blocks);
    expect(text).toContain("First-run nudge");
    expect(text).toContain("28% → *30.5%* vs target 35%");
    expect(text).toMatch(/Killed this week.*Onboarding checklist pilot.*never moved activation/);
    expect(text).toMatch(/Defaults changed.*Code review.*Pair review instead of async review/);
    // The seeded alarms no longer hold at the rollup's tick (its alarm sweep resolved them).
    expect(text).not.toMatch(/Open alarms|stale_pilot|no_deviations/);
    expect(rollup?.text).toContain("1 outcome moved · 1 killed · 1 default changed");

    const files = h.fake.files.filter((f) => f.completed);
    expect(files).toHaveLength(1);
    const file = files[0];
    expect(file?.channel).toBe("C0TEAM");
    expect(file?.threadTs).toBe(rollup?.ts);
    const bytes = Buffer.from(file?.bytes ?? new Uint8Array());
    const png = PNG.sync.read(bytes);
    expect(png.width).toBeGreaterThan(0);
    expect(png.height).toBeGreaterThan(0);
    expect({ width: png.width, height: png.height }).toEqual(pngSize(bytes));

    const delivered = await h.testDb.db.delivery.findUniqueOrThrow({
      where: { key: `rollup:${team.id}:2026-W49` },
    });
    expect(delivered).toMatchObject({ status: "sent", ts: rollup?.ts });

    // Exactly once: later ticks the same week post nothing more.
    h.clock.set("2026-11-30T09:05:00Z");
    await h.tick();
    await h.tick();
    expect(rollupsIn(h, "C0TEAM", "Checkout squad")).toHaveLength(1);
    expect(h.fake.files.filter((f) => f.completed)).toHaveLength(1);
  }, 60_000);

  it("retries a rollup Slack refused, catches up later the same week, and skips weeks that passed", async () => {
    await setupTeam(h);
    h.clock.set(ROLLUP_AT);
    // Only the rollup job and the deliveries run here, so the injected failure is the rollup's own post.
    const run = (name: string) => h.composed.jobs.find((j) => j.name === name)?.run(h.clock.now());
    h.fake.failNext("chat.postMessage", { error: "service_unavailable" });
    await run("rollups");
    await run("deliveries");
    // The pass hands the channel's turn to a worker: wait for it, as h.tick() does.
    await h.composed.deliverer.idle();
    expect(rollupsIn(h, "C0TEAM", "Checkout squad")).toHaveLength(0);
    expect(await h.testDb.db.delivery.findFirst({ where: { kind: "rollup" } })).toMatchObject({
      status: "queued",
      error: "service_unavailable",
    });

    // Ratchet comes back on Wednesday: the week's rollup still goes out, once, with the friendly empty line.
    h.clock.set("2026-12-02T15:00:00Z");
    await h.tick();
    await h.tick();
    const posted = rollupsIn(h, "C0TEAM", "Checkout squad");
    expect(posted).toHaveLength(1);
    expect(blockText(posted[0]?.blocks)).toContain("A quiet week");
    expect(blockText(posted[0]?.blocks)).toContain("no chart this week");
    expect(h.fake.files).toHaveLength(0);

    // Down for all of the next week: nothing is posted for W50 when Ratchet returns in W51.
    h.clock.set("2026-12-14T08:00:00Z");
    await h.tick();
    expect(rollupsIn(h, "C0TEAM", "Checkout squad")).toHaveLength(1);
  }, 60_000);

  it("combines every team's headline in the workspace rollup channel, once, after the last team's rollup", async () => {
    await seedWeek(h);
    // A second team in New York: its rollup (Mon 09:00 local) is 14:00Z.
    await h.sender.command("setup", { channelId: "C0OTHER" });
    const setup = await h.openedView();
    const res = await h.sender.submitView(setup.id, {
      [TEAM_BLOCK.name]: "Growth squad",
      [TEAM_BLOCK.timezone]: "America/New_York",
      [TEAM_BLOCK.weekday]: "3",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    expect(res.errors).toBeUndefined();

    await h.sender.command("rollup settings", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.settings);
    const saved = await h.sender.submitView(view.id, {
      [ROLLUP_SETTINGS_BLOCK.weekday]: "1",
      [ROLLUP_SETTINGS_BLOCK.time]: "09:00",
      [ROLLUP_SETTINGS_BLOCK.channel]: "C0GENERAL",
    });
    expect(saved.errors).toBeUndefined();
    expect(await h.testDb.db.workspace.findFirst()).toMatchObject({ rollupChannelId: "C0GENERAL" });

    h.clock.set(ROLLUP_AT);
    await h.tick();
    expect(rollupsIn(h, "C0TEAM", "Checkout squad")).toHaveLength(1);
    expect(rollupsIn(h, "C0GENERAL", "all teams")).toHaveLength(0);

    h.clock.set("2026-11-30T14:00:00Z");
    await h.tick();
    await h.tick();
    expect(rollupsIn(h, "C0OTHER", "Growth squad")).toHaveLength(1);
    const combined = rollupsIn(h, "C0GENERAL", "all teams");
    expect(combined).toHaveLength(1);
    const text = blockText(combined[0]?.blocks);
    expect(text).toContain("Checkout squad");
    expect(text).toContain("1 outcome moved · 1 killed · 1 default changed");
    expect(text).toContain("Growth squad");
    expect(text).toContain("quiet week");
  }, 90_000);

  it("validates the settings modal inline and writes nothing on bad input", async () => {
    const team = await setupTeam(h);
    await h.sender.command("rollup settings", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      [ROLLUP_SETTINGS_BLOCK.weekday]: "5",
      [ROLLUP_SETTINGS_BLOCK.time]: "25:00",
      [ROLLUP_SETTINGS_BLOCK.channel]: "D0TESTER",
    });
    expect(Object.keys(res.errors ?? {}).sort()).toEqual(
      [ROLLUP_SETTINGS_BLOCK.channel, ROLLUP_SETTINGS_BLOCK.time].sort(),
    );
    expect(h.fake.viewStack(view.id)).toHaveLength(1);
    const after = await h.testDb.db.team.findUniqueOrThrow({ where: { id: team.id } });
    expect(after).toMatchObject({ rollupWeekday: 1, rollupTime: "09:00" });
    expect(await h.testDb.db.workspace.count()).toBe(0);

    // Clearing the channel turns the workspace rollup off (and is valid).
    const ok = await h.sender.submitView(view.id, {
      [ROLLUP_SETTINGS_BLOCK.weekday]: "5",
      [ROLLUP_SETTINGS_BLOCK.time]: "16:30",
      [ROLLUP_SETTINGS_BLOCK.channel]: null,
    });
    expect(ok.errors).toBeUndefined();
    expect(await h.testDb.db.team.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({
      rollupWeekday: 5,
      rollupTime: "16:30",
    });
    expect(await h.testDb.db.workspace.findFirst()).toMatchObject({ rollupChannelId: null });
  });
});
