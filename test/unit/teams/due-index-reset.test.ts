import { describe, expect, it } from "vitest";
import { DueIndexReset, type TeamDueIndex } from "../../../src/teams/team-due.js";

const index = () => {
  const calls = { clearAll: 0 };
  const idx: TeamDueIndex = {
    listDue: async () => [],
    advance: async () => {},
    clearAll: async () => {
      calls.clearAll++;
    },
  };
  return { idx, calls };
};
const at = (iso: string) => new Date(iso);

describe("DueIndexReset", () => {
  it("clears the index on a process's first tick, then only when the clock goes back", async () => {
    const { idx, calls } = index();
    const reset = new DueIndexReset(idx);
    expect(await reset.beforeTick(at("2027-03-10T03:07:00Z"))).toBe(true);
    expect(await reset.beforeTick(at("2027-03-10T03:08:00Z"))).toBe(false);
    // The same minute again (a second tick for the same instant) is not going back.
    expect(await reset.beforeTick(at("2027-03-10T03:08:00Z"))).toBe(false);
    expect(calls.clearAll).toBe(1);
    expect(await reset.beforeTick(at("2027-03-03T03:08:00Z"))).toBe(true);
    expect(calls.clearAll).toBe(2);
    expect(await reset.beforeTick(at("2027-03-03T03:09:00Z"))).toBe(false);
  });

  it("tries again on the next tick when clearing failed", async () => {
    let fail = true;
    const reset = new DueIndexReset({
      listDue: async () => [],
      advance: async () => {},
      clearAll: async () => {
        if (fail) throw new Error("database busy");
      },
    });
    await expect(reset.beforeTick(at("2027-03-10T03:07:00Z"))).rejects.toThrow("busy");
    fail = false;
    expect(await reset.beforeTick(at("2027-03-10T03:08:00Z"))).toBe(true);
  });
});
