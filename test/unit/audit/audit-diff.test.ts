import { describe, expect, it } from "vitest";
import { auditDiff } from "../../../src/audit/audit-entry.js";

describe("auditDiff: what an audit entry keeps", () => {
  it("keeps only the fields that changed, each side's value", () => {
    const before = { title: "Nudge", aim: "Activation", cadenceWeeks: 1 };
    const after = { title: "Nudge v2", aim: "Activation", cadenceWeeks: 2 };
    expect(auditDiff(before, after)).toEqual({
      before: { title: "Nudge", cadenceWeeks: 1 },
      after: { title: "Nudge v2", cadenceWeeks: 2 },
    });
  });

  it("shows a creation as its values only, and instants as ISO strings", () => {
    const at = new Date("2026-11-25T09:00:00Z");
    expect(auditDiff(null, { title: "Nudge", due: at })).toEqual({
      before: {},
      after: { title: "Nudge", due: "2026-11-25T09:00:00.000Z" },
    });
  });

  it("compares lists and objects by value, and leaves out ignored fields", () => {
    const before = { admins: ["U1"], signals: [{ name: "p95" }], updatedAt: new Date(0) };
    const after = { admins: ["U1"], signals: [{ name: "p99" }], updatedAt: new Date(1) };
    expect(auditDiff(before, after, ["updatedAt"])).toEqual({
      before: { signals: [{ name: "p95" }] },
      after: { signals: [{ name: "p99" }] },
    });
  });

  it("records a field that was cleared", () => {
    expect(auditDiff({ owner: "U1" }, { owner: null })).toEqual({
      before: { owner: "U1" },
      after: { owner: null },
    });
  });
});
