import { afterEach, beforeEach, expect, it } from "vitest";
import { runTick } from "../../src/scheduler/tick.js";
import { createLogger } from "../../src/shared/logger.js";
import { DEV_BLOCK, DEVIATION_ACTION, DEVIATION_VIEW } from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The team reviews Tuesdays 10:00 Europe/London, weekly, set up on Mon 23 Nov 2026: cycle 0 is
// [Tue 24 Nov 10:00, Tue 1 Dec 10:00) London (= UTC in winter); its midpoint is Fri 27 Nov 22:00Z.
const IN_CYCLE_0 = "2026-11-25T09:00:00Z";

const apiFramework: Record<string, Answer> = {
  [DEV_BLOCK.area]: "API framework",
  [DEV_BLOCK.deviation]: "Try Fastify on the checkout service",
  [DEV_BLOCK.hypothesis]: "Because its router should cut p95 by 20%",
  [DEV_BLOCK.benefit]: "Better latency",
  [DEV_BLOCK.risk]: "Small migration cost",
};

async function openDeviate(h: Harness) {
  await h.sender.command("deviate", { channelId: "C0TEAM" });
  const view = await h.openedView();
  expect(view.callback_id).toBe(DEVIATION_VIEW.log);
  return view;
}

async function logDeviation(h: Harness, answers: Record<string, Answer> = apiFramework) {
  const view = await openDeviate(h);
  const res = await h.sender.submitView(view.id, answers);
  if (res.errors) throw new Error(`deviation refused: ${JSON.stringify(res.errors)}`);
  return h.fake.waitFor("chat.postMessage", (a) => String(a.text).startsWith("Deviation logged"), 5000);
}

const reminders = (h: Harness) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Novelty quota"));

describeDb("novelty quota and deviation log", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await setupTeam(h);
    h.clock.set(IN_CYCLE_0);
  });
  afterEach(async () => h?.close());

  it("logs a deviation under the chosen cycle and posts its card in the team channel", async () => {
    const view = await openDeviate(h);
    const cycle = JSON.stringify(view.blocks);
    expect(cycle).toContain("This cycle (Tue 24 Nov – Tue 1 Dec)");
    expect(cycle).toContain("Next cycle (Tue 1 Dec – Tue 8 Dec)");
    const res = await h.sender.submitView(view.id, apiFramework);
    expect(res.errors).toBeUndefined();
    const card = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Deviation logged"),
      5000,
    );
    expect(card.args.channel).toBe("C0TEAM");
    const blocks = JSON.stringify(card.args.blocks);
    expect(blocks).toContain("Try Fastify on the checkout service");
    expect(blocks).toContain("Because its router should cut p95 by 20%");
    expect(blocks).toContain("<@U0TESTER>");
    expect(blocks).toContain("Tue 24 Nov – Tue 1 Dec");
    const row = await h.testDb.db.deviation.findFirstOrThrow();
    expect(row).toMatchObject({
      cycleIndex: 0,
      ownerId: "U0TESTER",
      verdict: "open",
      sensitive: false,
      approverId: null,
    });

    // The next cycle is a choice too, and a sensitive deviation with someone else's approval is fine.
    await logDeviation(h, {
      ...apiFramework,
      [DEV_BLOCK.deviation]: "Store fewer signup fields",
      [DEV_BLOCK.cycle]: "1",
      [DEV_BLOCK.sensitive]: ["sensitive"],
      [DEV_BLOCK.approver]: "U0OWNER",
    });
    const next = await eventually(() => h.testDb.db.deviation.findFirst({ where: { cycleIndex: 1 } }));
    expect(next).toMatchObject({ sensitive: true, approverId: "U0OWNER" });
  });

  it("refuses a hypothesis without a cause and a sensitive deviation without another person's approval — writing nothing", async () => {
    const view = await openDeviate(h);
    const noCause = await h.sender.submitView(view.id, {
      ...apiFramework,
      [DEV_BLOCK.hypothesis]: "Fastify is faster",
    });
    expect(noCause.errors?.[DEV_BLOCK.hypothesis]).toMatch(/because/i);

    const noApprover = await h.sender.submitView(view.id, {
      ...apiFramework,
      [DEV_BLOCK.sensitive]: ["sensitive"],
    });
    expect(Object.keys(noApprover.errors ?? {})).toEqual([DEV_BLOCK.approver]);
    expect(noApprover.errors?.[DEV_BLOCK.approver]).toMatch(/approver/i);

    const selfApproved = await h.sender.submitView(view.id, {
      ...apiFramework,
      [DEV_BLOCK.sensitive]: ["sensitive"],
      [DEV_BLOCK.approver]: "U0TESTER",
    });
    expect(selfApproved.errors?.[DEV_BLOCK.approver]).toMatch(/your own/i);

    expect(await h.testDb.db.deviation.count()).toBe(0);
    expect(h.fake.viewStack(view.id)).toHaveLength(1);
    expect(h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Deviation logged"))).toHaveLength(0);
  });

  it("catches a sensitive deviation by what it says, with the box unticked, and takes a confirmation that it only mentions such words", async () => {
    const view = await openDeviate(h);
    const tokens = {
      ...apiFramework,
      [DEV_BLOCK.area]: "Security",
      [DEV_BLOCK.deviation]: "Skip token rotation for a week",
    };
    const unticked = await h.sender.submitView(view.id, tokens);
    expect(Object.keys(unticked.errors ?? {})).toEqual([DEV_BLOCK.sensitive]);
    expect(unticked.errors?.[DEV_BLOCK.sensitive]).toContain("This mentions “Security”, “token”");
    const both = await h.sender.submitView(view.id, {
      ...tokens,
      [DEV_BLOCK.sensitive]: ["sensitive", "not_sensitive"],
      [DEV_BLOCK.approver]: "U0OWNER",
    });
    expect(both.errors?.[DEV_BLOCK.sensitive]).toMatch(/Tick one/);
    expect(await h.testDb.db.deviation.count()).toBe(0);

    // Marked sensitive with someone else's approval: logged as sensitive.
    const approved = await h.sender.submitView(view.id, {
      ...tokens,
      [DEV_BLOCK.sensitive]: ["sensitive"],
      [DEV_BLOCK.approver]: "U0OWNER",
    });
    expect(approved.errors).toBeUndefined();
    expect(await eventually(() => h.testDb.db.deviation.findFirst())).toMatchObject({
      sensitive: true,
      approverId: "U0OWNER",
    });

    // Words that only sound sensitive: confirmed as such, logged as not sensitive.
    await logDeviation(h, {
      ...apiFramework,
      [DEV_BLOCK.deviation]: "Use a token bucket for the search rate limiter",
      [DEV_BLOCK.sensitive]: ["not_sensitive"],
    });
    const limiter = await eventually(() =>
      h.testDb.db.deviation.findFirst({ where: { deviation: { contains: "token bucket" } } }),
    );
    expect(limiter).toMatchObject({ sensitive: false, approverId: null });
  });

  it("lists the deviation log: an empty state that explains the quota, then the entries newest cycle first", async () => {
    await h.sender.command("deviations", { channelId: "C0TEAM" });
    const [empty] = await h.responses(1);
    const emptyText = JSON.stringify(empty);
    expect(emptyText).toContain("No deviations yet");
    expect(emptyText).toContain("at least one deviation per cycle");
    expect(emptyText).toContain("/ratchet deviate");

    await logDeviation(h);
    await logDeviation(h, {
      ...apiFramework,
      [DEV_BLOCK.deviation]: "Discovery-first calls",
      [DEV_BLOCK.cycle]: "1",
    });
    await h.sender.command("deviations", { channelId: "C0TEAM" });
    const [, listed] = await h.responses(2);
    const text = JSON.stringify(listed);
    expect(text).toContain("Quota met this cycle");
    expect(text.indexOf("Discovery-first calls")).toBeGreaterThan(-1);
    expect(text.indexOf("Discovery-first calls")).toBeLessThan(
      text.indexOf("Try Fastify on the checkout service"),
    );
    expect(text).toContain("Cycle Tue 1 Dec – Tue 8 Dec");
    expect(text).toContain("open — decide at cycle end");
  });

  it("reminds the channel once mid-cycle when nothing is logged, and not when a deviation exists", async () => {
    h.clock.set("2026-11-27T21:59:00Z");
    await h.tick();
    expect(reminders(h)).toHaveLength(0);

    h.clock.set("2026-11-27T22:00:00Z");
    await h.tick();
    await h.tick();
    expect(reminders(h)).toHaveLength(1);
    expect(JSON.stringify(reminders(h)[0]?.blocks)).toContain(DEVIATION_ACTION.open);

    // Cycle 1 already has its deviation: its midpoint passes quietly.
    await logDeviation(h, { ...apiFramework, [DEV_BLOCK.cycle]: "1" });
    h.clock.set("2026-12-04T23:00:00Z");
    await h.tick();
    expect(reminders(h)).toHaveLength(1);
  });

  it("asks the owner for the outcome at cycle end, once, and records promote exactly once", async () => {
    await logDeviation(h);
    h.clock.set("2026-12-01T10:01:00Z");
    await h.tick();
    await h.tick();
    // A second process with the same database (a restart) does not prompt again.
    const again = await h.replica();
    await runTick(again.composed.jobs, h.clock.now(), createLogger("silent"));
    await again.composed.deliverer.idle();
    const dms = h.fake.dmsTo("U0TESTER");
    expect(dms).toHaveLength(1);
    const dm = dms[0];
    if (!dm) throw new Error("no DM");
    expect(dm.text).toContain("Try Fastify");

    const ref = { channelId: dm.channel, ts: dm.ts };
    await h.sender.clickButton({
      userId: "U0TESTER",
      message: ref,
      actionId: DEVIATION_ACTION.recordOutcome,
    });
    const first = await h.openedView();
    await h.sender.clickButton({
      userId: "U0TESTER",
      message: ref,
      actionId: DEVIATION_ACTION.recordOutcome,
    });
    const second = await h.openedView();
    expect(second.id).not.toBe(first.id);

    const missing = await h.sender.submitView(first.id, {
      [DEV_BLOCK.outcome]: " ",
      [DEV_BLOCK.verdict]: "promote",
    });
    expect(missing.errors?.[DEV_BLOCK.outcome]).toBeTruthy();

    const ok = await h.sender.submitView(first.id, {
      [DEV_BLOCK.outcome]: "p95 −18%",
      [DEV_BLOCK.verdict]: "promote",
    });
    expect(ok.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).startsWith("Default changed:"),
      5000,
    );
    expect(post.args.channel).toBe("C0TEAM");
    expect(JSON.stringify(post.args.blocks)).toContain("p95 −18%");
    const row = await h.testDb.db.deviation.findFirstOrThrow();
    expect(row).toMatchObject({ verdict: "promote", outcome: "p95 −18%" });
    expect(row.decidedAt?.toISOString()).toBe("2026-12-01T10:01:00.000Z");
    await h.fake.waitFor("chat.update", (a) => a.ts === dm.ts, 5000);

    const late = await h.sender.submitView(second.id, {
      [DEV_BLOCK.outcome]: "Changed my mind",
      [DEV_BLOCK.verdict]: "retire",
    });
    expect(late.errors?.[DEV_BLOCK.outcome]).toMatch(/already recorded/);
    const after = await h.testDb.db.deviation.findFirstOrThrow();
    expect(after).toMatchObject({ verdict: "promote", outcome: "p95 −18%" });
    expect(h.fake.messagesIn("C0TEAM").filter((m) => m.text.startsWith("Retired:"))).toHaveLength(0);
  });
});
