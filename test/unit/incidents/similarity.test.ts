import { describe, expect, it } from "vitest";
import {
  actionStatus,
  findSimilarIncidents,
  MIN_SIMILARITY,
  normaliseTag,
  similarityMatches,
  stem,
  tokenise,
} from "../../../src/incidents/similarity.js";
import { factor, fixtureIncidents, i5, makeIncident } from "./fixtures.js";

const TODAY = "2024-06-30";

// A new COE about the same failure mode as the fixture's i1 and i4 (pool config), touching i7 (#config).
const target = makeIncident({
  id: "new",
  title: "Orders API timeouts: connection pool exhausted after a config change",
  impact: "Orders failed for 2% of users",
  description: "A config change lowered the pool limit and connections ran out.",
  factors: [factor("fn", "technical", "pool size static")],
  tags: ["#Config", "db"],
});

describe("findSimilarIncidents", () => {
  const results = findSimilarIncidents(target, [...fixtureIncidents, target], { today: TODAY });
  const ids = results.map((r) => r.incident.id);

  it("ranks the config incidents, those sharing two tags above the one sharing one", () => {
    // i1 and i4 share #config and #db (0.5 from tags) plus wording; i7 shares only #config (0.25).
    expect(ids).toEqual(["i4", "i1", "i7"]);
    const [first, second, third] = results;
    expect(first!.score).toBeGreaterThanOrEqual(second!.score);
    expect(second!.score).toBeGreaterThan(third!.score);
  });

  it("leaves out the target itself and the unrelated incidents", () => {
    expect(ids).not.toContain("new");
    for (const unrelated of ["i2", "i3", "i5", "i6", "i8"]) expect(ids).not.toContain(unrelated);
  });

  it("says in words why each one matched", () => {
    const i1 = results.find((r) => r.incident.id === "i1")!;
    expect(i1.reasons[0]).toBe("shared tags: #config, #db");
    expect(i1.reasons).toContain("similar factor: “pool size static” ~ “connection pool limit outdated”");
    expect(i1.reasons[2]).toMatch(/^similar wording: /);
    expect(i1.reasons[2]).toContain("connection");
    expect(i1.reasons[2]).toContain("pool");
    const i7 = results.find((r) => r.incident.id === "i7")!;
    expect(i7.reasons[0]).toBe("shared tags: #config");
  });

  it("reports how each match's action items stand", () => {
    const i4 = results.find((r) => r.incident.id === "i4")!;
    expect(i4.actionStatus).toEqual({ total: 2, done: 2, open: 0, notDoing: 0, overdue: 0 });
    const i7 = results.find((r) => r.incident.id === "i7")!;
    expect(i7.actionStatus).toEqual({ total: 1, done: 0, open: 1, notDoing: 0, overdue: 0 });
  });

  it("returns at most `limit` matches", () => {
    expect(
      findSimilarIncidents(target, fixtureIncidents, { today: TODAY, limit: 1 }).map((r) => r.incident.id),
    ).toEqual(["i4"]);
  });
});

describe("similarityMatches scoring", () => {
  // Disjoint titles, so only the part under test adds to the score.
  const a = (over: Parameters<typeof makeIncident>[0]) => makeIncident({ title: "alpha", ...over });
  const b = (over: Parameters<typeof makeIncident>[0]) => makeIncident({ title: "bravo", ...over });

  it("scores one shared tag at 0.25, enough to be listed on its own", () => {
    const [match] = similarityMatches(a({ id: "t", tags: ["config"] }), [
      b({ id: "h", tags: ["#Config", "db"] }),
    ]);
    expect(match?.score).toBe(0.25);
    expect(match?.reasons).toEqual(["shared tags: #config"]);
  });

  it("caps the tag part at two shared tags (0.5)", () => {
    const tags = ["config", "db", "deploy"];
    expect(similarityMatches(a({ id: "t", tags }), [b({ id: "h", tags })])[0]?.score).toBe(0.5);
  });

  it("scores an identical factor in the same category at 0.2 and in another category at half that", () => {
    const same = similarityMatches(a({ id: "t", factors: [factor("x", "process", "no load test")] }), [
      b({ id: "h", factors: [factor("y", "process", "No load tests")] }),
    ]);
    expect(same[0]?.score).toBe(0.2);
    expect(same[0]?.reasons).toEqual(["similar factor: “no load test” ~ “No load tests”"]);
    // 0.1 is below MIN_SIMILARITY, so the incident is not listed at all.
    const other = similarityMatches(a({ id: "t", factors: [factor("x", "process", "no load test")] }), [
      b({ id: "h", factors: [factor("y", "organisational", "no load test")] }),
    ]);
    expect(other).toEqual([]);
  });

  it("scores identical wording at 0.3 and lists the shared words", () => {
    const [match] = similarityMatches(makeIncident({ id: "t", title: "Pool exhausted" }), [
      makeIncident({ id: "h", title: "pool exhausted" }),
    ]);
    expect(match?.score).toBe(0.3);
    expect(match?.reasons).toEqual(["similar wording: exhausted, pool"]);
  });

  it("leaves out an incident that shares a few words but no tags or factors", () => {
    const weak = makeIncident({ id: "weak", title: "Checkout page timeouts from a slow CDN", tags: ["cdn"] });
    expect(similarityMatches(target, [weak])).toEqual([]);
    // The same incident with one shared tag crosses the line, so the exclusion above is the threshold at work.
    const tagged = { ...weak, tags: ["config"] };
    const [match] = similarityMatches(target, [tagged]);
    expect(match?.score).toBeGreaterThanOrEqual(MIN_SIMILARITY);
    expect(match?.reasons).toContain("similar wording: timeouts");
  });

  it("prefers the more recent incident when scores tie", () => {
    const older = b({ id: "older", tags: ["config"], startedAt: new Date("2024-01-01T00:00:00Z") });
    const newer = b({ id: "newer", tags: ["config"], startedAt: new Date("2024-02-01T00:00:00Z") });
    const ranked = similarityMatches(a({ id: "t", tags: ["config"] }), [older, newer]);
    expect(ranked.map((m) => m.incident.id)).toEqual(["newer", "older"]);
  });
});

describe("actionStatus", () => {
  it("counts an open item due before today as overdue, not one due today", () => {
    // i5: one done item, one open item due 2024-06-01.
    expect(actionStatus(i5, "2024-06-02")).toEqual({ total: 2, done: 1, open: 1, notDoing: 0, overdue: 1 });
    expect(actionStatus(i5, "2024-06-01")).toEqual({ total: 2, done: 1, open: 1, notDoing: 0, overdue: 0 });
  });
});

describe("text normalisation", () => {
  it("stems plurals, -ing and -ed so obvious variants meet", () => {
    expect(new Set(["configure", "configured", "configuring", "configures"].map(stem)).size).toBe(1);
    expect(stem("queries")).toBe(stem("query"));
    expect(stem("stopped")).toBe(stem("stop"));
    expect(stem("timeouts")).toBe("timeout");
    expect(stem("status")).toBe("status");
    expect(stem("string")).toBe("string");
  });

  it("drops stopwords and bare numbers", () => {
    expect(tokenise("The pool was at 90% for 8 minutes").map((t) => t.word)).toEqual(["pool", "minutes"]);
  });

  it("treats #Config Management and config-management as one tag", () => {
    expect(normaliseTag("#Config Management")).toBe("config-management");
    expect(normaliseTag("config-management")).toBe("config-management");
  });
});
