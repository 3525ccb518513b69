import { describe, expect, it } from "vitest";
import {
  firstDueFrom,
  matchesSearch,
  pickSuggestions,
  stageMoments,
  stagesDue,
  type TopicSuggestion,
} from "../../../src/learning/learning-session.js";

const NY = "America/New_York";
// Sun 14 Mar 2027 10:00 EDT, the first morning of daylight time; 30 minutes + Q&A.
const spring = { startsAt: new Date("2027-03-14T14:00:00Z"), timezone: NY, durationMinutes: 30 };
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("a learning session's moments", () => {
  it("reminds at the same wall time the previous local day (23 h across spring forward), an hour before in real time, and asks after the Q&A", () => {
    expect(stageMoments(spring).map((m) => [m.stage, m.at.toISOString()])).toEqual([
      ["day", "2027-03-13T15:00:00.000Z"],
      ["hour", "2027-03-14T13:00:00.000Z"],
      ["ask", "2027-03-14T14:45:00.000Z"],
    ]);
  });

  it("is 25 real hours before across fall back", () => {
    const fall = { ...spring, startsAt: new Date("2027-11-07T15:00:00Z") };
    const [day] = stageMoments(fall);
    expect(iso(day?.at ?? null)).toBe("2027-11-06T14:00:00.000Z");
  });

  it("starts a new session's due index at the first moment not yet past", () => {
    expect(iso(firstDueFrom(spring, new Date("2027-03-01T00:00:00Z")))).toBe("2027-03-13T15:00:00.000Z");
    expect(iso(firstDueFrom(spring, new Date("2027-03-14T12:30:00Z")))).toBe("2027-03-14T13:00:00.000Z");
    expect(iso(firstDueFrom(spring, new Date("2027-03-14T14:10:00Z")))).toBe("2027-03-14T14:45:00.000Z");
    expect(firstDueFrom(spring, new Date("2027-03-14T15:00:00Z"))).toBeNull();
  });
});

describe("what a sweep sends", () => {
  const dayAt = new Date("2027-03-13T15:00:00Z");
  it("sends the due reminder and points at the next moment", () => {
    expect(stagesDue(spring, dayAt, dayAt)).toEqual({
      send: ["day"],
      next: new Date("2027-03-14T13:00:00Z"),
    });
  });

  it("after downtime sends only the later reminder while the session hasn't started", () => {
    const r = stagesDue(spring, dayAt, new Date("2027-03-14T13:30:00Z"));
    expect(r.send).toEqual(["hour"]);
  });

  it("sends no reminder once it has started, but still asks for the links, however late", () => {
    expect(stagesDue(spring, dayAt, new Date("2027-03-14T14:10:00Z")).send).toEqual([]);
    expect(stagesDue(spring, dayAt, new Date("2027-04-01T00:00:00Z"))).toEqual({ send: ["ask"], next: null });
  });

  it("sends nothing before its moment", () => {
    expect(stagesDue(spring, dayAt, new Date("2027-03-13T14:59:00Z")).send).toEqual([]);
  });
});

describe("searching sessions", () => {
  const s = { topic: "Reading Flame Graphs", speakerId: "U0SAM" };
  it("matches every word in the topic, case-insensitive, or the speaker", () => {
    expect(matchesSearch(s, "flame")).toBe(true);
    expect(matchesSearch(s, "flame graphs")).toBe(true);
    expect(matchesSearch(s, "flame kubernetes")).toBe(false);
    expect(matchesSearch(s, "<@U0SAM|sam>")).toBe(true);
    expect(matchesSearch(s, "<@U0OTHER>")).toBe(false);
  });
});

describe("topic ideas", () => {
  const at = (d: number) => new Date(Date.UTC(2027, 0, d));
  it("keeps the newest few of each source", () => {
    const all: TopicSuggestion[] = [1, 2, 3, 4].flatMap((d) => [
      { source: "coe", title: `lesson ${d}`, detail: "", at: at(d) },
      { source: "deviation", title: `default ${d}`, detail: "", at: at(d) },
    ]);
    expect(pickSuggestions(all, at(5), 2).map((x) => x.title)).toEqual([
      "lesson 4",
      "lesson 3",
      "default 4",
      "default 3",
    ]);
  });

  it("leaves out what is older than a quarter", () => {
    const old: TopicSuggestion = { source: "coe", title: "old", detail: "", at: at(1) };
    expect(pickSuggestions([old], new Date(Date.UTC(2027, 3, 2)))).toEqual([]);
    expect(pickSuggestions([old], new Date(Date.UTC(2027, 2, 1)))).toEqual([old]);
  });
});
