import { describe, expect, it } from "vitest";
import type { SnapshotData } from "../../../src/alarms/alarm-repository.js";
import { assembleSnapshot, teamCycles } from "../../../src/alarms/snapshot.js";

// Weekly team, cycle 0 starts Tue 24 Nov 2026 10:00 London (= 10:00Z in winter).
const team = {
  cycleAnchor: new Date("2026-11-24T10:00:00Z"),
  cadenceWeeks: 1 as const,
  timezone: "Europe/London",
};

describe("team snapshot", () => {
  it.each([
    ["just before cycle 0", "2026-11-24T09:59:59Z", -1],
    ["at the start of cycle 0", "2026-11-24T10:00:00Z", 0],
    ["inside cycle 1", "2026-12-03T12:00:00Z", 1],
    ["across the spring DST change (cycle 18 starts 10:00 BST = 09:00Z)", "2027-03-30T09:00:00Z", 18],
  ])("puts %s in the right cycle, with three contiguous cycles before it", (_name, now, index) => {
    const { current, cycles } = teamCycles(team, new Date(now));
    expect(current).toBe(index);
    expect(cycles.map((c) => c.index)).toEqual([index - 3, index - 2, index - 1, index]);
    for (const [a, b] of cycles.slice(0, -1).map((c, i) => [c, cycles[i + 1]] as const))
      expect(b?.start).toEqual(a.end);
    const last = cycles.at(-1);
    expect(last && last.start <= new Date(now) && new Date(now) < last.end).toBe(true);
  });

  it("flags owners and stop owners Slack reports as gone, and uses the team's zone", () => {
    const base = {
      title: "t",
      status: "active" as const,
      createdAt: new Date("2026-11-01T00:00:00Z"),
      stoppedAt: null,
      statement: "",
      checkpointRule: "",
      rollbackPath: "",
      opsPath: "",
      signals: [],
      decisions: [],
      reviews: [],
    };
    const data: SnapshotData = {
      deviations: [],
      mechanisms: [
        { ...base, id: "m1", ownerId: "U1", stopOwnerId: "UGONE" },
        { ...base, id: "m2", ownerId: "UGONE", stopOwnerId: null },
      ],
    };
    const createdAt = new Date("2026-11-04T10:00:00Z");
    const s = assembleSnapshot({
      team: { ...team, createdAt },
      now: new Date("2026-12-03T12:00:00Z"),
      data,
      deactivated: new Set(["UGONE"]),
    });
    expect(s.timeZone).toBe("Europe/London");
    expect(s.teamCreatedAt).toEqual(createdAt);
    expect(s.mechanisms.map((m) => [m.ownerDeactivated, m.stopOwnerDeactivated])).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});
