import { describe, expect, it } from "vitest";
import type { SignalSpec } from "../../../src/mechanisms/mechanism.js";
import { planSignals, type StoredSignal } from "../../../src/mechanisms/signal-plan.js";

const stored = (id: string, kind: StoredSignal["kind"], name: string, position = 0, archived = false) => ({
  id,
  kind,
  name,
  position,
  archivedAt: archived ? new Date("2026-11-01T00:00:00Z") : null,
});
const spec = (kind: SignalSpec["kind"], name: string, position = 0): SignalSpec => ({
  kind,
  name,
  baseline: 1,
  target: 2,
  unit: "",
  position,
});

describe("planSignals: an edit never deletes a signal, so never a reading", () => {
  const p95 = stored("s1", "outcome", "p95");
  const timeouts = stored("s2", "outcome", "timeouts", 1);
  const proxy = stored("s3", "proxy", "cache hit rate");

  it("keeps signals by name, wherever they moved", () => {
    expect(
      planSignals([p95, timeouts, proxy], [spec("outcome", "Timeouts"), spec("proxy", "P95", 0)]),
    ).toEqual({
      update: [
        { id: "s2", spec: spec("outcome", "Timeouts") },
        { id: "s1", spec: spec("proxy", "P95", 0) },
      ],
      create: [],
      archive: ["s3"],
    });
  });

  it("keeps a renamed signal by its slot (role and position)", () => {
    const plan = planSignals([p95, timeouts], [spec("outcome", "p99"), spec("outcome", "timeouts", 1)]);
    expect(plan.update.map((u) => [u.id, u.spec.name])).toEqual([
      ["s1", "p99"],
      ["s2", "timeouts"],
    ]);
    expect(plan).toMatchObject({ create: [], archive: [] });
  });

  it("archives what the edit leaves out and creates what is new", () => {
    expect(planSignals([p95, timeouts], [spec("outcome", "p95"), spec("leading", "queue depth")])).toEqual({
      update: [{ id: "s1", spec: spec("outcome", "p95") }],
      create: [spec("leading", "queue depth")],
      archive: ["s2"],
    });
  });

  it("brings an archived signal back when it is named again, instead of a second one with its name", () => {
    const gone = stored("s9", "outcome", "Timeouts", 1, true);
    expect(planSignals([p95, gone], [spec("outcome", "p95"), spec("outcome", "timeouts", 1)])).toEqual({
      update: [
        { id: "s1", spec: spec("outcome", "p95") },
        { id: "s9", spec: spec("outcome", "timeouts", 1) },
      ],
      create: [],
      archive: [],
    });
  });

  it("does not rename a slot's signal to a name another spec took it by", () => {
    // Slot 0 now holds "timeouts" (s2 claims it by name); p95's slot-0 rename would lose s1 to nothing.
    const plan = planSignals([p95, timeouts], [spec("outcome", "timeouts"), spec("outcome", "p95", 1)]);
    expect(plan.update.map((u) => [u.id, u.spec.position])).toEqual([
      ["s2", 0],
      ["s1", 1],
    ]);
    expect(plan.archive).toEqual([]);
  });
});
