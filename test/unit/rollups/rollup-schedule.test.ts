import { describe, expect, it } from "vitest";
import { dueRollup, slotInUtcWeek } from "../../../src/rollups/rollup.js";

describe("rollup schedule", () => {
  const team = { timezone: "Europe/London", rollupWeekday: 1, rollupTime: "09:00" };
  it.each([
    ["before this week's slot", "2026-11-30T08:59:00Z", null],
    ["at the slot", "2026-11-30T09:00:00Z", "2026-11-30T09:00:00.000Z"],
    ["catching up later that week", "2026-12-06T23:00:00Z", "2026-11-30T09:00:00.000Z"],
  ])("is due %s", (_label, now, expected) => {
    expect(dueRollup(team, new Date(now))?.at.toISOString() ?? null).toBe(expected);
  });

  it("covers the local week before the slot, across a DST change", () => {
    // UK clocks go back on Sun 25 Oct 2026: the window is 7 local days, 7 days and 1 hour long.
    const due = dueRollup(team, new Date("2026-10-26T09:30:00Z"));
    expect(due?.window.from.toISOString()).toBe("2026-10-19T08:00:00.000Z");
    expect(due?.window.to.toISOString()).toBe("2026-10-26T09:00:00.000Z");
    expect(due?.week).toBe("2026-W44");
  });

  it("finds the team's slot in the current UTC week for the workspace rollup", () => {
    const ny = { timezone: "America/New_York", rollupWeekday: 1, rollupTime: "09:00" };
    expect(slotInUtcWeek(ny, new Date("2026-11-30T10:00:00Z"))?.at.toISOString()).toBe(
      "2026-11-30T14:00:00.000Z",
    );
  });
});
