import { describe, expect, it } from "vitest";
import {
  coeDeadlines,
  coeDepthFor,
  coeStarted,
  parseSeverityList,
  severityList,
} from "../../../src/incidents/coe-depth.js";
import { checkIntegrationGate } from "../../../src/incidents/integration-gate.js";
import { action, finding, makeIncident } from "./fixtures.js";

const DETECTED = new Date("2026-03-28T12:00:00Z");
const hoursAfter = (h: number) => new Date(DETECTED.getTime() + h * 3_600_000);
const timelineEntry = { id: "t1", at: DETECTED, text: "paged" };

describe("COE depth by severity", () => {
  it("reads the team's list in severity order, ignoring what is not a severity", () => {
    expect(parseSeverityList("sev3, SEV1,nonsense,")).toEqual(["sev1", "sev3"]);
    expect(severityList(["sev3", "sev1"])).toBe("sev1,sev3");
    expect(severityList([])).toBe("");
  });

  it("is full for the listed severities and light for the others (default: SEV1 and SEV2 full)", () => {
    expect(["sev1", "sev2", "sev3", "sev4"].map((s) => coeDepthFor(s as "sev1", "sev1,sev2"))).toEqual([
      "full",
      "full",
      "light",
      "light",
    ]);
    expect(coeDepthFor("sev1", "")).toBe("light");
  });

  it("counts a COE started once anything beyond the intake is written", () => {
    const bare = makeIncident({ id: "x" });
    expect(coeStarted(bare)).toBe(false);
    expect(coeStarted({ ...bare, learned: "  " })).toBe(false);
    expect(coeStarted({ ...bare, learned: "Alarms need owners" })).toBe(true);
    expect(coeStarted({ ...bare, timeline: [timelineEntry] })).toBe(true);
  });
});

describe("coeDeadlines: started within 24 h, complete within the deep-dive window, both from detection", () => {
  const full = makeIncident({ id: "x", detectedAt: DETECTED, startedAt: DETECTED });

  it("watches the 24 h start first, then the window, and nothing once both passed", () => {
    expect(coeDeadlines(full, 48, hoursAfter(1))).toEqual({ overdue: [], nextCheck: hoursAfter(24) });
    expect(coeDeadlines(full, 48, hoursAfter(24))).toEqual({
      overdue: ["not_started"],
      nextCheck: hoursAfter(48),
    });
    expect(coeDeadlines(full, 48, hoursAfter(48))).toEqual({
      overdue: ["not_started", "not_complete"],
      nextCheck: null,
    });
  });

  it("after downtime, both deadlines passed are overdue at once", () => {
    expect(coeDeadlines(full, 48, hoursAfter(200)).overdue).toEqual(["not_started", "not_complete"]);
  });

  it("forgets the start deadline once the COE is started, and honours a window shorter than 24 h", () => {
    const started = { ...full, timeline: [timelineEntry] };
    expect(coeDeadlines(started, 48, hoursAfter(30))).toEqual({ overdue: [], nextCheck: hoursAfter(48) });
    expect(coeDeadlines(full, 12, hoursAfter(1))).toEqual({ overdue: [], nextCheck: hoursAfter(12) });
    expect(coeDeadlines(full, 12, hoursAfter(12))).toEqual({
      overdue: ["not_complete"],
      nextCheck: hoursAfter(24),
    });
  });

  it("counts elapsed hours, not wall-clock hours: 24 h across Europe's spring-forward night is still 24 h", () => {
    // 28 → 29 March 2026: London and Berlin skip an hour, which the deadline does not care about.
    expect(coeDeadlines(full, 48, new Date("2026-03-29T11:59:59Z")).overdue).toEqual([]);
    expect(coeDeadlines(full, 48, new Date("2026-03-29T12:00:00Z")).overdue).toEqual(["not_started"]);
  });

  it("has no deadlines for a light COE or a complete one", () => {
    expect(coeDeadlines({ ...full, coeDepth: "light" }, 48, hoursAfter(100))).toEqual({
      overdue: [],
      nextCheck: null,
    });
    expect(coeDeadlines({ ...full, status: "complete" }, 48, hoursAfter(100))).toEqual({
      overdue: [],
      nextCheck: null,
    });
  });
});

describe("the light COE's gate: a summary and one lesson, action items optional", () => {
  const light = makeIncident({ id: "x", coeDepth: "light" });

  it("asks for the summary and the lesson, not whys, factors or findings", () => {
    expect(checkIntegrationGate(light)).toEqual({
      ok: false,
      missing: [
        "No summary yet: say in a few lines what happened (Edit details → What happened).",
        "No lesson yet: write the one thing the team learned (What we learned).",
      ],
    });
    const written = {
      ...light,
      description: "The cache warmed slowly",
      learned: "Warm caches before deploys",
    };
    expect(checkIntegrationGate(written)).toEqual({ ok: true });
    expect(checkIntegrationGate({ ...written, findings: [finding("n", "bare finding", null)] })).toEqual({
      ok: true,
    });
  });

  it("still wants an action item that exists to be owned and dated", () => {
    const written = {
      ...light,
      description: "The cache warmed slowly",
      learned: "Warm caches before deploys",
      findings: [finding("n", "warm the cache", action({ id: "a", ownerId: null }))],
    };
    expect(checkIntegrationGate(written)).toEqual({
      ok: false,
      missing: ["Finding 1 “warm the cache”: no owner"],
    });
  });
});
