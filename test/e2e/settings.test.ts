import { afterEach, beforeEach, expect, it } from "vitest";
import {
  DEBRIEF_BLOCK,
  ROLLUP_SETTINGS_BLOCK,
  SETTINGS_BLOCK,
  settingsSection,
  TEAM_BLOCK,
  VIEW,
} from "../../src/slack/ids.js";
import type { Answer } from "../slack/sender.js";
import { setupTeam } from "../support/fixtures.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

// One modal holds every team setting: team and review slot, debrief, rollup, incidents. The commands
// that had their own modal open it with their section first; one Save applies every section.

const RETRY = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
type Block = { type: string; block_id?: string; elements?: { text?: string }[] };

const blocksOf = (view: { blocks?: unknown[] }) => (view.blocks ?? []) as Block[];
/** The sections' header ids, in the order the modal shows them. */
const sectionsOf = (view: { blocks?: unknown[] }) =>
  blocksOf(view)
    .filter((b) => b.type === "header")
    .map((b) => b.block_id);
const noteOf = (view: { blocks?: unknown[] }) =>
  blocksOf(view).find((b) => b.block_id === SETTINGS_BLOCK.note)?.elements?.[0]?.text ?? null;

describeDb("one settings modal", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    seen = { posts: 0, ephemerals: 0 };
  });
  afterEach(async () => h?.close());

  /** Waits for what the submissions queued: after-ack work, then the outbox's posts. */
  const settled = async () => {
    await h.composed.deps.afterAck.idle();
    await h.composed.deliverer.idle();
  };
  // What was said since `existingTeam` (its "set up here" is not what a test looks for).
  let seen = { posts: 0, ephemerals: 0 };
  const postCalls = () => h.fake.callsTo("chat.postMessage").slice(seen.posts);
  const ephemeralMessages = () => h.fake.ephemeralsFor("U0TESTER").slice(seen.ephemerals);
  const posts = () => postCalls().map((c) => String(c.args.text));
  const ephemerals = () => ephemeralMessages().map((m) => m.text);
  const open = async (command: string) => {
    await h.sender.command(command, { channelId: "C0TEAM" });
    return h.openedView();
  };
  /** The team is set up (and its "set up here" posted); everything from here on is new. */
  const existingTeam = async () => {
    const team = await setupTeam(h);
    await settled();
    seen = { posts: h.fake.callsTo("chat.postMessage").length, ephemerals: ephemerals().length };
    return team;
  };

  it("opens at the section of each command that had its own modal, with every section below", async () => {
    await existingTeam();
    const expected: [string, string][] = [
      ["settings", "team"],
      ["setup", "team"],
      ["debrief", "debrief"],
      ["rollup settings", "rollup"],
      ["incident channel", "incidents"],
    ];
    for (const [command, first] of expected) {
      const view = await open(command);
      h.fake.closeView(view.id);
      expect(view.callback_id).toBe(VIEW.settings);
      const sections = sectionsOf(view);
      expect(sections[0], command).toBe(settingsSection(first));
      expect([...sections].sort()).toEqual(
        ["debrief", "incidents", "rollup", "team"].map(settingsSection).sort(),
      );
      // Slack can't scroll a modal to a section, so one put first says so above it.
      if (first === "team") expect(noteOf(view)).toBeNull();
      else expect(blocksOf(view)[0]?.block_id).toBe(SETTINGS_BLOCK.note);
      expect(blocksOf(view).length).toBeLessThanOrEqual(100);
    }
  });

  it("opens a channel with no team at the team section only, and sets the team up as setup always has", async () => {
    for (const command of ["settings", "setup"]) {
      const view = await open(command);
      h.fake.closeView(view.id);
      expect(sectionsOf(view)).toEqual([settingsSection("team")]);
      expect(noteOf(view)).toMatch(/appear here once the team is saved/);
    }
    const view = await open("settings");
    const res = await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "Checkout squad",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    expect(res.errors).toBeUndefined();
    await settled();
    expect(posts()).toEqual([expect.stringContaining("Checkout squad* is set up here")]);
    const team = await h.testDb.db.team.findFirstOrThrow();
    expect(team).toMatchObject({ channelId: "C0TEAM", debriefEnabled: true, rollupWeekday: 1 });
    expect(team.cycleAnchor.toISOString()).toBe("2026-11-24T10:00:00.000Z");
  });

  it("changes all four sections in one Save, keeping cycle numbering, and confirms each once", async () => {
    await existingTeam();
    // Wed 2 Dec: cycle 1 (it began Tue 1 Dec). Moving reviews to Thursdays starts cycle 2 on Thu 3 Dec.
    h.clock.set("2026-12-02T09:00:00Z");
    const view = await open("settings");
    const res = await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "Checkout & payments",
      [TEAM_BLOCK.weekday]: "4",
      [DEBRIEF_BLOCK.nudge]: "on",
      [ROLLUP_SETTINGS_BLOCK.weekday]: "5",
      [ROLLUP_SETTINGS_BLOCK.channel]: "C0GENERAL",
      [SETTINGS_BLOCK.incidentsChannel]: "C0INC",
    });
    expect(res.errors).toBeUndefined();
    await settled();

    const team = await h.testDb.db.team.findFirstOrThrow();
    expect(team).toMatchObject({
      name: "Checkout & payments",
      reviewWeekday: 4,
      debriefNudge: true,
      rollupWeekday: 5,
      incidentsChannelId: "C0INC",
    });
    expect(team.cycleAnchor.toISOString()).toBe("2026-11-19T10:00:00.000Z");
    expect(await h.testDb.db.workspace.findFirst()).toMatchObject({ rollupChannelId: "C0GENERAL" });
    expect(await h.testDb.db.team.count()).toBe(1);

    const said = posts();
    expect(said).toHaveLength(2);
    expect(said.filter((t) => t.includes("settings updated"))).toHaveLength(1);
    expect(said.filter((t) => t.includes("end-of-week debrief"))).toHaveLength(1);
    const told = ephemerals();
    expect(told).toHaveLength(2);
    expect(told.filter((t) => t.includes("weekly rollup: every Friday"))).toHaveLength(1);
    expect(told.filter((t) => t.includes("<#C0INC>"))).toHaveLength(1);
  });

  it("refuses a bad value in one section inline there, and writes nothing in any section", async () => {
    const before = await existingTeam();
    const view = await open("rollup settings");
    const res = await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "Renamed squad",
      [DEBRIEF_BLOCK.time]: "15:00",
      [DEBRIEF_BLOCK.digestTime]: "14:00",
      [ROLLUP_SETTINGS_BLOCK.weekday]: "5",
      [ROLLUP_SETTINGS_BLOCK.channel]: "C0GENERAL",
      [SETTINGS_BLOCK.incidentsChannel]: "C0INC",
    });
    expect(res.errors).toEqual({ [DEBRIEF_BLOCK.digestTime]: expect.stringMatching(/after the prompt/) });
    expect(h.fake.viewStack(view.id)).toHaveLength(1);
    await settled();
    expect(await h.testDb.db.team.findFirstOrThrow()).toEqual(before);
    expect(await h.testDb.db.workspace.count()).toBe(0);
    expect(posts()).toEqual([]);
    expect(ephemerals()).toEqual([]);
  });

  it("refuses to move the team into a channel another team has, on the channel input", async () => {
    const before = await existingTeam();
    await h.sender.command("setup", { channelId: "C0OTHER" });
    await h.sender.submitView((await h.openedView()).id, { [TEAM_BLOCK.name]: "Growth squad" });
    await settled();
    const view = await open("settings");
    const res = await h.sender.submitView(view.id, { [TEAM_BLOCK.channel]: "C0OTHER" });
    expect(res.errors?.[TEAM_BLOCK.channel]).toMatch(/its own Ratchet team/);
    expect(await h.testDb.db.team.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before);
  });

  it("never lets a team name's <!channel> reach the channel unescaped", async () => {
    await existingTeam();
    const view = await open("settings");
    const res = await h.sender.submitView(view.id, {
      [TEAM_BLOCK.name]: "<!channel> squad <@U0OWNER>",
      [DEBRIEF_BLOCK.nudge]: "on",
      [ROLLUP_SETTINGS_BLOCK.weekday]: "3",
    });
    expect(res.errors).toBeUndefined();
    await settled();
    const everything = [
      ...postCalls().map((c) => JSON.stringify(c.args)),
      ...ephemeralMessages().map((m) => JSON.stringify(m)),
    ];
    expect(everything).toHaveLength(3);
    for (const sent of everything) {
      expect(sent).not.toContain("<!channel>");
      expect(sent).not.toContain("<@U0OWNER>");
    }
    expect(everything.some((s) => s.includes("&lt;!channel&gt; squad"))).toBe(true);
    // The next modal shows the name as typed: plain_text renders no mention.
    const again = await open("settings");
    expect(JSON.stringify(again.blocks)).toContain('"initial_value":"<!channel> squad <@U0OWNER>"');
  });

  it("changes once and confirms once for a double-clicked Save and Slack's retry of it", async () => {
    await existingTeam();
    const view = await open("debrief");
    const answers: Record<string, Answer> = {
      [TEAM_BLOCK.time]: "11:00",
      [DEBRIEF_BLOCK.enabled]: "off",
      [ROLLUP_SETTINGS_BLOCK.time]: "08:30",
      [SETTINGS_BLOCK.incidentsChannel]: "C0INC",
    };
    const [one, two, three] = [1, 2, 3].map(() => h.sender.viewSubmission(view.id, answers));
    if (!one || !two || !three) throw new Error("no copies");
    const [a, b] = await Promise.all([h.sender.postPayload(one), h.sender.postPayload(two)]);
    const c = await h.sender.postPayload(three, RETRY);
    expect([a.body, b.body, c.body]).toEqual(["", "", ""]);
    await settled();
    expect(await h.testDb.db.team.findFirstOrThrow()).toMatchObject({
      reviewTime: "11:00",
      debriefEnabled: false,
      rollupTime: "08:30",
      incidentsChannelId: "C0INC",
    });
    expect(posts()).toHaveLength(2); // settings updated, debrief updated
    expect(ephemerals()).toHaveLength(2); // rollup, incidents
  });

  it("posts nothing for sections that did not change, and nothing at all when nothing did", async () => {
    const before = await existingTeam();
    const view = await open("settings");
    expect((await h.sender.submitView(view.id, {})).errors).toBeUndefined();
    await settled();
    expect(posts()).toEqual([]);
    expect(ephemerals()).toEqual([]);
    expect(await h.testDb.db.team.findFirstOrThrow()).toEqual(before);
    expect(await h.testDb.db.workspace.count()).toBe(0);

    // Only the incidents channel: only its note, to the person, and no "settings updated" in the channel.
    const next = await open("incident channel");
    await h.sender.submitView(next.id, { [SETTINGS_BLOCK.incidentsChannel]: "C0INC" });
    await settled();
    expect(posts()).toEqual([]);
    expect(ephemerals()).toEqual([expect.stringContaining("<#C0INC>")]);
  });

  it("keeps `/ratchet incident channel #channel` as a shortcut", async () => {
    await existingTeam();
    const opened = h.fake.callsTo("views.open").length;
    await h.sender.command("incident channel <#C0INC|incidents>", { channelId: "C0TEAM" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("<#C0INC>");
    expect(h.fake.callsTo("views.open")).toHaveLength(opened);
    expect(await h.testDb.db.team.findFirstOrThrow()).toMatchObject({ incidentsChannelId: "C0INC" });
  });
});
