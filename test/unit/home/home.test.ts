import { describe, expect, it } from "vitest";
import {
  HOME_PAGE,
  type HomeData,
  homeHash,
  homePageValueSchema,
  isTeamAdmin,
  type Page,
  readPaging,
} from "../../../src/home/home.js";
import { buildHomeView } from "../../../src/slack/blocks/home.js";

const full = <T>(make: (i: number) => T, total = 1000): Page<T> => ({
  items: Array.from({ length: HOME_PAGE }, (_, i) => make(i)),
  offset: 0,
  total,
});

const at = new Date("2026-03-29T00:30:00Z");
const hostile = "<!channel> & <https://evil|invoice>";

/** A Home with every list full and paged, every text hostile. */
function bigHome(): HomeData {
  return {
    userId: "U0OWNER",
    team: { id: "t1", name: hostile, channelId: "C0TEAM", timezone: "Europe/London" },
    mechanisms: full((i) => ({
      id: `m${i}`,
      title: hostile,
      nextReviewAt: at,
      teamName: hostile,
      timezone: "Europe/London",
    })),
    reviews: full((i) => ({
      id: `r${i}`,
      mechanismTitle: hostile,
      dueAt: at,
      timezone: "Europe/London",
      channelId: "C0TEAM",
    })),
    breaches: full((i) => ({
      id: `b${i}`,
      mechanismTitle: hostile,
      guardrailName: hostile,
      value: 1.5,
      unit: hostile,
      recordedAt: at,
      timezone: "Europe/London",
    })),
    actionItems: full((i) => ({ id: `a${i}`, text: hostile, dueDate: "2026-03-01", overdue: true })),
    alarms: full((i) => ({ id: `al${i}`, kind: "stale_pilot", evidence: hostile, raisedAt: at })),
    admin: full((i) => ({
      type: "past_gate" as const,
      mechanismId: `m${i}`,
      title: hostile,
      gateReason: hostile,
    })),
    debrief: { roundId: "round1", localDate: "2026-03-27", shared: false, open: true },
    rollup: { week: "2026-W13", from: "2026-03-23", to: "2026-03-30", postedAt: at, permalink: null },
  };
}

describe("the Home tab view", () => {
  it("fits Slack's 100 blocks with every list full and paged", () => {
    const view = buildHomeView(bigHome());
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    // Every list still shows its whole page and its Show more.
    expect(JSON.stringify(view.blocks).match(/"action_id":"home_page"/g)).toHaveLength(6);
  });

  it("escapes every typed text, so <!channel> never broadcasts", () => {
    const json = JSON.stringify(buildHomeView(bigHome()).blocks);
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<https://evil");
    expect(json).toContain("&lt;!channel&gt; &amp; &lt;https://evil|invoice&gt;");
  });

  it("shows times in the team's zone across the DST change (London, 29 Mar 2026)", () => {
    const before = {
      ...bigHome(),
      mechanisms: full(
        (i) => ({
          id: `m${i}`,
          title: "x",
          nextReviewAt: new Date("2026-03-29T00:30:00Z"),
          teamName: "t",
          timezone: "Europe/London",
        }),
        1,
      ),
    };
    const after = {
      ...before,
      mechanisms: full(
        (i) => ({
          id: `m${i}`,
          title: "x",
          nextReviewAt: new Date("2026-03-29T01:30:00Z"),
          teamName: "t",
          timezone: "Europe/London",
        }),
        1,
      ),
    };
    expect(JSON.stringify(buildHomeView(before).blocks)).toContain("Sun 29 Mar, 00:30");
    expect(JSON.stringify(buildHomeView(after).blocks)).toContain("Sun 29 Mar, 02:30");
  });
});

describe("Home paging", () => {
  it("reads stored paging back, and anything unreadable as the first pages", () => {
    expect(readPaging('{"mechanisms":8}')).toEqual({ mechanisms: 8 });
    expect(readPaging('{"mechanisms":-8}')).toEqual({});
    expect(readPaging('{"everything":8}')).toEqual({});
    expect(readPaging("not json")).toEqual({});
  });

  it("accepts only a known list and a sane offset from a button", () => {
    expect(homePageValueSchema.safeParse({ list: "alarms", offset: 16 }).success).toBe(true);
    expect(homePageValueSchema.safeParse({ list: "alarms", offset: 1.5 }).success).toBe(false);
    expect(homePageValueSchema.safeParse({ list: "secrets", offset: 0 }).success).toBe(false);
  });
});

describe("isTeamAdmin", () => {
  it("follows the team's admins once it has any", () => {
    const team = { admins: ["U1"], createdBy: "U2" };
    expect(isTeamAdmin(team, "U1")).toBe(true);
    expect(isTeamAdmin(team, "U2")).toBe(false);
  });
  it("falls back to the team's creator for a team from before roles", () => {
    const team = { admins: [], createdBy: "U2" };
    expect(isTeamAdmin(team, "U2")).toBe(true);
    expect(isTeamAdmin(team, "U3")).toBe(false);
  });
});

describe("homeHash", () => {
  it("changes with what the Home shows, and only then", () => {
    const a = bigHome();
    expect(homeHash(a)).toBe(homeHash(bigHome()));
    expect(
      homeHash({ ...a, debrief: { roundId: "round1", localDate: "2026-03-27", shared: true, open: true } }),
    ).not.toBe(homeHash(a));
  });
});
