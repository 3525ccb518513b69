import { afterEach, beforeEach, expect, it } from "vitest";
import { buildHelp, COMMANDS } from "../../src/slack/blocks/messages.js";
import { TEAM_BLOCK, VIEW } from "../../src/slack/ids.js";
import { wire } from "../../src/slack/notifier.js";
import { type Harness, startHarness } from "../support/harness.js";
import { describeDb } from "../support/test-db.js";

describeDb("team setup", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h?.close());

  it("opens the setup modal with the caller's time zone and the current channel", async () => {
    const res = await h.sender.command("setup", { channelId: "C0TEAM", userId: "U0TESTER" });
    expect(res.status).toBe(200);
    const view = await h.openedView();
    expect(view.callback_id).toBe(VIEW.settings);
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"Europe/London"');
    expect(JSON.stringify(view.blocks)).toContain('"initial_conversation":"C0TEAM"');
  });

  it("saves the team, anchors its cycle at the first review slot and announces it in the channel", async () => {
    await h.sender.command("setup", { channelId: "C0TEAM" });
    const res = await h.sender.submitView((await h.openedView()).id, {
      [TEAM_BLOCK.name]: "Checkout squad",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "2",
    });
    expect(res.errors).toBeUndefined();
    const post = await h.fake.waitFor("chat.postMessage");
    expect(post.args.channel).toBe("C0TEAM");
    expect(String(post.args.text)).toContain("Checkout squad");
    const team = await h.testDb.db.team.findFirstOrThrow();
    expect(team).toMatchObject({
      name: "Checkout squad",
      timezone: "Europe/London",
      reviewWeekday: 2,
      cadenceWeeks: 2,
    });
    // Now is Mon 23 Nov 09:00 UTC; the first Tuesday 10:00 London (GMT) is 24 Nov 10:00Z.
    expect(team.cycleAnchor.toISOString()).toBe("2026-11-24T10:00:00.000Z");
  });

  it("refuses an unknown time zone inline and writes nothing", async () => {
    await h.sender.command("setup", { channelId: "C0TEAM" });
    const res = await h.sender.submitView((await h.openedView()).id, {
      [TEAM_BLOCK.name]: "Checkout squad",
      [TEAM_BLOCK.timezone]: "Mars/Olympus",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    expect(res.errors?.[TEAM_BLOCK.timezone]).toMatch(/IANA/);
    expect(await h.testDb.db.team.count()).toBe(0);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("requires a team name", async () => {
    await h.sender.command("setup", { channelId: "C0TEAM" });
    const res = await h.sender.submitView((await h.openedView()).id, {
      [TEAM_BLOCK.name]: "   ",
      [TEAM_BLOCK.weekday]: "2",
      [TEAM_BLOCK.time]: "10:00",
      [TEAM_BLOCK.cadence]: "1",
    });
    expect(res.errors?.[TEAM_BLOCK.name]).toBe("Give the team a name.");
    expect(await h.testDb.db.team.count()).toBe(0);
  });

  it("answers help, nothing and unknown subcommands with ephemeral help in the ack itself", async () => {
    const help = await h.sender.command("help");
    const shouted = await h.sender.command("HELP");
    const nothing = await h.sender.command("");
    const unknown = await h.sender.command("frobnicate");
    // The help is the same message it always was, only carried by the ack.
    expect(help.body).toEqual({ response_type: "ephemeral", ...wire(buildHelp()) });
    expect(JSON.stringify(help.body)).toContain("/ratchet new");
    expect(shouted.body).toEqual(help.body);
    expect(nothing.body).toEqual(help.body);
    expect(unknown.body).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.stringify(unknown.body)).toContain("I don't know `/ratchet frobnicate`");
    expect(JSON.stringify(unknown.body)).toContain("/ratchet new");
    // Nothing goes to the response_url: the ack was the answer.
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.responseUrlPosts).toEqual([]);
  });

  it("knows every subcommand its help lists", async () => {
    const words = [...new Set(COMMANDS.map(([c]) => c.split(" ")[1] ?? ""))];
    const unknownInAck: string[] = [];
    for (const word of words) {
      const res = await h.sender.command(word, { channelId: "C0OTHER" });
      if (JSON.stringify(res.body).includes("I don't know")) unknownInAck.push(word);
    }
    await new Promise((r) => setTimeout(r, 500));
    const unknown = h.fake.responseUrlPosts.filter((p) => JSON.stringify(p.body).includes("I don't know"));
    expect(unknownInAck).toEqual([]);
    expect(unknown).toEqual([]);
    expect(words.length).toBeGreaterThan(10);
  });

  it("tells a user with no team how to set one up", async () => {
    await h.sender.command("new", { channelId: "C0OTHER" });
    const [answer] = await h.responses(1);
    expect(JSON.stringify(answer)).toContain("/ratchet setup");
    expect(h.fake.callsTo("views.open")).toHaveLength(0);
  });
});
