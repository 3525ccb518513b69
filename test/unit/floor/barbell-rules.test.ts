import { describe, expect, it } from "vitest";
import { evaluateAlarms } from "../../../src/alarms/rules.js";
import type { MechanismSnapshot, TeamSnapshot } from "../../../src/alarms/types.js";
import {
  assembleFloor,
  barbellProblems,
  deviationRef,
  type FloorSources,
  mechanismRef,
  typedRef,
} from "../../../src/floor/floor.js";

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const start = (cycle: number) => new Date(Date.UTC(2025, 10, 3) + (cycle - 11) * WEEK);
const at = (cycle: number, days = 0) => new Date(start(cycle).getTime() + days * DAY);

function snapshot(over: Partial<TeamSnapshot> = {}): TeamSnapshot {
  return {
    now: at(13, 2),
    currentCycle: 13,
    cycles: [10, 11, 12, 13].map((index) => ({ index, start: start(index), end: start(index + 1) })),
    teamCreatedAt: at(8),
    mechanisms: [],
    // A deviation every cycle keeps the novelty-quota alarm out of these findings.
    deviations: [10, 11, 12, 13].map((c) => ({ id: `d${c}`, cycleIndex: c, createdAt: at(c, 1) })),
    ...over,
  };
}

function mechanism(over: Partial<MechanismSnapshot> = {}): MechanismSnapshot {
  return {
    id: "m1",
    title: "First-run nudge",
    status: "active",
    createdAt: at(9),
    stoppedAt: null,
    statement: "We believe a nudge will move activation because we remove confusion",
    ownerId: "U_OWNER",
    ownerDeactivated: false,
    stopOwnerId: "U_STOP",
    stopOwnerDeactivated: false,
    checkpointRule: "Continue if activation +2pp in 2 weeks",
    rollbackPath: "Feature flag off",
    opsPath: "Support on-call runs it",
    signals: [],
    decisions: [{ decision: "continue", at: at(12, 1), checkpoint: "unknown" }],
    reviews: [],
    ...over,
  };
}

const kinds = (s: TeamSnapshot) => evaluateAlarms(s).map((f) => f.kind);
const evidence = (s: TeamSnapshot, kind: string) => evaluateAlarms(s).find((f) => f.kind === kind)?.evidence;

describe("barbell alarms", () => {
  it("raises 'Floor without a guardrail' when defaults stand but none is a guardrail", () => {
    const s = snapshot({ mechanisms: [mechanism()], floor: { standing: 2, guardrails: 0 } });
    expect(evidence(s, "floor_without_guardrail")).toBe(
      "The Floor lists 2 defaults and no guardrail: nothing says when a slice must stop or how to roll it back.",
    );
  });

  it("stays silent with a guardrail on the Floor, with an empty Floor, or without Floor data", () => {
    expect(kinds(snapshot({ floor: { standing: 2, guardrails: 1 } }))).not.toContain(
      "floor_without_guardrail",
    );
    expect(kinds(snapshot({ floor: { standing: 0, guardrails: 0 } }))).not.toContain(
      "floor_without_guardrail",
    );
    expect(kinds(snapshot())).not.toContain("floor_without_guardrail");
  });

  it("raises 'Ceiling without a slice' when no mechanism was active all last cycle nor now", () => {
    const stopped = mechanism({ status: "stopped", createdAt: at(9), stoppedAt: at(11, 3) });
    expect(evidence(snapshot({ mechanisms: [stopped] }), "no_slices")).toBe(
      "No mechanism slice was active last cycle (10 Nov – 16 Nov) and none is now: the Ceiling is empty.",
    );
  });

  it("keeps 'Ceiling without a slice' silent when a slice ran during last cycle or runs now", () => {
    const endedLastCycle = mechanism({ status: "stopped", stoppedAt: at(12, 3) });
    expect(kinds(snapshot({ mechanisms: [endedLastCycle] }))).not.toContain("no_slices");
    expect(kinds(snapshot({ mechanisms: [mechanism({ createdAt: at(13, 1) })] }))).not.toContain("no_slices");
  });

  it("keeps a team that never started, or that did not exist all last cycle, out of 'Ceiling without a slice'", () => {
    expect(kinds(snapshot({ deviations: [] }))).not.toContain("no_slices");
    expect(kinds(snapshot({ teamCreatedAt: at(12, 1) }))).not.toContain("no_slices");
    // A Floor alone is a start: a barbell plan with an empty Ceiling.
    expect(kinds(snapshot({ deviations: [], floor: { standing: 1, guardrails: 1 } }))).toContain("no_slices");
  });

  it("raises 'More than three slices' with four active mechanisms, not with three", () => {
    const four = [1, 2, 3, 4].map((i) => mechanism({ id: `m${i}`, title: `Slice ${i}` }));
    expect(evidence(snapshot({ mechanisms: four }), "too_many_slices")).toBe(
      "4 mechanisms active (“Slice 1”, “Slice 2”, “Slice 3”, “Slice 4”): the barbell holds 3 slices.",
    );
    expect(kinds(snapshot({ mechanisms: four.slice(0, 3) }))).not.toContain("too_many_slices");
    const stoppedFourth = [
      ...four.slice(0, 3),
      mechanism({ id: "m4", status: "graduated", stoppedAt: at(13, 1) }),
    ];
    expect(kinds(snapshot({ mechanisms: stoppedFourth }))).not.toContain("too_many_slices");
  });
});

const sources = (over: Partial<FloorSources> = {}): FloorSources => ({
  typed: [],
  deviations: [],
  mechanisms: [],
  retirements: new Map(),
  ...over,
});

describe("the Floor", () => {
  const typed = (id: string, kind: "default" | "guardrail" | "non_negotiable", day: number) => ({
    id,
    kind,
    text: `Typed ${id}`,
    why: `Because ${id}`,
    addedBy: "U1",
    createdAt: at(12, day),
  });

  it("unions typed defaults, promoted deviations and graduated mechanisms, each with its source and why", () => {
    const floor = assembleFloor(
      sources({
        typed: [typed("t1", "default", 0)],
        deviations: [
          {
            id: "d1",
            area: "API framework",
            deviation: "Use Fastify on billing",
            hypothesis: "because it is faster",
            outcome: "p95 −18%",
            ownerId: "U2",
            decidedAt: at(12, 2),
            createdAt: at(11),
          },
        ],
        mechanisms: [
          {
            id: "m1",
            title: "Canary deploys",
            stoppedAt: at(12, 1),
            createdAt: at(9),
            createdBy: "U3",
            graduation: {
              changeDetail: "Every deploy canaries 30 min",
              why: "incidents halved",
              entry: "graduated",
              decidedBy: "U4",
              decidedAt: at(12, 1),
            },
          },
        ],
      }),
    );
    expect(floor.map((e) => [e.ref, e.source, e.text, e.why, e.by])).toEqual([
      [deviationRef("d1"), "deviation", "Use Fastify on billing", "p95 −18%", "U2"],
      [mechanismRef("m1"), "mechanism", "Every deploy canaries 30 min", "incidents halved", "U4"],
      [typedRef("t1"), "typed", "Typed t1", "Because t1", "U1"],
    ]);
    expect(floor[0]?.origin).toBe("API framework");
    expect(floor[0]?.since).toEqual(at(12, 2));
  });

  it("falls back to the mechanism's title when the graduation wrote no default", () => {
    const [entry] = assembleFloor(
      sources({
        mechanisms: [
          {
            id: "m1",
            title: "Canary deploys",
            stoppedAt: at(12),
            createdAt: at(9),
            createdBy: "U3",
            graduation: null,
          },
        ],
      }),
    );
    expect(entry?.text).toBe("Canary deploys");
    expect(entry?.since).toEqual(at(12));
  });

  it("lists guardrails, then non-negotiables, then defaults, and keeps retired ones last, shown as retired", () => {
    const retirement = { reason: "replaced", by: "U9", at: at(13) };
    const floor = assembleFloor(
      sources({
        typed: [
          typed("a", "default", 3),
          typed("b", "guardrail", 1),
          typed("c", "non_negotiable", 2),
          typed("d", "guardrail", 4),
        ],
        retirements: new Map([[typedRef("d"), retirement]]),
      }),
    );
    expect(floor.map((e) => e.ref)).toEqual(["default:b", "default:c", "default:a", "default:d"]);
    expect(floor[3]?.retired).toEqual(retirement);
    expect(barbellProblems({ floor, slices: [] })).toEqual({
      noGuardrail: false,
      noSlice: true,
      tooManySlices: false,
    });
    const noGuardrail = floor.filter((e) => e.ref !== "default:b");
    expect(barbellProblems({ floor: noGuardrail, slices: [] }).noGuardrail).toBe(true);
  });
});
