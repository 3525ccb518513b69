import { afterEach, beforeEach, expect, it } from "vitest";
import {
  INCIDENT_ACTION as A,
  INCIDENT_BLOCK as B,
  INCIDENT_VIEW,
  SETTINGS_BLOCK,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { eventually } from "../support/eventually.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// The harness clock: Mon 23 Nov 2026, 09:00 UTC. Issue 11: severity decides the machinery.
const at = (iso: string) => new Date(iso);

describeDb("COEs scaled by severity: settings, the light COE, deadline nudges and the rollup", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await setupTeam(h);
  });
  afterEach(async () => h?.close());

  async function startIncident(severity: string, o: Record<string, Answer> = {}) {
    await h.sender.command("incident", { channelId: "C0TEAM" });
    const view = await h.openedView();
    expect(view.callback_id).toBe(INCIDENT_VIEW.intake);
    const res = await h.sender.submitView(view.id, {
      [B.title]: `Checkout errors (${severity})`,
      [B.severity]: severity,
      [B.impact]: "Some checkouts failed",
      [B.startedAt]: at("2026-11-23T07:30:00Z"),
      [B.detectedAt]: at("2026-11-23T07:45:00Z"),
      ...o,
    });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor(
      "chat.postMessage",
      (a) => a.channel === "C0TEAM" && String(a.text).includes(`(${severity.toUpperCase()})`),
      5000,
    );
    const ts = String((post.response as { ts: string }).ts);
    const incident = await eventually(() => h.testDb.db.incident.findFirst({ where: { messageTs: ts } }));
    return { incident, msg: { channelId: "C0TEAM", ts }, blocks: JSON.stringify(post.args.blocks) };
  }

  async function step(
    msg: { channelId: string; ts: string },
    actionId: string,
    answers: Record<string, Answer>,
  ) {
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId });
    const view = await h.openedView();
    return { view, ...(await h.sender.submitView(view.id, answers)) };
  }

  async function tickAt(iso: string) {
    h.clock.set(iso);
    await h.tick();
  }

  it("settings choose which severities get a full COE and the deep-dive window; bad input is refused inline", async () => {
    await h.sender.command("settings", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain("Severities that need a full COE");
    for (const bad of ["0", "2.5", "1000"]) {
      const refused = await h.sender.submitView(view.id, { [SETTINGS_BLOCK.coeDeepDiveHours]: bad });
      expect(refused.errors).toEqual({
        [SETTINGS_BLOCK.coeDeepDiveHours]: "Give the deep-dive window in whole hours, from 1 to 720.",
      });
    }
    expect(await h.testDb.db.team.findFirstOrThrow()).toMatchObject({
      fullCoeSeverities: "sev1,sev2",
      coeDeepDiveHours: 48,
    });
    const saved = await h.sender.submitView(view.id, {
      [SETTINGS_BLOCK.fullCoeSeverities]: ["sev3", "sev1"],
      [SETTINGS_BLOCK.coeDeepDiveHours]: "72",
    });
    expect(saved.errors).toBeUndefined();
    expect(await h.testDb.db.team.findFirstOrThrow()).toMatchObject({
      fullCoeSeverities: "sev1,sev3",
      coeDeepDiveHours: 72,
    });
    // A SEV2 is light now.
    const { blocks } = await startIncident("sev2");
    expect(blocks).toContain("light COE");
  });

  it("a SEV3 gets the light COE: no whys or factors asked, a summary and one lesson open the gate", async () => {
    const { incident, msg, blocks } = await startIncident("sev3");
    expect(blocks).toContain("light COE: a summary and one lesson");
    expect(blocks).not.toContain(A.why);
    expect(blocks).not.toContain(A.factor);
    expect(blocks).toContain(A.finding);

    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.complete });
    const notReady = JSON.stringify((await h.openedView()).blocks);
    expect(notReady).toContain("No summary yet");
    expect(notReady).toContain("No lesson yet");
    expect(notReady).not.toContain("No whys yet");

    expect(
      (await step(msg, A.learned, { [B.learned]: "Cache warm-up belongs in the deploy" })).errors,
    ).toBeUndefined();
    // The summary is the intake's "What happened", under Edit details.
    await h.sender.clickButton({ userId: "U0TESTER", message: msg, actionId: A.edit });
    const edit = await h.openedView();
    expect(
      (
        await h.sender.submitView(edit.id, {
          [B.description]: "A cold cache after the deploy slowed checkout.",
        })
      ).errors,
    ).toBeUndefined();
    const done = await step(msg, A.complete, { [B.completeConfirm]: ["confirmed"] });
    expect(done.errors).toBeUndefined();
    expect((await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe(
      "complete",
    );
  });

  it("a SEV1 not started in 24 h, then not complete in the window, DMs its owner once per condition and shows in the rollup", async () => {
    const { msg } = await startIncident("sev1");
    const light = await startIncident("sev4");
    expect(light.blocks).toContain("light COE");
    const dms = () => h.fake.dmsTo("U0TESTER").filter((m) => m.text.startsWith("COE"));

    // Detected 07:45 on the 23rd: nothing before 07:45 on the 24th.
    await tickAt("2026-11-24T07:44:00Z");
    expect(dms()).toHaveLength(0);
    await tickAt("2026-11-24T07:45:00Z");
    await h.tick();
    await tickAt("2026-11-24T08:30:00Z");
    expect(dms().map((m) => m.text)).toEqual(["COE not started: Checkout errors (sev1)"]);
    expect(JSON.stringify(dms()[0]?.blocks)).toContain("more than 24 h ago");

    // The weekly rollup lists it as overdue (and not the light SEV4).
    await h.sender.command("rollup", { channelId: "C0TEAM" });
    const [preview] = await h.responses(1);
    expect(JSON.stringify(preview)).toContain("Overdue COEs");
    expect(JSON.stringify(preview)).toContain("Checkout errors (sev1) (SEV1)");
    expect(JSON.stringify(preview)).not.toContain("(sev4)");

    // Started, not complete: the 48 h window is the next (and last) nudge.
    expect(
      (
        await step(msg, A.timeline, {
          [B.timelineAt]: at("2026-11-23T07:30:00Z"),
          [B.timelineText]: "Errors rise",
        })
      ).errors,
    ).toBeUndefined();
    await tickAt("2026-11-25T07:44:00Z");
    expect(dms()).toHaveLength(1);
    await tickAt("2026-11-25T07:45:00Z");
    await h.tick();
    await tickAt("2026-11-26T09:00:00Z");
    expect(dms().map((m) => m.text)).toEqual([
      "COE not started: Checkout errors (sev1)",
      "COE overdue: Checkout errors (sev1)",
    ]);
    const overdue = JSON.stringify(dms()[1]?.blocks);
    expect(overdue).toContain("within 48 h");
    expect(overdue).toContain("No whys yet");
    // Nothing left to watch: the index no longer lists it.
    const row = await h.testDb.db.incident.findFirstOrThrow({ where: { messageTs: msg.ts } });
    expect(row.coeCheckAt).toBeNull();
  });

  it("a settings change reaches open COEs: a SEV3 made full is watched from then on", async () => {
    const { incident } = await startIncident("sev3");
    await h.tick();
    // Light: nothing to watch.
    expect(
      (await h.testDb.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).coeCheckAt,
    ).toBeNull();
    await h.sender.command("settings", { channelId: "C0TEAM" });
    const view = await h.openedView();
    const saved = await h.sender.submitView(view.id, {
      [SETTINGS_BLOCK.fullCoeSeverities]: ["sev1", "sev2", "sev3"],
    });
    expect(saved.errors).toBeUndefined();
    await tickAt("2026-11-24T07:45:00Z");
    await h.tick();
    await tickAt("2026-11-24T08:00:00Z");
    expect(h.fake.dmsTo("U0TESTER").map((m) => m.text)).toContain("COE not started: Checkout errors (sev3)");
  });
});
