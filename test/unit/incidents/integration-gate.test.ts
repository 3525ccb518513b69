import { describe, expect, it } from "vitest";
import { checkIntegrationGate, countFindings } from "../../../src/incidents/integration-gate.js";
import { action, factor, finding, makeIncident } from "./fixtures.js";

const why = {
  id: "w1",
  parentId: null,
  text: "The canary only watched error rates",
  rootCause: false,
  createdAt: new Date(0),
};

describe("checkIntegrationGate", () => {
  it("refuses an empty COE and asks for whys, factors and findings", () => {
    const result = checkIntegrationGate(makeIncident({ id: "x" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing).toHaveLength(3);
    expect(result.missing[0]).toMatch(/^No whys yet/);
    expect(result.missing[1]).toMatch(/^No contributing factors yet/);
    expect(result.missing[2]).toMatch(/^No findings yet/);
  });

  it("names each finding that lacks an owned, dated action item, and what it lacks", () => {
    const incident = makeIncident({
      id: "x",
      whys: [why],
      factors: [factor("f", "process", "canary config reviewed by nobody")],
      findings: [
        finding("n1", "Rollback runbook is current", action({ id: "a1" })),
        finding("n2", "canary only watched errors", action({ id: "a2", ownerId: null, dueDate: null })),
        finding("n3", "alert threshold assumed slow exhaustion", null),
        finding("n4", "load test skipped", action({ id: "a4", ownerId: "  ", dueDate: "next week" })),
      ],
    });
    expect(checkIntegrationGate(incident)).toEqual({
      ok: false,
      missing: [
        "Finding 2 “canary only watched errors”: no owner, no due date",
        "Finding 3 “alert threshold assumed slow exhaustion”: no action item",
        "Finding 4 “load test skipped”: no owner, due date “next week” is not yyyy-MM-dd",
      ],
    });
  });

  it("shortens a long finding in the message but keeps its number", () => {
    const long = "x".repeat(100);
    const result = checkIntegrationGate(
      makeIncident({
        id: "x",
        whys: [why],
        factors: [factor("f", "technical", "t")],
        findings: [finding("n", long, null)],
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.missing[0]).toBe(`Finding 1 “${"x".repeat(59)}…”: no action item`);
  });

  it("accepts the COE once every finding has an owner and a due date, even if the work is not done yet", () => {
    const incident = makeIncident({
      id: "x",
      whys: [why],
      factors: [factor("f", "process", "canary config reviewed by nobody")],
      findings: [
        finding("n1", "canary only watched errors", action({ id: "a1", status: "open" })),
        finding("n2", "not worth it", action({ id: "a2", status: "not_doing" })),
      ],
    });
    expect(checkIntegrationGate(incident)).toEqual({ ok: true });
  });

  it("quotes a finding written over several lines on one line", () => {
    const result = checkIntegrationGate(
      makeIncident({
        id: "x",
        whys: [why],
        factors: [factor("f", "technical", "t")],
        findings: [finding("n", "  canary\n\n  only   watched errors ", null)],
      }),
    );
    expect(result).toEqual({
      ok: false,
      missing: ["Finding 1 “canary only watched errors”: no action item"],
    });
  });

  it("keeps a finding of exactly 60 characters whole", () => {
    const sixty = "y".repeat(60);
    const result = checkIntegrationGate(
      makeIncident({
        id: "x",
        whys: [why],
        factors: [factor("f", "technical", "t")],
        findings: [finding("n", sixty, null)],
      }),
    );
    expect(result).toEqual({
      ok: false,
      missing: [`Finding 1 “${sixty}”: no action item`],
    });
  });

  it("counts a blank due date as missing, not as a badly written one", () => {
    const incident = makeIncident({
      id: "x",
      whys: [why],
      factors: [factor("f", "process", "p")],
      findings: [finding("n1", "canary only watched errors", action({ id: "a1", dueDate: "   " }))],
    });
    expect(checkIntegrationGate(incident)).toEqual({
      ok: false,
      missing: ["Finding 1 “canary only watched errors”: no due date"],
    });
  });
});

describe("checkIntegrationGate: findings noted with no action", () => {
  const analysed = (findings: ReturnType<typeof finding>[]) =>
    makeIncident({ id: "x", whys: [why], factors: [factor("f", "process", "p")], findings });

  it("accepts a finding noted with no action and a reason in place of an action item", () => {
    const incident = analysed([
      finding("n1", "canary only watched errors", action({ id: "a1" })),
      finding("n2", "log line is noisy", null, "Low impact; the new alarm covers it"),
    ]);
    expect(checkIntegrationGate(incident)).toEqual({ ok: true });
    expect(countFindings(incident)).toEqual({ total: 2, withAction: 1, noted: 1, unsettled: 0 });
  });

  it("does not take a blank reason as a reason", () => {
    expect(checkIntegrationGate(analysed([finding("n1", "log line is noisy", null, "  ")]))).toEqual({
      ok: false,
      missing: ["Finding 1 “log line is noisy”: no action item"],
    });
  });
});
