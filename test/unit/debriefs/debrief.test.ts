import { describe, expect, it } from "vitest";
import {
  type DebriefAnswer,
  type DebriefSettings,
  debriefAudience,
  planRound,
} from "../../../src/debriefs/debrief.js";
import { buildDebriefDigest } from "../../../src/slack/blocks/debrief.js";
import { DEBRIEF_BLOCK } from "../../../src/slack/ids.js";
import type { SlackMessage } from "../../../src/slack/notifier.js";
import { parseDebriefAnswer, parseDebriefSettings } from "../../../src/slack/parsers/debrief.js";
import type { StateValues } from "../../../src/slack/parsers/view-state.js";
import { findBlock, textOf } from "../../support/blocks.js";

const answer = (userId: string, o: Partial<DebriefAnswer> = {}): DebriefAnswer => ({
  id: `a-${userId}`,
  roundId: "r1",
  userId,
  shipped: `${userId} shipped a thing`,
  input: "",
  blockers: "",
  threadTs: null,
  updatedAt: new Date("2026-11-06T20:30:00Z"),
  ...o,
});
/** The digest's section headed by `heading` ("🚧 *Blockers*"), as a person reads it. */
const digestSection = (m: SlackMessage, heading: string) =>
  textOf(findBlock(m.blocks, { type: "section", text: heading }));

describe("buildDebriefDigest", () => {
  it.each([
    {
      name: "counts non-sharers without naming them",
      answers: [answer("U1"), answer("U2")],
      members: 7,
      expect: "2 of 7 shared",
    },
    {
      name: "never counts fewer members than sharers",
      answers: [answer("U1"), answer("U2")],
      members: 0,
      expect: "2 of 2 shared",
    },
    {
      name: "has an empty state when nobody shared",
      answers: [],
      members: 5,
      expect: "Nobody shared this week (0 of 5)",
    },
    {
      name: "has an empty state for a brand-new team",
      answers: [],
      members: 0,
      expect: "Nobody shared this week.",
    },
  ])("$name", (c) => {
    const msg = buildDebriefDigest({
      dateLabel: "Friday 2026-11-06",
      answers: c.answers,
      memberCount: c.members,
    });
    // The first section, right under the header, says who shared.
    expect(textOf(findBlock(msg.blocks, { type: "section" }))).toContain(c.expect);
  });

  it("highlights every request for input and every blocker with its author", () => {
    const msg = buildDebriefDigest({
      dateLabel: "Friday 2026-11-06",
      answers: [
        answer("UA", { input: "Is the retry design in PR #412 sound?" }),
        answer("UB", { blockers: "Waiting on <prod> access\nsince Monday" }),
        answer("UC"),
      ],
      memberCount: 4,
    });
    expect(textOf(findBlock(msg.blocks, { type: "section" }))).toContain("3 of 4 shared");
    expect(digestSection(msg, "🙋 *Asking for input*")).toContain(
      "<@UA>: Is the retry design in PR #412 sound?",
    );
    // User text is escaped (no stray links or mentions) and folded onto one line.
    expect(digestSection(msg, "🚧 *Blockers*")).toContain(
      "<@UB>: Waiting on &lt;prod&gt; access / since Monday",
    );
    expect(digestSection(msg, "✅ *Shipped &amp; learned*")).toContain("<@UC>: UC shipped a thing");
    expect(msg.text.text).toBe("End-of-week debrief — Friday 2026-11-06: 3 of 4 shared");
  });

  it("says so when nobody asked for input or reported a blocker", () => {
    const msg = buildDebriefDigest({ dateLabel: "x", answers: [answer("U1")], memberCount: 1 });
    expect(digestSection(msg, "🙋 *Asking for input*")).toContain("nobody asked this week");
    expect(digestSection(msg, "🚧 *Blockers*")).toContain("none reported");
  });

  it("stays within Slack's block and text limits for a large team", () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      answer(`U${String(i).padStart(3, "0")}`, {
        shipped: "x".repeat(500),
        input: "y".repeat(500),
        blockers: "z".repeat(500),
      }),
    );
    const msg = buildDebriefDigest({ dateLabel: "x", answers: many, memberCount: 150 });
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    for (const b of msg.blocks) {
      if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

const state = (v: Record<string, string | null>, kind: "option" | "time" | "text"): StateValues =>
  Object.fromEntries(
    Object.entries(v).map(([k, value]) => [
      k,
      {
        [k]:
          kind === "option"
            ? { type: "radio_buttons", selected_option: value === null ? null : { value } }
            : kind === "time"
              ? { type: "timepicker", selected_time: value }
              : { type: "plain_text_input", value },
      },
    ]),
  );
const settingsState = (o: {
  enabled?: string;
  weekday?: string;
  time?: string | null;
  digest?: string | null;
  nudge?: string;
}) => ({
  ...state(
    {
      [DEBRIEF_BLOCK.enabled]: o.enabled ?? "on",
      [DEBRIEF_BLOCK.weekday]: o.weekday ?? "5",
      [DEBRIEF_BLOCK.nudge]: o.nudge ?? "off",
    },
    "option",
  ),
  ...state(
    {
      [DEBRIEF_BLOCK.time]: o.time === undefined ? "15:00" : o.time,
      [DEBRIEF_BLOCK.digestTime]: o.digest === undefined ? "17:00" : o.digest,
    },
    "time",
  ),
});

describe("parseDebriefSettings", () => {
  it("reads a valid schedule", () => {
    expect(
      parseDebriefSettings(settingsState({ weekday: "4", time: "14:30", digest: "16:00", nudge: "on" })),
    ).toEqual({
      ok: true,
      value: {
        debriefEnabled: true,
        debriefWeekday: 4,
        debriefTime: "14:30",
        debriefDigestTime: "16:00",
        debriefNudge: true,
      },
    });
    expect(parseDebriefSettings(settingsState({ enabled: "off" }))).toMatchObject({
      ok: true,
      value: { debriefEnabled: false },
    });
  });

  it.each([
    {
      name: "digest before the prompt",
      o: { time: "15:00", digest: "14:00" },
      block: DEBRIEF_BLOCK.digestTime,
      msg: /after the prompt/,
    },
    {
      name: "digest at the prompt time",
      o: { time: "15:00", digest: "15:00" },
      block: DEBRIEF_BLOCK.digestTime,
      msg: /after the prompt/,
    },
    { name: "no digest time", o: { digest: null }, block: DEBRIEF_BLOCK.digestTime, msg: /digest time/ },
    { name: "no prompt time", o: { time: null }, block: DEBRIEF_BLOCK.time, msg: /prompt time/ },
    { name: "a weekday that does not exist", o: { weekday: "8" }, block: DEBRIEF_BLOCK.weekday, msg: /day/ },
  ])("refuses $name inline", ({ o, block, msg }) => {
    const r = parseDebriefSettings(settingsState(o));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[block]).toMatch(msg);
  });
});

describe("parseDebriefAnswer", () => {
  const answerState = (shipped: string | null, input: string | null = null, blockers: string | null = null) =>
    state(
      { [DEBRIEF_BLOCK.shipped]: shipped, [DEBRIEF_BLOCK.input]: input, [DEBRIEF_BLOCK.blockers]: blockers },
      "text",
    );

  it("requires what was shipped or learned; the rest is optional", () => {
    expect(parseDebriefAnswer(answerState("  Shipped X  "))).toEqual({
      ok: true,
      value: { shipped: "Shipped X", input: "", blockers: "" },
    });
    const empty = parseDebriefAnswer(answerState("   ", "help?"));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(Object.keys(empty.errors)).toEqual([DEBRIEF_BLOCK.shipped]);
  });

  it("refuses answers longer than 500 characters", () => {
    const r = parseDebriefAnswer(answerState("ok", "x".repeat(501)));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[DEBRIEF_BLOCK.input]).toMatch(/500/);
  });
});

const ny: DebriefSettings & { timezone: string } = {
  timezone: "America/New_York",
  debriefEnabled: true,
  debriefWeekday: 5,
  debriefTime: "15:00",
  debriefDigestTime: "17:00",
  debriefNudge: true,
};

describe("planRound (catch-up policy, local time across DST)", () => {
  it.each([
    {
      now: "2026-10-30T18:59:00Z",
      kind: "skip",
      promptAt: "2026-10-23T19:00:00.000Z",
      why: "before 15:00 EDT: the week before is past its digest",
    },
    {
      now: "2026-10-30T19:00:00Z",
      kind: "claim",
      promptAt: "2026-10-30T19:00:00.000Z",
      nudgeAt: "2026-10-30T20:00:00.000Z",
      why: "15:00 EDT",
    },
    {
      now: "2026-10-30T20:30:00Z",
      kind: "claim",
      promptAt: "2026-10-30T19:00:00.000Z",
      nudgeAt: null,
      why: "late, past the nudge",
    },
    {
      now: "2026-10-30T21:00:00Z",
      kind: "skip",
      promptAt: "2026-10-30T19:00:00.000Z",
      why: "digest time reached",
    },
    {
      now: "2026-11-06T19:30:00Z",
      kind: "skip",
      promptAt: "2026-10-30T19:00:00.000Z",
      why: "14:30 EST: last week's slot is the latest",
    },
    {
      now: "2026-11-06T20:00:00Z",
      kind: "claim",
      promptAt: "2026-11-06T20:00:00.000Z",
      nudgeAt: "2026-11-06T21:00:00.000Z",
      why: "15:00 EST",
    },
  ])("$why → $kind", (c) => {
    const plan = planRound(ny, new Date(c.now), new Set());
    expect(plan.kind).toBe(c.kind);
    if (plan.kind !== "none") {
      expect(plan.window.promptAt.toISOString()).toBe(c.promptAt);
      if (plan.kind === "claim") expect(plan.window.nudgeAt?.toISOString() ?? null).toBe(c.nudgeAt);
    }
  });

  it("claims nothing in a week that already has a round, or when the debrief is off", () => {
    expect(planRound(ny, new Date("2026-11-06T20:00:00Z"), new Set(["2026-W45"])).kind).toBe("none");
    expect(
      planRound({ ...ny, debriefEnabled: false }, new Date("2026-11-06T20:00:00Z"), new Set()).kind,
    ).toBe("none");
  });
});

describe("debriefAudience", () => {
  const base = { recentSharers: ["U0OLD"], owners: ["U0OWNER"], sharedNow: [], optedOut: [] };

  it("is the channel's people, whoever shared before: a newcomer is nudged, a past sharer who left is not", () => {
    const a = debriefAudience({ ...base, channelPeople: ["U0NEW", "U0ANA"] });
    expect(a.members).toEqual(["U0ANA", "U0NEW"]);
    expect(a.toNudge).toEqual(["U0ANA", "U0NEW"]);
  });

  it("counts whoever shared this round, even from outside the channel, and nudges nobody who shared", () => {
    const a = debriefAudience({
      ...base,
      channelPeople: ["U0ANA", "U0BEN"],
      sharedNow: ["U0ANA", "U0GUEST"],
    });
    expect(a.members).toEqual(["U0ANA", "U0BEN", "U0GUEST"]);
    expect(a.toNudge).toEqual(["U0BEN"]);
  });

  it("still counts people who opted out of the nudge, but does not nudge them", () => {
    const a = debriefAudience({ ...base, channelPeople: ["U0ANA", "U0BEN"], optedOut: ["U0BEN", "U0GONE"] });
    expect(a.members).toEqual(["U0ANA", "U0BEN"]);
    expect(a.toNudge).toEqual(["U0ANA"]);
  });

  it("falls back to recent sharers and mechanism owners when the channel can't be read, opt-outs still kept", () => {
    const a = debriefAudience({
      channelPeople: null,
      recentSharers: ["U2", "U1"],
      owners: ["U1", "U3"],
      sharedNow: ["U4"],
      optedOut: ["U3"],
    });
    expect(a.members).toEqual(["U1", "U2", "U3", "U4"]);
    expect(a.toNudge).toEqual(["U1", "U2"]);
  });

  it("an empty channel list is an answer, not a failure: only this round's sharers count", () => {
    expect(debriefAudience({ ...base, channelPeople: [], sharedNow: ["U0ANA"] })).toEqual({
      members: ["U0ANA"],
      toNudge: [],
    });
  });
});
