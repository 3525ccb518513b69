import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/shared/clock.js";
import { RecentSignatures } from "../../../src/slack/http/recent-signatures.js";

const WINDOW = 5 * 60 * 1000;
const start = new Date("2026-12-01T12:00:00Z");
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

describe("RecentSignatures", () => {
  it("refuses a signature seen before, and accepts a different one", () => {
    const clock = new ManualClock(start);
    const recent = new RecentSignatures({ clock, windowMs: WINDOW, capacity: 10 });
    expect(recent.remember("v0=a", sec(start))).toBe(true);
    expect(recent.remember("v0=a", sec(start))).toBe(false);
    expect(recent.remember("v0=b", sec(start))).toBe(true);
  });

  it("forgets a signature once its timestamp is outside the window (the timestamp check refuses it then)", () => {
    const clock = new ManualClock(start);
    const recent = new RecentSignatures({ clock, windowMs: WINDOW, capacity: 10 });
    recent.remember("v0=a", sec(start));
    clock.advance(WINDOW);
    expect(recent.remember("v0=b", sec(clock.now()))).toBe(true);
    expect(recent.size).toBe(2);
    clock.advance(1);
    recent.remember("v0=c", sec(clock.now()));
    expect(recent.size).toBe(2);
  });

  it("keeps a future-stamped signature until its own timestamp leaves the window", () => {
    const clock = new ManualClock(start);
    const recent = new RecentSignatures({ clock, windowMs: WINDOW, capacity: 10 });
    recent.remember("v0=ahead", sec(start) + 240);
    clock.advance(WINDOW + 60_000);
    expect(recent.remember("v0=ahead", sec(start) + 240)).toBe(false);
  });

  it("never holds more than its capacity, dropping the oldest first", () => {
    const clock = new ManualClock(start);
    const recent = new RecentSignatures({ clock, windowMs: WINDOW, capacity: 3 });
    for (const s of ["v0=1", "v0=2", "v0=3", "v0=4", "v0=5"]) recent.remember(s, sec(start));
    expect(recent.size).toBe(3);
    expect(recent.evicted).toBe(2);
    expect(recent.remember("v0=5", sec(start))).toBe(false);
    expect(recent.remember("v0=1", sec(start))).toBe(true);
  });
});
