import { afterEach, beforeEach, expect, it } from "vitest";
import { ACTION, ALARM_ACTION, MECH_BLOCK, REVIEW_BLOCK } from "../../src/slack/ids.js";
import { createMechanism, goodMechanism, reviewAnswers, setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

/** Top-level alarm posts in the team channel whose fallback text names `title`. */
const posted = (h: Harness, title: string) =>
  h.fake.messagesIn("C0TEAM").filter((m) => m.text.includes(title));
const GUARDRAIL = "Nobody can say stop";

describeDb("thrash alarms", () => {
  let h: Harness;
  let teamId: string;
  beforeEach(async () => {
    // Mon 23 Nov; the team reviews Tuesdays 10:00 London, so cycle 0 starts Tue 24 Nov 10:00Z.
    h = await startHarness({ now: "2026-11-23T09:00:00Z" });
    teamId = (await setupTeam(h)).id;
    h.fake.addUser({ id: "U0GONE", name: "Gone Person", deleted: true });
  });
  afterEach(async () => h?.close());

  /** A mechanism whose stop owner Slack reports as deactivated; resolves with the alarm post. */
  async function unstoppableMechanism() {
    const created = await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.stopOwner]: "U0GONE" });
    const alarm = await h.fake.waitFor("chat.postMessage", (a) => String(a.text).includes(GUARDRAIL), 5000);
    return { ...created, alarmTs: String((alarm.response as { ts: string }).ts), alarm };
  }

  it("posts a deactivated stop owner once, lists it, and resolves the message in place once fixed", async () => {
    await h.sender.command("alarms", { channelId: "C0TEAM" });
    expect(JSON.stringify((await h.responses(1))[0])).toContain("No thrash alarms");

    const { post, alarm, alarmTs } = await unstoppableMechanism();
    expect(alarm.args.channel).toBe("C0TEAM");
    const blocks = JSON.stringify(alarm.args.blocks);
    expect(blocks).toContain("Stop owner <@U0GONE> is deactivated");
    expect(blocks).toContain("Name one person who can say stop");

    // The cycle job and the data-change hook find the same condition: still one post.
    await h.tick();
    await h.tick();
    await h.composed.deps.alarms.onDataChanged(teamId);
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
    expect(await h.testDb.db.alarm.count({ where: { kind: "unstoppable_guardrail" } })).toBe(1);

    await h.sender.command("alarms", { channelId: "C0TEAM" });
    const list = JSON.stringify((await h.responses(2))[1]);
    expect(list).toContain(GUARDRAIL);
    expect(list).toContain("First-run nudge");

    // Name a live stop owner: the alarm message turns into "Resolved" where it was posted.
    const onePager = String((post.response as { ts: string }).ts);
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: onePager },
      actionId: ACTION.editMechanism,
    });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, { [MECH_BLOCK.stopOwner]: "U0STOPPER" });
    expect(res.errors).toBeUndefined();
    const update = await h.fake.waitFor("chat.update", (a) => a.ts === alarmTs, 5000);
    expect(String(update.args.text)).toContain("Resolved");
    expect(JSON.stringify(h.fake.message("C0TEAM", alarmTs)?.blocks)).not.toContain(ALARM_ACTION.acknowledge);
    const row = await h.testDb.db.alarm.findFirstOrThrow({ where: { kind: "unstoppable_guardrail" } });
    expect(row.status).toBe("resolved");
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
  });

  it("Acknowledge and Snooze update the message in place and keep it quiet for exactly one more cycle", async () => {
    const { alarmTs } = await unstoppableMechanism();
    const ref = { channelId: "C0TEAM", ts: alarmTs };

    await h.sender.clickButton({ userId: "U0OWNER", message: ref, actionId: ALARM_ACTION.acknowledge });
    await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === alarmTs && JSON.stringify(a.blocks).includes("Acknowledged by <@U0OWNER>"),
      5000,
    );
    const row = await h.testDb.db.alarm.findFirstOrThrow({ where: { kind: "unstoppable_guardrail" } });
    expect(row.status).toBe("acknowledged");
    // Idempotent: a second acknowledgement changes nothing.
    expect(await h.composed.deps.alarms.acknowledge(row.id, "U0TESTER")).toBe(false);
    await h.tick();
    await h.composed.deps.alarms.onDataChanged(teamId);
    expect(posted(h, GUARDRAIL)).toHaveLength(1);

    await h.sender.clickButton({ userId: "U0OWNER", message: ref, actionId: ALARM_ACTION.snooze });
    await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === alarmTs && JSON.stringify(a.blocks).includes("Snoozed one cycle by <@U0OWNER>"),
      5000,
    );
    const snoozed = await h.testDb.db.alarm.findUniqueOrThrow({ where: { id: row.id } });
    expect(snoozed).toMatchObject({ status: "snoozed", snoozeUntil: 0 });
    expect(JSON.stringify(h.fake.message("C0TEAM", alarmTs)?.blocks)).not.toContain(ALARM_ACTION.snooze);

    h.clock.set("2026-11-24T10:01:00Z"); // cycle 0: still snoozed
    await h.tick();
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
    h.clock.set("2026-12-01T10:01:00Z"); // cycle 1: the snooze is over and the stop owner is still gone
    await h.tick();
    await h.tick();
    // It comes back in the same message, open again with its buttons: one message per condition.
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
    const back = JSON.stringify(h.fake.message("C0TEAM", alarmTs)?.blocks);
    expect(back).toContain(ALARM_ACTION.acknowledge);
    expect(back).toContain("Still open: 3 cycles, since Mon 23 Nov");
    expect((await h.testDb.db.alarm.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("open");
  });

  it("keeps one message per open condition, updates it each cycle, and resolves it in place", async () => {
    const { post, alarmTs } = await unstoppableMechanism();
    for (const [at, cycles] of [
      ["2026-11-24T10:01:00Z", 2],
      ["2026-12-01T10:01:00Z", 3],
    ] as const) {
      h.clock.set(at);
      await h.tick();
      await h.tick(); // a double tick changes nothing more
      await h.fake.waitFor(
        "chat.update",
        (a) =>
          a.ts === alarmTs &&
          JSON.stringify(a.blocks).includes(`Still open: ${cycles} cycles, since Mon 23 Nov`),
        5000,
      );
    }
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
    expect(h.fake.callsTo("chat.update").filter((c) => c.args.ts === alarmTs)).toHaveLength(2);
    expect(await h.testDb.db.alarm.count({ where: { kind: "unstoppable_guardrail" } })).toBe(1);

    // `/ratchet alarms` and the rollup's "Open alarms" say what the message says.
    await h.sender.command("alarms", { channelId: "C0TEAM" });
    const list = JSON.stringify((await h.responses(1))[0]);
    expect(list).toContain("Nobody can say stop* · First-run nudge · open 3 cycles");
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const rollup = JSON.stringify((await h.responses(2))[1]);
    expect(rollup).toMatch(/Nobody can say stop\* · First-run nudge — [^"]*3 cycles\)_/);
    expect(rollup.match(/Nobody can say stop/g)).toHaveLength(1);

    // Fixed: the same message turns into "Resolved", with how long it was open.
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: String((post.response as { ts: string }).ts) },
      actionId: ACTION.editMechanism,
    });
    const view = await h.openedView();
    expect(
      (await h.sender.submitView(view.id, { [MECH_BLOCK.stopOwner]: "U0STOPPER" })).errors,
    ).toBeUndefined();
    const resolved = await h.fake.waitFor(
      "chat.update",
      (a) => a.ts === alarmTs && String(a.text).includes("Resolved"),
      5000,
    );
    expect(JSON.stringify(resolved.args.blocks)).toContain("open 3 cycles");
    await h.sender.command("alarms", { channelId: "C0TEAM" });
    expect(JSON.stringify((await h.responses(3))[2])).not.toContain("Nobody can say stop");
    expect(posted(h, GUARDRAIL)).toHaveLength(1);
  });

  it("answers a click on an alarm that does not exist, and changes nothing", async () => {
    const { alarmTs } = await unstoppableMechanism();
    await h.sender.blockAction({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: alarmTs },
      actionId: ALARM_ACTION.acknowledge,
      value: "alarm_forged<!channel>",
    });
    expect(JSON.stringify((await h.responses(1))[0])).toContain("That alarm no longer exists.");
    const row = await h.testDb.db.alarm.findFirstOrThrow({ where: { kind: "unstoppable_guardrail" } });
    expect(row).toMatchObject({ status: "open", stateBy: null });
    expect(h.fake.callsTo("chat.update").filter((c) => c.args.ts === alarmTs)).toHaveLength(0);
  });

  it("raises a status-only review, but no quiet cycles while the earlier cycle began before the team existed", async () => {
    const { mechanism } = await createMechanism(h);
    h.clock.set("2026-11-24T10:01:00Z"); // the first reminder; nobody answers it
    await h.tick();
    expect(posted(h, "Status-only reviews")).toHaveLength(0);
    h.clock.set("2026-12-01T10:01:00Z"); // the next occurrence: the first one went unanswered
    await h.tick();
    await h.tick();
    const review = posted(h, "Status-only reviews");
    expect(review).toHaveLength(1);
    expect(JSON.stringify(review[0]?.blocks)).toContain("reminder unanswered");
    expect(JSON.stringify(review[0]?.blocks)).toContain("First-run nudge");
    // Two cycles back reach Tue 17 Nov; the team was set up on Mon 23 Nov: its first partial cycle doesn't count.
    expect(posted(h, "Two cycles without a deviation")).toHaveLength(0);
    const open = await h.composed.deps.alarms.openAlarms(teamId);
    expect(open.map((a) => a.kind)).toContain("status_only_review");
    expect(open.map((a) => a.kind)).not.toContain("no_deviations");
    expect(open.find((a) => a.kind === "status_only_review")?.subjectLabel).toBe(mechanism.title);

    // A decision logged any time re-checks too: the stale pilot clears in place.
    const stale = posted(h, "Pilot past a cycle without a decision");
    expect(stale).toHaveLength(1);
    await h.sender.command("log", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const res = await h.sender.submitView(view.id, {
      [REVIEW_BLOCK.mechanism]: mechanism.id,
      [REVIEW_BLOCK.decision]: "continue",
      [REVIEW_BLOCK.entry]: "Continue: proxy up, outcome flat; one more cycle.",
    });
    expect(res.errors).toBeUndefined();
    const staleTs = stale[0]?.ts ?? "";
    await h.fake.waitFor("chat.update", (a) => a.ts === staleTs && String(a.text).includes("Resolved"), 5000);
  });

  it("raises two quiet cycles once both whole cycles passed after set-up, and resolves them when a deviation is logged", async () => {
    await createMechanism(h);
    for (const at of ["2026-11-24T10:01:00Z", "2026-12-01T10:01:00Z"]) {
      h.clock.set(at);
      await h.tick();
    }
    expect(posted(h, "Two cycles without a deviation")).toHaveLength(0);
    h.clock.set("2026-12-08T10:01:00Z"); // cycles 0 and 1 (24 Nov – 8 Dec) both passed with no deviation
    await h.tick();
    const quiet = posted(h, "Two cycles without a deviation");
    expect(quiet).toHaveLength(1);
    const text = JSON.stringify(quiet[0]?.blocks);
    expect(text).toContain("No deviations logged in the last two cycles (24 Nov – 8 Dec)");
    expect(text).not.toContain("17 Nov");

    // What the deviations feature does after logging one: write the row, then call the hook.
    await h.testDb.db.deviation.create({
      data: {
        teamId,
        area: "Onboarding",
        deviation: "Skip the welcome email for Segment S",
        hypothesis: "because the in-product prompt already covers it",
        benefit: "Less noise",
        risk: "Lower recall",
        cycleIndex: 2,
        ownerId: "U0OWNER",
        createdAt: h.clock.now(),
      },
    });
    await h.composed.deps.alarms.onDataChanged(teamId);
    const quietTs = quiet[0]?.ts ?? "";
    await h.fake.waitFor("chat.update", (a) => a.ts === quietTs && String(a.text).includes("Resolved"), 5000);
    await h.tick();
    expect(posted(h, "Two cycles without a deviation")).toHaveLength(1);
    expect((await h.composed.deps.alarms.openAlarms(teamId)).map((a) => a.kind)).not.toContain(
      "no_deviations",
    );
  });

  it("raises “Demo replaces user behaviour” once a whole cycle of proxy readings came without an outcome reading", async () => {
    const DEMO = "Demo replaces user behaviour";
    await createMechanism(h);
    /** The review at `at`, answered from its reminder with these readings. */
    const review = async (at: string, readings: { proxy?: string; outcome?: string }) => {
      h.clock.set(at);
      await h.tick();
      const reminder = h.fake
        .messagesIn("C0TEAM")
        .filter((m) => m.text.startsWith("15-minute review due"))
        .at(-1);
      await h.sender.clickButton({
        userId: "U0OWNER",
        message: { channelId: "C0TEAM", ts: reminder?.ts ?? "" },
        actionId: ACTION.openReview,
      });
      const view = await h.openedView();
      const answers = reviewAnswers({ decision: "change", change: "Tighten the prompt copy", ...readings });
      return { view, submit: () => h.sender.submitView(view.id, answers, { userId: "U0OWNER" }) };
    };

    const first = await review("2026-11-24T10:00:30Z", { proxy: "50" });
    // Bad input first: a five-line log entry is refused inline, and none of its readings are kept.
    const refused = await h.sender.submitView(
      first.view.id,
      reviewAnswers({
        decision: "change",
        change: "Tighten the prompt copy",
        proxy: "50",
        outcome: "29",
        entry: "one\ntwo\nthree\nfour\nfive",
      }),
      { userId: "U0OWNER" },
    );
    expect(Object.keys(refused.errors ?? {})).toEqual([REVIEW_BLOCK.entry]);
    expect(await h.testDb.db.reading.count()).toBe(0);
    expect((await first.submit()).errors).toBeUndefined();
    await h.settle();
    expect(posted(h, DEMO)).toHaveLength(0);

    // A second proxy reading a cycle later: still not past a whole cycle since the first.
    expect((await (await review("2026-12-01T10:00:30Z", { proxy: "60" })).submit()).errors).toBeUndefined();
    await h.settle();
    expect(posted(h, DEMO)).toHaveLength(0);

    // The next cycle begins: the whole cycle since 1 Dec passed with proxies and no outcome.
    h.clock.set("2026-12-08T10:00:10Z");
    await h.tick();
    const alarm = await h.fake.waitFor("chat.postMessage", (a) => String(a.text).includes(DEMO), 5000);
    expect(String(alarm.args.text)).toBe(`🧪 Pilot purgatory: ${DEMO} — First-run nudge`);
    const blocks = JSON.stringify(alarm.args.blocks);
    expect(blocks).toContain(
      "2 proxy readings from 24 Nov to 1 Dec, and outcome “14-day activation” has never been read",
    );
    expect(blocks).not.toContain("demo_replaces_behaviour");
    await h.sender.command("alarms", { channelId: "C0TEAM" });
    expect(JSON.stringify((await h.responses(1))[0])).toContain(DEMO);

    // An outcome reading at the review answers the proxies: the message resolves in place.
    const ts = String((alarm.response as { ts: string }).ts);
    expect(
      (await (await review("2026-12-08T10:00:30Z", { proxy: "70", outcome: "29" })).submit()).errors,
    ).toBeUndefined();
    await h.fake.waitFor("chat.update", (a) => a.ts === ts && String(a.text).includes("Resolved"), 5000);
    expect(posted(h, DEMO)).toHaveLength(1);
  });

  it("asks who runs it if it works, apart from the rollback path, and raises “No ops path” from what that field says", async () => {
    const NO_OPS = "No ops path if it works";
    // A rollback path alone is not an ops path; "TBD" is not one either (the one placeholder rule).
    const { post, mechanism } = await createMechanism(h, { ...goodMechanism, [MECH_BLOCK.opsPath]: "TBD" });
    expect(JSON.stringify(post.args.blocks)).toContain("*If it works, who runs it:* TBD");
    expect(mechanism?.opsPath).toBe("TBD");
    h.clock.set("2026-11-24T10:01:00Z"); // cycle 0: the pilot's first whole cycle has only begun
    await h.tick();
    expect(posted(h, NO_OPS)).toHaveLength(0);
    h.clock.set("2026-12-01T10:01:00Z"); // cycle 1: a whole cycle went by with nobody named
    await h.tick();
    const alarm = await h.fake.waitFor("chat.postMessage", (a) => String(a.text).includes(NO_OPS), 5000);
    const text = JSON.stringify(alarm.args.blocks);
    expect(text).toContain("“If it works, who runs it?” says “TBD”");
    expect(text).not.toContain("no_ops_path");
    expect(text).not.toContain("Rollback");

    // Name who runs it (people's text is escaped on the one-pager): the alarm resolves in place.
    const onePager = String((post.response as { ts: string }).ts);
    await h.sender.clickButton({
      userId: "U0OWNER",
      message: { channelId: "C0TEAM", ts: onePager },
      actionId: ACTION.editMechanism,
    });
    const edit = await h.openedView();
    const field = JSON.stringify(
      edit.blocks.find(
        (b) => typeof b === "object" && b !== null && "block_id" in b && b.block_id === MECH_BLOCK.opsPath,
      ),
    );
    expect(field).toContain("If it works, who runs it? (ops owner / path)");
    expect(field).toContain('"initial_value":"TBD"');
    const res = await h.sender.submitView(edit.id, {
      [MECH_BLOCK.opsPath]: "Support on-call <!channel> owns it",
    });
    expect(res.errors).toBeUndefined();
    const ts = String((alarm.response as { ts: string }).ts);
    await h.fake.waitFor("chat.update", (a) => a.ts === ts && String(a.text).includes("Resolved"), 5000);
    const redrawn = JSON.stringify(h.fake.message("C0TEAM", onePager)?.blocks);
    expect(redrawn).toContain("*If it works, who runs it:* Support on-call &lt;!channel&gt; owns it");
    expect(redrawn).toContain("*Rollback / kill:* Feature flag off");
    expect((await h.testDb.db.mechanism.findFirstOrThrow()).opsPath).toBe(
      "Support on-call <!channel> owns it",
    );
  });

  it("raises status-only reviews when three continue decisions in a row came with no new readings", async () => {
    const { mechanism } = await createMechanism(h);
    const logContinue = async (at: string) => {
      h.clock.set(at);
      await h.sender.command("log", { channelId: "C0TEAM" });
      const view = await h.openedView();
      const res = await h.sender.submitView(view.id, {
        [REVIEW_BLOCK.mechanism]: mechanism.id,
        [REVIEW_BLOCK.decision]: "continue",
        [REVIEW_BLOCK.entry]: "Continue.",
      });
      expect(res.errors).toBeUndefined();
      await h.settle();
    };
    await logContinue("2026-11-23T12:00:00Z");
    await logContinue("2026-11-24T12:00:00Z");
    expect(posted(h, "Status-only reviews")).toHaveLength(0);
    await logContinue("2026-11-25T12:00:00Z");
    const reflex = await h.fake.waitFor(
      "chat.postMessage",
      (a) => String(a.text).includes("Status-only reviews"),
      5000,
    );
    const text = JSON.stringify(reflex.args.blocks);
    expect(text).toContain("were all “continue” with no new readings");
    expect(text).toContain("First-run nudge");
  });
});
